import type { StreamRecord } from '../../model';
import type { JsonObject, ParsedEvent } from '../json';
import type { MessageState } from '../state';
import type { StreamContext } from '../types';

/**
 * Applies one event of a shape to the state. `event` is the data when it is a JSON object (else an
 * empty object), `type` its own `type` field or else the SSE event type, `parsed` the data as parsed
 * once (arrays, empty data and plain text reach the handler through it). For plain-text data a
 * handler returns `true` when its protocol sends such text; otherwise the event is flagged as JSON
 * that did not parse. `[DONE]` is handled by the caller.
 */
export type ShapeHandler = (
  state: MessageState,
  event: JsonObject,
  type: string,
  record: StreamRecord,
  parsed: ParsedEvent,
) => boolean | undefined;

/**
 * Makes the handler for one stream (handlers may keep per-stream memory, such as open content
 * blocks); `context` is the connection the stream belongs to, when the caller knows it.
 */
export type ShapeHandlerFactory = (context?: StreamContext) => ShapeHandler;
