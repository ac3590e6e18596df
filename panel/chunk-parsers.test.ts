import { describe, expect, it } from 'vitest';
import { DEFAULT_PARSER_LIMITS } from '../src/limits';
import type { CaptureItem, WireItem } from '../src/protocol';
import { testInfo } from '../src/test-records';
import { ChunkParsers } from './chunk-parsers';

const start = (format: 'sse' | 'ndjson' = 'sse'): WireItem => ({
  type: 'connection-start',
  connection: testInfo('a', { format }),
});
const chunks = (firstSeq: number, ...texts: string[]): WireItem => ({
  type: 'chunks',
  connectionId: 'a',
  firstSeq,
  text: texts.join(''),
  length: texts.map((t) => t.length),
  time: texts.map((_, i) => 100 + firstSeq + i),
  bytes: 0,
});
const end = (bodyCompleted: boolean): WireItem => ({
  type: 'connection-end',
  connectionId: 'a',
  end: { state: 'completed', error: null, endedAt: 999 },
  bytes: 0,
  bodyCompleted,
});
const records = (items: CaptureItem[]) =>
  items.flatMap((i) => (i.type === 'records' ? i.records.map((r) => [r.seq, r.data, r.time]) : []));

describe('ChunkParsers', () => {
  it('parses chunks into records stamped with the read time of the chunk that completed each', () => {
    const parsers = new ChunkParsers(() => DEFAULT_PARSER_LIMITS);
    const out = parsers.toCaptureItems([start(), chunks(1, 'data: a\n', '\ndata: b\n\nda', 'ta: c\n\n')]);
    expect(records(out)).toEqual([
      [1, 'a', 102],
      [2, 'b', 102],
      [3, 'c', 103],
    ]);
    expect(out.find((i) => i.type === 'chunks')).toMatchObject({
      chunks: [{ seq: 1 }, { seq: 2 }, { seq: 3 }],
    });
  });

  it('feeds each chunk once: a snapshot replayed after a reconnect adds nothing', () => {
    const parsers = new ChunkParsers(() => DEFAULT_PARSER_LIMITS);
    parsers.toCaptureItems([start(), chunks(1, 'data: a\n\n')]);
    const again = parsers.toCaptureItems([start(), chunks(1, 'data: a\n\n', 'data: b\n\n')]);
    expect(records(again)).toEqual([[2, 'b', 102]]);
  });

  it('after a hole starts a fresh parser, so no event is made of text from both sides', () => {
    const parsers = new ChunkParsers(() => DEFAULT_PARSER_LIMITS);
    const out = parsers.toCaptureItems([
      start(),
      chunks(1, 'data: a\n\ndata: lo'),
      { type: 'chunks-not-kept', connectionId: 'a', lastSeq: 3, bytes: 0 },
      chunks(4, 'st\n\ndata: b\n\n'),
    ]);
    expect(records(out)).toEqual([
      [1, 'a', 101],
      [2, 'b', 104],
    ]);
  });

  it('completes a last NDJSON line only when the body was read to its end', () => {
    for (const [completed, expected] of [
      [true, ['{"a":1}', '{"b":2}']],
      [false, ['{"a":1}']],
    ] as const) {
      const parsers = new ChunkParsers(() => DEFAULT_PARSER_LIMITS);
      const out = parsers.toCaptureItems([start('ndjson'), chunks(1, '{"a":1}\n{"b":2}'), end(completed)]);
      expect(records(out).map(([, data]) => data)).toEqual(expected);
    }
  });

  it('cuts records to the limit it is given', () => {
    const parsers = new ChunkParsers(() => ({ maxEventChars: 3 }));
    const out = parsers.toCaptureItems([start(), chunks(1, 'data: abcdef\n\n')]);
    const record = out.flatMap((i) => (i.type === 'records' ? i.records : []))[0];
    expect(record).toMatchObject({ data: 'abc', truncatedFrom: 6 });
  });

  it('drops items that do not check out and chunks of connections it does not know', () => {
    const parsers = new ChunkParsers(() => DEFAULT_PARSER_LIMITS);
    expect(
      parsers.toCaptureItems([{ type: 'chunks', connectionId: 'a', text: 'x' }, chunks(1, 'data: a\n\n')]),
    ).toEqual([]);
  });
});
