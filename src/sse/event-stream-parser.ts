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
 * first. A sink must not feed the parser it is called from, nor read its `recordCount` (brought up to
 * date when `feed` returns).
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

/**
 * Collects what a parser completes as `StreamRecord`s; `take` returns them and starts anew. A class,
 * so every collector shares its methods: a parser's call to `event` has the one target whichever
 * collector it was made with, and stays inlined from one stream to the next.
 */
class RecordCollector implements RecordSink {
  private out: StreamRecord[] = [];
  private count = 0;
  /** Slots a batch's array is made with: as many as the last batch took (16 to 4096). */
  private capacity = 16;

  /**
   * Each batch's array is made at once with as many slots as the last batch took (chunks of a
   * stream tend to hold alike numbers of records) and filled by index; grown one push at a time, a
   * batch of 650 records was copied eight times into ever larger arrays, some 17 % of the bytes the
   * parse allocated. Made as a literal `[]` instead, an array of small integers, the first object
   * stored would also cost a deoptimisation in optimised code, after which every push is a call.
   */
  private keep(record: StreamRecord): void {
    if (this.count === 0) this.out = new Array<StreamRecord>(this.capacity);
    this.out[this.count++] = record;
  }

  event(
    seq: number,
    id: string,
    type: string,
    data: string,
    time: number,
    truncatedFrom: number | undefined,
  ): void {
    const record: StreamRecord = { seq, kind: 'event', id, type, data, time };
    if (truncatedFrom !== undefined) record.truncatedFrom = truncatedFrom;
    this.keep(record);
  }

  comment(seq: number, id: string, data: string, time: number, truncatedFrom: number | undefined): void {
    const record: StreamRecord = { seq, kind: 'comment', id, type: '', data, time };
    if (truncatedFrom !== undefined) record.truncatedFrom = truncatedFrom;
    this.keep(record);
  }

  retry(seq: number, id: string, data: string, time: number, retry: number | undefined): void {
    const record: StreamRecord = { seq, kind: 'retry', id, type: '', data, time };
    if (retry !== undefined) record.retry = retry;
    this.keep(record);
  }

  take(): StreamRecord[] {
    const n = this.count;
    if (n === 0) return [];
    const records = this.out;
    if (n < records.length) records.length = n;
    this.capacity = Math.max(16, Math.min(n, 4096));
    this.out = [];
    this.count = 0;
    return records;
  }
}

export function createRecordCollector(): RecordSink & { take(): StreamRecord[] } {
  return new RecordCollector();
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
  return new Parser(limits, sink);
}

/**
 * The parser's state and steps, as a class: its methods are shared by every parser, so the calls
 * between them (and to the collector) have one target across streams and stay inlined.
 */
class Parser implements EventStreamParser {
  private readonly maxEventChars: number;
  private readonly maxLineChars: number;
  private readonly collector: RecordCollector | null;
  private readonly target: RecordSink;
  // Spec state.
  private lastEventIdBuffer = '';
  private lastEventId = '';
  private eventType = '';
  private data = '';
  private hasData = false;
  private dataLength = 0; // length the data buffer would have without truncation
  // Line assembly across chunks.
  private pending = '';
  private pendingOverflow = 0; // characters of the current line dropped beyond maxLineChars
  private skipLeadingLF = false; // previous chunk ended in CR: a LF starting this one belongs to it
  // In the chunk being fed, the first NUL at or after where it was last searched from; -1: none
  // there; -2: not searched yet.
  private nextNUL = -2;
  private seq = 0;
  private now = 0;

  constructor(limits: ParserLimits, sink: RecordSink | undefined) {
    this.maxEventChars = limits.maxEventChars;
    this.maxLineChars = limits.maxEventChars + 16;
    this.collector = sink ? null : new RecordCollector();
    this.target = sink ?? (this.collector as RecordSink);
  }

  get recordCount(): number {
    return this.seq;
  }

