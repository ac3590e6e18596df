import type { StreamFormat } from '../model';

const NDJSON_TYPES = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/stream+json',
  'application/jsonl',
  'application/x-jsonlines',
  'application/json-seq',
]);

/**
 * The stream format a `Content-Type` header announces, or `null` for anything else.
 * The media type is compared case-insensitively and parameters are ignored
 * (RFC 9110 §8.3.1), so `Text/Event-Stream; charset=UTF-8` is a stream.
 */
export function streamFormatOf(contentType: string | null | undefined): StreamFormat | null {
  if (!contentType) return null;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (mediaType === 'text/event-stream') return 'sse';
  if (NDJSON_TYPES.has(mediaType)) return 'ndjson';
  return null;
}
