/** Parsing of event data and narrow readers of untrusted JSON values. */
import { boundedJsonText } from '../bounded-json';
import type { StreamRecord } from '../model';

/** A JSON object (not an array). */
export type JsonObject = Record<string, unknown>;

/**
 * An event's data, parsed once.
 * - `json`: the data is JSON (`value` holds it).
 * - `done`: the `[DONE]` sentinel (OpenAI chat, Vercel AI).
 * - `empty`: blank data, which no shape gives a meaning.
 * - `text`: anything else (plain text, or JSON cut short or malformed).
 */
export type ParsedEvent =
  | { kind: 'json'; record: StreamRecord; value: unknown }
  | { kind: 'done' | 'empty'; record: StreamRecord }
  | { kind: 'text'; record: StreamRecord };

/** Classifies and parses an event's data (trimmed) once, for detection and reassembly alike. */
export function parseEvent(record: StreamRecord): ParsedEvent {
  const data = record.data.trim();
  if (data === '') return { kind: 'empty', record };
  if (data === '[DONE]') return { kind: 'done', record };
  // Every JSON text an LLM stream sends is an object or array; skip the throw for plain text.
  const first = data.charCodeAt(0);
  if (first !== 0x7b && first !== 0x5b) return { kind: 'text', record };
  try {
    return { kind: 'json', record, value: JSON.parse(data) };
  } catch {
    return { kind: 'text', record };
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a string, else `undefined`. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value when it is a finite number, else `undefined`. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The value when it is an object, else `undefined`. */
export function obj(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

/** The value when it is an array, else an empty one. */
export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A provider error object as `kind: message`. The kind is the first of `type`, `status`, `code`
 * present (OpenAI and Anthropic name it `type`, Gemini `status`, the Responses API `code`). An error
 * without a message is shown as its JSON, bounded (src/bounded-json.ts): the page chose its depth.
 */
export function errorText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return boundedJsonText(value);
  const message = str(value.message);
  const rawKind = value.type ?? value.status ?? value.code;
  const kind = typeof rawKind === 'string' || typeof rawKind === 'number' ? String(rawKind) : '';
  if (message === undefined) return boundedJsonText(value);
  return kind ? `${kind}: ${message}` : message;
}