  private dispatch(): void {
    this.lastEventId = this.lastEventIdBuffer;
    if (!this.hasData) {
      this.eventType = '';
      return;
    }
    const data = this.data;
    const truncatedFrom = this.dataLength > data.length ? this.dataLength : undefined;
    this.target.event(
      ++this.seq,
      this.lastEventId,
      this.eventType || 'message',
      data,
      this.now,
      truncatedFrom,
    );
    this.data = '';
    this.hasData = false;
    this.dataLength = 0;
    this.eventType = '';
  }

  private appendData(value: string, lineOverflow: number): void {
    const addLength = (this.hasData ? 1 : 0) + value.length + lineOverflow;
    const room = this.maxEventChars - this.data.length;
    const piece = this.hasData ? `\n${value}` : value;
    if (room > 0) this.data += piece.length <= room ? piece : piece.slice(0, room);
    this.dataLength += addLength;
    this.hasData = true;
  }

  /**
   * One line: `text` from `start` to `end` (exclusive, without its line ending), of which `overflow`
   * further characters were dropped. Works in place: no string per line or per field name, and no
   * search for the colon.
   */
  private processLine(text: string, start: number, end: number, overflow: number): void {
    if (end === start) {
      this.dispatch();
      return;
    }
    if (text.charCodeAt(start) === COLON) {
      const valueStart = text.charCodeAt(start + 1) === SPACE && start + 1 < end ? start + 2 : start + 1;
      const comment = text.slice(valueStart, end);
      // Same per-record limit as event data, so a cut comment says so.
      const cut = comment.length + overflow > this.maxEventChars;
      const kept = cut ? comment.slice(0, this.maxEventChars) : comment;
      this.target.comment(
        ++this.seq,
        this.lastEventId,
        kept,
        this.now,
        cut ? comment.length + overflow : undefined,
      );
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
        this.appendData(value, overflow);
        break;
      case EVENT:
        this.eventType = value;
        break;
      case ID:
        if (!value.includes('\0')) this.lastEventIdBuffer = value;
        break;
      case RETRY:
        // With overflow, the end of the value was dropped unseen: it may not be all digits.
        // A value too large for a number (over 308 digits) is still shown, as text, with no
        // `retry` number: Infinity is not a valid record field and would cost the whole batch.
        if (overflow === 0 && value.length > 0 && /^[0-9]+$/.test(value)) {
          const retry = Number(value);
          this.target.retry(
            ++this.seq,
            this.lastEventId,
            value,
            this.now,
            retry < Infinity ? retry : undefined,
          );
        }
        break;
    }
  }

  /** The line from `start` to `end` of `text`, with what an earlier chunk left of it. */
  private takeLine(text: string, start: number, end: number): void {
    let overflow = this.pendingOverflow;
    const maxLineChars = this.maxLineChars;
    if (this.pending.length > 0 || overflow > 0) {
      const line = this.pending + text.slice(start, end);
      this.pending = '';
      this.pendingOverflow = 0;
      let lineEnd = line.length;
      if (lineEnd > maxLineChars) {
        overflow += lineEnd - maxLineChars;
        lineEnd = maxLineChars;
      }
      this.processLine(line, 0, lineEnd, overflow);
      return;
    }
    let lineEnd = end;
    if (lineEnd - start > maxLineChars) {
      overflow += lineEnd - start - maxLineChars;
      lineEnd = start + maxLineChars;
    }
    this.processLine(text, start, lineEnd, overflow);
  }

