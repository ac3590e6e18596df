/**
 * Recognition of an LLM stream's protocol from its first events' content (never its URL: proxies,
 * gateways and self-hosted servers put these protocols behind any path).
 */
import type { StreamRecord } from '../model';
import { isObject, type ParsedEvent, parseEvent } from './json';
import type { LlmShape } from './types';

/** JSON events looked at before deciding the stream is not a known shape. */
export const DETECT_JSON_EVENTS = 8;
/** Events of any kind looked at before deciding (bounds the wait on a plain-text stream). */
export const DETECT_MAX_EVENTS = 64;

const ANTHROPIC_TYPES = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
]);

// `start`, `finish` and `error` are left out: too generic to name the protocol on their own.
const VERCEL_TYPES = new Set([
  'start-step',
  'finish-step',
  'text-start',
  'text-delta',
  'text-end',
  'reasoning-start',
  'reasoning-delta',
  'reasoning-end',
  'tool-input-start',
  'tool-input-delta',
  'tool-input-available',
  'tool-input-error',
  'tool-output-available',
  'tool-output-error',
  'message-metadata',
  'source-url',
  'source-document',
]);

// AG-UI's event types are upper-case and prefixed by what they are about (docs.ag-ui.com/concepts/events).
const AG_UI_TYPE = /^(RUN|TEXT_MESSAGE|TOOL_CALL|STATE|MESSAGES|STEP|REASONING|THINKING|ACTIVITY)_[A-Z_]+$/;

// LangGraph's stream modes, as SSE event types; a subgraph's events append `|<namespace>`.
const LANGGRAPH_MODES = new Set([
  'values',
  'updates',
  'messages',
  'messages/partial',
  'messages/complete',
  'messages/metadata',
  'custom',
  'debug',
  'events',
  'tasks',
  'checkpoints',
  'tools',
]);

function isJsonRpc(value: unknown): boolean {
  return isObject(value) && value.jsonrpc === '2.0';
}

/** The shape an event's SSE type and JSON data together are characteristic of (protocols that name their events). */
function classifyByEventType(value: unknown, eventType: string): LlmShape | null {
  const bar = eventType.indexOf('|');
  const mode = bar === -1 ? eventType : eventType.slice(0, bar);
  if (bar > 0 && LANGGRAPH_MODES.has(mode)) return 'langgraph';
  if (eventType === 'metadata' && isObject(value) && typeof value.run_id === 'string') return 'langgraph';
  if (mode.startsWith('messages/')) return 'langgraph';
  if (eventType === 'messages' && Array.isArray(value) && isObject(value[0]) && isObject(value[1])) {
    return 'langgraph';
  }
  if (eventType === 'next' && isObject(value)) {
    const single = typeof value.id === 'string' && isObject(value.payload);
    if (single || 'data' in value || Array.isArray(value.errors)) return 'graphql-sse';
  }
  // tRPC's SSE producer always opens with `connected` (its client options as JSON).
  if ((eventType === 'connected' || eventType === 'serialized-error') && isObject(value)) return 'trpc';
  return null;
}

/**
 * The shape one event's JSON data is characteristic of, or `null` when it names none
 * (including events every shape may send, such as `ping` or a bare `error`). `eventType` is the
 * SSE event type, which some protocols use to name their events.
 */
export function classifyEvent(value: unknown, eventType = 'message'): LlmShape | null {
  if (isJsonRpc(value) || (Array.isArray(value) && isJsonRpc(value[0]))) return 'mcp';
  const byEventType = classifyByEventType(value, eventType);
  if (byEventType) return byEventType;
  if (!isObject(value)) return null;
  const type = value.type;
  if (typeof type === 'string') {
    if (type.startsWith('response.')) return 'openai-responses';
    if (ANTHROPIC_TYPES.has(type)) return 'anthropic';
    if (VERCEL_TYPES.has(type)) return 'vercel-ai';
    if (type === 'error' && typeof value.errorText === 'string') return 'vercel-ai';
    if (AG_UI_TYPE.test(type)) return 'ag-ui';
    return null;
  }
  if (
    typeof value.model === 'string' &&
    typeof value.created_at === 'string' &&
    typeof value.done === 'boolean' &&
    (isObject(value.message) || typeof value.response === 'string')
  ) {
    return 'ollama';
  }
  if (value.object === 'chat.completion.chunk') return 'openai-chat';
  const choices = value.choices;
  if (Array.isArray(choices) && isObject(choices[0]) && isObject(choices[0].delta)) return 'openai-chat';
  if (Array.isArray(value.candidates) || isObject(value.usageMetadata) || isObject(value.promptFeedback)) {
    return 'gemini';
  }
  return null;
}

/** Feeds events one at a time until the shape is known or the stream is ruled out. */
export interface ShapeDetector {
  /** Looks at one event; returns the decision once there is one (and from then on), else `undefined`. */
  feed(event: ParsedEvent): LlmShape | null | undefined;
  /** The decision so far: a shape, `null` (not an LLM stream), or `undefined` (undecided). */
  readonly decision: LlmShape | null | undefined;
}

export function createShapeDetector(): ShapeDetector {
  let decision: LlmShape | null | undefined;
  let events = 0;
  let jsonEvents = 0;
  return {
    get decision() {
      return decision;
    },
    feed(event) {
      if (decision !== undefined) return decision;
      events++;
      if (event.kind === 'json') {
        jsonEvents++;
        const shape = classifyEvent(event.value, event.record.type);
        if (shape) decision = shape;
      } else if (event.kind === 'text' && event.record.type === 'endpoint') {
        // MCP's legacy HTTP+SSE transport opens with the URI the client is to POST its messages to.
        decision = 'mcp';
      }
      if (decision === undefined && (jsonEvents >= DETECT_JSON_EVENTS || events >= DETECT_MAX_EVENTS)) {
        decision = null;
      }
      return decision;
    },
  };
}

/**
 * The LLM protocol of a stream, from the content of its first few JSON events
 * ({@link DETECT_JSON_EVENTS}); `null` for anything not recognisably one of them.
 * Only `kind: 'event'` records are considered.
 */
export function detectShape(records: readonly StreamRecord[]): LlmShape | null {
  const detector = createShapeDetector();
  for (const record of records) {
    if (record.kind !== 'event') continue;
    const decision = detector.feed(parseEvent(record));
    if (decision !== undefined) return decision;
  }
  return null;
}
