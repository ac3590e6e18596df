/**
 * Newline-delimited JSON (and json-seq) through `createStreamTap('ndjson')`: one `event` record per
 * non-blank line, whatever the chunking.
 */
import { describe, expect, it } from 'vitest';
import { createNdjsonParser } from './ndjson-parser';
import { createStreamTap } from './stream-tap';
import {
  bytesOf,
  createRandom,
  splitEveryByte,
  splitRandomly,
  tapAll,
  timelineProblem,
} from './test-support';

const enc = new TextEncoder();
const datas = (records: { data: string }[]) => records.map((r) => r.data);

describe('ndjson lines', () => {
  const FIXTURES: [name: string, input: Uint8Array, expected: string[]][] = [
    ['LF', bytesOf('{"a":1}\n{"b":2}\n'), ['{"a":1}', '{"b":2}']],
    ['CRLF', bytesOf('{"a":1}\r\n{"b":2}\r\n'), ['{"a":1}', '{"b":2}']],
    [
      'blank and white-space lines skipped',
      bytesOf('\n\n{"a":1}\n  \n\r\n\t\n{"b":2}\n\n'),
      ['{"a":1}', '{"b":2}'],
    ],
    ['json-seq RS prefix dropped', bytesOf('\u001e{"a":1}\n\u001e{"b":2}\n'), ['{"a":1}', '{"b":2}']],
    ['json-seq RS alone is a blank record', bytesOf('\u001e\n\u001e{"b":2}\n'), ['{"b":2}']],
    ['only one RS dropped', bytesOf('\u001e\u001e1\n'), ['\u001e1']],
    ['a bare CR is not a line end', bytesOf('1\r2\n'), ['1\r2']],
    ['only the last CR before LF is dropped', bytesOf('1\r\r\n'), ['1\r']],
    ['surrounding white space is kept', bytesOf(' {"a":1} \n'), [' {"a":1} ']],
    ['unicode split anywhere', bytesOf('{"s":"😀漢é"}\n'), ['{"s":"😀漢é"}']],
    ['invalid UTF-8', bytesOf('"', [0xff, 0xe2, 0x82], '"\n'), ['"\uFFFD\uFFFD"']],
    ['last line without newline, completed', bytesOf('{"a":1}\n{"b":2}'), ['{"a":1}', '{"b":2}']],
    ['final incomplete UTF-8 sequence becomes U+FFFD', bytesOf('{"a":1}', [0xe2, 0x82]), ['{"a":1}\uFFFD']],
  ];

  for (const [name, input, expected] of FIXTURES) {
    it(`${name}: whole, byte by byte, 50 random splits`, () => {
      const random = createRandom(0xa1 ^ input.length);
      const splits = [[input], splitEveryByte(input)];
      for (let run = 0; run < 50; run++) splits.push(splitRandomly(input, random));
      for (const chunks of splits) {
        const records = tapAll('ndjson', chunks);
        expect(datas(records), `cut ${chunks.map((c) => c.length).join(',')}`).toEqual(expected);
        expect(timelineProblem(records)).toBeNull();
      }
    });
  }

  it('lines split across chunks complete on the chunk that ends them, as events', () => {
    const tap = createStreamTap('ndjson');
    expect(tap.push(enc.encode('{"a":'), 1)).toEqual([]);
    expect(tap.push(enc.encode('1}\n{"b"'), 2)).toEqual([
      { seq: 1, kind: 'event', id: '', type: 'message', data: '{"a":1}', time: 2 },
    ]);
    expect(tap.push(enc.encode(':2}\r'), 3)).toEqual([]);
    expect(tap.push(enc.encode('\n'), 4)).toEqual([
      { seq: 2, kind: 'event', id: '', type: 'message', data: '{"b":2}', time: 4 },
    ]);
    expect(tap.finish(5, true)).toEqual([]);
  });

  it('the last line without newline is emitted on finish(…, true) only', () => {
    const input = enc.encode('{"a":1}\n{"b":2}');
    const completed = createStreamTap('ndjson');
    expect(datas(completed.push(input, 1))).toEqual(['{"a":1}']);
    expect(completed.finish(2, true)).toEqual([
      { seq: 2, kind: 'event', id: '', type: 'message', data: '{"b":2}', time: 2 },
    ]);

    const cut = createStreamTap('ndjson');
    expect(datas(cut.push(input, 1))).toEqual(['{"a":1}']);
    expect(cut.finish(2, false)).toEqual([]);
  });

  it('a last line of white space is not emitted on finish', () => {
    expect(tapAll('ndjson', [enc.encode('1\n  \r')])).toHaveLength(1);
  });
});

describe('ndjson truncation', () => {
  const limits = { maxEventChars: 4 };
  const truncation = (chunks: string[], completed = true) =>
    tapAll(
      'ndjson',
      chunks.map((c) => enc.encode(c)),
      { limits, completed },
    ).map((r) => [r.data, r.truncatedFrom]);

  it('a long line is cut with its full length, CR not counted', () => {
    expect(truncation(['abcdefg\r\n'])).toEqual([['abcd', 7]]);
    expect(truncation(['abcd\n'])).toEqual([['abcd', undefined]]);
    expect(truncation(['\u001eabcd\n'])).toEqual([['abcd', undefined]]);
  });

  it('the CR of a CRLF split from its LF is not counted either (was 8)', () => {
    expect(truncation(['abcdefg\r', '\n'])).toEqual([['abcd', 7]]);
    expect(truncation(['abcdefg\r', '', '\nxy\n'])).toEqual([
      ['abcd', 7],
      ['xy', undefined],
    ]);
  });

  it('a CR that was dropped mid-line is content (kept part ending in CR is not the line end)', () => {
    expect(truncation(['abcd\r', 'e\r\r', '\n'])).toEqual([['abcd', 7]]);
    expect(truncation(['abcd\r\r', '\n'])).toEqual([['abcd', 5]]);
  });

  it('a long line whose kept start is blank is still a line (was skipped when split)', () => {
    expect(truncation(['     x', '  \n'])).toEqual([['    ', 8]]);
    expect(truncation(['     x', '\n'])).toEqual([['    ', 6]]);
    expect(truncation(['      ', '  \n'])).toEqual([]);
  });

  it('a truncated last line is emitted on finish with its full length', () => {
    expect(truncation(['abcdef', 'gh\r'])).toEqual([['abcd', 8]]);
    expect(truncation(['abcdef', 'gh'], false)).toEqual([]);
  });

  it('truncation does not depend on the split', () => {
    const text = '\u001e  abc  \r\n  \t  x \r\n\r\n' + 'long line with CR\r\r\n';
    const whole = createNdjsonParser(limits);
    const expected = [...whole.feed(text, 1), ...whole.flush(2)].map((r) => [r.data, r.truncatedFrom]);
    expect(expected).toEqual([
      ['  ab', 7],
      ['  \t ', 7],
      ['long', 18],
    ]);
    for (let a = 0; a <= text.length; a++) {
      for (let b = a; b <= text.length; b++) {
        const parser = createNdjsonParser(limits);
        const records = [
          ...parser.feed(text.slice(0, a), 1),
          ...parser.feed(text.slice(a, b), 2),
          ...parser.feed(text.slice(b), 3),
          ...parser.flush(4),
        ];
        expect(
          records.map((r) => [r.data, r.truncatedFrom]),
          `cuts ${a},${b}`,
        ).toEqual(expected);
      }
    }
  });
});
