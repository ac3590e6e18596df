/**
 * The WHATWG event-stream interpretation, as Chromium's EventSource dispatches it, through the
 * whole byte path (`createStreamTap('sse')`: TextDecoder + parser). Each fixture runs whole, one
 * byte per chunk (so multi-byte UTF-8 characters and CRLF pairs are split) and in 50 seeded random
 * splits; the records must not depend on the split.
 */
import { describe, expect, it } from 'vitest';
import { createEventStreamParser } from './event-stream-parser';
import { createStreamTap } from './stream-tap';
import {
  bytesOf,
  createRandom,
  type Row,
  rowsOf,
  splitEveryByte,
  splitRandomly,
  tapAll,
  timelineProblem,
} from './test-support';

const enc = new TextEncoder();

/** A dispatched event: `[kind, last event id, type, data]`. */
const ev = (data: string, type = 'message', id = ''): Row => ['event', id, type, data];
const comment = (text: string, id = ''): Row => ['comment', id, '', text];
const retry = (value: string, id = ''): Row => ['retry', id, '', value];

interface Fixture {
  name: string;
  input: Uint8Array;
  expected: Row[];
}

const fx = (name: string, input: string | Uint8Array, expected: Row[]): Fixture => ({
  name,
  input: typeof input === 'string' ? enc.encode(input) : input,
  expected,
});

