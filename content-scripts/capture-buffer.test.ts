import { describe, expect, it } from 'vitest';
import { CaptureBuffer } from './capture-buffer';
import { seqsOf, wireChunks, wireEnd, wireRecords, wireStart } from './test-wire-items';

const start = wireStart;
const chunks = wireChunks;
const end = wireEnd;

describe('CaptureBuffer', () => {
  it('snapshots connections in order with their chunks and end', () => {
    const buffer = new CaptureBuffer();
    for (const item of [start('a'), chunks('a', 1, 2), start('b'), chunks('b', 1, 1), end('a')])
      buffer.add(item);
    expect(buffer.snapshot().map((i) => i.type)).toEqual([
      'connection-start',
      'body',
      'connection-end',
      'connection-start',
      'body',
    ]);
    expect(buffer.size).toEqual({ connections: 2, entries: 3, chars: 3 });
  });

  it('evicts the oldest ended connection first when full', () => {
    const buffer = new CaptureBuffer({ maxEntries: 5, maxChars: 1000 });
    for (const item of [start('old'), chunks('old', 1, 3), end('old'), start('live'), chunks('live', 1, 4)]) {
      buffer.add(item);
    }
    const ids = buffer.snapshot().flatMap((i) => (i.type === 'connection-start' ? [i.connection.id] : []));
    expect(ids).toEqual(['live']);
    expect(buffer.size.entries).toBe(4);
    expect(buffer.dropped).toBe(0);
  });

  it('keeps no chunk of a connection after the first that did not fit, and says up to which seq it lacks them', () => {
    const buffer = new CaptureBuffer({ maxEntries: 3, maxChars: 1000 });
    buffer.add(start('a'));
    buffer.add(chunks('a', 1, 2));
    buffer.add(chunks('a', 3, 2));
    // Room again (another connection ended and left), yet chunk 5 would follow a hole.
    buffer.add(chunks('a', 5, 1));
    expect(buffer.size.entries).toBe(2);
    expect(buffer.dropped).toBe(3);
    const snapshot = buffer.snapshot();
    expect(seqsOf(snapshot)).toEqual([1, 2]);
    expect(snapshot.at(-1)).toEqual({ type: 'chunks-not-kept', connectionId: 'a', lastSeq: 5, bytes: 5 });
  });

  it('tells of each body item it does not keep or evicts, and of none it keeps', () => {
    const discarded: unknown[] = [];
    const buffer = new CaptureBuffer({ maxEntries: 5, maxChars: 1000 }, (item) => discarded.push(item));
    const oldChunks = chunks('old', 1, 3);
    const tooMany = chunks('live', 1, 6);
    const kept = chunks('live', 7, 2);
    for (const item of [start('old'), oldChunks, end('old'), start('live'), tooMany]) buffer.add(item);
    // The first live item does not fit even with 'old' evicted.
    expect(discarded).toEqual([oldChunks, tooMany]);
    const other = new CaptureBuffer({ maxEntries: 5, maxChars: 1000 }, (item) => discarded.push(item));
    discarded.length = 0;
    for (const item of [start('live'), kept, wireRecords('live', 3, 1)]) other.add(item);
    expect(discarded).toEqual([]);
  });

  it('keeps later EventSource records after one that did not fit: records are whole', () => {
    const buffer = new CaptureBuffer({ maxEntries: 100, maxChars: 10 });
    buffer.add(start('a', { transport: 'eventsource' }));
    buffer.add(wireRecords('a', 1, 1, 'x'.repeat(20)));
    buffer.add(wireRecords('a', 2, 1, 'y'));
    expect(seqsOf(buffer.snapshot())).toEqual([2]);
  });

  it('counts every character a page controls: chunk text, record ids and types, URLs and headers', () => {
    const buffer = new CaptureBuffer({ maxEntries: 100, maxChars: 40 });
    buffer.add(start('a', { url: 'u'.repeat(10), responseHeaders: { h: 'v'.repeat(9) } }));
    expect(buffer.size.chars).toBe(20);
    buffer.add(start('b', { transport: 'eventsource' }));
    buffer.add({
      type: 'records',
      connectionId: 'b',
      bytes: 0,
      records: [{ seq: 1, kind: 'event', id: 'i'.repeat(12), type: 'tttt', data: 'dd', time: 1 }],
    });
    expect(buffer.size.chars).toBe(38);
    buffer.add(chunks('a', 1, 3));
    expect(buffer.dropped).toBe(3);
  });

  it('does not keep a connection that starts when the buffer is full of open ones, and counts it', () => {
    const buffer = new CaptureBuffer({ maxEntries: 100, maxChars: 10 });
    buffer.add(start('a'));
    buffer.add(chunks('a', 1, 10));
    buffer.add(start('b', { url: 'http://b/' }));
    expect(buffer.droppedConnections).toBe(1);
    expect(buffer.size.connections).toBe(1);
  });

  it('keeps the end of a body read to its end, for the parser to complete a last line', () => {
    const buffer = new CaptureBuffer();
    buffer.add(start('a', { format: 'ndjson' }));
    buffer.add({
      ...(end('a') as Extract<ReturnType<typeof end>, { type: 'connection-end' }>),
      bodyCompleted: true,
    });
    expect(buffer.snapshot().at(-1)).toMatchObject({ type: 'connection-end', bodyCompleted: true });
  });
});
