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
}

// Taken when this module loads (in the page agent: before any page script), so a page that replaces
// `TextDecoder` or its `decode` later changes nothing the agent decodes.
const NativeTextDecoder = TextDecoder;
const decode = NativeTextDecoder.prototype.decode;
const apply = Reflect.apply;

export function createStreamTap(
  format: StreamFormat,
  limits: ParserLimits = DEFAULT_PARSER_LIMITS,
  sink?: RecordSink,
): StreamTap {
  // One decoder per stream with {stream: true}, so a character split across chunks decodes whole.
  // It drops one leading BOM, as the spec requires.
  const decoder = new NativeTextDecoder('utf-8');
  const ndjson = format === 'ndjson' ? createNdjsonParser(limits, sink) : null;
  const parser = ndjson ?? createEventStreamParser(limits, sink);
  let bytes = 0;
  return {
    get bytes() {
      return bytes;
    },
    push(chunk, time) {
      bytes += chunk.byteLength;
      return parser.feed(apply(decode, decoder, [chunk, { stream: true }]) as string, time);
    },
    pushText(text, textBytes, time) {
      bytes += textBytes;
      return parser.feed(text, time);
    },
    finish(time, completed) {
      const tail = apply(decode, decoder, []) as string;
      if (!completed) return [];
      const records = parser.feed(tail, time);
      if (ndjson) {
        // Indexed, not `concat`: a page may replace array methods after load.
        const last = ndjson.flush(time);
        for (let i = 0; i < last.length; i++) records[records.length] = last[i] as StreamRecord;
      }
      return records;
    },
  };
}
