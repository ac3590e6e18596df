/**
 * WHATWG `text/event-stream` interpretation, line by line, exactly as Chromium's native
 * `EventSource` dispatches (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation,
 * Chromium `event_source_parser.cc`).
 *
 * Why not `eventsource-parser` alone: it forgets an `id:` given in a block without `data:` (it resets
 * the id at every blank line), whereas the spec keeps the "last event ID buffer" and hands it to every
 * later event. Our own ~100 lines keep that rule, also surface comments and `retry:` as timeline
 * records, and bound every buffer a page controls. The unit tests check it against eventsource-parser
 * wherever the two are meant to agree.
 */
import { DEFAULT_PARSER_LIMITS, type ParserLimits } from '../limits';
import type { StreamRecord } from '../model';

// The limits live with every other bound on page-controlled data; re-exported for the parsers' users.
export { DEFAULT_PARSER_LIMITS, type ParserLimits };

/**
 * Where a parser puts each record it completes, in order, one method per kind, as fields: a sink may
 * keep them as objects (`createRecordCollector`) or in any other form, without a record object made
 * first.
 */
export interface RecordSink {
  /** A dispatched event (NDJSON: one line). `truncatedFrom`: its data was cut from that length. */
  event(
    seq: number,
    id: string,
    type: string,
    data: string,
    time: number,
    truncatedFrom: number | undefined,
  ): void;
  /** A `:` comment line. */
  comment(seq: number, id: string, text: string, time: number, truncatedFrom: number | undefined): void;
  /** A `retry:` field of digits; `retry` is its number, undefined when too large for one. */
  retry(seq: number, id: string, value: string, time: number, retry: number | undefined): void;
}

/** Collects what a parser completes as `StreamRecord`s; `take` returns them and starts anew. */
export function createRecordCollector(): RecordSink & { take(): StreamRecord[] } {
  let out: StreamRecord[] = [];
  return {
    event(seq, id, type, data, time, truncatedFrom) {
      const record: StreamRecord = { seq, kind: 'event', id, type, data, time };
      if (truncatedFrom !== undefined) record.truncatedFrom = truncatedFrom;
      out.push(record);
    },
    comment(seq, id, data, time, truncatedFrom) {
      const record: StreamRecord = { seq, kind: 'comment', id, type: '', data, time };
      if (truncatedFrom !== undefined) record.truncatedFrom = truncatedFrom;
      out.push(record);
    },
    retry(seq, id, data, time, retry) {
      const record: StreamRecord = { seq, kind: 'retry', id, type: '', data, time };
      if (retry !== undefined) record.retry = retry;
      out.push(record);
    },
    take() {
      const records = out;
      out = [];
      return records;
    },
  };
}

/** Turns decoded text into timeline records. Feed it text in any split; it never throws. */
export interface EventStreamParser {
  /**
   * Parses `text`, read by the page at `time`; returns the records it completed, or none when the
   * parser was made with a sink (they went there).
   */
  feed(text: string, time: number): StreamRecord[];
  /** Records emitted so far (the next record's `seq` is this plus one). */
  readonly recordCount: number;
}

const LF = 10;
const CR = 13;
const SPACE = 32;

// The fields the spec acts on, told apart by length and character codes (no string per field name).
const UNKNOWN = 0;
const DATA = 1;
const EVENT = 2;
const ID = 3;
const RETRY = 4;
type Field = typeof UNKNOWN | typeof DATA | typeof EVENT | typeof ID | typeof RETRY;

const COLON = 58;

/**
 * The length of the field name a line from `start` to `end` starts with, when it is one the spec acts
 * on (data, id, event, retry) and ends there (at the line's end or its first colon); 0 otherwise.
 * Told apart by character codes, without searching for the colon: a line of any other field is
 * ignored (spec), so where its colon is does not matter.
 */
function fieldLength(text: string, start: number, end: number, field: Field): number {
  const length = field === ID ? 2 : field === DATA ? 4 : 5;
  return start + length === end || text.charCodeAt(start + length) === COLON ? length : 0;
}

/** Which field a line from `start` to `end` names: data, id, event, retry, or unknown (char codes). */
function fieldOf(text: string, start: number, end: number): Field {
  const c0 = text.charCodeAt(start);
  let field: Field = UNKNOWN;
  if (c0 === 100) {
    if (
      text.charCodeAt(start + 1) === 97 &&
      text.charCodeAt(start + 2) === 116 &&
      text.charCodeAt(start + 3) === 97
    )
      field = DATA;
  } else if (c0 === 105) {
    if (text.charCodeAt(start + 1) === 100) field = ID;
  } else if (c0 === 101) {
    if (
      text.charCodeAt(start + 1) === 118 &&
      text.charCodeAt(start + 2) === 101 &&
      text.charCodeAt(start + 3) === 110 &&
      text.charCodeAt(start + 4) === 116
    )
      field = EVENT;
  } else if (c0 === 114) {
    if (
      text.charCodeAt(start + 1) === 101 &&
      text.charCodeAt(start + 2) === 116 &&
      text.charCodeAt(start + 3) === 114 &&
      text.charCodeAt(start + 4) === 121
    )
      field = RETRY;
  }
  return field !== UNKNOWN && fieldLength(text, start, end, field) > 0 ? field : UNKNOWN;
}

