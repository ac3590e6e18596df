/**
 * What a connection's chunks say beyond its records: which records each chunk completed, which
 * records were split across chunks, and the line-level facts of the raw text that the parser reads
 * past without a trace (line endings, a BOM inside the stream, unknown fields, invalid `retry`, an
 * `id` with NUL, an event the stream ended inside). Pure and incremental: push the chunks as they
 * arrive, read `scan` any time.
 *
 * The records come from our own parser (src/sse/event-stream-parser.ts, ndjson-parser.ts) fed the
 * same text, so their `seq`s are those of the connection's records. It is fed one line at a time:
 * a record is completed by a line terminator, so each line knows which records it completed, and
 * feeding any split gives the same records.
 */
import type { StreamChunk, StreamFormat } from '../model';
import { createEventStreamParser, type EventStreamParser } from '../sse/event-stream-parser';
import { createNdjsonParser } from '../sse/ndjson-parser';
import { utf8Length } from '../sse/utf8-length';

/** A place in the raw text: the chunk it is in and its line (1-based, counted over the whole body). */
export interface TextPlace {
  chunkSeq: number;
  line: number;
}

/** One chunk and what it completed. */
export interface ChunkSummary {
  seq: number;
  time: number;
  /** UTF-8 bytes of the chunk's text (the body bytes it was, for a UTF-8 body). */
  bytes: number;
  /**
   * `seq` the first record (event, comment, retry) this chunk completed has, or would have when it
   * completed none: records are numbered from 1 in order, so a chunk completes `firstRecord` to
   * `firstRecord + records - 1`.
   */
  firstRecord: number;
  /** How many records this chunk completed. */
  records: number;
  /** How many of those are events. */
  events: number;
  /** `seq` of the records completed here whose text began in an earlier chunk. */
  split: number[];
  /** The chunk ended inside a record (a line or an event block not yet complete). */
  endsInside: boolean;
}

/** A field line whose name the event-stream format does not know; the parser ignores the line. */
export interface UnknownField {
  name: string;
  count: number;
  first: TextPlace;
  /** The first such line, cut to a readable length. */
  example: string;
}

/** A `retry:` value that is not all ASCII digits: the parser ignores it. */
export interface InvalidRetry {
  value: string;
  place: TextPlace;
}

/** Counts and first places of the line terminators seen. */
export interface LineEndings {
  lf: number;
  crlf: number;
  cr: number;
  firstLf: TextPlace | null;
  firstCrlf: TextPlace | null;
  firstCr: TextPlace | null;
}

/** An event the body ended inside: it had data but no blank line after it. */
export interface UnterminatedEvent {
  /** The start of its data, cut to a readable length. */
  data: string;
  place: TextPlace;
}

/** Everything the scan found so far. */
export interface ChunkScan {
  format: StreamFormat;
  chunks: ChunkSummary[];
  /** Lines seen so far (complete ones). */
  lines: number;
  lineEndings: LineEndings;
  /** Lines beginning with U+FEFF anywhere but at the very start of the body: their field is lost. */
  bomLines: number;
  firstBom: TextPlace | null;
  unknownFields: UnknownField[];
  invalidRetries: InvalidRetry[];
  /** `id:` lines whose value contains NUL: the parser ignores them (the last event ID does not change). */
  nulIds: number;
  firstNulId: TextPlace | null;
  /** Set by `end` when the body completed inside an event that had data. */
  unterminated: UnterminatedEvent | null;
  /** Whether `end` was called. */
  ended: boolean;
}

/** Feeds a connection's chunks to the scan, in order; chunks at or below the last `seq` are skipped. */
export interface ChunkScanner {
  push(chunks: readonly StreamChunk[]): void;
  /** The body ended; `completed`: it ended normally (not cancelled, aborted or cut). */
  end(completed: boolean): void;
  readonly scan: ChunkScan;
}

const LF = 10;
const CR = 13;
const BOM = 0xfeff;
/** How much of a line is kept to analyse it: a field name, an id or a retry value fits many times. */
const LINE_HEAD_CHARS = 1024;
/** How much of a line an example shows. */
const EXAMPLE_CHARS = 120;
/** Unknown field names and invalid retries listed at most (the rest are counted). */
const MAX_LISTED = 20;

const KNOWN_FIELDS = new Set(['data', 'event', 'id', 'retry']);

const cut = (text: string, max = EXAMPLE_CHARS): string =>
  text.length > max ? `${text.slice(0, max)}…` : text;

