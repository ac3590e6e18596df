import { describe, expect, it } from 'vitest';
import { PANEL_MAX_CONNECTIONS, PANEL_RECORD_OVERHEAD_BYTES, type PanelLimits } from '../src/limits';
import type { CaptureItem } from '../src/protocol';
import { testInfo, testRecords } from '../src/test-records';
import {
  applyCaptureItems,
  chunksNotKeptOf,
  connectionCost,
  connectionsNotKeptOf,
  EMPTY_CAPTURE,
  notKeptOf,
} from './capture-model';

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
    const connections = connectionCost(testInfo('a')) + connectionCost(testInfo('b'));
    // A record costs its data, id and type: 'message' is 7 characters.
    const record = PANEL_RECORD_OVERHEAD_BYTES + 2 * (1 + 7);
    const limits = { ...LIMITS, maxTotalBytes: connections + 2 * record };
    const model = applyCaptureItems(
      EMPTY_CAPTURE,
      [start('a'), start('b'), events('a', ['1']), events('b', ['1', '2'])],
      limits,
    );
    expect(model.connections.get('a')?.records).toHaveLength(1);
    expect(model.connections.get('b')?.records).toHaveLength(1);
    const b = model.connections.get('b');
    expect(b && notKeptOf(b)).toBe(1);
    expect(model.bytesKept).toBe(connections + 2 * record);
  });

  it('counts every character a page controls: a 512 KiB id costs as much as 512 KiB of data', () => {
    const limits = { ...LIMITS, maxEventChars: 10, maxTotalBytes: 3_000_000 };
    const items: CaptureItem[] = [start('a')];
    for (let seq = 1; seq <= 4; seq++) {
      const id = String(seq).repeat(512 * 1024);
      items.push({
        type: 'records',
        connectionId: 'a',
        bytes: 0,
        records: [{ seq, kind: 'event', id, type: 'message', data: 'x', time: seq }],
      });
    }
    const model = applyCaptureItems(EMPTY_CAPTURE, items, limits);
    const view = model.connections.get('a');
    expect(view?.records).toHaveLength(2);
    expect(view && notKeptOf(view)).toBe(2);
    expect(model.bytesKept).toBeLessThanOrEqual(limits.maxTotalBytes);
  });

  it('keeps chunks while the panel holds less than half its memory, counting those it did not keep', () => {
    const limits = {
      ...LIMITS,
      maxTotalBytes: 2 * (connectionCost(testInfo('a')) + PANEL_RECORD_OVERHEAD_BYTES + 20),
    };
    const chunk = (seq: number, text: string) => ({ seq, time: seq, text });
    const model = applyCaptureItems(
      EMPTY_CAPTURE,
      [
        start('a'),
        {
          type: 'chunks',
          connectionId: 'a',
          bytes: 30,
          chunks: [chunk(1, 'x'.repeat(10)), chunk(2, 'y'.repeat(10))],
        },
      ],
      limits,
    );
    const view = model.connections.get('a');
    expect(view?.chunks.map((c) => c.seq)).toEqual([1]);
    expect(view && chunksNotKeptOf(view)).toBe(1);
    // The events parsed from the chunks still have the other half.
    const withEvent = applyCaptureItems(model, [events('a', ['x'.repeat(4)])], limits);
    expect(withEvent.connections.get('a')?.records).toHaveLength(1);
  });

  it('lists at most PANEL_MAX_CONNECTIONS connections and counts the others beside the stream count', () => {
    const items: CaptureItem[] = [];
    for (let i = 0; i <= PANEL_MAX_CONNECTIONS; i++) items.push(start(`c${i}`));
    const model = applyCaptureItems(EMPTY_CAPTURE, items, { ...LIMITS, maxTotalBytes: 2_000_000_000 });
    expect(model.order).toHaveLength(PANEL_MAX_CONNECTIONS);
    expect(connectionsNotKeptOf(model)).toBe(1);
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
