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

export function createNdjsonParser(limits: ParserLimits = DEFAULT_PARSER_LIMITS): LineStreamParser {
  let pending = '';
  let overflow = 0;
  let seq = 0;

  function lineRecord(raw: string, extra: number, time: number): StreamRecord | null {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith(RECORD_SEPARATOR)) line = line.slice(1);
    if (line.trim().length === 0) return null;
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
        const record = lineRecord(pending + text.slice(start, newline), overflow, time);
        pending = '';
        overflow = 0;
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
      }
      return out;
    },
    flush(time) {
      const record = lineRecord(pending, overflow, time);
      pending = '';
      overflow = 0;
      return record ? [record] : [];
    },
  };
}
