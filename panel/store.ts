import { create } from 'zustand';
import type { ExportableConnection } from '../src/export/write-export';
import type { PanelLimits } from '../src/limits';
import type { CaptureItem } from '../src/protocol';
import {
  applyCaptureItems,
  type CaptureModel,
  type ConnectionView,
  chunksNotKeptOf,
  EMPTY_CAPTURE,
  endOpenAsPageLeft,
  notKeptOf,
  viewCost,
} from './capture-model';
import { ClearedConnections } from './cleared-connections';
import { type ConnectionQuery, DEFAULT_SORT, passesQuery } from './connection-query';
import { indexOfSeqIn, parseQuery } from './event-filter';
import { loadPanelLimits, savePanelLimits } from './panel-limits';
import { EMPTY_SELECTION, type Selection, selectOnly } from './selection';

/** State of the panel's link to the service worker. */
export type LinkStatus = 'connecting' | 'connected' | 'reconnecting';

/** Where an imported connection came from. */
export interface ImportedFrom {
  fileName: string;
  /** The connection's id in the file (its key in the store is prefixed, so it cannot collide). */
  originalId: string;
}

/** How the event table filters the selected connection's timeline. */
export interface EventFilter {
  /** Text or `/regex/flags` over type, id and data. */
  query: string;
  /** Only this event type; null for all. */
  type: string | null;
  /** Show comment and retry records among the events. */
  showComments: boolean;
}

/** A message the panel shows above its content until dismissed or replaced. */
export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export interface PanelState {
  /**
   * Live captures and imported files together; imported connections have keys prefixed `importN/`,
   * are listed in `imported`, and never receive capture items.
   */
  capture: CaptureModel;
  imported: ReadonlyMap<string, ImportedFrom>;
  selectedConnectionId: string | null;
  /** `seq` of the event shown in the detail pane (the cursor of the event table). */
  selectedSeq: number | null;
  /** Rows selected in the event table (for copying), with the cursor and the Shift anchor. */
  selection: Selection;
  /** Whether the detail pane shows the selected event (Enter or a click opens it, Escape closes it). */
  detailOpen: boolean;
  link: LinkStatus;
  /** Connection ids hidden by Clear: a replay after a reconnect must not bring them back. */
  cleared: ClearedConnections;
  /** Record (true) or pause: while paused, new connections and records are not applied. */
  recording: boolean;
  /** Capture items not applied while paused. */
  skippedWhilePaused: number;
  eventFilter: EventFilter;
  connectionQuery: ConnectionQuery;
  /** Bumped by `reveal`, so the views scroll the revealed connection and event into view. */
  revealCount: number;
  notice: Notice | null;
  /** Keep connections across navigations of the inspected tab (DevTools' "Preserve log"). */
  preserveLog: boolean;
  /** Bounds on what live capture may hold (Settings); kept across panel sessions. */
  limits: PanelLimits;
  /** Whether the Settings dialog is open. */
  settingsOpen: boolean;

  apply(items: readonly CaptureItem[]): void;
  selectConnection(id: string | null): void;
  /** Selects only this event and opens it (null: none). */
  selectEvent(seq: number | null): void;
  setSelection(selection: Selection, open?: boolean): void;
  setDetailOpen(open: boolean): void;
  /** Selects a connection and one of its events, makes the event visible, and scrolls both into view. */
  reveal(connectionId: string, seq: number): void;
  clear(): void;
  setRecording(recording: boolean): void;
  importConnections(fileName: string, connections: readonly ExportableConnection[]): void;
  setEventFilter(patch: Partial<EventFilter>): void;
  setConnectionQuery(patch: Partial<ConnectionQuery>): void;
  setNotice(notice: Notice | null): void;
  setPreserveLog(preserve: boolean): void;
  /** New limits, saved; they apply to records that arrive from now on. */
  setLimits(limits: PanelLimits): void;
  setSettingsOpen(open: boolean): void;
  /** The inspected tab loaded a new document: clear unless `preserveLog`. */
  navigated(url: string): void;
  /** A document of the inspected tab went away: these of its connections are no longer live. */
  documentLeft(connectionIds: readonly string[]): void;
  setLink(status: LinkStatus): void;
}

function itemConnectionId(item: CaptureItem): string | null {
  if (item.type === 'connections-not-kept') return null;
  return item.type === 'connection-start' ? item.connection.id : item.connectionId;
}

