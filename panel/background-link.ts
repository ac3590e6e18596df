import { PANEL_APPLY_WAIT_MS } from '../src/limits';
import { PortLink } from '../src/port-link';
import { type CaptureItem, createPanelHello, PANEL_PORT_NAME } from '../src/protocol';
import { ChunkParsers } from './chunk-parsers';
import { BROWSER_CLOCK, frameBatch } from './frame-batch';
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
  // (1 000 events/s came as 120 messages a second; `node bench/profile.mjs --panel --rate 1000`).
  const captures = frameBatch<CaptureItem>(
    (items) => usePanelStore.getState().apply(items),
    BROWSER_CLOCK,
    PANEL_APPLY_WAIT_MS,
  );

  const link = new PortLink(PANEL_PORT_NAME, {
    onOpen(open) {
      open.send(createPanelHello(tabId));
      store.setLink('connected');
    },
    onMessage(message) {
      if (message.type === 'panel-capture') {
        captures.add(parsers.toCaptureItems(message.items));
        return;
      }
      captures.flush();
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
