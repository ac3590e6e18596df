import type { StreamFormat, StreamRecord } from '../model';
import {
  createEventStreamParser,
  DEFAULT_PARSER_LIMITS,
  type ParserLimits,
  type RecordSink,
} from './event-stream-parser';
import { createNdjsonParser } from './ndjson-parser';

/**
 * Bytes → text → records for one stream, fed with exactly the chunks the page read.
 * Never throws; never holds more than the limits allow. Made with a sink, it puts the records there
 * and its methods return none.
 */
export interface StreamTap {
  /** Taps one chunk the page read at `time`; returns the records it completed. */
  push(chunk: Uint8Array, time: number): StreamRecord[];
  /**
   * Taps text the page read at `time` that the browser already decoded (`XMLHttpRequest.responseText`
   * grows by it), counting `bytes` body bytes. Do not mix with `push` on one tap.
   */
  pushText(text: string, bytes: number, time: number): StreamRecord[];
  /**
   * The body ended. With `completed`, flushes the decoder (an incomplete UTF-8 sequence becomes
   * U+FFFD, as the spec's decoder does) and, for line-delimited JSON, a last line without newline.
   * An unterminated SSE event is never dispatched (spec: "discard" at end of stream).
   */
  finish(time: number, completed: boolean): StreamRecord[];
  /** Body bytes tapped so far. */
  readonly bytes: number;
  /** Records made so far (the next one's `seq` is this plus one). */
  readonly recordCount: number;
}

export function createStreamTap(
  format: StreamFormat,
  limits: ParserLimits = DEFAULT_PARSER_LIMITS,
  sink?: RecordSink,
): StreamTap {
  // One decoder per stream with {stream: true}, so a character split across chunks decodes whole.
  // It drops one leading BOM, as the spec requires.
  const decoder = new TextDecoder('utf-8');
  const ndjson = format === 'ndjson' ? createNdjsonParser(limits, sink) : null;
  const parser = ndjson ?? createEventStreamParser(limits, sink);
  let bytes = 0;
  return {
    get bytes() {
      return bytes;
    },
    get recordCount() {
      return parser.recordCount;
    },
    push(chunk, time) {
      bytes += chunk.byteLength;
      return parser.feed(decoder.decode(chunk, { stream: true }), time);
    },
    pushText(text, textBytes, time) {
      bytes += textBytes;
      return parser.feed(text, time);
    },
    finish(time, completed) {
      const tail = decoder.decode();
      if (!completed) return [];
      const records = parser.feed(tail, time);
      if (ndjson) {
        records.push(...ndjson.flush(time));
      }
      return records;
    },
  };
}
