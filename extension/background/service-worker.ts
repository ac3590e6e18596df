/**
 * Service worker: a stateless router between the relays in a tab's frames and the panels that show
 * that tab; the per-site settings, with the registration of the content scripts that follows them;
 * and each tab's stream counts for the badge and the popup. Chrome may stop it at any moment; every
 * port owner reconnects (and relays report their counts again), so nothing here must survive a restart.
 */

import { backgroundPort } from '../../src/port-link';
import {
  type BackgroundToPopup,
  createDocumentLeft,
  createPanelAttached,
  createPanelCapture,
  createRelayWake,
  createSettingsMessage,
  createTabNavigated,
  createTabStats,
  isSettingsChangeMessage,
  isSettingsRequest,
  isTabStatsRequest,
  isWireItem,
  PANEL_PORT_NAME,
  RELAY_PORT_NAME,
  RELAY_PRESENT_GLOBAL,
  type RelayStatusMessage,
} from '../../src/protocol';
import { isCaptureOn, type SettingsChange, siteOfUrl } from '../../src/settings';
import { watchActionIcons } from './action-icon';
import { syncContentScripts } from './content-scripts';
import { OpenConnections } from './open-connections';
import { installOverrides } from './overrides';
import { changeSettings, loadSettings, onSettingsStored } from './settings-store';
import { StatsPublisher, TabStats } from './tab-stats';

type RelayPort = ReturnType<typeof backgroundPort<typeof RELAY_PORT_NAME>>;
type PanelPort = ReturnType<typeof backgroundPort<typeof PANEL_PORT_NAME>>;

const relaysByTab = new Map<number, Set<RelayPort>>();
const panelsByTab = new Map<number, Set<PanelPort>>();

function portsOf<P>(map: Map<number, Set<P>>, tabId: number): Set<P> {
  let ports = map.get(tabId);
  if (!ports) {
    ports = new Set();
    map.set(tabId, ports);
  }
  return ports;
}

function removePort<P>(map: Map<number, Set<P>>, tabId: number, port: P) {
  const ports = map.get(tabId);
  if (!ports) return;
  ports.delete(port);
  if (ports.size === 0) map.delete(tabId);
}

/** Whether a message or port comes from one of our own extension pages (panel, popup), not a content script. */
function isOwnPage(sender: chrome.runtime.MessageSender | undefined): boolean {
  return sender?.id === chrome.runtime.id && !!sender.url?.startsWith(chrome.runtime.getURL(''));
}

/** Tells every open extension page (popups, panels); none listening is not an error. */
function broadcast(message: BackgroundToPopup): void {
  chrome.runtime.sendMessage(message).catch(() => undefined);
}

const tabStats = new TabStats<RelayPort>();
const openConnections = new OpenConnections<RelayPort>();

const statsPublisher = new StatsPublisher((tabId) => tabStats.of(tabId), {
  // The tab may have closed meanwhile.
  setBadge: (tabId, text) => chrome.action.setBadgeText({ tabId, text }).catch(() => undefined),
  broadcast: (tabId, { total, live }) => broadcast(createTabStats(tabId, total, live)),
  schedule: (run, ms) => setTimeout(run, ms),
});

function tabStatsChanged(tabId: number): void {
  statsPublisher.changed(tabId);
}

/**
 * Relays of prerendered documents (speculation rules), held until the page is activated: until then
 * it is not the tab's page, so its streams reach no panel and count for no badge (its relay keeps
 * them). On activation the relay is taken in as any other, and sends what it kept.
 */
const prerendered = new Map<RelayPort, { tabId: number; documentId: string | undefined; activate(): void }>();

/** After a top-frame commit: activates the held relays whose documents are now the tab's. */
async function activatePrerendered(tabId: number, committedDocumentId: string | undefined): Promise<void> {
  for (const [port, held] of [...prerendered]) {
    const { documentId } = held;
    if (held.tabId !== tabId || documentId === undefined) continue;
    const frame =
      documentId === committedDocumentId
        ? { documentLifecycle: 'active' }
        : await chrome.webNavigation.getFrame({ documentId }).catch(() => null);
    if (frame?.documentLifecycle === 'active' && prerendered.has(port)) held.activate();
  }
}

