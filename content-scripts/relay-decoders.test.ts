import { describe, expect, it } from 'vitest';
import type { StreamRecordKind } from '../src/model';
import type { AgentEvent } from '../src/protocol';
import { testInfo } from '../src/test-records';
import { bodyText, endsInsideSequence, SlabUses } from './relay-body';
import { RelayDecoders } from './relay-decoders';

/** Whether the Encoding spec's decoder (TextDecoder) gives anything when flushed after `bytes`. */
const decoder = new TextDecoder('utf-8');
function flushGivesReplacement(bytes: Uint8Array): boolean {
  // The flush resets the decoder: one serves every case.
  decoder.decode(bytes, { stream: true });
  return decoder.decode() !== '';
}

describe('endsInsideSequence', () => {
  it('agrees with TextDecoder on every ending of up to 4 bytes drawn from the bytes that matter', () => {
    const interesting = [
      0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf1,
      0xf4, 0xf5, 0xff,
    ];
    let checked = 0;
    const visit = (prefix: number[]) => {
      if (prefix.length > 0) {
        // One expect per mismatch only: 160 000 calls to expect() took seconds on a loaded machine.
        if (endsInsideSequence(prefix.slice(-3)) !== flushGivesReplacement(Uint8Array.from(prefix))) {
          expect(prefix.map((b) => b.toString(16)).join(' ')).toBe('no mismatch');
        }
        checked++;
      }
      if (prefix.length < 4) for (const byte of interesting) visit([...prefix, byte]);
    };
    visit([]);
    expect(checked).toBeGreaterThan(160_000);
  });
});

