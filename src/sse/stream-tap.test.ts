import { describe, expect, it } from 'vitest';
import type { StreamFormat, StreamRecord } from '../model';
import { createStreamTap } from './stream-tap';
import { createRandom, splitStringRandomly, tapAll, withoutTime } from './test-support';

const enc = new TextEncoder();

describe('stream tap smoke', () => {
  it('keeps an id from a block without data', () => {
    const tap = createStreamTap('sse');
    const r = tap.push(enc.encode('id: 7\n\ndata: a\n\ndata:  b\r\n\r'), 1);
    const r2 = tap.push(enc.encode('\nevent: x\ndata: c\n'), 2);
    expect(r.map((x) => [x.id, x.type, x.data])).toEqual([
      ['7', 'message', 'a'],
      ['7', 'message', ' b'],
    ]);
    // The LF after the final CR belongs to it; `event: x` + `data: c` stay unterminated.
    expect(r2).toEqual([]);
    expect(tap.finish(3, true)).toEqual([]);
  });
});

describe('stream tap fed decoded text (XMLHttpRequest.responseText deltas)', () => {
  const streams: [StreamFormat, string][] = [
    ['sse', 'id: 1\r\ndata: a €\r\n\r\n: ping\rretry: 900\r\nevent: x\ndata:  two\n\ndata: 😀 tail'],
    ['ndjson', '{"a":1}\r\n\n\u001e{"b":"é"}\n{"c":3}'],
  ];
  for (const [format, text] of streams) {
    it(`gives the records of the same bytes for any split (${format})`, () => {
      const expected = withoutTime(tapAll(format, [enc.encode(text)]));
      expect(expected.length).toBeGreaterThan(1);
      const random = createRandom(7);
      for (let run = 0; run < 200; run++) {
        const tap = createStreamTap(format);
        const records: StreamRecord[] = [];
        let bytes = 0;
        for (const [i, piece] of splitStringRandomly(text, random).entries()) {
          const pieceBytes = enc.encode(piece).byteLength;
          bytes += pieceBytes;
          records.push(...tap.pushText(piece, pieceBytes, i + 1));
        }
        records.push(...tap.finish(1000, true));
        expect(withoutTime(records)).toEqual(expected);
        expect(tap.bytes).toBe(bytes);
      }
    });
  }
});
