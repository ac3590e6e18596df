import type { ConnectionEnd, ConnectionInfo, StreamRecord } from '../src/model';
import type { CaptureItem } from '../src/protocol';

/** A connection as the panel holds it. `records` is append-only; `version` changes on every update. */
export interface ConnectionView {
  info: ConnectionInfo;
  /** Every timeline record (events, comments, retry), in seq order, without duplicates. */
  records: StreamRecord[];
  /** Dispatched events only (`kind === 'event'`), the rows of the event table. */
  events: StreamRecord[];
  lastSeq: number;
  bytes: number;
  end: ConnectionEnd | null;
  version: number;
}

/** All connections of the inspected tab, in the order they started. */
export interface CaptureModel {
  connections: ReadonlyMap<string, ConnectionView>;
  order: readonly string[];
}

export const EMPTY_CAPTURE: CaptureModel = { connections: new Map(), order: [] };

/**
 * Applies capture items. Replays (a snapshot after live items, a reconnect after a service-worker
 * restart) are idempotent: a known connection is not re-added and records at or below `lastSeq`
 * are skipped. Returns the same object when nothing changed.
 */
export function applyCaptureItems(model: CaptureModel, items: readonly CaptureItem[]): CaptureModel {
  let connections: Map<string, ConnectionView> | null = null;
  let order: string[] | null = null;
  const writable = (): Map<string, ConnectionView> => {
    connections ??= new Map(model.connections);
    return connections;
  };
  const current = (id: string) => (connections ?? model.connections).get(id);

  for (const item of items) {
    switch (item.type) {
      case 'connection-start': {
        if (current(item.connection.id)) break;
        writable().set(item.connection.id, {
          info: item.connection,
          records: [],
          events: [],
          lastSeq: 0,
          bytes: 0,
          end: null,
          version: 0,
        });
        order ??= [...model.order];
        order.push(item.connection.id);
        break;
      }
      case 'records': {
        const view = current(item.connectionId);
        if (!view) break;
        let added = 0;
        let lastSeq = view.lastSeq;
        for (const record of item.records) {
          if (record.seq <= lastSeq) continue;
          lastSeq = record.seq;
          view.records.push(record);
          if (record.kind === 'event') view.events.push(record);
          added++;
        }
        const bytes = Math.max(view.bytes, item.bytes);
        if (added === 0 && bytes === view.bytes) break;
        writable().set(item.connectionId, { ...view, lastSeq, bytes, version: view.version + 1 });
        break;
      }
      case 'connection-end': {
        const view = current(item.connectionId);
        if (!view || view.end) break;
        writable().set(item.connectionId, {
          ...view,
          end: item.end,
          bytes: Math.max(view.bytes, item.bytes),
          version: view.version + 1,
        });
        break;
      }
    }
  }
  if (!connections && !order) return model;
  return { connections: connections ?? model.connections, order: order ?? model.order };
}
