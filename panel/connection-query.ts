import type { ConnectionState } from '../src/model';
import type { CaptureModel, ConnectionView } from './capture-model';

/** Which connections the list shows by state. */
export type ConnectionStateFilter = 'all' | 'live' | 'ended';

/** Columns the connection list sorts by. */
export type ConnectionSortKey =
  | 'method'
  | 'url'
  | 'status'
  | 'transport'
  | 'state'
  | 'events'
  | 'size'
  | 'duration'
  | 'started';

export interface ConnectionSort {
  key: ConnectionSortKey;
  descending: boolean;
}

/** Capture order: what the list shows until the user clicks a column header. */
export const DEFAULT_SORT: ConnectionSort = { key: 'started', descending: false };

export interface ConnectionQuery {
  /** Case-insensitive text the URL must contain. */
  text: string;
  state: ConnectionStateFilter;
  sort: ConnectionSort;
}

/** A row of the connection list. `key` is unique over live and imported connections. */
export interface ListedConnection {
  key: string;
  view: ConnectionView;
  imported: boolean;
  /** Still streaming: open and captured live (an imported open connection never changes again). */
  live: boolean;
}

/** State shown for a connection. */
export function stateOf(view: ConnectionView): ConnectionState {
  return view.end ? view.end.state : 'open';
}

/**
 * How long the connection has lasted: until its end; while live, until `now` (or its last record, if
 * the clock that ticks `now` is behind it); imported and still open, until its last record.
 */
export function durationOf(view: ConnectionView, live: boolean, now: number): number {
  const lastRecord = view.records[view.records.length - 1]?.time ?? view.info.startedAt;
  const until = view.end ? view.end.endedAt : live ? Math.max(now, lastRecord) : lastRecord;
  return Math.max(0, until - view.info.startedAt);
}

function compareBy(
  key: ConnectionSortKey,
  now: number,
): (a: ListedConnection, b: ListedConnection) => number {
  const text = (pick: (c: ListedConnection) => string) => (a: ListedConnection, b: ListedConnection) =>
    pick(a).localeCompare(pick(b));
  const number = (pick: (c: ListedConnection) => number) => (a: ListedConnection, b: ListedConnection) =>
    pick(a) - pick(b);
  switch (key) {
    case 'method':
      return text((c) => c.view.info.method);
    case 'url':
      return text((c) => c.view.info.url);
    case 'status':
      return number((c) => c.view.info.status);
    case 'transport':
      return text((c) => c.view.info.transport);
    case 'state':
      return text((c) => stateOf(c.view));
    case 'events':
      return number((c) => c.view.events.length);
    case 'size':
      return number((c) => c.view.bytes);
    case 'duration':
      return number((c) => durationOf(c.view, c.live, now));
    case 'started':
      return number((c) => c.view.info.startedAt);
  }
}

function listOf(model: CaptureModel, imported: { has(key: string): boolean }, wantImported: boolean) {
  const out: ListedConnection[] = [];
  for (const key of model.order) {
    const view = model.connections.get(key);
    if (!view || imported.has(key) !== wantImported) continue;
    out.push({ key, view, imported: wantImported, live: !wantImported && !view.end });
  }
  return out;
}

/** Whether the list's URL text and state filters let a connection through. */
export function passesQuery(
  view: ConnectionView,
  live: boolean,
  query: Pick<ConnectionQuery, 'text' | 'state'>,
): boolean {
  const needle = query.text.trim().toLowerCase();
  return (
    (needle === '' || view.info.url.toLowerCase().includes(needle)) &&
    (query.state === 'all' || (query.state === 'live') === live)
  );
}

/**
 * The connection list: live captures first, then imported ones (`imported` holds their keys; kept
 * apart, as a separate group), each filtered by URL text and state and sorted by the chosen column.
 * Ties keep capture order.
 */
export function listConnections(
  capture: CaptureModel,
  imported: { has(key: string): boolean },
  query: ConnectionQuery,
  now: number,
): ListedConnection[] {
  const keep = (c: ListedConnection) => passesQuery(c.view, c.live, query);
  const compare = compareBy(query.sort.key, now);
  const sign = query.sort.descending ? -1 : 1;
  const arrange = (list: ListedConnection[]) =>
    list
      .filter(keep)
      .map((c, index) => ({ c, index }))
      .sort((a, b) => sign * compare(a.c, b.c) || a.index - b.index)
      .map(({ c }) => c);
  return [...arrange(listOf(capture, imported, false)), ...arrange(listOf(capture, imported, true))];
}
