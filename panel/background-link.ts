import {
  type CaptureItem,
  createPanelHello,
  isDocumentLeft,
  isPanelCapture,
  isTabNavigated,
  PANEL_PORT_NAME,
  wireToCaptureItems,
} from '../src/protocol';
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

const RECONNECT_DELAY_MS = 250;

/**
 * Keeps a port to the service worker open for the panel's lifetime. Chrome stops the worker at will;
 * on disconnect the panel says so and reconnects, and the replayed snapshot is de-duplicated by the store.
 */
export function linkToBackground(tabId: number): () => void {
  const store = usePanelStore.getState();
  let port: chrome.runtime.Port | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  // Captures that arrive together (a thousand streams starting, a backlog after a busy moment) are
  // applied as one store update: each update renders and lays out the connection list once.
  let pending: CaptureItem[] = [];
  let applyScheduled = false;
  function applyPending(): void {
    applyScheduled = false;
    const items = pending;
    pending = [];
    if (items.length > 0) usePanelStore.getState().apply(items);
  }
  function applySoon(items: CaptureItem[]): void {
    pending = pending.length === 0 ? items : pending.concat(items);
    if (applyScheduled) return;
    applyScheduled = true;
    // A task, not a microtask: the port messages already queued come first.
    setTimeout(applyPending, 0);
  }

  function connect(): void {
    if (stopped) return;
    try {
      port = chrome.runtime.connect({ name: PANEL_PORT_NAME });
    } catch {
      store.setLink('reconnecting');
      timer = setTimeout(connect, RECONNECT_DELAY_MS);
      return;
    }
    port.onMessage.addListener((message: unknown) => {
      if (isPanelCapture(message)) {
        applySoon(wireToCaptureItems(message.items));
        return;
      }
      applyPending();
      if (isTabNavigated(message)) usePanelStore.getState().navigated(message.url);
      else if (isDocumentLeft(message)) usePanelStore.getState().documentLeft(message.connectionIds);
    });
    port.onDisconnect.addListener(() => {
      port = null;
      if (stopped) return;
      store.setLink('reconnecting');
      timer = setTimeout(connect, RECONNECT_DELAY_MS);
    });
    port.postMessage(createPanelHello(tabId));
    store.setLink('connected');
  }

  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    port?.disconnect();
  };
}