describe('RelayDecoders', () => {
  const start = { type: 'connection-start', connection: testInfo('c1', { transport: 'fetch' }) } as const;

  it("reads an XHR's response header block into the start's map and normalises its method; a fetch's is upper-cased", () => {
    const decoders = new RelayDecoders();
    const xhr = testInfo('x1', { transport: 'xhr' });
    const [item] = decoders.track([
      {
        type: 'connection-start',
        connection: { ...xhr, method: 'post', responseHeaders: 'a: 1\r\nb: 2\r\n' },
      },
    ]);
    expect(item).toEqual({
      type: 'connection-start',
      connection: { ...xhr, method: 'POST', responseHeaders: { a: '1', b: '2' } },
    });
    expect(decoders.track([start])).toEqual([start]);
    // A fetch's method as the page gave it is upper-cased, whatever it is.
    const patch = {
      type: 'connection-start',
      connection: testInfo('c2', { transport: 'fetch', method: 'patch' }),
    } as const;
    expect(decoders.track([patch])).toEqual([
      { ...patch, connection: { ...patch.connection, method: 'PATCH' } },
    ]);
  });

  it("makes an EventSource's events records: seq, the last event ID in force, and the attempt a reconnect starts", () => {
    const decoders = new RelayDecoders();
    decoders.track([
      { type: 'connection-start', connection: testInfo('e1', { transport: 'eventsource', status: 0 }) },
    ]);
    const events: AgentEvent[] = [
      ['open', false, ''],
      ['message', 'a', '1'],
      ['error', false, ''],
      ['open', false, ''],
      ['tick', 'b', ''],
      ['progress', false, ''],
      ['error', true, ''],
    ];
    const [item] = decoders.decode(events.map((event, i) => ({ connectionId: 'e1', time: 10 + i, event })));
    const record = (
      seq: number,
      kind: StreamRecordKind,
      id: string,
      type: string,
      data: string,
      time: number,
      attempt: number,
    ) => ({ seq, kind, id, type, data, time, attempt });
    expect(item).toEqual({
      type: 'records',
      connectionId: 'e1',
      bytes: 0,
      records: [
        record(1, 'open', '', '', '', 10, 1),
        record(2, 'event', '1', 'message', 'a', 11, 1),
        record(3, 'error', '1', '', 'reconnecting', 12, 1),
        record(4, 'open', '1', '', '', 13, 2),
        // An empty last event ID resets it (WHATWG).
        record(5, 'event', '', 'tick', 'b', 14, 2),
        // A plain event of another type is no record (an EventSource dispatches none).
        record(6, 'error', '', '', 'closed', 16, 2),
      ],
    });
    // Records only of an EventSource: a body's connection takes none.
    decoders.track([start]);
    expect(decoders.decode([{ connectionId: 'c1', time: 1, event: ['message', 'a', ''] }])).toEqual([]);
  });

  it("puts an XHR end's cause and an EventSource's failure in words", () => {
    const decoders = new RelayDecoders();
    decoders.track([
      { type: 'connection-start', connection: testInfo('x1', { transport: 'xhr' }) },
      { type: 'connection-start', connection: testInfo('e1', { transport: 'eventsource', status: 0 }) },
    ]);
    const ends = decoders.track([
      { type: 'connection-end', connectionId: 'x1', end: { state: 'error', error: 'timeout', endedAt: 3 } },
      { type: 'connection-end', connectionId: 'e1', end: { state: 'error', error: null, endedAt: 4 } },
    ]);
    expect(ends.map((item) => item.type === 'connection-end' && item.end)).toEqual([
      { state: 'error', error: 'TimeoutError: the request timed out', endedAt: 3 },
      { state: 'error', error: 'EventSource failed and will not reconnect', endedAt: 4 },
    ]);
  });

  it('splits a read beyond the chunk budget into cells that view its slab, decodes them across split characters, and gives the slab back once all are decoded', () => {
    const released: ArrayBuffer[] = [];
    const decoders = new RelayDecoders(4, 10, new SlabUses((slab) => released.push(slab)));
    decoders.track([start]);
    // 1-, 2-, 3- and 4-byte characters after one byte: every 10-byte cut falls inside a 4-byte one
    const text = `x${'aé€😀'.repeat(5)}`;
    const encoded = new TextEncoder().encode(text);
    const slab = new ArrayBuffer(encoded.length + 4);
    new Uint8Array(slab, 2).set(encoded);
    const [item] = decoders.decode([
      { connectionId: 'c1', time: 5, bytes: slab, offset: 2, length: encoded.length },
    ]);
    if (item?.type !== 'body') throw new Error('expected a body item');
    expect(item.cells.map((cell) => cell.data.length)).toEqual([10, 10, 10, 10, 10, 1]);
    expect(item.cells.every((cell) => cell.slab === slab && cell.time === 5)).toBe(true);
    expect(item.bytes).toBe(encoded.length);
    const first = bodyText({ ...item, cells: item.cells.slice(0, 2) }, decoders.slabs);
    expect(released).toEqual([]);
    const rest = bodyText({ ...item, cells: item.cells.slice(2) }, decoders.slabs);
    expect(released).toEqual([slab]);
    expect(first.text + rest.text).toBe(text);
    expect([first.firstSeq, rest.firstSeq]).toEqual([1, 3]);
  });

  it('copies small reads out of a mostly empty slab and gives it back at once; a body cut inside a character ends in U+FFFD', () => {
    const released: ArrayBuffer[] = [];
    const decoders = new RelayDecoders(4, 100, new SlabUses((slab) => released.push(slab)));
    decoders.track([start]);
    const slab = new ArrayBuffer(64);
    new Uint8Array(slab).set([0x61, 0xe2, 0x82]); // "a", then 2 of the 3 bytes of "€"
    const items = decoders.decode([
      { connectionId: 'c1', time: 1, bytes: slab, offset: 0, length: 1 },
      { connectionId: 'c1', time: 2, bytes: slab, offset: 1, length: 2 },
      { connectionId: 'c1', time: 3, completed: true },
    ]);
    expect(released).toEqual([slab]);
    new Uint8Array(slab).fill(0); // the agent reuses it: the cells must not see that
    const [item] = items;
    if (item?.type !== 'body') throw new Error('expected a body item');
    expect(item.cells.some((cell) => cell.slab)).toBe(false);
    const chunks = bodyText(item);
    expect(chunks.text).toBe('a\uFFFD');
    expect(chunks.length).toEqual([1, 0, 1]);
    expect(chunks.time).toEqual([1, 2, 3]);
  });
});