const FIXTURES: Fixture[] = [
  // Line endings.
  fx('LF', 'data: a\n\ndata: b\n\n', [ev('a'), ev('b')]),
  fx('CR', 'data: a\r\rdata: b\r\r', [ev('a'), ev('b')]),
  fx('CRLF', 'data: a\r\n\r\ndata: b\r\n\r\n', [ev('a'), ev('b')]),
  fx('mixed CRLF, CR, LF in one event', 'data: a\r\ndata: b\rdata: c\n\r\n', [ev('a\nb\nc')]),
  fx('LF then CR are two line ends', 'data: a\n\rdata: b\n\n', [ev('a'), ev('b')]),
  fx('CR CR LF is a line end then a CRLF blank line', 'data: a\r\r\ndata: b\n\n', [ev('a'), ev('b')]),
  fx('blank lines alone dispatch nothing', '\n\r\n\r\n\n', []),
  // BOM: TextDecoder drops the first one only.
  fx('leading BOM dropped', '\uFEFFdata: a\n\n', [ev('a')]),
  fx('second leading BOM is part of the field name', '\uFEFF\uFEFFdata: a\n\ndata: b\n\n', [ev('b')]),
  fx('BOM inside data is data', '\uFEFFdata: \uFEFFa\n\n', [ev('\uFEFFa')]),
  fx('BOM after the start is not dropped', 'data: a\n\n\uFEFFdata: b\n\n', [ev('a')]),
  // Data.
  fx('multi-line data joined with LF', 'data: a\ndata: b\ndata:\ndata: c\n\n', [ev('a\nb\n\nc')]),
  fx('data without colon is empty data', 'data\n\n', [ev('')]),
  fx('two data lines without colon', 'data\ndata\n\n', [ev('\n')]),
  fx('data: with empty value dispatches ""', 'data:\n\n', [ev('')]),
  fx('data: with only a space dispatches ""', 'data: \n\n', [ev('')]),
  fx('data keeps NUL and colons', 'data: a\0b:c: d\n\n', [ev('a\0b:c: d')]),
  // A data line then a blank line (one event at once), beside what must not take that way.
  fx(
    'id and data then a blank line, many times',
    'id: 1\ndata: a\n\nid: 2\ndata:b\n\ndata:  c\n\nid:\ndata: d\n\n',
    [ev('a', 'message', '1'), ev('b', 'message', '2'), ev(' c', 'message', '2'), ev('d')],
  ),
  fx('an event type before a single data line', 'event: t\ndata: a\n\ndata: b\n\n', [ev('a', 't'), ev('b')]),
  fx('a second data line joins the first', 'data: a\ndata: b\n\ndata: c\n\n', [ev('a\nb'), ev('c')]),
  fx('a data line then a CRLF blank line', 'data: a\n\r\ndata: b\n\n', [ev('a'), ev('b')]),
  fx('a CR before the blank line', 'data: a\r\ndata: b\n\ndata: c\r\n\n', [ev('a\nb'), ev('c')]),
  fx('an id with NUL is ignored, then a single data line', 'id: 7\nid: a\0b\ndata: x\n\n', [
    ev('x', 'message', '7'),
  ]),
  fx('id without colon empties the id', 'id: 7\ndata: x\n\nid\ndata: y\n\n', [
    ev('x', 'message', '7'),
    ev('y'),
  ]),
  fx('idx and datax are unknown fields', 'idx: 7\ndatax: y\ndata: z\n\n', [ev('z')]),
  fx('a comment and retry between single-line events', 'data: a\n\n: hi\nretry: 5\ndata: b\n\n', [
    ev('a'),
    comment('hi'),
    retry('5'),
    ev('b'),
  ]),
  fx('data keeps trailing spaces', 'data: a  \n\n', [ev('a  ')]),
  // Exactly one leading space after the colon is stripped.
  fx('no space', 'data:x\n\n', [ev('x')]),
  fx('one space', 'data: x\n\n', [ev('x')]),
  fx('two spaces keep one', 'data:  x\n\n', [ev(' x')]),
  fx('tab is not stripped', 'data:\tx\n\n', [ev('\tx')]),
  fx('space rule also for event and id', 'id:  1\nevent:  t\ndata: x\n\n', [ev('x', ' t', ' 1')]),
  // Field names are literal.
  fx('leading space makes an unknown field', ' data: x\n\n', []),
  fx('field names are case-sensitive', 'Data: x\nDATA: y\n\n', []),
  fx('space before the colon makes an unknown field', 'data : x\n\n', []),
  fx('unknown fields ignored', 'foo: bar\ndata: a\nbar\ndat: b\ndatas: c\n\n', [ev('a')]),
  fx('unknown field alone dispatches nothing', 'foo: bar\n\n', []),
  // Comments.
  fx('comments with and without space', ': hello\n:world\n:  two\n:\n', [
    comment('hello'),
    comment('world'),
    comment(' two'),
    comment(''),
  ]),
  fx('comment inside an event does not split it', 'data: a\n: ping\ndata: b\n\n', [
    comment('ping'),
    ev('a\nb'),
  ]),
  fx('comment block dispatches nothing', ': ping\n\n: pong\n\n', [comment('ping'), comment('pong')]),
  fx('comment keeps further colons', ':: a: b\n', [comment(': a: b')]),
  // retry: ASCII digits only.
  fx('retry valid', 'retry: 1000\n', [retry('1000')]),
  fx('retry without space', 'retry:0\n', [retry('0')]),
  fx('retry with leading zeros', 'retry: 007\n', [retry('007')]),
  fx('retry invalid: 1a', 'retry: 1a\n', []),
  fx('retry invalid: empty', 'retry:\n', []),
  fx('retry invalid: no colon', 'retry\n', []),
  fx('retry invalid: negative', 'retry: -1\n', []),
  fx('retry invalid: decimal', 'retry: 1.5\n', []),
  fx('retry invalid: second space kept', 'retry:  5\n', []),
  fx('retry invalid: trailing space', 'retry: 5 \n', []),
  fx('retry invalid: full-width digit', 'retry: \uFF15\n', []),
  fx('retry does not dispatch or need a blank line', 'data: a\nretry: 5\n\n', [retry('5'), ev('a')]),
  // Last event ID.
  fx('id persists across events until changed', 'id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n', [
    ev('a', 'message', '1'),
    ev('b', 'message', '1'),
    ev('c', 'message', '2'),
  ]),
  fx('id in a block without data still updates it', 'id: 7\n\ndata: a\n\n', [ev('a', 'message', '7')]),
  fx('id in a comment-only block still updates it', 'id: 7\n: hi\n\n: there\n', [
    comment('hi'),
    comment('there', '7'),
  ]),
  fx('id with NUL is ignored', 'id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n', [
    ev('a', 'message', '1'),
    ev('b', 'message', '1'),
  ]),
  fx('id with NUL in a data-less block is ignored', 'id: 1\n\nid: \0\n\ndata: a\n\n', [
    ev('a', 'message', '1'),
  ]),
  // Whether an id line holds a NUL is read off the chunk's next NUL, searched for once per chunk.
  fx('a NUL in data before an id line does not reject the id', 'data: a\0b\n\nid: 5\ndata: c\n\n', [
    ev('a\0b'),
    ev('c', 'message', '5'),
  ]),
  fx(
    'ids with and without NUL, one after another',
    'id: \0\nid: 1\0\nid: 2\ndata: x\n\nid: 3\0\ndata: y\n\n',
    [ev('x', 'message', '2'), ev('y', 'message', '2')],
  ),
  fx('a NUL right after an id line is not in it', 'id: 4\n\0\n\ndata: w\n\n', [ev('w', 'message', '4')]),
  fx('a NUL right before an id line is not in it', ': \0\nid: 6\n\ndata: v\n\n', [
    comment('\0'),
    ev('v', 'message', '6'),
  ]),
  fx('an id line ending in CR', 'id: 1\rdata: a\n\nid: 2\r\ndata: b\n\n', [
    ev('a', 'message', '1'),
    ev('b', 'message', '2'),
  ]),
  fx('an id with NUL ending in CRLF is ignored', 'id: 1\ndata: a\n\nid: 2\0\r\ndata: b\n\n', [
    ev('a', 'message', '1'),
    ev('b', 'message', '1'),
  ]),
  fx('a CR inside an id line ends it', 'id: 1\r2\ndata: a\n\n', [ev('a', 'message', '1')]),
  fx('id: and a space only is an empty id', 'id: 1\ndata: a\n\nid: \ndata: b\n\n', [
    ev('a', 'message', '1'),
    ev('b'),
  ]),
  fx('id without value resets to empty', 'id: 1\ndata: a\n\nid\ndata: b\n\n', [
    ev('a', 'message', '1'),
    ev('b', 'message', ''),
  ]),
  fx('id: with empty value resets to empty, even without data', 'id: 1\ndata: a\n\nid:\n\ndata: b\n\n', [
    ev('a', 'message', '1'),
    ev('b', 'message', ''),
  ]),
  fx('last id line of a block wins', 'id: 1\nid: 2\ndata: a\n\n', [ev('a', 'message', '2')]),
  fx('id applies from its dispatch on', 'id: 1\n: before\nretry: 5\ndata: a\n\n: after\nretry: 6\n', [
    comment('before'),
    retry('5'),
    ev('a', 'message', '1'),
    comment('after', '1'),
    retry('6', '1'),
  ]),
  fx('id of an undispatched final block never applies', 'data: a\n\nid: 9\ndata: b\n', [ev('a')]),
  fx('id keeps spaces and unicode', 'id: a b 日本 😀\ndata: x\n\n', [ev('x', 'message', 'a b 日本 😀')]),
  // Event type.
  fx('event type applies once then resets', 'event: foo\ndata: a\n\ndata: b\n\n', [ev('a', 'foo'), ev('b')]),
  fx('event type reset by a data-less dispatch', 'event: foo\n\ndata: b\n\n', [ev('b')]),
  fx('event: empty means message', 'event:\ndata: a\n\n', [ev('a')]),
  fx('event without colon means message', 'event\ndata: a\n\n', [ev('a')]),
  fx('last event line wins', 'event: a\nevent: b\ndata: x\n\n', [ev('x', 'b')]),
  fx('event after data in the block still applies', 'data: x\nevent: late\n\n', [ev('x', 'late')]),
  // End of stream.
  fx('unterminated final event (LF-terminated line) not dispatched', 'data: a\n\ndata: b\n', [ev('a')]),
  fx('unterminated final line not dispatched', 'data: a\n\ndata: b', [ev('a')]),
  fx('unterminated final comment not emitted', ': a\n: b', [comment('a')]),
  fx('final CR terminates the blank line', 'data: a\n\r', [ev('a')]),
  // Unicode.
  fx('4-byte emoji', 'data: 😀 ok 🎉\n\n', [ev('😀 ok 🎉')]),
  fx('CJK', 'data: 漢字テスト\n\n', [ev('漢字テスト')]),
  fx('unicode everywhere', 'event: 🎉\nid: 日本\ndata: é😀\n\n', [ev('é😀', '🎉', '日本')]),
  fx('unicode line separators are not line ends', 'data: a\u2028b\u0085c\n\n', [ev('a\u2028b\u0085c')]),
  // Invalid UTF-8 decodes to U+FFFD (WHATWG decoder: one per maximal subpart).
  fx('lone 0xFF', bytesOf('data: a', [0xff], 'b\n\n'), [ev('a\uFFFDb')]),
  fx('truncated 2-byte sequence before ASCII', bytesOf('data: ', [0xc3], 'x\n\n'), [ev('\uFFFDx')]),
  fx('truncated 3-byte sequence before LF', bytesOf('data: ', [0xe2, 0x82], '\n\n'), [ev('\uFFFD')]),
  fx('overlong encoding', bytesOf('data: ', [0xc0, 0xaf], '\n\n'), [ev('\uFFFD\uFFFD')]),
  fx('UTF-8-encoded lone surrogate', bytesOf('data: ', [0xed, 0xa0, 0x80], '\n\n'), [
    ev('\uFFFD\uFFFD\uFFFD'),
  ]),
  fx('stray continuation bytes', bytesOf('data: ', [0x80, 0xbf], '\n\n'), [ev('\uFFFD\uFFFD')]),
  fx('invalid byte in a field name', bytesOf('da', [0xff], 'ta: a\n\ndata: b\n\n'), [ev('b')]),
  fx(
    'final incomplete UTF-8 sequence is discarded with the unterminated line',
    bytesOf('data: a\n\n', [0xf0, 0x9f]),
    [ev('a')],
  ),
];

