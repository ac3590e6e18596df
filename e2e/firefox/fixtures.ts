/**
 * Playwright fixtures for the Firefox specs (e2e/firefox/*.spec.ts): the Playwright runner, with its
 * `expect`, loopback servers and JSON report, drives Debian's firefox-esr through `puppeteer-core`
 * over WebDriver BiDi (Playwright's own Firefox is a patched build that cannot be downloaded here).
 *
 * - One Firefox per worker with the extension's test build (`npm run build:firefox-test`, written to
 *   dist-firefox-test/) installed as a temporary add-on, and one plain Firefox without it, for the
 *   with/without comparisons. Each test gets fresh tabs, closed after it: captures live in a tab's
 *   documents, so tests do not see each other's.
 * - The `moz-extension://` origin is fixed by the `extensions.webextensions.uuids` preference.
 * - BiDi refuses to navigate a tab to a `moz-extension://` page. The test build carries a hook
 *   (extension/background/firefox-test-hooks.ts): a tab sent to `/__sse-devtools-test__/open?page=…&for=…`
 *   on a loopback server is turned by the extension itself into the panel or popup for the tab
 *   showing `for`; puppeteer keeps driving that same tab.
 * - Downloads (the panel's Export) go to a folder of the worker without asking.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../build/firefox';
import { type ExportFile, exportFileSchema } from '../../src/export/schema';
import { test as base } from '../support/fixtures';
import type { SseServer } from '../support/sse-server';

export type { Browser, Page } from 'puppeteer-core';
export { expect } from '../support/fixtures';

/** The Firefox test build: `dist-firefox-test/`, or `SSE_FIREFOX_DIST`. */
export const FIREFOX_DIST = resolve(process.env.SSE_FIREFOX_DIST ?? 'dist-firefox-test');
export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
/** The add-on's internal UUID, fixed by preference: its pages live at `moz-extension://<UUID>/`. */
export const EXTENSION_UUID = '5e3d1c2a-7b4f-4e8a-9c6d-0f1e2d3c4b5a';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;
const HOOK_PATH = '/__sse-devtools-test__/open';

/** Preferences for a quiet, fast test Firefox (no network of its own, no first-run pages). */
const QUIET_PREFS: Record<string, unknown> = {
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'datareporting.policy.dataSubmissionEnabled': false,
  'extensions.getAddons.cache.enabled': false,
  'network.connectivity-service.enabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
};

async function launchFirefox(prefs: Record<string, unknown>): Promise<Browser> {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(`${FIREFOX_PATH} is missing: apt-get install firefox-esr (or set FIREFOX_PATH)`);
  }
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: { ...QUIET_PREFS, ...prefs },
  });
}

/** The colour scheme pages see (`prefers-color-scheme`): puppeteer cannot emulate it over BiDi. */
export const COLOR_SCHEME_PREF = 'layout.css.prefers-color-scheme.content-override';
export const COLOR_SCHEME = { dark: 0, light: 1 } as const;

/**
 * A Firefox with the extension's test build installed, its content scripts registered; `hookUrl` is
 * the test hook's URL on a loopback server of the caller. Light unless `prefs` say otherwise.
 */
export async function launchExtensionFirefox(
  hookUrl: string,
  prefs: Record<string, unknown> = {},
): Promise<Browser> {
  if (!existsSync(join(FIREFOX_DIST, 'manifest.json'))) {
    throw new Error(`${FIREFOX_DIST}/manifest.json is missing: run npm run build:firefox-test first`);
  }
  const browser = await launchFirefox({
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
    [COLOR_SCHEME_PREF]: COLOR_SCHEME.light,
    ...prefs,
  });
  try {
    await browser.installExtension(FIREFOX_DIST);
    await untilContentScriptsRegistered(browser, hookUrl);
  } catch (error) {
    await browser.close();
    throw error;
  }
  return browser;
}

/** Opens, in a new tab of `browser`, the extension page `path` for the tab showing `inspected`. */
export async function openExtensionPageIn(
  browser: Browser,
  server: SseServer,
  path: 'panel/index.html' | 'extension/popup/index.html',
  inspected: Page,
): Promise<Page> {
  return openExtensionPage(await browser.newPage(), server.url(HOOK_PATH), path, inspected.url());
}