  /**
   * The lines from `start` that end in LF before `limit` (where the next CR is, or the chunk's end),
   * with nothing pending from an earlier chunk. Returns where the first line not taken starts (a line
   * with no LF before `limit`). A data line followed by a blank line with no data before it (the usual
   * event) is dispatched at once: its data is the line's value, so no buffer is built. An `id:` line
   * is read in place; whether it holds a NUL is told by the chunk's next NUL, searched for once per
   * chunk (and again only past a NUL), not once per line. The parser's state the loop changes (the
   * last event ID buffer and string, the event type, the record count) is kept in locals meanwhile
   * and written back before any other step reads it: the parser is long-lived, so a store of a new
   * string to it costs a write barrier, twice per event. Character codes are written as numbers here:
   * a module constant is loaded and checked at each use in optimised code.
   */
  private takeLinesEndingInLF(text: string, start: number, limit: number): number {
    const maxLineChars = this.maxLineChars;
    const maxEventChars = this.maxEventChars;
    const target = this.target;
    const now = this.now;
    let idBuffer = this.lastEventIdBuffer;
    let id = this.lastEventId;
    let type = this.eventType;
    let seq = this.seq;
    let hasData = this.hasData;
    while (start < limit) {
      const c0 = text.charCodeAt(start);
      let lf: number;
      if (c0 === 105 && text.charCodeAt(start + 1) === 100 && text.charCodeAt(start + 2) === 58) {
        // A space after the colon is inside the line (it is neither LF nor CR).
        const valueStart = text.charCodeAt(start + 3) === 32 ? start + 4 : start + 3;
        lf = text.indexOf('\n', valueStart);
        if (lf === -1 || lf >= limit) break;
        if (lf - start <= maxLineChars) {
          let nul = this.nextNUL;
          if (nul !== -1 && nul < start) this.nextNUL = nul = text.indexOf('\0', start);
          if (nul === -1 || nul > lf) idBuffer = text.slice(valueStart, lf);
          start = lf + 1;
          continue;
        }
      } else if (c0 === 10) {
        if (!hasData) {
          // Dispatch with no data: the last event ID is set, the event type reset, nothing emitted.
          id = idBuffer;
          type = '';
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
          text.charCodeAt(lf + 1) === 10 &&
          text.charCodeAt(start + 1) === 97 &&
          text.charCodeAt(start + 2) === 116 &&
          text.charCodeAt(start + 3) === 97 &&
          text.charCodeAt(start + 4) === 58
        ) {
          const valueStart = text.charCodeAt(start + 5) === 32 ? start + 6 : start + 5;
          if (lf - valueStart <= maxEventChars) {
            id = idBuffer;
            target.event(++seq, id, type || 'message', text.slice(valueStart, lf), now, undefined);
            type = '';
            start = lf + 2;
            continue;
          }
        }
      }
      // Any other line: the general steps, on the parser's state.
      this.lastEventIdBuffer = idBuffer;
      this.lastEventId = id;
      this.eventType = type;
      this.seq = seq;
      this.takeLine(text, start, lf);
      idBuffer = this.lastEventIdBuffer;
      id = this.lastEventId;
      type = this.eventType;
      seq = this.seq;
      hasData = this.hasData;
      start = lf + 1;
    }
    this.lastEventIdBuffer = idBuffer;
    this.lastEventId = id;
    this.eventType = type;
    this.seq = seq;
    return start;
  }

  private keepRest(text: string, start: number): void {
    if (start >= text.length) return;
    const room = this.maxLineChars - this.pending.length;
    const rest = text.length - start;
    if (rest <= room) {
      this.pending += start === 0 ? text : text.slice(start);
    } else {
      if (room > 0) this.pending += text.slice(start, start + room);
      this.pendingOverflow += rest - Math.max(room, 0);
    }
  }

  feed(text: string, time: number): StreamRecord[] {
    this.now = time;
    this.nextNUL = -2;
    let start = 0;
    const n = text.length;
    if (this.skipLeadingLF && n > 0) {
      this.skipLeadingLF = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    // Cache the searches so a chunk without CR is scanned for CR once, not once per line.
    let nextLF = text.indexOf('\n', start);
    let nextCR = text.indexOf('\r', start);
    while (start < n) {
      if (nextLF !== -1 && nextLF < start) nextLF = text.indexOf('\n', start);
      if (nextCR !== -1 && nextCR < start) nextCR = text.indexOf('\r', start);
      if (
        this.pending.length === 0 &&
        this.pendingOverflow === 0 &&
        nextLF !== -1 &&
        (nextCR === -1 || nextLF < nextCR)
      ) {
        start = this.takeLinesEndingInLF(text, start, nextCR === -1 ? n : nextCR);
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
      this.takeLine(text, start, end);
      if (text.charCodeAt(end) === CR) {
        if (end + 1 === n) {
          this.skipLeadingLF = true;
          start = n;
          break;
        }
        start = text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
    }
    this.keepRest(text, start);
    return this.collector ? this.collector.take() : [];
  }
}
