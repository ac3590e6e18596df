import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../src/model';
import type { CaptureItem } from '../src/protocol';
import { testInfo } from '../src/test-records';
import { applyCaptureItems, EMPTY_CAPTURE } from './capture-model';

const record = (seq: number, kind: StreamRecord['kind'] = 'event'): StreamRecord => ({
  seq,
  kind,
  id: '',
  type: kind === 'event' ? 'message' : '',
  data: `d${seq}`,
  time: 1000 + seq,
});
const start = (id: string): CaptureItem => ({ type: 'connection-start', connection: testInfo(id) });
const records = (id: string, seqs: number[], bytes = 10): CaptureItem => ({
  type: 'records',
  connectionId: id,
  records: seqs.map((s) => record(s)),
  bytes,
});

describe('applyCaptureItems', () => {
  it('adds connections in start order and appends their records', () => {
    const model = applyCaptureItems(EMPTY_CAPTURE, [
      start('a'),
      start('b'),
      records('a', [1, 2]),
      records('b', [1]),
    ]);
    expect(model.order).toEqual(['a', 'b']);
    expect(model.connections.get('a')?.events.map((r) => r.data)).toEqual(['d1', 'd2']);
    expect(model.connections.get('b')?.events.map((r) => r.data)).toEqual(['d1']);
  });

  it('is idempotent under replay: a snapshot after live items adds nothing twice', () => {
    const live = applyCaptureItems(EMPTY_CAPTURE, [start('a'), records('a', [1, 2, 3], 30)]);
    const replayed = applyCaptureItems(live, [start('a'), records('a', [1, 2, 3, 4], 40)]);
    expect(replayed.order).toEqual(['a']);
    expect(replayed.connections.get('a')?.records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(replayed.connections.get('a')?.bytes).toBe(40);
  });

  it('returns the same model object when nothing changed', () => {
    const model = applyCaptureItems(EMPTY_CAPTURE, [start('a'), records('a', [1, 2], 20)]);
    expect(applyCaptureItems(model, [start('a'), records('a', [1, 2], 20)])).toBe(model);
  });

  it('keeps comments and retry records in the timeline but not among events', () => {
    const items: CaptureItem[] = [
      start('a'),
      {
        type: 'records',
        connectionId: 'a',
        records: [record(1, 'comment'), record(2), record(3, 'retry')],
        bytes: 5,
      },
    ];
    const view = applyCaptureItems(EMPTY_CAPTURE, items).connections.get('a');
    expect(view?.records.map((r) => r.kind)).toEqual(['comment', 'event', 'retry']);
    expect(view?.events.map((r) => r.seq)).toEqual([2]);
  });

  it('records the end once and ignores items for unknown connections', () => {
    const end: CaptureItem = {
      type: 'connection-end',
      connectionId: 'a',
      end: { state: 'cancelled', error: null, endedAt: 2000 },
      bytes: 12,
    };
    const model = applyCaptureItems(EMPTY_CAPTURE, [start('a'), end, records('zzz', [1])]);
    const view = model.connections.get('a');
    expect(view?.end?.state).toBe('cancelled');
    expect(view?.bytes).toBe(12);
    expect(model.connections.has('zzz')).toBe(false);
    const again = applyCaptureItems(model, [
      { ...end, end: { state: 'completed', error: null, endedAt: 3000 } },
    ]);
    expect(again.connections.get('a')?.end?.state).toBe('cancelled');
  });

  it('bumps the version of a connection that changed and leaves others as they were', () => {
    const model = applyCaptureItems(EMPTY_CAPTURE, [start('a'), start('b')]);
    const [a, b] = [model.connections.get('a'), model.connections.get('b')];
    const next = applyCaptureItems(model, [records('a', [1])]);
    expect(next).not.toBe(model);
    expect(next.connections.get('a')).not.toBe(a);
    expect(next.connections.get('a')?.version).toBe(1);
    expect(next.connections.get('b')).toBe(b);
  });

  it('never changes the shared empty model', () => {
    applyCaptureItems(EMPTY_CAPTURE, [start('a')]);
    expect(EMPTY_CAPTURE.connections.size).toBe(0);
    expect(EMPTY_CAPTURE.order).toHaveLength(0);
  });
});
