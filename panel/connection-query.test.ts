import { describe, expect, it } from 'vitest';
import type { CaptureItem } from '../src/protocol';
import { testInfo, testRecords } from '../src/test-records';
import { applyCaptureItems, EMPTY_CAPTURE } from './capture-model';
import { type ConnectionQuery, DEFAULT_SORT, durationOf, listConnections } from './connection-query';

const items: CaptureItem[] = [
  {
    type: 'connection-start',
    connection: testInfo('a', { url: 'https://api.example.com/v1/chat', startedAt: 100, status: 200 }),
  },
  {
    type: 'connection-start',
    connection: testInfo('b', {
      url: 'https://cdn.example.com/ticker',
      startedAt: 200,
      status: 503,
      method: 'POST',
    }),
  },
  {
    type: 'connection-start',
    connection: testInfo('c', { url: 'https://api.example.com/v1/jobs', startedAt: 300, status: 200 }),
  },
  {
    type: 'records',
    connectionId: 'a',
    records: testRecords([
      ['event', 'message', 'x'],
      ['event', 'message', 'y'],
    ]),
    bytes: 50,
  },
  { type: 'records', connectionId: 'c', records: testRecords([['event', 'message', 'x']]), bytes: 900 },
  {
    type: 'connection-end',
    connectionId: 'b',
    end: { state: 'error', error: 'HTTP 503', endedAt: 250 },
    bytes: 0,
  },
];
const model = applyCaptureItems(EMPTY_CAPTURE, items);
const none = new Map<string, never>();
const query = (patch: Partial<ConnectionQuery> = {}): ConnectionQuery => ({
  text: '',
  state: 'all',
  sort: DEFAULT_SORT,
  ...patch,
});
const keys = (q: ConnectionQuery, imported: ReadonlySet<string> = none as unknown as Set<string>) =>
  listConnections(model, imported, q, 10_000).map((c) => c.key);

describe('listConnections', () => {
  it('lists in capture order by default', () => {
    expect(keys(query())).toEqual(['a', 'b', 'c']);
  });

  it('filters by URL text, case-insensitively', () => {
    expect(keys(query({ text: 'API.example' }))).toEqual(['a', 'c']);
    expect(keys(query({ text: '/jobs' }))).toEqual(['c']);
    expect(keys(query({ text: 'nothing' }))).toEqual([]);
  });

  it('filters live or ended connections', () => {
    expect(keys(query({ state: 'live' }))).toEqual(['a', 'c']);
    expect(keys(query({ state: 'ended' }))).toEqual(['b']);
  });

  it('sorts by a column, either way, ties in capture order', () => {
    expect(keys(query({ sort: { key: 'size', descending: true } }))).toEqual(['c', 'a', 'b']);
    expect(keys(query({ sort: { key: 'events', descending: false } }))).toEqual(['b', 'c', 'a']);
    expect(keys(query({ sort: { key: 'status', descending: true } }))).toEqual(['b', 'a', 'c']);
    expect(keys(query({ sort: { key: 'method', descending: false } }))).toEqual(['a', 'c', 'b']);
    expect(keys(query({ sort: { key: 'url', descending: false } }))).toEqual(['a', 'c', 'b']);
    // Open connections last until now; b lasted 50 ms.
    expect(keys(query({ sort: { key: 'duration', descending: false } }))).toEqual(['b', 'c', 'a']);
  });

  it('puts imported connections after live ones, never live', () => {
    const listed = listConnections(model, new Set(['a']), query(), 10_000);
    expect(listed.map((c) => [c.key, c.imported, c.live])).toEqual([
      ['b', false, false],
      ['c', false, true],
      ['a', true, false],
    ]);
  });
});

describe('durationOf', () => {
  it('runs until now while live, until the end once ended, until the last record when imported', () => {
    const a = model.connections.get('a');
    const b = model.connections.get('b');
    if (!a || !b) throw new Error('fixture');
    expect(durationOf(a, true, 5000)).toBe(4900);
    // A `now` that lags behind the last record does not shorten a live connection.
    expect(durationOf(a, true, 0)).toBe(920);
    expect(durationOf(b, false, 5000)).toBe(50);
    // a's last record is at 1020 (test records are stamped 1000 + seq * 10).
    expect(durationOf(a, false, 5000)).toBe(920);
  });
});
