import { describe, expect, it } from 'vitest';
import type { StreamRecord } from './model';
import { packRecords, unpackRecords } from './packed-records';

const records: StreamRecord[] = [
  { seq: 1, kind: 'comment', id: '', type: '', data: 'ping', time: 1.5 },
  { seq: 2, kind: 'event', id: '7', type: 'message', data: '{"a":1}', time: 2.25 },
  { seq: 3, kind: 'retry', id: '7', type: '', data: '3000', time: 3, retry: 3000 },
  { seq: 4, kind: 'event', id: '8', type: 'update', data: '', time: 4, truncatedFrom: 9_000_000 },
  { seq: 5, kind: 'open', id: '8', type: '', data: '', time: 5, attempt: 2 },
  { seq: 6, kind: 'error', id: '8', type: '', data: 'reconnecting', time: 6, attempt: 2 },
  { seq: 7, kind: 'event', id: '8', type: 'message', data: 'é 😀 中', time: 7 },
];

describe('packed records', () => {
  it('round-trip every field of every kind', () => {
    expect(unpackRecords(packRecords(records))).toEqual(records);
    expect(unpackRecords(packRecords([]))).toEqual([]);
  });

  it('share repeated types and ids', () => {
    const packed = packRecords(records);
    expect(packed.types).toEqual(['', 'message', 'update']);
    expect(packed.ids).toEqual(['', '7', '8']);
    expect(packed.text).toBe(records.map((r) => r.data).join(''));
  });

  it('refuse anything inconsistent (the page can forge a batch)', () => {
    const good = packRecords(records);
    const forged: unknown[] = [
      null,
      'x',
      { ...good, kind: good.kind.slice(1) },
      { ...good, kind: `z${good.kind.slice(1)}` },
      { ...good, text: `${good.text}!` },
      { ...good, length: good.length.map((n) => n + 1) },
      { ...good, type: good.type.map(() => 99) },
      { ...good, id: good.id.map(() => -1) },
      { ...good, seq: good.seq.map(() => Number.NaN) },
      { ...good, time: good.time.map(String) },
      { ...good, types: [1, 2, 3] },
      { ...good, extra: [0, 7, 1] },
      { ...good, extra: [99, 0, 1] },
      { ...good, extra: [0, 0] },
    ];
    for (const value of forged) expect(unpackRecords(value)).toBeNull();
  });
});
