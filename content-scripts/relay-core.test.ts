import { describe, expect, it } from 'vitest';
import { unpackRecords } from '../src/packed-records';
import type { WireItem } from '../src/protocol';
import { CaptureBuffer } from './capture-buffer';
import { CUT_MARK, cutHeaders, RelayCore, splitIntoMessages } from './relay-core';
import { wireEnd, wireRecords, wireStart } from './test-wire-items';

const LIMITS = {
  maxRecordsPerConnection: 5,
  maxOpenConnections: 2,
  maxMessageChars: 10,
  maxUrlChars: 20,
  maxHeaderChars: 12,
};

const start = wireStart;
const recs = wireRecords;
const end = wireEnd;
const seqsOf = (items: readonly WireItem[]) =>
  items.flatMap((item) => (item.type === 'packed-records' ? item.records.seq : []));

describe('RelayCore', () => {
  it('forwards at most maxRecordsPerConnection records, then only how far the connection went', () => {
    const core = new RelayCore(LIMITS);
    const first = core.accept([start('a'), recs('a', 1, 3), recs('a', 4, 4)]);
    expect(seqsOf(first)).toEqual([1, 2, 3, 4, 5]);
    expect(first.at(-1)).toEqual({ type: 'records-not-kept', connectionId: 'a', lastSeq: 7, bytes: 80 });
    const later = core.accept([recs('a', 8, 2), recs('a', 10, 2), end('a')]);
    expect(later.map((i) => i.type)).toEqual(['records-not-kept', 'connection-end']);
    expect(later[0]).toMatchObject({ lastSeq: 11 });
  });

  it('keeps the data of the records it cuts a batch at', () => {
    const core = new RelayCore(LIMITS);
    const out = core.accept([start('a'), recs('a', 1, 7, 'ab')]);
    const packed = out.find((i) => i.type === 'packed-records');
    expect(packed?.type === 'packed-records' && unpackRecords(packed.records)?.map((r) => r.data)).toEqual([
      'ab',
      'ab',
      'ab',
      'ab',
      'ab',
    ]);
  });

  it('forwards at most maxOpenConnections open at once, counts the others, and frees a slot on end', () => {
    const core = new RelayCore(LIMITS);
    const out = core.accept([start('a'), start('b'), start('c'), recs('c', 1, 1)]);
    expect(out.map((i) => i.type)).toEqual(['connection-start', 'connection-start', 'connections-not-kept']);
    expect(core.droppedConnections).toBe(1);
    expect(core.live).toBe(2);
    core.accept([end('a')]);
    expect(core.accept([start('d')]).map((i) => i.type)).toEqual(['connection-start']);
    expect(core.total).toBe(3);
  });

  it('says how many connections it did not forward, live and in a later snapshot', () => {
    const core = new RelayCore(LIMITS);
    const out = core.accept([start('a'), start('b'), start('c'), start('d')]);
    expect(out.at(-1)).toMatchObject({ type: 'connections-not-kept', count: 2 });
    expect(core.accept([recs('a', 1, 1)]).map((i) => i.type)).toEqual(['packed-records']);
    expect(core.snapshot().at(-1)).toMatchObject({ type: 'connections-not-kept', count: 2 });
  });

  it('ignores records-not-kept from the agent: only the relay says what it dropped', () => {
    const core = new RelayCore(LIMITS);
    const forged: WireItem[] = [
      { type: 'records-not-kept', connectionId: 'a', lastSeq: 1e9, bytes: 0 },
      { type: 'connections-not-kept', relayId: 'x', count: 1e9 },
    ];
    expect(core.accept([start('a'), ...forged]).map((i) => i.type)).toEqual(['connection-start']);
  });

  it('cuts long URLs with … and header maps with an entry saying how many were left out', () => {
    const core = new RelayCore(LIMITS);
    const [item] = core.accept([
      start('a', {
        url: `http://a/${'p'.repeat(100)}`,
        responseHeaders: { a: '1', 'content-type': 'text/event-stream', b: '2' },
      }),
    ]);
    const connection = item?.type === 'connection-start' ? item.connection : null;
    expect(connection?.url).toHaveLength(20);
    expect(connection?.url.endsWith(CUT_MARK)).toBe(true);
    expect(connection?.responseHeaders).toEqual({ a: '1', [CUT_MARK]: '2 not kept' });
    expect(cutHeaders({ a: '1' }, 12)).toEqual({ a: '1' });
  });

  it('buffers what it forwards, and a later snapshot says how far a capped connection went', () => {
    const core = new RelayCore(LIMITS, new CaptureBuffer({ maxRecords: 100, maxChars: 100 }));
    core.accept([start('a'), recs('a', 1, 8), end('a')]);
    const snapshot = core.buffer.snapshot();
    expect(seqsOf(snapshot)).toEqual([1, 2, 3, 4, 5]);
    expect(snapshot.map((i) => i.type)).toEqual([
      'connection-start',
      'packed-records',
      'records-not-kept',
      'connection-end',
    ]);
  });
});

describe('splitIntoMessages', () => {
  it('keeps each message within maxChars of record text, cutting a large batch between records', () => {
    const messages = splitIntoMessages([start('a'), recs('a', 1, 7, 'abc'), end('a')], 10);
    for (const message of messages) {
      const chars = message.reduce(
        (n, i) => n + (i.type === 'packed-records' ? i.records.text.length : 0),
        0,
      );
      expect(chars).toBeLessThanOrEqual(10);
    }
    expect(seqsOf(messages.flat())).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(messages.flat().at(-1)?.type).toBe('connection-end');
  });

  it('sends a record larger than the budget alone rather than losing it', () => {
    const messages = splitIntoMessages([recs('a', 1, 1, 'x'.repeat(50)), recs('a', 2, 1, 'y')], 10);
    expect(messages.map((m) => seqsOf(m))).toEqual([[1], [2]]);
  });

  it('keeps one message when everything fits', () => {
    expect(splitIntoMessages([start('a'), recs('a', 1, 2)], 100)).toHaveLength(1);
  });
});
