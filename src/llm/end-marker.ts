/**
 * The events by which an LLM streaming protocol says its answer is complete; a stream that ends
 * without one was cut short (the reassembler's `terminated`). Replay's "drop the end marker" fault
 * leaves these out.
 */
import { isObject, parseEvent } from './json';

/** `type` values of a JSON event, or SSE event types, that end an answer. */
const END_TYPES = new Set(['message_stop', 'response.completed', 'response.incomplete', 'response.failed']);

/**
 * Whether an event of this SSE type and data is its protocol's end marker: `[DONE]` (OpenAI chat,
 * Vercel AI), Anthropic's `message_stop`, the OpenAI Responses API's final `response.*` event.
 * Gemini has none (its last chunk carries a `finishReason`).
 */
export function isEndMarker(type: string, data: string): boolean {
  if (END_TYPES.has(type)) return true;
  const parsed = parseEvent({ seq: 0, kind: 'event', id: '', type, data, time: 0 });
  if (parsed.kind === 'done') return true;
  return parsed.kind === 'json' && isObject(parsed.value) && END_TYPES.has(parsed.value.type as string);
}