/** The selected connection, live or imported. */
export function selectedConnectionView(state: PanelState): ConnectionView | undefined {
  return state.selectedConnectionId === null
    ? undefined
    : state.capture.connections.get(state.selectedConnectionId);
}

/** A connection as the exporters take it, under the id it was captured with. */
export function exportableOf(state: PanelState, key: string): ExportableConnection | undefined {
  const view = state.capture.connections.get(key);
  if (!view) return undefined;
  const from = state.imported.get(key);
  return {
    info: from ? { ...view.info, id: from.originalId } : view.info,
    records: view.records,
    bytes: view.bytes,
    end: view.end,
    recordsNotKept: notKeptOf(view),
    chunks: view.chunks,
    chunksNotKept: chunksNotKeptOf(view),
  };
}

/** Memory these connections take, as PanelLimits.maxTotalBytes counts it. */
function bytesOf(views: Iterable<ConnectionView>): number {
  let bytes = 0;
  for (const view of views) bytes += viewCost(view);
  return bytes;
}

let importCount = 0;

export const usePanelStore = create<PanelState>()((set, get) => ({
  capture: EMPTY_CAPTURE,
  imported: new Map(),
  selectedConnectionId: null,
  selectedSeq: null,
  selection: EMPTY_SELECTION,
  detailOpen: false,
  link: 'connecting',
  cleared: new ClearedConnections(),
  recording: true,
  skippedWhilePaused: 0,
  eventFilter: { query: '', type: null, showComments: false },
  connectionQuery: { text: '', state: 'all', sort: DEFAULT_SORT },
  revealCount: 0,
  notice: null,
  preserveLog: false,
  limits: loadPanelLimits(),
  settingsOpen: false,

  apply(items) {
    const { cleared, capture, selectedConnectionId, recording, limits } = get();
    let visible =
      cleared.size > 0
        ? items.filter((item) => {
            const id = itemConnectionId(item);
            return id === null || !cleared.has(id);
          })
        : items;
    if (!recording) {
      // Paused: nothing new is recorded, but a connection already shown may still end, so that it does
      // not look live forever.
      const ends = visible.filter(
        (item) => item.type === 'connection-end' && capture.connections.has(item.connectionId),
      );
      // A chunk item travels with the records parsed from it: one update, not two.
      const skipped = visible.filter((item) => item.type !== 'chunks').length - ends.length;
      if (skipped > 0) set({ skippedWhilePaused: get().skippedWhilePaused + skipped });
      visible = ends;
    }
    const next = applyCaptureItems(capture, visible, limits);
    if (next === capture) return;
    // Select the first connection automatically, so a user opening the panel sees events at once.
    set({ capture: next, selectedConnectionId: selectedConnectionId ?? next.order[0] ?? null });
  },
  selectConnection(id) {
    if (id === get().selectedConnectionId) return;
    set({
      selectedConnectionId: id,
      selectedSeq: null,
      selection: EMPTY_SELECTION,
      detailOpen: false,
      // Types differ between connections; a text query may be meant for all of them.
      eventFilter: { ...get().eventFilter, type: null },
    });
  },
  selectEvent(seq) {
    get().setSelection(selectOnly(seq), seq !== null);
  },
  setSelection(selection, open) {
    set({
      selection,
      selectedSeq: selection.cursor,
      detailOpen: selection.cursor === null ? false : (open ?? get().detailOpen),
    });
  },
  setDetailOpen(open) {
    set({ detailOpen: open && get().selectedSeq !== null });
  },
  reveal(connectionId, seq) {
    const state = get();
    const view = state.capture.connections.get(connectionId);
    if (!view) return;
    state.selectConnection(connectionId);
    // A hit in a connection the list's filter hides: show it, or the user sees events of no row.
    const live = !state.imported.has(connectionId) && !view.end;
    if (!passesQuery(view, live, state.connectionQuery)) {
      set({ connectionQuery: { ...state.connectionQuery, text: '', state: 'all' } });
    }
    const record = view.records[indexOfSeqIn(view.records, seq)];
    // Lift only the filters that would hide the hit.
    const eventFilter = { ...get().eventFilter };
    const query = parseQuery(eventFilter.query);
    if (record && query.ok && query.matcher && !query.matcher.test(record)) eventFilter.query = '';
    if (record && eventFilter.type !== null && record.type !== eventFilter.type) eventFilter.type = null;
    if (record && record.kind !== 'event') eventFilter.showComments = true;
    set({
      eventFilter,
      selection: selectOnly(seq),
      selectedSeq: seq,
      detailOpen: true,
      revealCount: state.revealCount + 1,
    });
  },
  clear() {
    const { capture, cleared } = get();
    set({
      capture: EMPTY_CAPTURE,
      imported: new Map(),
      cleared: cleared.with(capture.order),
      selectedConnectionId: null,
      selectedSeq: null,
      selection: EMPTY_SELECTION,
      detailOpen: false,
      skippedWhilePaused: 0,
    });
  },
  setRecording(recording) {
    set({ recording, skippedWhilePaused: 0 });
  },
  importConnections(fileName, connections) {
    const prefix = `import${++importCount}/`;
    const items: CaptureItem[] = [];
    const imported = new Map(get().imported);
    for (const { info, records, bytes, end, recordsNotKept, chunks, chunksNotKept } of connections) {
      const key = `${prefix}${info.id}`;
      imported.set(key, { fileName, originalId: info.id });
      items.push({ type: 'connection-start', connection: { ...info, id: key } });
      if (chunks?.length) items.push({ type: 'chunks', connectionId: key, chunks: [...chunks], bytes });
      if (chunksNotKept) {
        const lastSeq = (chunks?.length ?? 0) + chunksNotKept;
        items.push({ type: 'chunks-not-kept', connectionId: key, lastSeq, bytes });
      }
      items.push({ type: 'records', connectionId: key, records: [...records], bytes });
      // What the capture left out stays counted after a round trip through a file.
      if (recordsNotKept) {
        items.push({
          type: 'records-not-kept',
          connectionId: key,
          lastSeq: records.length + recordsNotKept,
          bytes,
        });
      }
      if (end) items.push({ type: 'connection-end', connectionId: key, end, bytes });
    }
    const { capture, selectedConnectionId } = get();
    const next = applyCaptureItems(capture, items);
    const firstKey = connections[0] ? `${prefix}${connections[0].info.id}` : null;
    set({ capture: next, imported, notice: null });
    // Show what was imported, as a user who just picked a file expects.
    if (firstKey) get().selectConnection(firstKey);
    else if (selectedConnectionId === null) set({ selectedConnectionId: next.order[0] ?? null });
  },
  setEventFilter(patch) {
    set({ eventFilter: { ...get().eventFilter, ...patch } });
  },
  setConnectionQuery(patch) {
    set({ connectionQuery: { ...get().connectionQuery, ...patch } });
  },
  setNotice(notice) {
    set({ notice });
  },
  setPreserveLog(preserve) {
    set({ preserveLog: preserve });
  },
  setLimits(limits) {
    savePanelLimits(limits);
    set({ limits });
  },
  setSettingsOpen(open) {
    set({ settingsOpen: open });
  },
  navigated() {
    const { preserveLog, capture, imported, cleared, selectedConnectionId } = get();
    // Kept streams of the documents that went away are ended by `documentLeft`, one document at a
    // time: Chrome reports a frame's navigation as the tab loading too.
    if (preserveLog) return;
    // Imported files are not the page's: they stay until Clear.
    const liveKeys = capture.order.filter((key) => !imported.has(key));
    const order = capture.order.filter((key) => imported.has(key));
    const connections = new Map([...capture.connections].filter(([key]) => imported.has(key)));
    const keepSelection = selectedConnectionId !== null && imported.has(selectedConnectionId);
    set({
      capture:
        order.length > 0
          ? { ...EMPTY_CAPTURE, connections, order, bytesKept: bytesOf(connections.values()) }
          : EMPTY_CAPTURE,
      cleared: cleared.with(liveKeys),
      ...(keepSelection
        ? {}
        : { selectedConnectionId: null, selectedSeq: null, selection: EMPTY_SELECTION, detailOpen: false }),
      skippedWhilePaused: 0,
    });
  },
  documentLeft(connectionIds) {
    const { capture, imported } = get();
    const left = endOpenAsPageLeft(
      capture,
      connectionIds.filter((id) => !imported.has(id)),
      Date.now(),
    );
    if (left !== capture) set({ capture: left });
  },
  setLink(status) {
    set({ link: status });
  },
}));