/**
 * Whether capture is on for the tab's page but the page has no relay: it was loaded before capture
 * was on (or in the instant after install before the content scripts were registered). Asked in the
 * top frame's isolated world, which the page cannot see: the relay marks it as it starts.
 */
async function isUnpatched(tabId: number): Promise<boolean> {
  const tab = await chrome.tabs.get(tabId).catch(() => null);
  const site = siteOfUrl(tab?.url);
  if (site.kind !== 'site' || !isCaptureOn(await loadSettings(), site.origin)) return false;
  const [frame] = await chrome.scripting
    .executeScript({
      target: { tabId, frameIds: [0] },
      world: 'ISOLATED',
      func: (name: string) => name in globalThis,
      args: [RELAY_PRESENT_GLOBAL],
    })
    .catch(() => []);
  return frame?.result === false;
}

/** Asks every frame of the tab whose relay has captures but no port to connect (`relay-wake`). */
function wakeRelays(tabId: number): void {
  // No frame listening (no capture, or a page the extension may not run on) is not an error.
  chrome.tabs.sendMessage(tabId, createRelayWake()).catch(() => undefined);
}

function notifyRelays(tabId: number): void {
  const attached = (panelsByTab.get(tabId)?.size ?? 0) > 0;
  for (const relay of relaysByTab.get(tabId) ?? []) relay.send(createPanelAttached(attached));
}

function acceptRelay(raw: chrome.runtime.Port): void {
  // The tab comes from Chrome, never from the message: one tab cannot write into another's panel.
  const tabId = raw.sender?.tab?.id;
  if (tabId === undefined || tabId < 0) {
    raw.disconnect();
    return;
  }
  const port = backgroundPort(RELAY_PORT_NAME, raw);
  // `documentLifecycle` is the sender's at connection time (Chrome 106+).
  let held = raw.sender?.documentLifecycle === 'prerender';
  let heldStatus: RelayStatusMessage | null = null;
  const attached = () => !held && (panelsByTab.get(tabId)?.size ?? 0) > 0;
  if (held) {
    prerendered.set(port, {
      tabId,
      documentId: raw.sender?.documentId,
      activate() {
        prerendered.delete(port);
        held = false;
        portsOf(relaysByTab, tabId).add(port);
        if (heldStatus && tabStats.report(tabId, port, heldStatus)) tabStatsChanged(tabId);
        port.send(createPanelAttached(attached()));
      },
    });
  } else portsOf(relaysByTab, tabId).add(port);
  port.onMessage((message) => {
    if (held) {
      if (message.type === 'relay-status') heldStatus = message;
      return;
    }
    if (message.type === 'relay-status') {
      if (tabStats.report(tabId, port, message)) tabStatsChanged(tabId);
      return;
    }
    const panels = panelsByTab.get(tabId);
    if (!panels || panels.size === 0) return;
    const items = message.items.filter(isWireItem);
    if (items.length === 0) return;
    openConnections.note(port, items);
    const out = createPanelCapture(items);
    for (const panel of panels) panel.send(out);
  });
  port.onClose(() => {
    prerendered.delete(port);
    removePort(relaysByTab, tabId, port);
    if (tabStats.forget(tabId, port)) tabStatsChanged(tabId);
    // The document is gone (or frozen in the back/forward cache): its open streams end here for the
    // panel, which otherwise shows them live forever (a frame navigates without a tab-navigated).
    const left = openConnections.take(port);
    if (left.length === 0) return;
    const message = createDocumentLeft(left);
    for (const panel of panelsByTab.get(tabId) ?? []) panel.send(message);
  });
  port.send(createPanelAttached(attached()));
}

