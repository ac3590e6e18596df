/**
 * The service worker's part in replay: it keeps each tab's overrides (override-store.ts), answers the
 * panel's changes, tells the tab's relays which overrides are armed, and counts what they served.
 */
import {
  type BackgroundToPanelOverrides,
  createOverrides,
  createRelayOverrides,
  isOverrideServed,
  isPanelOverridesMessage,
  isRelayOverridesRequest,
  isReplayAgentRequest,
  type PanelToBackgroundOverrides,
} from '../../src/protocol';
import { syncContentScripts } from './content-scripts';
import { type OverrideChange, OverrideStore } from './override-store';

// A change of whether any override exists changes the scripts new documents get (relay-armed.js).
const store = new OverrideStore(chrome.storage.session, chrome.storage.local, syncContentScripts);

/** The exact origin of a tab's page ('' when unknown): what pinned overrides are kept by. */
async function originOfTab(tabId: number): Promise<string> {
  const tab = await chrome.tabs.get(tabId).catch(() => null);
  return originOfUrl(tab?.url);
}

function originOfUrl(url: string | undefined): string {
  try {
    const origin = url ? new URL(url).origin : '';
    return origin === 'null' ? '' : origin;
  } catch {
    return '';
  }
}

/** Tells the tab's relays (every frame) its armed overrides, and its panels the whole list. */
async function tellTab(tabId: number, origin: string): Promise<void> {
  const list = await store.list(tabId, origin);
  chrome.tabs.sendMessage(tabId, createRelayOverrides(list.filter((o) => o.enabled))).catch(() => undefined); // no relay in the tab (capture off there, or a browser page)
  broadcast(createOverrides(tabId, list));
}

async function tellChanged(change: OverrideChange | null, origin: string): Promise<void> {
  if (!change) return;
  if (change.pinnedOrigin === null) return tellTab(change.tabId, origin);
  // A pinned override concerns every tab showing its site.
  const tabs = await chrome.tabs.query({});
  const concerned = tabs.filter(
    (tab) => tab.id === change.tabId || originOfUrl(tab.url) === change.pinnedOrigin,
  );
  await Promise.all(
    concerned.map((tab) => (tab.id === undefined ? null : tellTab(tab.id, originOfUrl(tab.url)))),
  );
}

function broadcast(message: BackgroundToPanelOverrides): void {
  chrome.runtime.sendMessage(message).catch(() => undefined);
}

async function onPanelMessage(message: PanelToBackgroundOverrides): Promise<BackgroundToPanelOverrides> {
  const { tabId } = message;
  const origin = await originOfTab(tabId);
  switch (message.type) {
    case 'override-arm':
      // Pinning keeps an override to the site the tab shows now.
      await tellChanged(
        await store.arm(tabId, { ...message.override, origin: origin || message.override.origin }),
        origin,
      );
      break;
    case 'override-change':
      await tellChanged(await store.change(tabId, origin, message.id, message.patch), origin);
      break;
    case 'override-remove':
      await tellChanged(await store.remove(tabId, origin, message.id), origin);
      break;
    case 'overrides-request':
      break;
  }
  return createOverrides(tabId, await store.list(tabId, origin));
}

/**
 * Injects the replay agent into the page world of the relay's frame (only frames of tabs with armed
 * overrides ever get it; the page agent in every other frame carries no replay code).
 */
async function injectReplayAgent(tabId: number, sender: chrome.runtime.MessageSender): Promise<void> {
  const target: chrome.scripting.InjectionTarget = sender.documentId
    ? { tabId, documentIds: [sender.documentId] }
    : { tabId, frameIds: [sender.frameId ?? 0] };
  await chrome.scripting
    .executeScript({ target, world: 'MAIN', injectImmediately: true, files: [REPLAY_AGENT_FILE] })
    .catch((error: unknown) => console.warn('SSE DevTools: replay agent not injected', error));
}

/** Built by vite.config.ts beside the page agent. */
const REPLAY_AGENT_FILE = 'content-scripts/replay-agent.js';

/** Installs the listeners; `isOwnPage` tells our extension pages (the panel) from content scripts. */
export function installOverrides(isOwnPage: (sender: chrome.runtime.MessageSender) => boolean): void {
  chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id) return false;
    if (isOwnPage(sender)) {
      if (!isPanelOverridesMessage(message)) return false;
      onPanelMessage(message).then(sendResponse, (error: unknown) => {
        console.error('SSE DevTools: override request failed', error);
        sendResponse(undefined);
      });
      return true;
    }
    // A relay: its tab comes from Chrome, never from the message.
    const tabId = sender.tab?.id;
    if (tabId === undefined || tabId < 0) return false;
    const origin = originOfUrl(sender.tab?.url);
    if (isRelayOverridesRequest(message)) {
      store.armed(tabId, origin).then(
        (overrides) => sendResponse(createRelayOverrides(overrides)),
        () => sendResponse(createRelayOverrides([])),
      );
      return true;
    }
    if (isReplayAgentRequest(message)) {
      void injectReplayAgent(tabId, sender).then(() => sendResponse(true));
      return true;
    }
    if (isOverrideServed(message)) {
      void store
        .served(tabId, origin, message.id)
        .then(async (change) => change && broadcast(createOverrides(tabId, await store.list(tabId, origin))))
        .catch(() => undefined);
    }
    return false;
  });
  chrome.tabs.onRemoved.addListener((tabId) => void store.forgetTab(tabId).catch(() => undefined));
  // Session overrides do not outlive the browser session; the flag must not either.
  void store.updateArmedFlag().catch(() => undefined);
}