export interface FirefoxFixtures {
  /** A fresh tab in the Firefox with the extension (closed after the test). */
  firefoxPage: Page;
  /** Opens a new tab in the Firefox with the extension (closed after the test). */
  newFirefoxPage: () => Promise<Page>;
  /** A fresh tab in the plain Firefox without the extension (closed after the test). */
  plainFirefoxPage: Page;
  /** Opens the panel, as a tab, for the tab showing `page` (its URL must be unique among the tabs). */
  openFirefoxPanel: (page: Page) => Promise<Page>;
  /** Opens the popup, as a tab, acting on the tab showing `page`. */
  openFirefoxPopup: (page: Page) => Promise<Page>;
  /** Exports all connections as JSON from the panel, reads the downloaded file, checks it. */
  exportFromFirefoxPanel: (panel: Page) => Promise<ExportFile>;
}

export interface FirefoxWorkerFixtures {
  /** Firefox with the extension's test build installed (one per worker). */
  firefox: Browser;
  /** Firefox without the extension (one per worker). */
  plainFirefox: Browser;
  /** Where `firefox` saves downloads. */
  firefoxDownloads: string;
}

export const test = base.extend<FirefoxFixtures, FirefoxWorkerFixtures>({
  firefoxDownloads: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires a destructuring pattern here.
    async ({}, use) => {
      const dir = await mkdtemp(join(tmpdir(), 'sse-devtools-firefox-downloads-'));
      await use(dir);
      await rm(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],

  firefox: [
    async ({ firefoxDownloads, workerServer }, use) => {
      const browser = await launchExtensionFirefox(workerServer.url(HOOK_PATH), {
        'browser.download.dir': firefoxDownloads,
        'browser.download.folderList': 2,
        'browser.download.useDownloadDir': true,
        'browser.download.always_ask_before_handling_new_types': false,
        'browser.download.alwaysOpenPanel': false,
      });
      await use(browser);
      await browser.close();
    },
    // Starting Firefox and installing the add-on takes a few seconds, far more on a loaded machine.
    { scope: 'worker', timeout: 60_000 },
  ],

  plainFirefox: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires a destructuring pattern here.
    async ({}, use) => {
      const browser = await launchFirefox({});
      await use(browser);
      await browser.close();
    },
    // Starting Firefox and installing the add-on takes a few seconds, far more on a loaded machine.
    { scope: 'worker', timeout: 60_000 },
  ],

  newFirefoxPage: async ({ firefox }, use) => {
    const opened: Page[] = [];
    await use(async () => {
      const page = await firefox.newPage();
      opened.push(page);
      return page;
    });
    for (const page of opened) await page.close().catch(() => {});
  },

  firefoxPage: async ({ newFirefoxPage }, use) => {
    await use(await newFirefoxPage());
  },

  plainFirefoxPage: async ({ plainFirefox }, use) => {
    const page = await plainFirefox.newPage();
    await use(page);
    await page.close().catch(() => {});
  },

  openFirefoxPanel: async ({ newFirefoxPage, server }, use) => {
    await use(async (page) => {
      const panel = await openExtensionPage(
        await newFirefoxPage(),
        server.url(HOOK_PATH),
        'panel/index.html',
        page.url(),
      );
      await waitInPage(panel, () => document.querySelector('.toolbar, [role="toolbar"], button') !== null);
      return panel;
    });
  },

  openFirefoxPopup: async ({ newFirefoxPage, server }, use) => {
    await use(async (page) =>
      openExtensionPage(
        await newFirefoxPage(),
        server.url(HOOK_PATH),
        'extension/popup/index.html',
        page.url(),
      ),
    );
  },

  exportFromFirefoxPanel: async ({ firefoxDownloads }, use) => {
    await use(async (panel) => {
      const before = new Set(await readdir(firefoxDownloads));
      await clickByText(panel, 'button', /^Export/);
      await clickByText(panel, '[role="menuitem"]', /^All connections · JSON$/);
      return exportFileSchema.parse(await untilNewJsonFile(firefoxDownloads, before));
    });
  },
});

/** Sends `tab` through the test hook to the extension page `path` for the tab showing `inspected`. */
async function openExtensionPage(
  tab: Page,
  hookUrl: string,
  path: string,
  inspected?: string,
): Promise<Page> {
  const hook = new URL(hookUrl);
  hook.searchParams.set('page', path);
  if (inspected) hook.searchParams.set('for', inspected);
  const wanted = `${EXTENSION_ORIGIN}/${path}?`;
  let at = '';
  // Retried: right after the install, the background may not be listening yet.
  for (let attempt = 0; attempt < 10 && !at.startsWith(wanted); attempt++) {
    // The extension turns the navigation into its own page, so BiDi reports this one as aborted.
    await tab.goto(hook.href).catch(() => {});
    for (const deadline = Date.now() + 1000; Date.now() < deadline; ) {
      at = await tab.evaluate(() => location.href).catch(() => '');
      if (at.startsWith(wanted)) break;
      await delay(50);
    }
  }
  if (!at.startsWith(wanted)) {
    throw new Error(
      `the test hook did not open ${path} (the tab is at ${at || 'an unknown URL'}): is ${FIREFOX_DIST} the test build?`,
    );
  }
  if (at.endsWith('tabId=none'))
    throw new Error(`no tab shows ${inspected}: the hook found nothing to open ${path} for`);
  await waitInPage(tab, () => document.readyState === 'complete');
  return tab;
}

