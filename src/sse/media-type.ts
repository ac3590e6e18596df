import type { StreamFormat } from '../model';

/**
 * A stream's media type at the start of a `Content-Type` value, before its parameters: group 1 is
 * `text/event-stream`; the rest are the line-delimited JSON types. One expression, not a set of
 * names, because the page agent that uses it is injected into every frame. `\s` is the white space
 * `String.prototype.trim` strips.
 */
const STREAM_MEDIA_TYPE =
  /^\s*(?:(text\/event-stream)|application\/(?:x-ndjson|ndjson|stream\+json|jsonl|x-jsonlines|json-seq))\s*(?:;|$)/i;

/**
 * The stream format a `Content-Type` header announces, or `null` for anything else.
 * The media type is compared case-insensitively and parameters are ignored
 * (RFC 9110 §8.3.1), so `Text/Event-Stream; charset=UTF-8` is a stream.
 */
export function streamFormatOf(contentType: string | null | undefined): StreamFormat | null {
  const match = contentType ? STREAM_MEDIA_TYPE.exec(contentType) : null;
  if (!match) return null;
  return match[1] ? 'sse' : 'ndjson';
}
