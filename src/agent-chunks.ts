/**
 * What the page agent sends of a tapped response body: the bytes the page read, copied and
 * transferred (not cloned), each with the time it was read. The relay decodes and parses them
 * (content-scripts/relay-taps.ts).
 *
 * Why not parse in the agent: the agent and the relay share the page's main thread, and cloning
 * parsed records across the MessagePort cost more than parsing them (docs/performance.md, figure 1).
 * A transferred copy of the bytes costs one memcpy. The parsers also leave the agent, which runs in
 * every frame before the page's scripts, and run where the page cannot replace the built-ins they use.
 */
import type { StreamRecord } from './model';
import { isStreamRecord, PROTOCOL_VERSION } from './protocol';

/** One piece of a connection's body, in the order the page read them. */
export type AgentChunk =
  /** Bytes the page read at `time`. */
  | { connectionId: string; time: number; bytes: ArrayBuffer }
  /**
   * Text the browser already decoded (XMLHttpRequest.responseText grew by it); the relay counts its
   * UTF-8 bytes.
   */
  | { connectionId: string; time: number; text: string }
  /** The body ended at `time`; `completed`: it ended normally (flush the decoder and a last line). */
  | { connectionId: string; time: number; completed: boolean }
  /**
   * A record the browser already parsed (an EventSource connection's), read by the page at `time`.
   * Sent as a piece rather than packed: EventSource delivers a few per second, and the agent, which
   * runs in every frame, stays without a records packer.
   */
  | { connectionId: string; time: number; record: StreamRecord };

/** A batch of body pieces from the agent; sent on the agent's port beside `AgentBatchMessage`. */
export interface AgentChunksMessage {
  type: 'agent-chunks';
  v: typeof PROTOCOL_VERSION;
  chunks: AgentChunk[];
}

export function createAgentChunks(chunks: AgentChunk[]): AgentChunksMessage {
  return { type: 'agent-chunks', v: PROTOCOL_VERSION, chunks };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The message's shape; each chunk is checked by `isAgentChunk` (the page can forge anything). */
export function isAgentChunks(value: unknown): value is { type: 'agent-chunks'; chunks: unknown[] } {
  return (
    isObject(value) &&
    value.type === 'agent-chunks' &&
    value.v === PROTOCOL_VERSION &&
    Array.isArray(value.chunks)
  );
}

const byteLengthOfBuffer = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')?.get;

/**
 * Whether `value` is an ArrayBuffer, also one from another realm: in Firefox a content script sees
 * the page's objects through Xray wrappers, and `instanceof ArrayBuffer` is false for the buffers the
 * agent transfers. The native getter accepts exactly ArrayBuffers (not shared ones) from any realm.
 */
function isArrayBuffer(value: unknown): value is ArrayBuffer {
  if (typeof value !== 'object' || value === null || !byteLengthOfBuffer) return false;
  try {
    byteLengthOfBuffer.call(value);
    return true;
  } catch {
    return false;
  }
}

export function isAgentChunk(value: unknown): value is AgentChunk {
  if (!isObject(value) || typeof value.connectionId !== 'string') return false;
  if (typeof value.time !== 'number' || !Number.isFinite(value.time)) return false;
  if ('bytes' in value) return isArrayBuffer(value.bytes);
  if ('record' in value) return isStreamRecord(value.record);
  if ('text' in value) return typeof value.text === 'string';
  return typeof value.completed === 'boolean';
}