describe('event-stream fixtures', () => {
  for (const { name, input, expected } of FIXTURES) {
    describe(name, () => {
      it('whole', () => {
        const records = tapAll('sse', [input]);
        expect(rowsOf(records)).toEqual(expected);
        expect(timelineProblem(records)).toBeNull();
      });

      it('one byte per chunk', () => {
        const records = tapAll('sse', splitEveryByte(input));
        expect(rowsOf(records)).toEqual(expected);
        expect(timelineProblem(records)).toBeNull();
      });

      it('50 random splits', () => {
        const random = createRandom(0x5e5 ^ input.length);
        for (let run = 0; run < 50; run++) {
          const chunks = splitRandomly(input, random);
          const records = tapAll('sse', chunks);
          expect(rowsOf(records), `split ${chunks.map((c) => c.length).join(',')}`).toEqual(expected);
          expect(timelineProblem(records)).toBeNull();
        }
      });
    });
  }
});

describe('chunk boundaries', () => {
  const push = (chunks: string[]) => {
    const tap = createStreamTap('sse');
    return chunks.map((chunk, i) => rowsOf(tap.push(enc.encode(chunk), i + 1)));
  };

  it('CR at the end of a chunk and its LF at the start of the next are one line end', () => {
    // If the LF were a second line end, it would be a blank line and dispatch `a` alone.
    expect(push(['data: a\r', '\ndata: b\n\n'])).toEqual([[], [ev('a\nb')]]);
  });

  it('CR at chunk end, LF after empty chunks, is still one line end', () => {
    expect(push(['data: a\r', '', '', '\ndata: b\n\n'])).toEqual([[], [], [], [ev('a\nb')]]);
  });

  it('CR at chunk end followed by a non-LF: the next line starts right away', () => {
    expect(push(['data: a\r', 'data: b\r\r'])).toEqual([[], [ev('a\nb')]]);
  });

  it('CR at chunk end followed by a CR: a blank line', () => {
    expect(push(['data: a\r', '\rdata: b\n\n'])).toEqual([[], [ev('a'), ev('b')]]);
  });

  it('a blank-line CR at chunk end dispatches at once, not when the next chunk comes', () => {
    expect(push(['data: a\r\r', '\ndata: b\n\n'])).toEqual([[ev('a')], [ev('b')]]);
  });

  it('only the one LF right after the CR is swallowed', () => {
    expect(push(['data: a\r', '\n\ndata: b\n\n'])).toEqual([[], [ev('a'), ev('b')]]);
  });

  it('a UTF-8 character split across chunks decodes whole', () => {
    const bytes = enc.encode('data: 😀漢\n\n');
    const tap = createStreamTap('sse');
    // Cut inside the emoji (4 bytes at 6..9) and inside the CJK character (3 bytes at 10..12).
    expect(tap.push(bytes.subarray(0, 8), 1)).toEqual([]);
    expect(tap.push(bytes.subarray(8, 11), 2)).toEqual([]);
    expect(rowsOf(tap.push(bytes.subarray(11), 3))).toEqual([ev('😀漢')]);
  });
});