export function createChunkScanner(format: StreamFormat): ChunkScanner {
  const sse = format === 'sse';
  let ndjsonParser = sse ? null : createNdjsonParser();
  let parser: EventStreamParser = ndjsonParser ?? createEventStreamParser();
  // Records of the parsers before the last hole (chunks not kept): the panel's parser starts afresh
  // after one too (panel/chunk-parsers.ts), numbering on from there.
  let seqBase = 0;

  const scan: ChunkScan = {
    format,
    chunks: [],
    lines: 0,
    lineEndings: { lf: 0, crlf: 0, cr: 0, firstLf: null, firstCrlf: null, firstCr: null },
    bomLines: 0,
    firstBom: null,
    unknownFields: [],
    invalidRetries: [],
    nulIds: 0,
    firstNulId: null,
    unterminated: null,
    ended: false,
  };

  let lastSeq = 0;
  let recordCount = 0;
  let offset = 0; // characters of the body before the current chunk
  // The line being assembled: its first characters, whether any part has NUL, where it began.
  let head = '';
  let lineLength = 0;
  let lineHasNul = false;
  let lineStartChunk = -1;
  let lineStartOffset = 0;
  // The last line ended in CR at the end of a chunk: a LF starting the next chunk makes it CRLF.
  let lastLineCrAtChunkEnd = false;
  // The open event block: where its first field line began, and the start of its data.
  let blockStartChunk = -1;
  let blockData: string | null = null;
  let blockDataPlace: TextPlace | null = null;

  const place = (chunkIndex: number, line: number): TextPlace => ({
    chunkSeq: scan.chunks[chunkIndex]?.seq ?? 0,
    line,
  });

  function countEnding(kind: 'lf' | 'crlf' | 'cr', chunkIndex: number, line: number): void {
    const endings = scan.lineEndings;
    endings[kind]++;
    if (kind === 'lf') endings.firstLf ??= place(chunkIndex, line);
    else if (kind === 'crlf') endings.firstCrlf ??= place(chunkIndex, line);
    else endings.firstCr ??= place(chunkIndex, line);
  }

  function attribute(records: readonly { seq: number; kind: string }[], chunkIndex: number, began: number) {
    const chunk = scan.chunks[chunkIndex];
    if (!chunk) return;
    recordCount += records.length;
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as { seq: number; kind: string };
      chunk.records++;
      if (record.kind === 'event') chunk.events++;
      // An event began with its block; a comment or retry with its own line.
      const start = record.kind === 'event' && sse ? blockStartChunk : began;
      if (start !== -1 && start < chunkIndex) chunk.split.push(seqBase + record.seq);
    }
  }

  /** A complete line (its head) that began in `lineStartChunk`, seen in chunk `chunkIndex`. */
  function analyseLine(chunkIndex: number, records: readonly { seq: number; kind: string }[]): void {
    scan.lines++;
    const line = scan.lines;
    const startChunk = lineStartChunk;
    if (sse) {
      if (lineLength === 0) {
        attribute(records, chunkIndex, startChunk);
        blockStartChunk = -1;
        blockData = null;
        blockDataPlace = null;
      } else {
        const colon = head.indexOf(':');
        if (colon !== 0 && blockStartChunk === -1) blockStartChunk = startChunk;
        attribute(records, chunkIndex, startChunk);
        if (head.charCodeAt(0) === BOM && lineStartOffset > 0) {
          scan.bomLines++;
          scan.firstBom ??= place(startChunk, line);
        } else if (colon !== 0) {
          const name = colon === -1 ? head : head.slice(0, colon);
          let value = colon === -1 ? '' : head.slice(colon + 1);
          if (value.charCodeAt(0) === 32) value = value.slice(1);
          if (name === 'data') {
            if (blockData === null) {
              blockData = cut(value);
              blockDataPlace = place(startChunk, line);
            }
          } else if (name === 'id') {
            if (lineHasNul) {
              scan.nulIds++;
              scan.firstNulId ??= place(startChunk, line);
            }
          } else if (name === 'retry') {
            if (!/^[0-9]+$/.test(value)) {
              if (scan.invalidRetries.length < MAX_LISTED)
                scan.invalidRetries.push({ value: cut(value, 40), place: place(startChunk, line) });
            }
          } else if (!KNOWN_FIELDS.has(name)) {
            const known = scan.unknownFields.find((field) => field.name === name);
            if (known) known.count++;
            else if (scan.unknownFields.length < MAX_LISTED)
              scan.unknownFields.push({
                name: cut(name, 40),
                count: 1,
                first: place(startChunk, line),
                example: cut(head),
              });
          }
        }
      }
    } else {
      attribute(records, chunkIndex, startChunk);
    }
    head = '';
    lineLength = 0;
    lineHasNul = false;
    lineStartChunk = -1;
  }

  // Where the current chunk's next NUL is (-1: none), so a chunk is searched for NUL once, not per line.
  let nextNul = -1;

  function takePiece(text: string, from: number, to: number, chunkIndex: number): void {
    if (lineStartChunk === -1) {
      lineStartChunk = chunkIndex;
      lineStartOffset = offset + from;
    }
    if (to <= from) return;
    if (head.length < LINE_HEAD_CHARS)
      head += text.slice(from, Math.min(to, from + LINE_HEAD_CHARS - head.length));
    lineLength += to - from;
    if (nextNul !== -1 && nextNul < from) nextNul = text.indexOf('\0', from);
    if (nextNul !== -1 && nextNul < to) lineHasNul = true;
  }

  function pushChunk(chunk: StreamChunk): void {
    const index = scan.chunks.length;
    scan.chunks.push({
      seq: chunk.seq,
      time: chunk.time,
      bytes: utf8Length(chunk.text),
      firstRecord: recordCount + 1,
      records: 0,
      events: 0,
      split: [],
      endsInside: false,
    });
    const text = chunk.text;
    const n = text.length;
    nextNul = text.indexOf('\0');
    let start = 0;
    if (lastLineCrAtChunkEnd && n > 0) {
      lastLineCrAtChunkEnd = false;
      if (sse && text.charCodeAt(0) === LF) {
        // The CR that ended the previous chunk's last line and this LF are one CRLF.
        const endings = scan.lineEndings;
        endings.cr--;
        if (endings.cr === 0) endings.firstCr = null;
        countEnding('crlf', index, scan.lines);
        parser.feed('\n', chunk.time);
        start = 1;
      }
    }
    // Searches cached, so a chunk without CR is searched for CR once, not once per line.
    let nextLf = text.indexOf('\n', start);
    let nextCr = sse ? text.indexOf('\r', start) : -1;
    while (start < n) {
      if (nextLf !== -1 && nextLf < start) nextLf = text.indexOf('\n', start);
      if (nextCr !== -1 && nextCr < start) nextCr = text.indexOf('\r', start);
      let end = nextLf;
      if (nextCr !== -1 && (nextLf === -1 || nextCr < nextLf)) end = nextCr;
      if (end === -1) break;
      let next = end + 1;
      let ending: 'lf' | 'crlf' | 'cr' = 'lf';
      if (text.charCodeAt(end) === CR) {
        if (text.charCodeAt(end + 1) === LF) {
          ending = 'crlf';
          next = end + 2;
        } else {
          ending = 'cr';
          if (end + 1 === n) lastLineCrAtChunkEnd = true;
        }
      }
      takePiece(text, start, end, index);
      const records = parser.feed(text.slice(start, next), chunk.time);
      if (sse) countEnding(ending, index, scan.lines + 1);
      analyseLine(index, records);
      start = next;
    }
    if (start < n) {
      takePiece(text, start, n, index);
      parser.feed(start === 0 ? text : text.slice(start), chunk.time);
    }
    const summary = scan.chunks[index];
    if (summary) summary.endsInside = lineStartChunk !== -1 || blockStartChunk !== -1;
    offset += n;
  }

  /** After a hole, a fresh parser and line state: nothing is made of text from both sides of it. */
  function restart(): void {
    seqBase = recordCount;
    ndjsonParser = sse ? null : createNdjsonParser();
    parser = ndjsonParser ?? createEventStreamParser();
    head = '';
    lineLength = 0;
    lineHasNul = false;
    lineStartChunk = -1;
    lastLineCrAtChunkEnd = false;
    blockStartChunk = -1;
    blockData = null;
    blockDataPlace = null;
  }

  return {
    scan,
    push(chunks) {
      for (const chunk of chunks) {
        if (chunk.seq <= lastSeq || scan.ended) continue;
        if (lastSeq > 0 && chunk.seq !== lastSeq + 1) restart();
        lastSeq = chunk.seq;
        pushChunk(chunk);
      }
    },
    end(completed) {
      if (scan.ended) return;
      scan.ended = true;
      if (!completed) return;
      const lastIndex = scan.chunks.length - 1;
      if (ndjsonParser) {
        // The tap flushes a last line without newline on a normal end (stream-tap.ts).
        const time = scan.chunks[lastIndex]?.time ?? 0;
        attribute(ndjsonParser.flush(time), lastIndex, lineStartChunk);
        return;
      }
      // A last line without terminator holds a field too: the event it belongs to is as lost.
      if (lineStartChunk !== -1) {
        const colon = head.indexOf(':');
        const name = colon === -1 ? head : head.slice(0, colon);
        if (name === 'data' && blockData === null) {
          let value = colon === -1 ? '' : head.slice(colon + 1);
          if (value.charCodeAt(0) === 32) value = value.slice(1);
          blockData = cut(value);
          blockDataPlace = place(lineStartChunk, scan.lines + 1);
        }
      }
      if (blockData !== null && blockDataPlace)
        scan.unterminated = { data: blockData, place: blockDataPlace };
    },
  };
}

/** `seq`s of the records a chunk completed. */
export function recordsOf(chunk: ChunkSummary): number[] {
  return Array.from({ length: chunk.records }, (_, i) => chunk.firstRecord + i);
}

/** Index (into `scan.chunks`) of the chunk that completed record `seq`, or -1 (binary search). */
export function chunkIndexOfRecord(scan: ChunkScan, seq: number): number {
  // The last chunk whose first record is at or before `seq`.
  let low = 0;
  let high = scan.chunks.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((scan.chunks[mid] as ChunkSummary).firstRecord <= seq) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  const chunk = scan.chunks[found];
  return chunk && seq < chunk.firstRecord + chunk.records ? found : -1;
}

/** Scans a whole connection's chunks at once. */
export function scanChunks(
  format: StreamFormat,
  chunks: readonly StreamChunk[],
  end?: { completed: boolean },
): ChunkScan {
  const scanner = createChunkScanner(format);
  scanner.push(chunks);
  if (end) scanner.end(end.completed);
  return scanner.scan;
}
