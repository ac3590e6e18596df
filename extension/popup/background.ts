/** The popup's side of the popup ⇄ background messages (src/protocol.ts). */
import {
  createSettingsChange,
  createSettingsRequest,
  createTabStatsRequest,
  isSettingsMessage,
  isTabStats,
  type PopupToBackground,
  type SettingsMessage,
  type TabStatsMessage,
} from '../../src/protocol';
import type { Settings, SettingsChange } from '../../src/settings';

async function ask<T>(message: PopupToBackground, isReply: (value: unknown) => value is T): Promise<T> {
  const reply: unknown = await chrome.runtime.sendMessage(message);
  if (!isReply(reply)) throw new Error(`no valid answer to ${message.type}`);
  return reply;
}

export async function requestSettings(): Promise<Settings> {
  return (await ask(createSettingsRequest(), isSettingsMessage)).settings;
}

/** Resolves once the change is stored and the content scripts re-registered. */
export async function requestSettingsChange(change: SettingsChange): Promise<Settings> {
  return (await ask(createSettingsChange(change), isSettingsMessage)).settings;
}

export function requestTabStats(tabId: number): Promise<TabStatsMessage> {
  return ask(createTabStatsRequest(tabId), isTabStats);
}

/** What the service worker announces unasked: new counts of a tab, or settings changed elsewhere. */
export function onBackgroundNews(listener: (news: TabStatsMessage | SettingsMessage) => void): () => void {
  const handle = (message: unknown) => {
    if (isTabStats(message) || isSettingsMessage(message)) listener(message);
  };
  chrome.runtime.onMessage.addListener(handle);
  return () => chrome.runtime.onMessage.removeListener(handle);
}

/**
 * The tab the popup acts on: `?tabId=N` when opened as an ordinary tab (the end-to-end tests do),
 * else the active tab of the window whose toolbar button opened it.
 */
export async function targetTabId(): Promise<number | null> {
  const params = new URLSearchParams(location.search);
  if (params.has('tabId')) {
    const id = Number(params.get('tabId'));
    return Number.isInteger(id) && id >= 0 ? id : null;
  }
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}
