/**
 * Bounds a page cannot break: per-event data is cut to `maxEventChars` with the full length kept
 * in `truncatedFrom`, and a line that never ends does not make the parser hold it.
 */
import { describe, expect, it } from 'vitest';
import { createEventStreamParser } from './event-stream-parser';
import { createStreamTap } from './stream-tap';
import { rowsOf, tapAll } from './test-support';

const enc = new TextEncoder();
const MB = 1024 * 1024;
const limits = { maxEventChars: MB };

describe('per-event limit', () => {
  it('a 10 MB data line is cut to 1 MB with truncatedFrom, whole and in 64 KB chunks', () => {
    const line = enc.encode(`data: ${'x'.repeat(10 * MB)}\n\ndata: next\n\n`);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < line.length; at += 64 * 1024) chunks.push(line.subarray(at, at + 64 * 1024));
    for (const split of [[line], chunks]) {
      const [big, next, ...rest] = tapAll('sse', split, { limits });
      expect(rest).toEqual([]);
      expect(big?.data.length).toBe(MB);
      expect(big?.data).toBe('x'.repeat(MB));
      expect(big?.truncatedFrom).toBe(10 * MB);
      expect(next && rowsOf([next])).toEqual([['event', '', 'message', 'next']]);
      expect(next?.truncatedFrom).toBeUndefined();
    }
  });

  it('a 20 MB line without newline, fed in 64 KB chunks, is not held; the stream parses on after it', () => {
    const tap = createStreamTap('sse', limits);
    const chunk = enc.encode('y'.repeat(64 * 1024));
    expect(tap.push(enc.encode('id: 1\ndata: '), 0)).toEqual([]);
    const total = 20 * MB;
    for (let fed = 0; fed < total; fed += chunk.length) {
      expect(tap.push(chunk, 1)).toEqual([]);
    }
    const records = tap.push(enc.encode('z\ndata: tail\n\ndata: after\n\n'), 2);
    expect(records.map((r) => [r.id, r.data.length, r.truncatedFrom])).toEqual([
      ['1', MB, total + 1 + 1 + 4], // 20 MB of y, "z", LF, "tail"
      ['1', 5, undefined],
    ]);
    expect(records[0]?.data.startsWith('yyyy')).toBe(true);
    expect(records[1]?.data).toBe('after');
    expect(tap.bytes).toBe(total + 'id: 1\ndata: '.length + 'z\ndata: tail\n\ndata: after\n\n'.length);
  });

  it('a huge comment or unknown-field line does not break the stream', () => {
    const parser = createEventStreamParser({ maxEventChars: 8 });
    const out = [
      ...parser.feed(`: ${'c'.repeat(1000)}`, 1),
      ...parser.feed(`\n${'f'.repeat(1000)}: v\n`, 2),
      ...parser.feed('data: ok\n\n', 3),
    ];
    expect(out.map((r) => [r.kind, r.data.length <= 8 + 16])).toEqual([
      ['comment', true],
      ['event', true],
    ]);
    expect(out[1]?.data).toBe('ok');
  });
});

describe('truncation arithmetic (maxEventChars 10)', () => {
  const small = { maxEventChars: 10 };
  const run = (text: string) => {
    const records = createEventStreamParser(small).feed(text, 1);
    return records.map((r) => ({ data: r.data, truncatedFrom: r.truncatedFrom }));
  };

  it('exactly at the limit: not truncated', () => {
    expect(run('data: 0123456789\n\n')).toEqual([{ data: '0123456789', truncatedFrom: undefined }]);
  });

  it('one over the limit', () => {
    expect(run('data: 0123456789A\n\n')).toEqual([{ data: '0123456789', truncatedFrom: 11 }]);
  });

  it('a single data line then a blank line, at the limit and over it, without a space', () => {
    expect(run('data:0123456789\n\ndata:0123456789A\n\n')).toEqual([
      { data: '0123456789', truncatedFrom: undefined },
      { data: '0123456789', truncatedFrom: 11 },
    ]);
  });

  it('the joining LF counts', () => {
    expect(run('data: 01234\ndata: 56789\n\n')).toEqual([{ data: '01234\n5678', truncatedFrom: 11 }]);
  });

  it('limit reached exactly, then more lines', () => {
    expect(run('data: 0123456789\ndata:\ndata: ab\n\n')).toEqual([{ data: '0123456789', truncatedFrom: 14 }]);
  });

  it('the limit is per event: the next event starts fresh', () => {
    expect(run('data: 0123456789ABC\n\ndata: ok\n\n')).toEqual([
      { data: '0123456789', truncatedFrom: 13 },
      { data: 'ok', truncatedFrom: undefined },
    ]);
  });

  it('a data-less dispatch does not carry length over', () => {
    expect(run('data: 0123456789ABC\n\n\ndata: 0123456789\n\n')).toEqual([
      { data: '0123456789', truncatedFrom: 13 },
      { data: '0123456789', truncatedFrom: undefined },
    ]);
  });

  it('many long lines in one event, split in every way, keep the same total', () => {
    const text = `data: ${'a'.repeat(50)}\ndata: ${'b'.repeat(50)}\r\ndata\rdata: c\n\n`;
    const whole = run(text);
    expect(whole).toEqual([{ data: 'a'.repeat(10), truncatedFrom: 50 + 1 + 50 + 1 + 0 + 1 + 1 }]);
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = createEventStreamParser(small);
      const records = [...parser.feed(text.slice(0, cut), 1), ...parser.feed(text.slice(cut), 2)];
      expect(
        records.map((r) => ({ data: r.data, truncatedFrom: r.truncatedFrom })),
        `cut ${cut}`,
      ).toEqual(whole);
    }
  });
});

describe('lines longer than the line limit (maxEventChars 4, lines kept to 20 characters)', () => {
  const small = { maxEventChars: 4 };
  const records = (...chunks: string[]) => {
    const parser = createEventStreamParser(small);
    return chunks.flatMap((chunk, i) => parser.feed(chunk, i + 1));
  };

  it('a retry value whose end was cut off is not known to be digits: ignored', () => {
    const line = `retry: ${'1'.repeat(13)}x\n`; // 21 characters: the x is past the line limit
    expect(records(line)).toEqual([]);
    expect(records(line.slice(0, 10), line.slice(10))).toEqual([]);
    // Within the limit the same rule gives a retry record.
    expect(records(`retry: ${'1'.repeat(13)}\n`).map((r) => r.retry)).toEqual([1111111111111]);
  });

  it('a long comment is cut to maxEventChars with truncatedFrom, like event data', () => {
    const expected = [{ data: 'abcd', truncatedFrom: 30 }];
    const comment = `: ${'abcdefghij'.repeat(3)}\n`;
    const view = (rs: { data: string; truncatedFrom?: number }[]) =>
      rs.map((r) => ({ data: r.data, truncatedFrom: r.truncatedFrom }));
    expect(view(records(comment))).toEqual(expected);
    expect(view(records(comment.slice(0, 7), comment.slice(7, 25), comment.slice(25)))).toEqual(expected);
    expect(view(records(': abcd\n'))).toEqual([{ data: 'abcd', truncatedFrom: undefined }]);
    expect(view(records(': abcde\n'))).toEqual([{ data: 'abcd', truncatedFrom: 5 }]);
  });
});
