import { PANEL_APPLY_WAIT_MS } from '../src/limits';
import { PortLink } from '../src/port-link';
import { type CaptureItem, createPanelHello, PANEL_PORT_NAME } from '../src/protocol';
import { ChunkParsers } from './chunk-parsers';
import { usePanelStore } from './store';
/** The inspected tab: from DevTools, or `?tabId=N` when the panel is opened as an ordinary tab. */
export function inspectedTabId(): number | null {
  const fromDevtools = globalThis.chrome?.devtools?.inspectedWindow?.tabId;
  if (typeof fromDevtools === 'number') return fromDevtools;
  const fromQuery = Number(new URLSearchParams(location.search).get('tabId'));
  return Number.isInteger(fromQuery) && fromQuery >= 0 && new URLSearchParams(location.search).has('tabId')
    ? fromQuery
    : null;
}

/**
 * Keeps a port to the service worker open for the panel's lifetime. Chrome stops the worker at will;
 * on disconnect the panel says so and reconnects (src/port-link.ts), and the replayed snapshot is
 * de-duplicated by seq (chunks here, records in the store).
 */
export function linkToBackground(tabId: number): () => void {
  const store = usePanelStore.getState();
  const parsers = new ChunkParsers(() => ({ maxEventChars: usePanelStore.getState().limits.maxEventChars }));

  // Captures that arrive together (a thousand streams starting, a backlog after a busy moment, the
  // messages of one frame's time) are applied as one store update, at most one per frame: each update
  // renders, and following the event table's end makes the browser lay the panel out there and then
  // (three forced layouts per update, some 1.5 ms each; 1 000 events/s came as 120 messages a second).
  let pending: CaptureItem[] = [];
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  function applyPending(): void {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = 0;
    timer = undefined;
    const items = pending;
    pending = [];
    if (items.length > 0) usePanelStore.getState().apply(items);
  }
  function applySoon(items: CaptureItem[]): void {
    pending = pending.length === 0 ? items : pending.concat(items);
    if (timer !== undefined) return;
    // A hidden panel (another DevTools tab in front) gets no frames: the timer applies then.
    frame = requestAnimationFrame(applyPending);
    timer = setTimeout(applyPending, document.visibilityState === 'hidden' ? 0 : PANEL_APPLY_WAIT_MS);
  }

  const link = new PortLink(PANEL_PORT_NAME, {
    onOpen(open) {
      open.send(createPanelHello(tabId));
      store.setLink('connected');
    },
    onMessage(message) {
      if (message.type === 'panel-capture') {
        applySoon(parsers.toCaptureItems(message.items));
        return;
      }
      applyPending();
      if (message.type === 'tab-navigated') usePanelStore.getState().navigated(message.url);
      else {
        parsers.forget(message.connectionIds);
        usePanelStore.getState().documentLeft(message.connectionIds);
      }
    },
    onClose() {
      store.setLink('reconnecting');
      return 'reconnect';
    },
  });
  if (!link.connect()) store.setLink('reconnecting');
  return () => link.stop();
}
