import { describe, expect, it } from 'vitest';
import { createStreamTap } from '../sse/stream-tap';
import { createRandom, splitRandomly } from '../sse/test-support';
import { chunkIndexOfRecord, recordsOf, scanChunks } from './chunk-scan';
import { chunksOf as chunksOfList } from './test-support';

const chunksOf = (...texts: string[]) => chunksOfList(texts);

describe('scanChunks: which records each chunk completed', () => {
  it('maps events, comments and retry to the chunk whose line terminator completed them', () => {
    const scan = scanChunks('sse', chunksOf('data: a\n\ndata: b\n', '\n: ping\nretry: 10', '00\n\n'));
    expect(scan.chunks.map(recordsOf)).toEqual([[1], [2, 3], [4]]);
    expect(scan.chunks.map((c) => c.events)).toEqual([1, 1, 0]);
    expect([1, 2, 3, 4, 5].map((seq) => chunkIndexOfRecord(scan, seq))).toEqual([0, 1, 1, 2, -1]);
  });

  it('says which records were split across chunks and which chunks ended inside one', () => {
    const scan = scanChunks('sse', chunksOf('data: one\n\nda', 'ta: two\n', '\n', ': x\n\n'));
    expect(scan.chunks.map((c) => c.split)).toEqual([[], [], [2], []]);
    expect(scan.chunks.map((c) => c.endsInside)).toEqual([true, true, false, false]);
    // The second and third chunks completed no record.
    expect(scan.chunks.map((c) => c.records)).toEqual([1, 0, 1, 1]);
    expect([1, 2, 3].map((seq) => chunkIndexOfRecord(scan, seq))).toEqual([0, 2, 3]);
  });

  it('counts bytes as UTF-8', () => {
    expect(scanChunks('sse', chunksOf('data: é\n\n')).chunks[0]?.bytes).toBe(10);
  });

  it('gives the records the relay’s tap gives, under any split (same seqs, same order)', () => {
    const text = 'id: 1\ndata: a\r\n\r: c\rdata: b\ndata: c\n\nretry: 5\n\nevent: x\ndata: {"k":1}\n\n';
    const bytes = new TextEncoder().encode(text);
    for (let seed = 1; seed <= 30; seed++) {
      const pieces = splitRandomly(bytes, createRandom(seed));
      const decoder = new TextDecoder();
      const chunks = pieces.map((piece, i) => ({
        seq: i + 1,
        time: i,
        text: decoder.decode(piece, { stream: true }),
      }));
      const tap = createStreamTap('sse');
      const expected = pieces.flatMap((piece, i) => tap.push(piece, i));
      const scan = scanChunks('sse', chunks);
      const mapped = scan.chunks.flatMap(recordsOf);
      expect(mapped, `seed ${seed}`).toEqual(expected.map((r) => r.seq));
      for (const record of expected)
        expect(chunkIndexOfRecord(scan, record.seq), `seed ${seed}`).toBe(record.time);
    }
  });

  it('maps NDJSON lines, and the last line without newline to the last chunk on a normal end', () => {
    const scan = scanChunks('ndjson', chunksOf('{"a":1}\n{"b"', ':2}\n{"c":3}'), { completed: true });
    expect(scan.chunks.map(recordsOf)).toEqual([[1], [2, 3]]);
    expect(scan.chunks[1]?.split).toEqual([2]);
  });
});

describe('scanChunks: line-level facts', () => {
  it('counts line endings, a CRLF split across chunks included', () => {
    const scan = scanChunks('sse', chunksOf('data: a\r', '\n\r\ndata: b\n\n', 'data: c\r\r'));
    expect(scan.lineEndings).toMatchObject({ lf: 2, crlf: 2, cr: 2 });
    expect(scan.lineEndings.firstCr).toEqual({ chunkSeq: 3, line: 5 });
  });

  it('finds a BOM at a line start inside the stream, not one at the very start', () => {
    expect(scanChunks('sse', chunksOf('\ufeffdata: a\n\n')).bomLines).toBe(0);
    const scan = scanChunks('sse', chunksOf('data: a\n\n', '\ufeffdata: b\n\n'));
    expect(scan.bomLines).toBe(1);
    expect(scan.firstBom).toEqual({ chunkSeq: 2, line: 3 });
    expect(scan.unknownFields).toEqual([]);
  });

  it('lists unknown field names with their count and first line', () => {
    const scan = scanChunks('sse', chunksOf('date: 1\ndata: a\n\ndate: 2\nhello\n\n'));
    expect(scan.unknownFields).toEqual([
      { name: 'date', count: 2, first: { chunkSeq: 1, line: 1 }, example: 'date: 1' },
      { name: 'hello', count: 1, first: { chunkSeq: 1, line: 5 }, example: 'hello' },
    ]);
  });

  it('finds invalid retry values and ids with NUL', () => {
    const scan = scanChunks('sse', chunksOf('retry: 1s\nretry: 300\nid: a\0b\ndata: x\n\n'));
    expect(scan.invalidRetries).toEqual([{ value: '1s', place: { chunkSeq: 1, line: 1 } }]);
    expect(scan.nulIds).toBe(1);
  });

  it('finds the event a completed body ended inside, with or without its last line ending', () => {
    expect(scanChunks('sse', chunksOf('data: a\n\ndata: b\n'), { completed: true }).unterminated).toEqual({
      data: 'b',
      place: { chunkSeq: 1, line: 3 },
    });
    expect(
      scanChunks('sse', chunksOf('data: a\n\n', 'data: lost'), { completed: true }).unterminated?.data,
    ).toBe('lost');
    expect(scanChunks('sse', chunksOf('data: a\n\n'), { completed: true }).unterminated).toBeNull();
    // An id or a comment without data dispatches nothing, so nothing is lost.
    expect(scanChunks('sse', chunksOf('data: a\n\nid: 2\n'), { completed: true }).unterminated).toBeNull();
  });
});

describe('scanChunks after a hole (chunks not kept)', () => {
  it('starts a fresh parser at the next chunk and numbers on, as the panel’s parser does', () => {
    const chunks = [
      { seq: 1, time: 1, text: 'data: a\n\ndata: cut' },
      { seq: 3, time: 3, text: 'ff\n\ndata: b\n\n' },
    ];
    const scan = scanChunks('sse', chunks);
    // Chunk 3 begins mid-line: that line ("ff") is no field, then the empty line dispatches nothing.
    expect(scan.chunks.map(recordsOf)).toEqual([[1], [2]]);
    expect(scan.chunks[1]?.split).toEqual([]);
  });
});
