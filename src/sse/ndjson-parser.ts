import type { StreamRecord } from '../model';
import type { EventStreamParser, ParserLimits, RecordSink } from './event-stream-parser';
import { createRecordCollector, DEFAULT_PARSER_LIMITS } from './event-stream-parser';

/** A line parser for newline-delimited JSON and its relatives; one record per non-empty line. */
export interface LineStreamParser extends EventStreamParser {
  /** Emits a last line that had no newline; call once when the stream completed. */
  flush(time: number): StreamRecord[];
}

// RFC 7464 json-seq prefixes each text with RS (U+001E); drop it so the data is plain JSON.
const RECORD_SEPARATOR = '\u001e';
// What `String.prototype.trim` keeps; global so a search can start mid-chunk without a copy.
const NON_SPACE = /\S/g;

export function createNdjsonParser(
  limits: ParserLimits = DEFAULT_PARSER_LIMITS,
  sink?: RecordSink,
): LineStreamParser {
  const collector = sink ? null : createRecordCollector();
  const target = sink ?? (collector as RecordSink);
  const taken = (): StreamRecord[] => (collector ? collector.take() : []);
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
  function lineRecord(raw: string, extra: number, endsInOverflow: boolean, time: number): void {
    let line = raw;
    if (endsInOverflow) {
      if (overflowEndsInCR) extra -= 1;
    } else if (raw.endsWith('\r')) {
      line = raw.slice(0, -1);
    }
    if (line.startsWith(RECORD_SEPARATOR)) line = line.slice(1);
    if (!overflowHasContent && line.trim().length === 0) return;
    const cut = line.length > limits.maxEventChars || extra > 0;
    const data = line.length > limits.maxEventChars ? line.slice(0, limits.maxEventChars) : line;
    target.event(++seq, '', 'message', data, time, cut ? line.length + extra : undefined);
  }

  return {
    get recordCount() {
      return seq;
    },
    feed(text, time) {
      let start = 0;
      let newline = text.indexOf('\n');
      while (newline !== -1) {
        const endsInOverflow = overflow > 0 && newline === start;
        lineRecord(pending + text.slice(start, newline), overflow, endsInOverflow, time);
        pending = '';
        overflow = 0;
        overflowEndsInCR = false;
        overflowHasContent = false;
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
      return taken();
    },
    flush(time) {
      lineRecord(pending, overflow, overflow > 0, time);
      pending = '';
      overflow = 0;
      overflowEndsInCR = false;
      overflowHasContent = false;
      return taken();
    },
  };
}
