import { describe, expect, it } from 'vitest';
import { PANEL_RECORD_OVERHEAD_BYTES, type PanelLimits } from '../src/limits';
import type { CaptureItem } from '../src/protocol';
import { testInfo, testRecords } from '../src/test-records';
import { applyCaptureItems, connectionsNotKeptOf, EMPTY_CAPTURE, notKeptOf } from './capture-model';

const start = (id: string): CaptureItem => ({ type: 'connection-start', connection: testInfo(id) });
const events = (id: string, data: string[], firstSeq = 1): CaptureItem => ({
  type: 'records',
  connectionId: id,
  records: testRecords(
    data.map((d) => ['event', 'message', d]),
    firstSeq,
  ),
  bytes: 10,
});
const LIMITS: PanelLimits = { maxEventChars: 4, maxRecordsPerConnection: 3, maxTotalBytes: 1_000_000 };

describe('applyCaptureItems with the panel limits', () => {
  it('cuts data beyond maxEventChars and says how long it was', () => {
    const model = applyCaptureItems(EMPTY_CAPTURE, [start('a'), events('a', ['abcdefgh', 'ab'])], LIMITS);
    const records = model.connections.get('a')?.records;
    expect(records?.map((r) => [r.data, r.truncatedFrom])).toEqual([
      ['abcd', 8],
      ['ab', undefined],
    ]);
  });

  it('refuses records beyond maxRecordsPerConnection and counts them as not kept', () => {
    let model = applyCaptureItems(EMPTY_CAPTURE, [start('a'), events('a', ['1', '2'])], LIMITS);
    model = applyCaptureItems(model, [events('a', ['3', '4', '5'], 3)], LIMITS);
    const view = model.connections.get('a');
    expect(view?.records.map((r) => r.data)).toEqual(['1', '2', '3']);
    expect(view && notKeptOf(view)).toBe(2);
  });

  it('refuses records beyond maxTotalBytes, whichever connection they belong to', () => {
    const limits = { ...LIMITS, maxTotalBytes: 2 * (PANEL_RECORD_OVERHEAD_BYTES + 2) };
    const model = applyCaptureItems(
      EMPTY_CAPTURE,
      [start('a'), start('b'), events('a', ['1']), events('b', ['1', '2'])],
      limits,
    );
    expect(model.connections.get('a')?.records).toHaveLength(1);
    expect(model.connections.get('b')?.records).toHaveLength(1);
    const b = model.connections.get('b');
    expect(b && notKeptOf(b)).toBe(1);
    expect(model.bytesKept).toBe(2 * (PANEL_RECORD_OVERHEAD_BYTES + 2));
  });

  it('counts records the relay did not keep from records-not-kept, and a replay changes nothing', () => {
    const notKept: CaptureItem = { type: 'records-not-kept', connectionId: 'a', lastSeq: 1234, bytes: 99 };
    const model = applyCaptureItems(EMPTY_CAPTURE, [start('a'), events('a', ['1', '2']), notKept]);
    const view = model.connections.get('a');
    expect(view && notKeptOf(view)).toBe(1232);
    expect(view?.bytes).toBe(99);
    expect(applyCaptureItems(model, [notKept, events('a', ['1', '2'])])).toBe(model);
  });

  it('keeps everything without limits (imports)', () => {
    const model = applyCaptureItems(EMPTY_CAPTURE, [start('a'), events('a', ['abcdefgh', '2', '3', '4'])]);
    const view = model.connections.get('a');
    expect(view?.records).toHaveLength(4);
    expect(view && notKeptOf(view)).toBe(0);
  });

  it('adds up the connections each relay did not forward; a replayed count changes nothing', () => {
    const count = (relayId: string, n: number): CaptureItem => ({
      type: 'connections-not-kept',
      relayId,
      count: n,
    });
    const model = applyCaptureItems(EMPTY_CAPTURE, [
      count('frame1', 2),
      count('frame2', 3),
      count('frame1', 4),
    ]);
    expect(connectionsNotKeptOf(model)).toBe(7);
    expect(applyCaptureItems(model, [count('frame1', 4), count('frame2', 1)])).toBe(model);
  });
});