/** The scripts the extension has registered, read from one of its pages. */
export async function registeredScripts(page: Page) {
  return page.evaluate(async () =>
    (await chrome.scripting.getRegisteredContentScripts()).map((s) => ({
      id: s.id,
      matches: s.matches ?? [],
      excludeMatches: s.excludeMatches ?? [],
      world: s.world,
      matchOriginAsFallback: s.matchOriginAsFallback,
      persistAcrossSessions: s.persistAcrossSessions,
    })),
  );
}

/** Waits, after the install, until the background has registered both content scripts. */
async function untilContentScriptsRegistered(browser: Browser, hookUrl: string): Promise<void> {
  const tab = await browser.newPage();
  try {
    await openExtensionPage(tab, hookUrl, 'panel/index.html', undefined).catch(async (error: unknown) => {
      // `tabId=none` is expected here: no tab is inspected.
      if (!String(error).includes('found nothing')) throw error;
    });
    let ids: string[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      ids = (await registeredScripts(tab)).map((s) => s.id);
      if (['sse-devtools-agent', 'sse-devtools-relay'].every((id) => ids.includes(id))) return;
      await delay(100);
    }
    throw new Error(
      `the extension did not register its content scripts within 10 s (registered: ${ids.join(', ') || 'none'})`,
    );
  } finally {
    await tab.close();
  }
}

/**
 * Calls `attempt` every 50 ms, up to `timeoutMs`, until it gives something other than null. An
 * attempt that throws (the document is being replaced) counts as null; the last such error is in
 * the timeout's message.
 */
async function poll<T>(attempt: () => Promise<T | null>, what: string, timeoutMs = 30_000): Promise<T> {
  let lastError: unknown = null;
  for (const deadline = Date.now() + timeoutMs; ; ) {
    try {
      const result = await attempt();
      if (result !== null) return result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: none after ${timeoutMs} ms (last error: ${lastError})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until `predicate`, evaluated in `page`, returns true. Not puppeteer's waitForFunction or
 * waitForSelector: their injected helper builds the predicate with `Function()`, which Firefox 140.12
 * blocks under an extension page's CSP ("call to Function() blocked by CSP"); `evaluate` sends the
 * function itself over WebDriver BiDi.
 */
export async function waitInPage<A extends unknown[]>(
  page: Page,
  predicate: (...args: A) => boolean,
  args: A = [] as unknown as A,
): Promise<void> {
  const evaluate = page.evaluate.bind(page) as (fn: (...a: A) => boolean, ...a: A) => Promise<boolean>;
  await poll(async () => ((await evaluate(predicate, ...args)) ? true : null), `waitInPage ${predicate}`);
}

/** Clicks, with the browser's input, the first `selector` element whose text matches `text`. */
export async function clickByText(page: Page, selector: string, text: RegExp): Promise<void> {
  const element = await poll(async () => {
    const handle = await page.evaluateHandle(
      (sel: string, source: string, flags: string) => {
        const pattern = new RegExp(source, flags);
        return (
          [...document.querySelectorAll<HTMLElement>(sel)].find((el) => pattern.test(el.textContent ?? '')) ??
          null
        );
      },
      selector,
      text.source,
      text.flags,
    );
    const element = handle.asElement() as ElementHandle<Element> | null;
    if (!element) await handle.dispose();
    return element;
  }, `clickByText ${selector} ${text}`);
  await element.click();
}

/** The text of every element matching `selector`, in document order. */
export function textsOf(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (elements) => elements.map((el) => el.textContent ?? ''));
}

/** The parsed contents of the first new `.json` file in `dir` once Firefox has finished writing it. */
async function untilNewJsonFile(dir: string, before: Set<string>): Promise<unknown> {
  let last = '';
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const files = await readdir(dir);
    // Firefox creates the file empty, writes `<name>.part`, then moves it into place.
    const fresh = files.find((f) => !before.has(f) && f.endsWith('.json') && !files.includes(`${f}.part`));
    if (fresh) {
      last = await readFile(join(dir, fresh), 'utf8');
      try {
        return JSON.parse(last);
      } catch {
        // Not complete yet.
      }
    }
    await delay(50);
  }
  throw new Error(
    `no complete .json download appeared in ${dir} within 10 s (last read: ${last.length} chars)`,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
