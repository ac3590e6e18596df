import { describe, expect, it } from 'vitest';
import { createStreamTap } from './stream-tap';

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