export function createEventStreamParser(
  limits: ParserLimits = DEFAULT_PARSER_LIMITS,
  sink?: RecordSink,
): EventStreamParser {
  const maxLineChars = limits.maxEventChars + 16;
  // Spec state.
  let lastEventIdBuffer = '';
  let lastEventId = '';
  let eventType = '';
  let data = '';
  let hasData = false;
  let dataLength = 0; // length the data buffer would have without truncation
  // Line assembly across chunks.
  let pending = '';
  let pendingOverflow = 0; // characters of the current line dropped beyond maxLineChars
  let skipLeadingLF = false; // previous chunk ended in CR: a LF starting this one belongs to it
  // In the chunk being fed, the first NUL at or after where it was last searched from; -1: none
  // there; -2: not searched yet.
  let nextNUL = -2;
  let seq = 0;
  let now = 0;
  const collector = sink ? null : createRecordCollector();
  const target = sink ?? (collector as RecordSink);

  function dispatch(): void {
    lastEventId = lastEventIdBuffer;
    if (!hasData) {
      eventType = '';
      return;
    }
    const truncatedFrom = dataLength > data.length ? dataLength : undefined;
    target.event(++seq, lastEventId, eventType || 'message', data, now, truncatedFrom);
    data = '';
    hasData = false;
    dataLength = 0;
    eventType = '';
  }

  function appendData(value: string, lineOverflow: number): void {
    const addLength = (hasData ? 1 : 0) + value.length + lineOverflow;
    const room = limits.maxEventChars - data.length;
    const piece = hasData ? `\n${value}` : value;
    if (room > 0) data += piece.length <= room ? piece : piece.slice(0, room);
    dataLength += addLength;
    hasData = true;
  }

  /**
   * One line: `text` from `start` to `end` (exclusive, without its line ending), of which `overflow`
   * further characters were dropped. Works in place: no string per line or per field name, and no
   * search for the colon.
   */
  function processLine(text: string, start: number, end: number, overflow: number): void {
    if (end === start) {
      dispatch();
      return;
    }
    if (text.charCodeAt(start) === COLON) {
      const valueStart = text.charCodeAt(start + 1) === SPACE && start + 1 < end ? start + 2 : start + 1;
      const comment = text.slice(valueStart, end);
      // Same per-record limit as event data, so a cut comment says so.
      const cut = comment.length + overflow > limits.maxEventChars;
      const kept = cut ? comment.slice(0, limits.maxEventChars) : comment;
      target.comment(++seq, lastEventId, kept, now, cut ? comment.length + overflow : undefined);
      return;
    }
    const field = fieldOf(text, start, end);
    if (field === UNKNOWN) return; // Unknown fields are ignored (spec).
    const fieldEnd = start + (field === ID ? 2 : field === DATA ? 4 : 5);
    let valueStart = end;
    if (fieldEnd < end)
      valueStart =
        text.charCodeAt(fieldEnd + 1) === SPACE && fieldEnd + 1 < end ? fieldEnd + 2 : fieldEnd + 1;
    const value = valueStart < end ? text.slice(valueStart, end) : '';
    switch (field) {
      case DATA:
        appendData(value, overflow);
        break;
      case EVENT:
        eventType = value;
        break;
      case ID:
        if (!value.includes('\0')) lastEventIdBuffer = value;
        break;
      case RETRY:
        // With overflow, the end of the value was dropped unseen: it may not be all digits.
        // A value too large for a number (over 308 digits) is still shown, as text, with no
        // `retry` number: Infinity is not a valid record field and would cost the whole batch.
        if (overflow === 0 && value.length > 0 && /^[0-9]+$/.test(value)) {
          const retry = Number(value);
          target.retry(++seq, lastEventId, value, now, retry < Infinity ? retry : undefined);
        }
        break;
    }
  }

  /** The line from `start` to `end` of `text`, with what an earlier chunk left of it. */
  function takeLine(text: string, start: number, end: number): void {
    let overflow = pendingOverflow;
    if (pending.length > 0 || overflow > 0) {
      const line = pending + text.slice(start, end);
      pending = '';
      pendingOverflow = 0;
      let lineEnd = line.length;
      if (lineEnd > maxLineChars) {
        overflow += lineEnd - maxLineChars;
        lineEnd = maxLineChars;
      }
      processLine(line, 0, lineEnd, overflow);
      return;
    }
    let lineEnd = end;
    if (lineEnd - start > maxLineChars) {
      overflow += lineEnd - start - maxLineChars;
      lineEnd = start + maxLineChars;
    }
    processLine(text, start, lineEnd, overflow);
  }

  /**
   * The lines from `start` that end in LF before `limit` (where the next CR is, or the chunk's end),
   * with nothing pending from an earlier chunk. Returns where the first line not taken starts (a line
   * with no LF before `limit`). A data line followed by a blank line with no data before it (the usual
   * event) is dispatched at once: its data is the line's value, so no buffer is built. An `id:` line
   * is read in place; whether it holds a NUL is told by the chunk's next NUL, searched for once per
   * chunk (and again only past a NUL), not once per line. The last event ID buffer and string are
   * kept in locals meanwhile, and written back before any other step reads them: the parser's state
   * is long-lived, so a store of a new string to it costs a write barrier, twice per event.
   */
  function takeLinesEndingInLF(text: string, start: number, limit: number): number {
    let idBuffer = lastEventIdBuffer;
    let id = lastEventId;
    while (start < limit) {
      const c0 = text.charCodeAt(start);
      let lf: number;
      if (c0 === 105 && text.charCodeAt(start + 1) === 100 && text.charCodeAt(start + 2) === COLON) {
        // A space after the colon is inside the line (it is neither LF nor CR).
        const valueStart = text.charCodeAt(start + 3) === SPACE ? start + 4 : start + 3;
        lf = text.indexOf('\n', valueStart);
        if (lf === -1 || lf >= limit) break;
        if (lf - start <= maxLineChars) {
          if (nextNUL !== -1 && nextNUL < start) nextNUL = text.indexOf('\0', start);
          if (nextNUL === -1 || nextNUL > lf) idBuffer = text.slice(valueStart, lf);
          start = lf + 1;
          continue;
        }
      } else if (c0 === LF) {
        if (!hasData) {
          // Dispatch with no data: the last event ID is set, the event type reset, nothing emitted.
          id = idBuffer;
          eventType = '';
          start++;
          continue;
        }
        lf = start;
      } else {
        lf = text.indexOf('\n', start);
        if (lf === -1 || lf >= limit) break;
        if (
          c0 === 100 &&
          !hasData &&
          text.charCodeAt(lf + 1) === LF &&
          text.charCodeAt(start + 1) === 97 &&
          text.charCodeAt(start + 2) === 116 &&
          text.charCodeAt(start + 3) === 97 &&
          text.charCodeAt(start + 4) === COLON &&
          lf - start <= maxLineChars
        ) {
          const valueStart = text.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5;
          if (lf - valueStart <= limits.maxEventChars) {
            id = idBuffer;
            target.event(++seq, id, eventType || 'message', text.slice(valueStart, lf), now, undefined);
            eventType = '';
            start = lf + 2;
            continue;
          }
        }
      }
      // Any other line: the general steps, on the parser's state.
      lastEventIdBuffer = idBuffer;
      lastEventId = id;
      takeLine(text, start, lf);
      idBuffer = lastEventIdBuffer;
      id = lastEventId;
      start = lf + 1;
    }
    lastEventIdBuffer = idBuffer;
    lastEventId = id;
    return start;
  }

  function keepRest(text: string, start: number): void {
    if (start >= text.length) return;
    const room = maxLineChars - pending.length;
    const rest = text.length - start;
    if (rest <= room) {
      pending += start === 0 ? text : text.slice(start);
    } else {
      if (room > 0) pending += text.slice(start, start + room);
      pendingOverflow += rest - Math.max(room, 0);
    }
  }

  return {
    get recordCount() {
      return seq;
    },
    feed(text: string, time: number): StreamRecord[] {
      now = time;
      nextNUL = -2;
      let start = 0;
      const n = text.length;
      if (skipLeadingLF && n > 0) {
        skipLeadingLF = false;
        if (text.charCodeAt(0) === LF) start = 1;
      }
      // Cache the searches so a chunk without CR is scanned for CR once, not once per line.
      let nextLF = text.indexOf('\n', start);
      let nextCR = text.indexOf('\r', start);
      while (start < n) {
        if (nextLF !== -1 && nextLF < start) nextLF = text.indexOf('\n', start);
        if (nextCR !== -1 && nextCR < start) nextCR = text.indexOf('\r', start);
        if (
          pending.length === 0 &&
          pendingOverflow === 0 &&
          nextLF !== -1 &&
          (nextCR === -1 || nextLF < nextCR)
        ) {
          start = takeLinesEndingInLF(text, start, nextCR === -1 ? n : nextCR);
          // What is left before the next CR (or of the chunk) has no LF: the line ends at that CR.
          if (start >= n || nextCR === -1) break;
          nextLF = text.indexOf('\n', start);
          continue;
        }
        let end: number;
        if (nextCR === -1) end = nextLF;
        else if (nextLF === -1) end = nextCR;
        else end = Math.min(nextCR, nextLF);
        if (end === -1) break;
        takeLine(text, start, end);
        if (text.charCodeAt(end) === CR) {
          if (end + 1 === n) {
            skipLeadingLF = true;
            start = n;
            break;
          }
          start = text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
        } else {
          start = end + 1;
        }
      }
      keepRest(text, start);
      return collector ? collector.take() : [];
    },
  };
}