describe('record fields', () => {
  it('seq counts every record kind from 1 across chunks; time is that of the chunk that completed it', () => {
    const tap = createStreamTap('sse');
    const first = tap.push(enc.encode(': c\ndata: a\n'), 10);
    const second = tap.push(enc.encode('\nretry: 5\ndata: b\n\n'), 20);
    expect(first).toEqual([{ seq: 1, kind: 'comment', id: '', type: '', data: 'c', time: 10 }]);
    expect(second).toEqual([
      { seq: 2, kind: 'event', id: '', type: 'message', data: 'a', time: 20 },
      { seq: 3, kind: 'retry', id: '', type: '', data: '5', retry: 5, time: 20 },
      { seq: 4, kind: 'event', id: '', type: 'message', data: 'b', time: 20 },
    ]);
    expect(tap.bytes).toBe(enc.encode(': c\ndata: a\n\nretry: 5\ndata: b\n\n').length);
  });

  it('retry records carry the value as a number', () => {
    const records = tapAll('sse', [enc.encode('retry: 007\nretry: 1500\n')]);
    expect(records.map((r) => r.retry)).toEqual([7, 1500]);
  });

  it('events carry no retry and, within limits, no truncatedFrom', () => {
    const [record] = tapAll('sse', [enc.encode('data: a\n\n')]);
    expect(record).toEqual({ seq: 1, kind: 'event', id: '', type: 'message', data: 'a', time: 1 });
  });

  it('each chunk gets an array of exactly its records, however many the chunk before had', () => {
    // The collector makes each batch's array with as many slots as the last batch took.
    const parser = createEventStreamParser();
    const block = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => `data: ${from + i}\n\n`).join('');
    let next = 0;
    for (const n of [40, 1, 0, 3, 700, 20, 5000, 2, 17]) {
      const records = parser.feed(block(n, next), n);
      expect(records.length).toBe(n);
      expect(Object.keys(records).length).toBe(n); // no holes
      expect(records.map((r) => r.data)).toEqual(Array.from({ length: n }, (_, i) => String(next + i)));
      expect(records.map((r) => r.seq)).toEqual(Array.from({ length: n }, (_, i) => next + i + 1));
      next += n;
    }
    expect(parser.recordCount).toBe(next);
  });

  it('recordCount follows the records emitted', () => {
    const parser = createEventStreamParser();
    parser.feed(': a\ndata: b\n\n', 1);
    expect(parser.recordCount).toBe(2);
    parser.feed('data: c\n', 2);
    expect(parser.recordCount).toBe(2);
  });

  it('finish after an unterminated event returns nothing, completed or not', () => {
    for (const completed of [true, false]) {
      const tap = createStreamTap('sse');
      expect(rowsOf(tap.push(enc.encode('data: a\n\ndata: b\nid: 3\n'), 1))).toEqual([ev('a')]);
      expect(tap.finish(2, completed)).toEqual([]);
    }
  });

  it('a final incomplete UTF-8 sequence on finish never throws or dispatches', () => {
    const tap = createStreamTap('sse');
    tap.push(bytesOf('data: a\n\ndata: ', [0xf0, 0x9f, 0x98]), 1);
    expect(tap.finish(2, true)).toEqual([]);
  });
});

