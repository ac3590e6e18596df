/**
 * The raw text of a connection's chunks as display rows for a virtualised view: one row per line
 * (its terminator kept, shown as a symbol), long lines cut into rows of at most `ROW_CHARS`, and
 * where each chunk begins. Incremental: appending chunks rescans only the open last row.
 */
import type { StreamChunk } from '../src/model';

/** Characters a row shows at most; a longer line continues on the next row. */
export const ROW_CHARS = 200;

/** The text and its rows so far. */
export interface RawTextRows {
  /** All chunks' text, concatenated. */
  text: string;
  /** Offset in `text` where each row starts; a row ends where the next starts (the last at the end). */
  rowStarts: number[];
  /** Offset in `text` where each chunk starts, and the chunk's seq and time. */
  chunkStarts: number[];
  chunkSeqs: number[];
  /** How many chunks were appended (by position). */
  chunkCount: number;
}

export function emptyRawTextRows(): RawTextRows {
  return { text: '', rowStarts: [], chunkStarts: [], chunkSeqs: [], chunkCount: 0 };
}

/** Appends the chunks after the first `rows.chunkCount` of `chunks` (in place). */
export function appendChunks(rows: RawTextRows, chunks: readonly StreamChunk[]): void {
  if (chunks.length <= rows.chunkCount) return;
  const scanFrom = rows.rowStarts.length > 0 ? (rows.rowStarts.pop() as number) : 0;
  let text = rows.text;
  for (let i = rows.chunkCount; i < chunks.length; i++) {
    const chunk = chunks[i] as StreamChunk;
    rows.chunkStarts.push(text.length);
    rows.chunkSeqs.push(chunk.seq);
    text += chunk.text;
  }
  rows.text = text;
  rows.chunkCount = chunks.length;
  let start = scanFrom;
  const n = text.length;
  while (start < n) {
    rows.rowStarts.push(start);
    let end = start;
    const limit = Math.min(n, start + ROW_CHARS);
    while (end < limit) {
      const code = text.charCodeAt(end);
      if (code === 10) {
        end++;
        break;
      }
      if (code === 13) {
        end += text.charCodeAt(end + 1) === 10 ? 2 : 1;
        break;
      }
      end++;
    }
    // The last row stays open (rescanned when more text comes) until it has a LF or is full: a CR
    // at the end may be the first half of a CRLF.
    if (end === n && text.charCodeAt(n - 1) !== 10 && end - start < ROW_CHARS) break;
    start = end;
  }
}

/** The row's text, from its start to the next row's (or the end). */
export function rowText(rows: RawTextRows, index: number): { start: number; end: number; text: string } {
  const start = rows.rowStarts[index] ?? 0;
  const end = rows.rowStarts[index + 1] ?? rows.text.length;
  return { start, end, text: rows.text.slice(start, end) };
}

/** Index of the first chunk starting at or after `offset` (binary search). */
function firstChunkAtOrAfter(rows: RawTextRows, offset: number): number {
  let low = 0;
  let high = rows.chunkStarts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((rows.chunkStarts[mid] as number) < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The chunks (by index) that start within [start, end). */
export function chunksStartingIn(rows: RawTextRows, start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = firstChunkAtOrAfter(rows, start); i < rows.chunkStarts.length; i++) {
    if ((rows.chunkStarts[i] as number) >= end) break;
    out.push(i);
  }
  return out;
}

/** The row a chunk starts in. */
export function rowOfChunk(rows: RawTextRows, chunkIndex: number): number {
  const offset = rows.chunkStarts[chunkIndex] ?? 0;
  let low = 0;
  let high = rows.rowStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((rows.rowStarts[mid] as number) <= offset) low = mid;
    else high = mid - 1;
  }
  return Math.max(0, low);
}

/** A piece of a row: text as is, or a character the parser acts on but a person cannot see. */
export interface RawPiece {
  text: string;
  /** Set for a line terminator, a BOM or NUL: `text` is then its escape (`\\r\\n`, `\\uFEFF`, `\\0`). */
  escape: boolean;
}

const INVISIBLE = /\r\n|\r|\n|\ufeff|\0/g;
const ESCAPES: Record<string, string> = {
  '\r\n': '\\r\\n',
  '\r': '\\r',
  '\n': '\\n',
  '\ufeff': '\\uFEFF',
  '\0': '\\0',
};

/** The text with line terminators, BOM and NUL as escapes, so that what the parser reads is visible. */
export function visibleParts(text: string): RawPiece[] {
  const pieces: RawPiece[] = [];
  let at = 0;
  for (const match of text.matchAll(INVISIBLE)) {
    if (match.index > at) pieces.push({ text: text.slice(at, match.index), escape: false });
    pieces.push({ text: ESCAPES[match[0]] ?? match[0], escape: true });
    at = match.index + match[0].length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), escape: false });
  return pieces;
}
