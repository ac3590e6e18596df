/**
 * Service worker: a stateless router between the relays in a tab's frames and the panels that show
 * that tab, plus registration of the content scripts. Chrome may stop it at any moment; every
 * port owner reconnects, so nothing here must survive a restart.
 */
import {
  createPanelAttached,
  createPanelCapture,
  createTabNavigated,
  isCaptureItem,
  isPanelHello,
  isRelayCapture,
  PANEL_PORT_NAME,
  RELAY_PORT_NAME,
} from '../../src/protocol';
import { syncContentScripts } from './content-scripts';

const relaysByTab = new Map<number, Set<chrome.runtime.Port>>();
const panelsByTab = new Map<number, Set<chrome.runtime.Port>>();

function portsOf(map: Map<number, Set<chrome.runtime.Port>>, tabId: number): Set<chrome.runtime.Port> {
  let ports = map.get(tabId);
  if (!ports) {
    ports = new Set();
    map.set(tabId, ports);
  }
  return ports;
}

function removePort(map: Map<number, Set<chrome.runtime.Port>>, tabId: number, port: chrome.runtime.Port) {
  const ports = map.get(tabId);
  if (!ports) return;
  ports.delete(port);
  if (ports.size === 0) map.delete(tabId);
}

function safePost(port: chrome.runtime.Port, message: unknown): void {
  try {
    port.postMessage(message);
  } catch {
    // The other side went away; its onDisconnect cleans up.
  }
}

function notifyRelays(tabId: number): void {
  const attached = (panelsByTab.get(tabId)?.size ?? 0) > 0;
  for (const relay of relaysByTab.get(tabId) ?? []) safePost(relay, createPanelAttached(attached));
}

function acceptRelay(port: chrome.runtime.Port): void {
  // The tab comes from Chrome, never from the message: one tab cannot write into another's panel.
  const tabId = port.sender?.tab?.id;
  if (tabId === undefined || tabId < 0) {
    port.disconnect();
    return;
  }
  portsOf(relaysByTab, tabId).add(port);
  port.onMessage.addListener((message: unknown) => {
    if (!isRelayCapture(message)) return;
    const panels = panelsByTab.get(tabId);
    if (!panels || panels.size === 0) return;
    const items = message.items.filter(isCaptureItem);
    if (items.length === 0) return;
    const out = createPanelCapture(items);
    for (const panel of panels) safePost(panel, out);
  });
  port.onDisconnect.addListener(() => removePort(relaysByTab, tabId, port));
  safePost(port, createPanelAttached((panelsByTab.get(tabId)?.size ?? 0) > 0));
}

function acceptPanel(port: chrome.runtime.Port): void {
  // Only our own extension pages may watch a tab.
  if (port.sender?.id !== chrome.runtime.id || !port.sender.url?.startsWith(chrome.runtime.getURL(''))) {
    port.disconnect();
    return;
  }
  let tabId: number | null = null;
  port.onMessage.addListener((message: unknown) => {
    if (!isPanelHello(message) || tabId !== null) return;
    tabId = message.tabId;
    portsOf(panelsByTab, tabId).add(port);
    notifyRelays(tabId);
  });
  port.onDisconnect.addListener(() => {
    if (tabId === null) return;
    removePort(panelsByTab, tabId, port);
    notifyRelays(tabId);
  });
}

// A new document in a watched tab: the panel clears unless "preserve log" is on, as DevTools does.
// Same-document navigations (history.pushState) do not report `loading` and keep the panel as is.
chrome.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status !== 'loading') return;
  const panels = panelsByTab.get(tabId);
  if (!panels) return;
  const message = createTabNavigated(change.url ?? tab.url ?? '');
  for (const panel of panels) safePost(panel, message);
});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name === RELAY_PORT_NAME) acceptRelay(port);
  else if (port.name === PANEL_PORT_NAME) acceptPanel(port);
});

chrome.runtime.onInstalled.addListener(() => void syncContentScripts());
chrome.runtime.onStartup.addListener(() => void syncContentScripts());
void syncContentScripts();
