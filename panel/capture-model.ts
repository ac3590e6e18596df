import {
  PANEL_CHUNK_SHARE,
  PANEL_MAX_CONNECTIONS,
  PANEL_RECORD_OVERHEAD_BYTES,
  type PanelLimits,
} from '../src/limits';
import type { ConnectionEnd, ConnectionInfo, StreamChunk, StreamRecord } from '../src/model';
import { type CaptureItem, infoChars, recordChars } from '../src/protocol';

/**
 * A connection as the panel holds it. `records` is append-only; the view object is replaced (and
 * `version` bumped) on every update, so a subscriber compares views, not the model's map.
 */
export interface ConnectionView {
  info: ConnectionInfo;
  /** Every timeline record (events, comments, retry), in seq order, without duplicates. */
  records: StreamRecord[];
  /** Dispatched events only (`kind === 'event'`), the rows of the event table. */
  events: StreamRecord[];
  lastSeq: number;
  /**
   * Highest seq known to exist, kept or not: records up to it that are not in `records` were not
   * kept (by the relay, its buffer, or the panel's limits). See `notKeptOf`.
   */
  seqReached: number;
  /**
   * The body as the page read it (fetch and XHR), in seq order, while the panel's memory setting
   * lets it keep them; the events are parsed from them as they arrive (panel/chunk-parsers.ts).
   */
  chunks: StreamChunk[];
  /** Highest chunk seq known to exist, kept or not (see `chunksNotKeptOf`). */
  chunkSeqReached: number;
  bytes: number;
  end: ConnectionEnd | null;
  version: number;
}

/** Records of a connection that exist but were not kept anywhere on the way to the panel. */
export function notKeptOf(view: ConnectionView): number {
  return Math.max(0, view.seqReached - view.records.length);
}

/** Chunks of a connection that exist but were not kept (by the relay's buffer, or the panel's limits). */
export function chunksNotKeptOf(view: ConnectionView): number {
  return Math.max(0, view.chunkSeqReached - view.chunks.length);
}

/** Key of `CaptureModel.connectionsNotKept` under which the panel counts those beyond PANEL_MAX_CONNECTIONS. */
export const PANEL_NOT_KEPT_KEY = 'panel';

/**
 * All connections of the inspected tab, in the order they started. `applyCaptureItems` returns a new
 * model on every change but updates `connections` and `order` in place: compare the model or the
 * views, never the map.
 */
export interface CaptureModel {
  connections: ReadonlyMap<string, ConnectionView>;
  order: readonly string[];
  /** Memory the kept records take, as PanelLimits.maxTotalBytes counts it. */
  bytesKept: number;
  /** Per relay (a frame's document): connections it did not forward (too many open at once). */
  connectionsNotKept: ReadonlyMap<string, number>;
}

export const EMPTY_CAPTURE: CaptureModel = {
  connections: new Map(),
  order: [],
  bytesKept: 0,
  connectionsNotKept: new Map(),
};

/** Connections of the tab the relays did not forward at all. */
export function connectionsNotKeptOf(model: CaptureModel): number {
  let count = 0;
  for (const n of model.connectionsNotKept.values()) count += n;
  return count;
}

/** What a record costs, as PanelLimits.maxTotalBytes counts it: every character a page controls. */
export function recordCost(record: StreamRecord): number {
  return 2 * recordChars(record) + PANEL_RECORD_OVERHEAD_BYTES;
}

export const chunkCost = (chunk: StreamChunk): number => 2 * chunk.text.length + PANEL_RECORD_OVERHEAD_BYTES;
export const connectionCost = (info: ConnectionInfo): number =>
  2 * infoChars(info) + PANEL_RECORD_OVERHEAD_BYTES;

/** Memory a connection takes, as PanelLimits.maxTotalBytes counts it. */
export function viewCost(view: ConnectionView): number {
  let bytes = connectionCost(view.info);
  for (const record of view.records) bytes += recordCost(record);
  for (const chunk of view.chunks) bytes += chunkCost(chunk);
  return bytes;
}

/** `record` with its data cut to `maxChars`, saying how long it was. */
function cutRecord(record: StreamRecord, maxChars: number): StreamRecord {
  if (record.data.length <= maxChars) return record;
  return {
    ...record,
    data: record.data.slice(0, maxChars),
    truncatedFrom: record.truncatedFrom ?? record.data.length,
  };
}

/**
 * Applies capture items. Replays (a snapshot after live items, a reconnect after a service-worker
 * restart) are idempotent: a known connection is not re-added and records at or below `lastSeq`
 * are skipped. Returns the same object when nothing changed.
 *
 * With `limits`, each record's data is cut to `maxEventChars`, and a record is not kept (only
 * counted, through `seqReached`) when its connection holds `maxRecordsPerConnection` records or the
 * model `maxTotalBytes`: new records are refused rather than old ones evicted, so what the user is
 * reading never changes under them.
 */
