import { describe, expect, it } from 'vitest';
import { CaptureBuffer } from './capture-buffer';
import { wireEnd, wireRecords, wireStart } from './test-wire-items';

const start = wireStart;
const recs = wireRecords;
const end = wireEnd;

describe('CaptureBuffer', () => {
  it('snapshots connections in order with their record batches and end', () => {
    const buffer = new CaptureBuffer();
    for (const item of [start('a'), recs('a', 1, 2), start('b'), recs('b', 1, 1), end('a')]) buffer.add(item);
    const snapshot = buffer.snapshot();
    expect(snapshot.map((i) => i.type)).toEqual([
      'connection-start',
      'packed-records',
      'connection-end',
      'connection-start',
      'packed-records',
    ]);
    expect(buffer.size).toEqual({ connections: 2, records: 3, chars: 3 });
  });

  it('evicts the oldest ended connection first when full', () => {
    const buffer = new CaptureBuffer({ maxRecords: 5, maxChars: 1000 });
    for (const item of [start('old'), recs('old', 1, 3), end('old'), start('live'), recs('live', 1, 4)]) {
      buffer.add(item);
    }
    const ids = buffer.snapshot().flatMap((i) => (i.type === 'connection-start' ? [i.connection.id] : []));
    expect(ids).toEqual(['live']);
    expect(buffer.size.records).toBe(4);
    expect(buffer.dropped).toBe(0);
  });

  it('stops buffering (and counts what it dropped) when only live connections remain and it is full', () => {
    const buffer = new CaptureBuffer({ maxRecords: 3, maxChars: 1000 });
    buffer.add(start('a'));
    buffer.add(recs('a', 1, 2));
    buffer.add(recs('a', 3, 2));
    expect(buffer.size.records).toBe(2);
    expect(buffer.dropped).toBe(2);
  });

  it('bounds characters as well as records', () => {
    const buffer = new CaptureBuffer({ maxRecords: 100, maxChars: 10 });
    buffer.add(start('a'));
    buffer.add(recs('a', 1, 2, 'abcd'));
    buffer.add(recs('a', 3, 1, 'abcd'));
    expect(buffer.size).toEqual({ connections: 1, records: 2, chars: 8 });
    expect(buffer.dropped).toBe(1);
  });
});
