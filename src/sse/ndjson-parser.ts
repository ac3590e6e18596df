import type { StreamRecord } from '../model';
import type { EventStreamParser, ParserLimits } from './event-stream-parser';
import { DEFAULT_PARSER_LIMITS } from './event-stream-parser';

/** A line parser for newline-delimited JSON and its relatives; one record per non-empty line. */
export interface LineStreamParser extends EventStreamParser {
  /** Emits a last line that had no newline; call once when the stream completed. */
  flush(time: number): StreamRecord[];
}

// RFC 7464 json-seq prefixes each text with RS (U+001E); drop it so the data is plain JSON.
const RECORD_SEPARATOR = '\u001e';
// What `String.prototype.trim` keeps; global so a search can start mid-chunk without a copy.
const NON_SPACE = /\S/g;

export function createNdjsonParser(limits: ParserLimits = DEFAULT_PARSER_LIMITS): LineStreamParser {
  let pending = '';
  let overflow = 0;
  // The last character dropped to `overflow` was a CR: when the LF comes next, that CR was the
  // line's CRLF, not content, and must not count in `truncatedFrom`.
  let overflowEndsInCR = false;
  // A character dropped to `overflow` was not white space, so the line is not blank even when
  // what was kept of it is.
  let overflowHasContent = false;
  let seq = 0;

  /** `endsInOverflow`: the line's last character is not in `raw` but was dropped to `extra`. */
  function lineRecord(
    raw: string,
    extra: number,
    endsInOverflow: boolean,
    time: number,
  ): StreamRecord | null {
    let line = raw;
    if (endsInOverflow) {
      if (overflowEndsInCR) extra -= 1;
    } else if (raw.endsWith('\r')) {
      line = raw.slice(0, -1);
    }
    if (line.startsWith(RECORD_SEPARATOR)) line = line.slice(1);
    if (!overflowHasContent && line.trim().length === 0) return null;
    const record: StreamRecord = { seq: ++seq, kind: 'event', id: '', type: 'message', data: line, time };
    if (line.length > limits.maxEventChars) {
      record.data = line.slice(0, limits.maxEventChars);
      record.truncatedFrom = line.length + extra;
    } else if (extra > 0) {
      record.truncatedFrom = line.length + extra;
    }
    return record;
  }

  return {
    get recordCount() {
      return seq;
    },
    feed(text, time) {
      const out: StreamRecord[] = [];
      let start = 0;
      let newline = text.indexOf('\n');
      while (newline !== -1) {
        const endsInOverflow = overflow > 0 && newline === start;
        const record = lineRecord(pending + text.slice(start, newline), overflow, endsInOverflow, time);
        pending = '';
        overflow = 0;
        overflowEndsInCR = false;
        overflowHasContent = false;
        if (record) out.push(record);
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      const rest = text.length - start;
      const room = limits.maxEventChars + 1 - pending.length;
      if (rest <= room) pending += text.slice(start);
      else {
        pending += text.slice(start, start + Math.max(room, 0));
        overflow += rest - Math.max(room, 0);
        overflowEndsInCR = text.endsWith('\r');
        if (!overflowHasContent) {
          NON_SPACE.lastIndex = start + Math.max(room, 0);
          overflowHasContent = NON_SPACE.test(text);
        }
      }
      return out;
    },
    flush(time) {
      const record = lineRecord(pending, overflow, overflow > 0, time);
      pending = '';
      overflow = 0;
      overflowEndsInCR = false;
      overflowHasContent = false;
      return record ? [record] : [];
    },
  };
}
