import { describe, expect, it } from 'vitest';
import {
  appendChunks,
  chunksStartingIn,
  emptyRawTextRows,
  ROW_CHARS,
  rowOfChunk,
  rowText,
  visibleParts,
} from './raw-text-rows';

const chunks = (...texts: string[]) => texts.map((text, i) => ({ seq: i + 1, time: i, text }));
const texts = (rows: ReturnType<typeof emptyRawTextRows>) =>
  rows.rowStarts.map((_, i) => rowText(rows, i).text);

describe('raw text rows', () => {
  it('one row per line with its terminator, whatever the chunks', () => {
    const rows = emptyRawTextRows();
    appendChunks(rows, chunks('data: a\r\n\r\nda', 'ta: b\n\ndata: c\rx'));
    expect(texts(rows)).toEqual(['data: a\r\n', '\r\n', 'data: b\n', '\n', 'data: c\r', 'x']);
  });

  it('grows incrementally to the same rows as at once', () => {
    const all = chunks('data: a\n', '\ndata: lo', 'ng\n', '\n', 'x'.repeat(ROW_CHARS + 5));
    const once = emptyRawTextRows();
    appendChunks(once, all);
    const step = emptyRawTextRows();
    for (let i = 1; i <= all.length; i++) appendChunks(step, all.slice(0, i));
    expect(step.rowStarts).toEqual(once.rowStarts);
    expect(texts(once).at(-2)?.length).toBe(ROW_CHARS);
  });

  it('places chunk boundaries in rows, and finds the row a chunk starts in', () => {
    const rows = emptyRawTextRows();
    appendChunks(rows, chunks('data: a\n\nda', 'ta: b\n\n'));
    expect(chunksStartingIn(rows, 0, 8)).toEqual([0]);
    expect(chunksStartingIn(rows, 9, 17)).toEqual([1]);
    expect(rowOfChunk(rows, 1)).toBe(2);
  });

  it('shows terminators, BOM and NUL as escapes', () => {
    expect(visibleParts('a\r\n\ufeffb\0\r')).toEqual([
      { text: 'a', escape: false },
      { text: '\\r\\n', escape: true },
      { text: '\\uFEFF', escape: true },
      { text: 'b', escape: false },
      { text: '\\0', escape: true },
      { text: '\\r', escape: true },
    ]);
  });
});

describe('raw text rows across a CRLF split between chunks', () => {
  it('keeps the CR and its LF in one row', () => {
    const rows = emptyRawTextRows();
    const all = chunks('data: a\r', '\n\r\n');
    appendChunks(rows, all.slice(0, 1));
    appendChunks(rows, all);
    expect(texts(rows)).toEqual(['data: a\r\n', '\r\n']);
  });
});
