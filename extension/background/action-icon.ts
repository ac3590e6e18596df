/**
 * The toolbar icon per tab: full colour where capture is on for the tab's site, dimmed where it is off
 * or where no extension may run, with a title that says which. The live-stream badge is set apart
 * (service-worker.ts) and shows over either icon.
 */
import type { MessageKey } from '../../src/i18n';
import { isCaptureOn, type Settings, siteOfUrl } from '../../src/settings';
import { ACTION_ICONS, type ActionIconVariant } from '../icons/action-icons';
import { loadSettings, onSettingsStored } from './settings-store';

/** What the toolbar shows for one tab. */
export interface ActionLook {
  variant: ActionIconVariant;
  title: MessageKey;
}

/** The toolbar's look for a tab showing `url` (undefined: a page whose URL Chrome hides from us) under `settings`. */
export function actionLookFor(settings: Settings, url: string | undefined): ActionLook {
  const site = siteOfUrl(url);
  if (site.kind === 'restricted') return { variant: 'off', title: 'actionTitleRestricted' };
  return isCaptureOn(settings, site.origin)
    ? { variant: 'on', title: 'actionTitleOn' }
    : { variant: 'off', title: 'actionTitleOff' };
}

async function showLook(tabId: number, look: ActionLook): Promise<void> {
  // The tab may have closed meanwhile: nothing to show then.
  await Promise.all([
    chrome.action.setIcon({ tabId, path: ACTION_ICONS[look.variant] }),
    // chrome.i18n directly: src/i18n's English fallback would bundle every message into the worker.
    chrome.action.setTitle({ tabId, title: chrome.i18n.getMessage(look.title) }),
  ]).catch(() => undefined);
}

/**
 * The look Chrome gives a tab by itself: the manifest's `action.default_icon` and `default_title`.
 * Chrome goes back to it in a tab at each new document (tab-specific icon, title and badge are reset
 * on navigation), so a tab on a site where capture is on needs no call at all.
 */
const MANIFEST_LOOK: ActionLook = { variant: 'on', title: 'actionTitleOn' };

const sameLook = (a: ActionLook, b: ActionLook): boolean => a.variant === b.variant && a.title === b.title;

/**
 * Sends `look`, worked out for the tab's `url` under `settings`. The tab may have loaded another
 * document while it was sent, and Chrome's reset have come first: then the look of what the tab
 * shows now is sent too, the manifest's included.
 */
async function sendLook(
  tabId: number,
  url: string | undefined,
  look: ActionLook,
  settings: Settings,
): Promise<void> {
  await showLook(tabId, look);
  const now = await chrome.tabs.get(tabId).catch(() => null);
  if (!now || now.url === url) return;
  const current = actionLookFor(settings, now.url);
  if (!sameLook(current, look)) await showLook(tabId, current);
}

let updating: Promise<unknown> = Promise.resolve();

/**
 * Runs `update` after the updates already under way, so that the last one to be asked for reads the
 * latest settings and tab URL and is the one left showing.
 */
function queue(update: () => Promise<void>): Promise<void> {
  const run = updating.then(update);
  updating = run.catch((error: unknown) => console.error('SSE DevTools: toolbar icon update failed', error));
  return run;
}

/** The settings, read once and again only after they change: a navigation costs no storage read. */
let settingsRead: Promise<Settings> | null = null;
const currentSettings = (): Promise<Settings> => {
  settingsRead ??= loadSettings();
  return settingsRead;
};

/**
 * Shows the right look in a tab that has just loaded a new document (Chrome has put the manifest's
 * back), reading its URL when its turn comes. Most tabs are on a site where capture is on, whose look
 * is the manifest's: then nothing is sent to Chrome. Decoding the icon's PNGs and sending icon and
 * title at each navigation, on the cores the page loads on, was 4 % of the load time of a page with
 * 20 iframes (bench figure 3).
 */
function updateNavigatedTab(tabId: number): Promise<void> {
  return queue(async () => {
    const tab = await chrome.tabs.get(tabId).catch(() => null);
    if (!tab) return;
    const settings = await currentSettings();
    const look = actionLookFor(settings, tab.url);
    if (!sameLook(look, MANIFEST_LOOK)) await sendLook(tabId, tab.url, look, settings);
  });
}

/** Shows the right icon in every tab (after install, a browser start, or a settings change). */
export function updateAllTabs(): Promise<void> {
  return queue(async () => {
    const [tabs, current] = await Promise.all([chrome.tabs.query({}), currentSettings()]);
    await Promise.all(
      tabs.map((tab) =>
        tab.id === undefined
          ? undefined
          : sendLook(tab.id, tab.url, actionLookFor(current, tab.url), current),
      ),
    );
  });
}

/**
 * Keeps every tab's toolbar icon in step with its site and the settings. Call once at the service
 * worker's top level, so that the listeners are registered before Chrome delivers the event that woke it.
 * Chrome keeps a tab's icon while the extension runs, also while this worker is stopped, until the tab
 * loads a new document; so all tabs are only updated when the extension starts or the settings change.
 */
export function watchActionIcons(): void {
  chrome.tabs.onUpdated.addListener((tabId, change) => {
    // A new URL, or a new document loading (Chrome reports a reload's URL too).
    if (change.url !== undefined || change.status === 'loading') void updateNavigatedTab(tabId);
  });
  // A prerendered or restored page takes the place of a tab under a new id.
  chrome.tabs.onReplaced.addListener((addedTabId) => void updateNavigatedTab(addedTabId));
  chrome.runtime.onInstalled.addListener(() => void updateAllTabs());
  chrome.runtime.onStartup.addListener(() => void updateAllTabs());
  onSettingsStored(() => {
    settingsRead = null;
    void updateAllTabs();
  });
}