describe('every split of a string into two chunks', () => {
  // The fast path for a data line followed by a blank line must give the same records, with the
  // time of the chunk that completed each, wherever a chunk ends.
  const text =
    'id: 1\ndata: a\n\nevent: t\ndata: b\n\ndata: c\ndata: d\n\ndata:\n\n: x\nid: 2\r\ndata: e\r\n\r\ndata: f\n\n';
  const expected = [
    ['event', '1', 'message', 'a'],
    ['event', '1', 't', 'b'],
    ['event', '1', 'message', 'c\nd'],
    ['event', '1', 'message', ''],
    ['comment', '1', '', 'x'],
    ['event', '2', 'message', 'e'],
    ['event', '2', 'message', 'f'],
  ];
  for (let at = 0; at <= text.length; at++) {
    it(`split at ${at}`, () => {
      const parser = createEventStreamParser();
      const records = [...parser.feed(text.slice(0, at), 1), ...parser.feed(text.slice(at), 2)];
      expect(rowsOf(records)).toEqual(expected);
      expect(timelineProblem(records)).toBeNull();
      // A record is completed by the chunk that holds its line's end (a blank line's, for an event).
      const ends = [14, 32, 49, 56, 60, 77, 87].map((end) => (end < at ? 1 : 2));
      expect(records.map((r) => r.time)).toEqual(ends);
    });
  }
});

