import { describe, expect, it } from 'vitest';
import { CaptureBuffer } from './capture-buffer';
import { type RelayItem, relayCharsOf, toWireItems } from './relay-body';
import { CUT_MARK, cutHeaders, RelayCore, splitIntoMessages } from './relay-core';
import { seqsOf, wireChunks, wireEnd, wireRecords, wireStart } from './test-wire-items';

const LIMITS = {
  maxOpenConnections: 2,
  maxMessageChars: 10,
  maxChunkChars: 10,
  maxUrlChars: 20,
  maxRecordFieldChars: 20,
  maxHeaderChars: 12,
};

const start = wireStart;
const chunks = wireChunks;
const end = wireEnd;

describe('RelayCore', () => {
  it('forwards the chunks and records of the connections it knows, and nothing of others', () => {
    const core = new RelayCore(LIMITS);
    const out = core.accept([start('a'), chunks('a', 1, 3), chunks('z', 1, 1), end('a'), end('z')]);
    expect(out.map((i) => i.type)).toEqual(['connection-start', 'body', 'connection-end']);
  });

  it('forwards at most maxOpenConnections open at once, counts the others, and frees a slot on end', () => {
    const core = new RelayCore(LIMITS);
    const out = core.accept([start('a'), start('b'), start('c'), chunks('c', 1, 1)]);
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
    expect(core.accept([chunks('a', 1, 1)]).map((i) => i.type)).toEqual(['body']);
    expect(core.snapshot().at(-1)).toMatchObject({ type: 'connections-not-kept', count: 2 });
  });

  it('counts a connection its buffer could not keep among those not kept', () => {
    const core = new RelayCore(
      { ...LIMITS, maxOpenConnections: 10 },
      new CaptureBuffer({ maxEntries: 10, maxChars: 5 }),
    );
    const out = core.accept([start('a', { url: 'u'.repeat(9) })]);
    expect(out.map((i) => i.type)).toEqual(['connection-start', 'connections-not-kept']);
    expect(core.snapshot()).toEqual([
      { type: 'connections-not-kept', relayId: expect.any(String), count: 1 },
    ]);
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

  it('buffers what it forwards for a later snapshot', () => {
    const core = new RelayCore(LIMITS);
    core.accept([start('a'), chunks('a', 1, 8), end('a')]);
    const snapshot = core.snapshot();
    expect(seqsOf(snapshot)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(snapshot.map((i) => i.type)).toEqual(['connection-start', 'body', 'connection-end']);
  });
});

describe('splitIntoMessages', () => {
  const charsOfMessage = (message: RelayItem[]) => message.reduce((n, i) => n + relayCharsOf(i), 0);

  it('keeps each message within maxChars a page controls, cutting a large item between its chunks', () => {
    const messages = splitIntoMessages([start('a'), chunks('a', 1, 7, 'abc'), end('a')], 10);
    for (const message of messages) expect(charsOfMessage(message)).toBeLessThanOrEqual(10);
    expect(seqsOf(messages.flat())).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const texts = toWireItems(messages.flat()).flatMap((i) => (i.type === 'chunks' ? [i.text] : []));
    expect(texts.join('')).toBe('abc'.repeat(7));
    expect(messages.flat().at(-1)?.type).toBe('connection-end');
  });

  it('counts a connection info, and record ids and types, not only data', () => {
    const messages = splitIntoMessages(
      [
        start('a', { url: 'u'.repeat(8) }),
        {
          type: 'records',
          connectionId: 'a',
          bytes: 0,
          records: [
            { seq: 1, kind: 'event', id: 'i'.repeat(8), type: 'message', data: 'x', time: 1 },
            { seq: 2, kind: 'event', id: 'i'.repeat(8), type: 'message', data: 'x', time: 2 },
          ],
        },
      ],
      10,
    );
    expect(messages.map((m) => m.map((i) => i.type))).toEqual([
      ['connection-start'],
      ['records'],
      ['records'],
    ]);
  });

  it('sends an entry larger than the budget alone rather than losing it', () => {
    const messages = splitIntoMessages(
      [wireRecords('a', 1, 1, 'x'.repeat(50)), wireRecords('a', 2, 1, 'y')],
      10,
    );
    expect(messages.map((m) => seqsOf(m))).toEqual([[1], [2]]);
  });

  it('keeps one message when everything fits', () => {
    expect(splitIntoMessages([start('a'), chunks('a', 1, 2)], 100)).toHaveLength(1);
  });
});

describe('EventSource records', () => {
  it('are kept within bounds the browser does not set: id and type cut with …, so one always fits a message', () => {
    const core = new RelayCore({ ...LIMITS, maxRecordFieldChars: 5 });
    const [, item] = core.accept([
      wireStart('a', { transport: 'eventsource' }),
      {
        type: 'records',
        connectionId: 'a',
        bytes: 0,
        records: [{ seq: 1, kind: 'event', id: 'i'.repeat(50), type: 't'.repeat(50), data: 'd', time: 1 }],
      },
    ]);
    expect(item?.type === 'records' && item.records[0]).toMatchObject({
      id: `iiii${CUT_MARK}`,
      type: `tttt${CUT_MARK}`,
    });
  });
});
