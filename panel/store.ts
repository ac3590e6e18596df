import { create } from 'zustand';
import type { CaptureItem } from '../src/protocol';
import { applyCaptureItems, type CaptureModel, EMPTY_CAPTURE } from './capture-model';

/** State of the panel's link to the service worker. */
export type LinkStatus = 'connecting' | 'connected' | 'reconnecting';

export interface PanelState {
  capture: CaptureModel;
  selectedConnectionId: string | null;
  /** `seq` of the selected event of the selected connection. */
  selectedSeq: number | null;
  link: LinkStatus;
  /** Connection ids hidden by Clear: a replay after a reconnect must not bring them back. */
  cleared: ReadonlySet<string>;
  apply(items: readonly CaptureItem[]): void;
  selectConnection(id: string | null): void;
  selectEvent(seq: number | null): void;
  clear(): void;
  /** Keep connections across navigations of the inspected tab (DevTools' "Preserve log"). */
  preserveLog: boolean;
  setPreserveLog(preserve: boolean): void;
  /** The inspected tab loaded a new document: clear unless `preserveLog`. */
  navigated(url: string): void;
  setLink(status: LinkStatus): void;
}

function itemConnectionId(item: CaptureItem): string {
  return item.type === 'connection-start' ? item.connection.id : item.connectionId;
}

export const usePanelStore = create<PanelState>()((set, get) => ({
  capture: EMPTY_CAPTURE,
  selectedConnectionId: null,
  selectedSeq: null,
  link: 'connecting',
  cleared: new Set(),
  apply(items) {
    const { cleared, capture, selectedConnectionId } = get();
    const visible = cleared.size > 0 ? items.filter((item) => !cleared.has(itemConnectionId(item))) : items;
    const next = applyCaptureItems(capture, visible);
    if (next === capture) return;
    // Select the first connection automatically, so a user opening the panel sees events at once.
    set({ capture: next, selectedConnectionId: selectedConnectionId ?? next.order[0] ?? null });
  },
  selectConnection(id) {
    set({ selectedConnectionId: id, selectedSeq: null });
  },
  selectEvent(seq) {
    set({ selectedSeq: seq });
  },
  clear() {
    const { capture, cleared } = get();
    set({
      capture: EMPTY_CAPTURE,
      cleared: new Set([...cleared, ...capture.order]),
      selectedConnectionId: null,
      selectedSeq: null,
    });
  },
  preserveLog: false,
  setPreserveLog(preserve) {
    set({ preserveLog: preserve });
  },
  navigated() {
    if (!get().preserveLog) get().clear();
  },
  setLink(status) {
    set({ link: status });
  },
}));