export function applyCaptureItems(
  model: CaptureModel,
  items: readonly CaptureItem[],
  limits?: PanelLimits,
): CaptureModel {
  let connections: Map<string, ConnectionView> | null = null;
  let order: string[] | null = null;
  let bytesKept = model.bytesKept;
  let connectionsNotKept: Map<string, number> | null = null;
  // The model's map and order are updated in place (the model object itself is new on every change,
  // which is what the store's subscribers compare): copying them per update was O(connections) for
  // every message, at 10 000 connections the panel's main cost. Only the shared empty model is copied.
  const owned = model.connections !== EMPTY_CAPTURE.connections;
  const writable = (): Map<string, ConnectionView> => {
    connections ??= owned ? (model.connections as Map<string, ConnectionView>) : new Map(model.connections);
    return connections;
  };
  const current = (id: string) => (connections ?? model.connections).get(id);

  for (const item of items) {
    switch (item.type) {
      case 'connection-start': {
        const known = current(item.connection.id);
        // Its page came back from the back/forward cache still reading it (the relay replays its
        // buffer on restore): it is live again.
        if (known?.end?.error === PAGE_LEFT_ERROR) {
          writable().set(item.connection.id, { ...known, end: null, version: known.version + 1 });
        }
        if (known) break;
        if (limits && (connections ?? model.connections).size >= PANEL_MAX_CONNECTIONS) {
          connectionsNotKept ??= new Map(model.connectionsNotKept);
          connectionsNotKept.set(PANEL_NOT_KEPT_KEY, (connectionsNotKept.get(PANEL_NOT_KEPT_KEY) ?? 0) + 1);
          break;
        }
        bytesKept += connectionCost(item.connection);
        writable().set(item.connection.id, {
          info: item.connection,
          records: [],
          events: [],
          lastSeq: 0,
          seqReached: 0,
          chunks: [],
          chunkSeqReached: 0,
          bytes: 0,
          end: null,
          version: 0,
        });
        order ??= owned ? (model.order as string[]) : [...model.order];
        order.push(item.connection.id);
        break;
      }
      case 'records': {
        const view = current(item.connectionId);
        if (!view) break;
        let added = 0;
        let lastSeq = view.lastSeq;
        for (const original of item.records) {
          if (original.seq <= lastSeq) continue;
          lastSeq = original.seq;
          const record = limits ? cutRecord(original, limits.maxEventChars) : original;
          const cost = recordCost(record);
          if (
            limits &&
            (view.records.length >= limits.maxRecordsPerConnection || bytesKept + cost > limits.maxTotalBytes)
          ) {
            continue;
          }
          bytesKept += cost;
          view.records.push(record);
          if (record.kind === 'event') view.events.push(record);
          added++;
        }
        const bytes = Math.max(view.bytes, item.bytes);
        const seqReached = Math.max(view.seqReached, lastSeq);
        if (added === 0 && bytes === view.bytes && seqReached === view.seqReached) break;
        writable().set(item.connectionId, {
          ...view,
          lastSeq,
          seqReached,
          bytes,
          version: view.version + 1,
        });
        break;
      }
      case 'chunks': {
        const view = current(item.connectionId);
        if (!view) break;
        let added = 0;
        let reached = view.chunkSeqReached;
        for (const chunk of item.chunks) {
          if (chunk.seq <= reached) continue;
          reached = chunk.seq;
          const cost = chunkCost(chunk);
          // Chunks only while the panel holds less than PANEL_CHUNK_SHARE of its memory: the events
          // parsed from them (what a user reads first) always have room left.
          if (limits && bytesKept + cost > limits.maxTotalBytes * PANEL_CHUNK_SHARE) continue;
          bytesKept += cost;
          view.chunks.push(chunk);
          added++;
        }
        const bytes = Math.max(view.bytes, item.bytes);
        if (added === 0 && bytes === view.bytes && reached === view.chunkSeqReached) break;
        writable().set(item.connectionId, {
          ...view,
          chunkSeqReached: reached,
          bytes,
          version: view.version + 1,
        });
        break;
      }
      case 'chunks-not-kept': {
        const view = current(item.connectionId);
        if (!view || item.lastSeq <= view.chunkSeqReached) break;
        writable().set(item.connectionId, {
          ...view,
          chunkSeqReached: item.lastSeq,
          bytes: Math.max(view.bytes, item.bytes),
          version: view.version + 1,
        });
        break;
      }
      case 'connections-not-kept': {
        const known = (connectionsNotKept ?? model.connectionsNotKept).get(item.relayId) ?? 0;
        if (item.count <= known) break;
        connectionsNotKept ??= new Map(model.connectionsNotKept);
        connectionsNotKept.set(item.relayId, item.count);
        break;
      }
      case 'records-not-kept': {
        const view = current(item.connectionId);
        if (!view || item.lastSeq <= view.seqReached) break;
        writable().set(item.connectionId, {
          ...view,
          seqReached: item.lastSeq,
          bytes: Math.max(view.bytes, item.bytes),
          version: view.version + 1,
        });
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
  if (!connections && !order && !connectionsNotKept) return model;
  return {
    connections: connections ?? model.connections,
    order: order ?? model.order,
    bytesKept,
    connectionsNotKept: connectionsNotKept ?? model.connectionsNotKept,
  };
}

/**
 * `ConnectionEnd.error` of a connection whose document went away (navigation, reload, back/forward)
 * while its stream was open: the browser aborted the request with the document, and no end can reach
 * the panel from a document that is gone. A document kept in the back/forward cache may come back
 * still reading it; the relay's replay of its start then makes the connection live again.
 */
export const PAGE_LEFT_ERROR =
  'page left: the page navigated, reloaded or went back/forward before the stream ended';

/** Ends the connections of `keys` that are still open as `aborted` with `PAGE_LEFT_ERROR`. */
export function endOpenAsPageLeft(
  model: CaptureModel,
  keys: Iterable<string>,
  endedAt: number,
): CaptureModel {
  const items: CaptureItem[] = [];
  for (const key of keys) {
    const view = model.connections.get(key);
    if (!view || view.end) continue;
    items.push({
      type: 'connection-end',
      connectionId: key,
      end: { state: 'aborted', error: PAGE_LEFT_ERROR, endedAt },
      bytes: view.bytes,
    });
  }
  return applyCaptureItems(model, items);
}
