import type { StreamFormat } from '../model';

/**
 * A stream's media type at the start of a `Content-Type` value, before its parameters: group 1 is
 * `text/event-stream`; the rest are the line-delimited JSON types. One expression, not a set of
 * names, because the page agent that uses it is injected into every frame. `\s` is the white space
 * `String.prototype.trim` strips.
 */
/**
 * Taken when the module loads: the page agent runs this after page scripts, which may replace
 * `RegExp.prototype.exec` (the built-in exec reads nothing a page can change on our own expression).
 */
const apply = Reflect.apply;
const exec = RegExp.prototype.exec;

export const STREAM_MEDIA_TYPE =
  /^\s*(?:(text\/event-stream)|application\/(?:x-ndjson|ndjson|stream\+json|jsonl|x-jsonlines|json-seq))\s*(?:;|$)/i;

/**
 * The stream format a `Content-Type` header announces, or `null` for anything else.
 * The media type is compared case-insensitively and parameters are ignored
 * (RFC 9110 §8.3.1), so `Text/Event-Stream; charset=UTF-8` is a stream. (The page agent only asks
 * whether one is, of STREAM_MEDIA_TYPE through its own `exec`; the relay asks this.)
 */
export function streamFormatOf(contentType: string | null | undefined): StreamFormat | null {
  const match = contentType
    ? (apply(exec, STREAM_MEDIA_TYPE, [contentType]) as RegExpExecArray | null)
    : null;
  if (!match) return null;
  return match[1] ? 'sse' : 'ndjson';
}