function acceptPanel(raw: chrome.runtime.Port): void {
  // Only our own extension pages may watch a tab.
  if (!isOwnPage(raw.sender)) {
    raw.disconnect();
    return;
  }
  const port = backgroundPort(PANEL_PORT_NAME, raw);
  let tabId: number | null = null;
  port.onMessage((message) => {
    if (tabId !== null) return;
    tabId = message.tabId;
    portsOf(panelsByTab, tabId).add(port);
    notifyRelays(tabId);
    wakeRelays(tabId);
  });
  port.onClose(() => {
    if (tabId === null) return;
    removePort(panelsByTab, tabId, port);
    notifyRelays(tabId);
  });
}

// A new document in a watched tab: the panel clears unless "preserve log" is on, as DevTools does.
// Only the top frame counts: `tabs.onUpdated` reports an iframe's navigation as `loading` too, and an
// ad frame reloading must not empty the panel. Same-document navigations (history.pushState) commit
// nothing and keep the panel as is; a page restored from the back/forward cache commits again.
// A prerendered page's activation commits too (frameId 0, its own documentId): it clears the panel
// as a navigation does, then its held relay is taken in and sends what it kept.
chrome.webNavigation.onCommitted.addListener(({ tabId, frameId, url, documentId }) => {
  if (frameId !== 0) return;
  // The counts are the old document's; its relays disconnect as it unloads, the new one's report afresh.
  if (tabStats.clear(tabId)) tabStatsChanged(tabId);
  const message = createTabNavigated(url);
  for (const panel of panelsByTab.get(tabId) ?? []) panel.send(message);
  void activatePrerendered(tabId, documentId);
});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name === RELAY_PORT_NAME) acceptRelay(port);
  else if (port.name === PANEL_PORT_NAME) acceptPanel(port);
});

chrome.tabs.onRemoved.addListener((tabId) => {
  tabStats.clear(tabId);
  statsPublisher.forget(tabId);
});

/** Stores a change, re-registers the content scripts, and only then answers (a reload may follow at once). */
async function applySettingsChange(change: SettingsChange): Promise<BackgroundToPopup> {
  const settings = await changeSettings(change);
  await syncContentScripts();
  const message = createSettingsMessage(settings);
  broadcast(message);
  return message;
}

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (!isOwnPage(sender)) return false;
  if (isTabStatsRequest(message)) {
    const { tabId } = message;
    // Counts of relays that have no port (after a worker restart) arrive as a tab-stats broadcast.
    wakeRelays(tabId);
    isUnpatched(tabId).then(
      (unpatched) => {
        const { total, live } = tabStats.of(tabId);
        sendResponse(createTabStats(tabId, total, live, unpatched));
      },
      () => sendResponse(createTabStats(tabId, tabStats.of(tabId).total, tabStats.of(tabId).live)),
    );
    return true; // the answer comes asynchronously
  }
  let reply: Promise<BackgroundToPopup>;
  if (isSettingsRequest(message)) reply = loadSettings().then(createSettingsMessage);
  else if (isSettingsChangeMessage(message)) reply = applySettingsChange(message.change);
  else return false;
  // No answer tells the popup the change failed; the error is logged here.
  reply.then(sendResponse, (error: unknown) => {
    console.error('SSE DevTools: settings request failed', error);
    sendResponse(undefined);
  });
  return true; // the answer comes asynchronously
});

installOverrides(isOwnPage);

const ignoreFailure = () => undefined; // syncContentScripts logs it
chrome.runtime.onInstalled.addListener(() => void syncContentScripts().catch(ignoreFailure));
chrome.runtime.onStartup.addListener(() => void syncContentScripts().catch(ignoreFailure));
// Settings written by another context (or another change than ours) re-register as well.
onSettingsStored(() => void syncContentScripts().catch(ignoreFailure));
void syncContentScripts().catch(ignoreFailure);
void chrome.action.setBadgeBackgroundColor({ color: '#1a73e8' });
watchActionIcons();
