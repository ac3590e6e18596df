import { beforeEach, describe, expect, it } from 'vitest';
import { buildExportFile } from '../src/export/write-export';
import type { CaptureItem } from '../src/protocol';
import { testInfo, testRecords } from '../src/test-records';
import { notKeptOf } from './capture-model';
import { exportableOf, selectedConnectionView, usePanelStore } from './store';

const initial = usePanelStore.getState();
const TOOL = { tool: { name: 'SSE DevTools', version: 'test' } };
const store = () => usePanelStore.getState();

const start = (id: string): CaptureItem => ({ type: 'connection-start', connection: testInfo(id) });
const records = (id: string, rows: Parameters<typeof testRecords>[0], firstSeq = 1): CaptureItem => ({
  type: 'records',
  connectionId: id,
  records: testRecords(rows, firstSeq),
  bytes: 10 * (firstSeq + rows.length),
});
const end = (id: string): CaptureItem => ({
  type: 'connection-end',
  connectionId: id,
  end: { state: 'completed', error: null, endedAt: 5000 },
  bytes: 100,
});

beforeEach(() => {
  usePanelStore.setState(initial, true);
});

describe('record / pause', () => {
  it('while paused applies nothing new, counts what it skipped, and still ends shown connections', () => {
    store().apply([start('a'), records('a', [['event', 'message', 'one']])]);
    store().setRecording(false);
    store().apply([start('b'), records('a', [['event', 'message', 'two']], 2), end('a')]);
    expect(store().capture.order).toEqual(['a']);
    expect(
      store()
        .capture.connections.get('a')
        ?.events.map((e) => e.data),
    ).toEqual(['one']);
    expect(store().capture.connections.get('a')?.end?.state).toBe('completed');
    expect(store().skippedWhilePaused).toBe(2);

    store().setRecording(true);
    expect(store().skippedWhilePaused).toBe(0);
    store().apply([start('c')]);
    expect(store().capture.order).toEqual(['a', 'c']);
  });
});

describe('import', () => {
  const file = [
    { info: testInfo('a'), records: testRecords([['event', 'message', 'imported']]), bytes: 5, end: null },
    { info: testInfo('z'), records: [], bytes: 0, end: null },
  ];

  it('adds the file’s connections under their own keys, selects the first, and keeps them apart from live data', () => {
    store().apply([start('a'), records('a', [['event', 'message', 'live']])]);
    store().importConnections('capture.json', file);
    const keys = store().capture.order;
    expect(keys).toHaveLength(3);
    const importedKey = keys[1] as string;
    expect(importedKey).not.toBe('a');
    expect(store().imported.get(importedKey)).toEqual({ fileName: 'capture.json', originalId: 'a' });
    expect(store().selectedConnectionId).toBe(importedKey);
    expect(selectedConnectionView(store())?.events.map((e) => e.data)).toEqual(['imported']);

    // Live items for the same capture id reach the live connection only.
    store().apply([records('a', [['event', 'message', 'live 2']], 2)]);
    expect(store().capture.connections.get('a')?.events).toHaveLength(2);
    expect(store().capture.connections.get(importedKey)?.events).toHaveLength(1);
    // Exported again, it keeps the id it had in the file.
    expect(exportableOf(store(), importedKey)?.info.id).toBe('a');
  });

  it('Clear removes imported connections too; a navigation removes only live ones', () => {
    store().apply([start('live')]);
    store().importConnections('capture.json', file);
    store().navigated('https://example.com/next');
    expect(store().capture.order).toHaveLength(2);
    expect([...store().imported.keys()]).toEqual(store().capture.order);
    store().clear();
    expect(store().capture.order).toEqual([]);
    expect(store().imported.size).toBe(0);
  });

  it('what a capture limit left out survives an export and an import of it', () => {
    // Records 1–2 kept, then the relay said the connection reached seq 5: three were not kept.
    store().apply([
      start('a'),
      records('a', [
        ['event', 'message', 'one'],
        ['event', 'message', 'two'],
      ]),
      { type: 'records-not-kept', connectionId: 'a', lastSeq: 5, bytes: 50 },
    ]);
    const exported = exportableOf(store(), 'a');
    expect(exported?.recordsNotKept).toBe(3);
    expect(buildExportFile(exported ? [exported] : [], TOOL).connections[0]?.recordsNotKept).toBe(3);

    store().importConnections('capture.json', exported ? [exported] : []);
    const importedKey = store().capture.order[1] as string;
    const view = store().capture.connections.get(importedKey);
    expect(view?.events.map((e) => e.data)).toEqual(['one', 'two']);
    expect(view && notKeptOf(view)).toBe(3);
    expect(exportableOf(store(), importedKey)?.recordsNotKept).toBe(3);
  });

  it('keeps two imports of the same file apart', () => {
    store().importConnections('one.json', file);
    store().importConnections('two.json', file);
    expect(new Set(store().capture.order).size).toBe(4);
  });
});

describe('selection', () => {
  it('selecting an event opens it; another connection resets the selection and the type filter', () => {
    store().apply([start('a'), start('b'), records('a', [['event', 'message', 'x']])]);
    store().selectEvent(1);
    expect(store()).toMatchObject({ selectedSeq: 1, detailOpen: true });
    store().setEventFilter({ type: 'message', query: 'x' });
    store().selectConnection('b');
    expect(store()).toMatchObject({ selectedConnectionId: 'b', selectedSeq: null, detailOpen: false });
    expect(store().eventFilter).toMatchObject({ type: null, query: 'x' });
  });

  it('reveal selects the connection and event, lifts filters that hide it, and asks views to scroll', () => {
    store().apply([
      start('a'),
      start('b'),
      records('b', [
        ['event', 'message', 'x'],
        ['comment', '', 'ping'],
      ]),
    ]);
    store().setEventFilter({ query: 'nothing', type: 'other' });
    store().setConnectionQuery({ text: '/a' });
    const before = store().revealCount;
    store().reveal('b', 2);
    expect(store()).toMatchObject({ selectedConnectionId: 'b', selectedSeq: 2, detailOpen: true });
    expect(store().eventFilter).toEqual({ query: '', type: null, showComments: true });
    expect(store().revealCount).toBe(before + 1);
    // The list filter hid connection b.
    expect(store().connectionQuery.text).toBe('');

    // A filter that shows the hit stays.
    store().setEventFilter({ query: 'x', showComments: false });
    store().reveal('b', 1);
    expect(store().eventFilter.query).toBe('x');
  });
});

describe('Clear and navigation remember what they hid in bounded memory', () => {
  it('one entry per document however many of its connections were cleared; a replay stays hidden', () => {
    for (let round = 0; round < 5; round++) {
      const ids = Array.from({ length: 1000 }, (_, i) => `doc${round % 2}:${round * 1000 + i + 1}`);
      store().apply(ids.map(start));
      if (round % 2) store().clear();
      else store().navigated('http://127.0.0.1/next');
    }
    expect(store().cleared.size).toBeLessThanOrEqual(2);
    // The relay replays its buffer after a reconnect: nothing cleared comes back, new ones do.
    store().apply([start('doc0:5'), start('doc1:3999'), start('doc1:5001'), start('plain-id')]);
    expect(store().capture.order).toEqual(['doc1:5001', 'plain-id']);
    store().clear();
    store().apply([start('plain-id')]);
    expect(store().capture.order).toEqual([]);
  });
});