describe('every split of a string into three chunks', () => {
  // Ids with and without NUL, CR and CRLF line ends, an event type, single-line events, and an id
  // and data with a surrogate pair, cut at every pair of places (inside CRLF, field names, values
  // and the pair alike): the NUL search made once per chunk and the parser's state kept in locals
  // while lines are taken must give the records the whole string gives, each with the time of the
  // chunk that completed it.
  const text =
    'id: 1\0\ndata: \0a\n\nid: 2\ndata: b\n\nid:3\rdata: c\r\n\r\nid: 4\0\r\n\n: x\nid\ndata: d\n\n' +
    'event: t\nid: é😀\ndata: 😀\n\n';
  const expected = [
    ['event', '', 'message', '\0a'],
    ['event', '2', 'message', 'b'],
    ['event', '3', 'message', 'c'],
    ['comment', '3', '', 'x'],
    ['event', '', 'message', 'd'],
    ['event', 'é😀', 't', '😀'],
  ];
  // Where each record's completing line ends (its blank line's LF or CR, for an event).
  const ends = [
    text.indexOf('\n\nid: 2') + 1,
    text.indexOf('\n\nid:3') + 1,
    text.indexOf('\r\n\r\nid: 4') + 2,
    text.indexOf(': x') + 3,
    text.indexOf('\n\nevent: t') + 1,
    text.length - 1,
  ];
  it('gives the same records and times wherever the cuts are', () => {
    for (let a = 0; a <= text.length; a++) {
      for (let b = a; b <= text.length; b++) {
        const parser = createEventStreamParser();
        const records = [
          ...parser.feed(text.slice(0, a), 1),
          ...parser.feed(text.slice(a, b), 2),
          ...parser.feed(text.slice(b), 3),
        ];
        const rows = rowsOf(records);
        const times = records.map((r) => r.time);
        const want = ends.map((end) => (end < a ? 1 : end < b ? 2 : 3));
        if (
          JSON.stringify(rows) !== JSON.stringify(expected) ||
          JSON.stringify(times) !== JSON.stringify(want)
        ) {
          expect({ a, b, rows, times }).toEqual({ a, b, rows: expected, times: want });
        }
      }
    }
  });
});
