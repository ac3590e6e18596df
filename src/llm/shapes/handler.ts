import type { StreamRecord } from '../../model';
import type { JsonObject } from '../json';
import type { MessageState } from '../state';

/**
 * Applies one JSON object event of a shape to the state. `type` is the data's own `type` field,
 * or else the SSE event type. Non-object events, `[DONE]` and unparseable data are handled by the caller.
 */
export type ShapeHandler = (
  state: MessageState,
  event: JsonObject,
  type: string,
  record: StreamRecord,
) => void;

/** Makes the handler for one stream (handlers may keep per-stream memory, such as open content blocks). */
export type ShapeHandlerFactory = () => ShapeHandler;
