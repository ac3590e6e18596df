/**
 * Playwright fixtures for driving the built extension (`dist/`) in a real Chromium.
 *
 * Every test gets a fresh persistent context (extensions need one) with the extension loaded, its
 * service worker, and a loopback server whose routes are reset before the test. See
 * docs/browser-testing.md for why each piece is done this way.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, test as base, chromium, type Page, type Worker } from '@playwright/test';
import { type SseServer, startSseServer } from './sse-server';

export { expect } from '@playwright/test';
export type { RecordedRequest, Step, StreamScript } from './sse-server';

/** The built extension: `dist/`, or `SSE_DIST` (lets parallel work build into its own folder). */
export const DIST = resolve(process.env.SSE_DIST ?? 'dist');
/** Ids under which the service worker registers the content scripts at startup. */
export const CONTENT_SCRIPT_IDS = ['sse-devtools-agent', 'sse-devtools-relay'] as const;

const EXTENSION_SW = (worker: Worker) => worker.url().startsWith('chrome-extension://');

export interface ExtensionOptions {
  /**
   * Wait, when the context starts, until the service worker has registered both content scripts.
   * Default true: a page loaded before that would silently run without the agent.
   */
  waitForContentScripts: boolean;
  /** Extra Chromium switches, e.g. `--auto-open-devtools-for-tabs` for the real-DevTools smoke test. */
  chromiumArgs: string[];
  /**
   * Keep Chromium's back/forward cache on. Playwright turns it off by default
   * (`--disable-back-forward-cache`); the reliability specs need it to take a page back and forth.
   */
  backForwardCache: boolean;
  /** The unpacked extension to load: `DIST` unless a spec loads another copy (the release zip's contents). */
  extensionDir: string;
}

export interface ExtensionFixtures {
  /** Fresh persistent context with the extension loaded (one per test). */
  context: BrowserContext;
  /** The context's first tab (persistent contexts open one). */
  page: Page;
  /** The extension's service worker. */
  serviceWorker: Worker;
  /** The extension's id (host of its `chrome-extension://` URLs). */
  extensionId: string;
  /** Loopback server for pages and streams; routes, releases and request logs reset before each test. */
  server: SseServer;
  /** A second loopback server (another origin, CORS enabled), reset before each test. */
  crossOriginServer: SseServer;
  /** The `chrome.tabs` id of a page of this context (looked up by its exact URL). */
  tabIdOf: (page: Page) => Promise<number>;
  /** Open the panel as an ordinary tab for `tabId` (`panel/index.html?tabId=<n>`) and return it. */
  openPanel: (tabId: number) => Promise<Page>;
  /** Open the popup as an ordinary tab acting on `tabId` (`extension/popup/index.html?tabId=<n>`) and return it. */
  openPopup: (tabId: number) => Promise<Page>;
}

interface WorkerFixtures {
  workerServer: SseServer;
  workerCrossOriginServer: SseServer;
}

/**
 * A worker-scoped fixture: a plain Chromium without the extension, for specs that run the same
 * script with and without it (`plainContext: plainChromiumFixture` in their `test.extend`).
 */
export const plainChromiumFixture = [
  // biome-ignore lint/correctness/noEmptyPattern: Playwright requires a destructuring pattern here.
  async ({}, use: (context: BrowserContext) => Promise<void>) => {
    const userDataDir = await mkdtemp(join(tmpdir(), 'sse-devtools-plain-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    await use(context);
    await context.close().catch(() => {});
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  },
  { scope: 'worker' as const },
] satisfies [unknown, { scope: 'worker' }];

export const test = base.extend<ExtensionFixtures & ExtensionOptions, WorkerFixtures>({
  waitForContentScripts: [true, { option: true }],
  chromiumArgs: [[], { option: true }],
  backForwardCache: [false, { option: true }],
  extensionDir: [DIST, { option: true }],

  context: async ({ waitForContentScripts, chromiumArgs, backForwardCache, extensionDir }, use, testInfo) => {
    if (!existsSync(join(extensionDir, 'manifest.json'))) {
      throw new Error(`${join(extensionDir, 'manifest.json')} is missing: run npm run build first`);
    }
    const userDataDir = await mkdtemp(join(tmpdir(), 'sse-devtools-e2e-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      args: [
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        // Keep Chromium from fetching components, sync or field trials: the network is not ours to use,
        // and background traffic would only add noise and start-up time.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        ...chromiumArgs,
      ],
      ignoreDefaultArgs: backForwardCache ? ['--disable-back-forward-cache'] : [],
    });
    try {
      const worker = await extensionServiceWorker(context);
      if (waitForContentScripts) await untilContentScriptsRegistered(worker);
      await use(context);
    } finally {
      await context.close().catch((error: unknown) => {
        testInfo.annotations.push({ type: 'warning', description: `context.close failed: ${error}` });
      });
      await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    }
  },

  page: async ({ context }, use) => {
    await use(context.pages()[0] ?? (await context.newPage()));
  },

  serviceWorker: async ({ context }, use) => {
    await use(await extensionServiceWorker(context));
  },

  extensionId: async ({ serviceWorker }, use) => {
    await use(new URL(serviceWorker.url()).host);
  },

  workerServer: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires a destructuring pattern here.
    async ({}, use) => {
      const server = await startSseServer();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],

  workerCrossOriginServer: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires a destructuring pattern here.
    async ({}, use) => {
      const server = await startSseServer({ cors: true });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],

  server: async ({ workerServer }, use) => {
    workerServer.reset();
    await use(workerServer);
  },

  crossOriginServer: async ({ workerCrossOriginServer }, use) => {
    workerCrossOriginServer.reset();
    await use(workerCrossOriginServer);
  },

  tabIdOf: async ({ context, extensionId }, use) => {
    await use(async (page) => {
      const url = page.url();
      // A page of the extension asks for its own tab: Chromium 150 gives chrome.tabs.query no URL of
      // the extension's own pages without the "tabs" permission (156 does).
      if (url.startsWith(`chrome-extension://${extensionId}/`)) {
        const id = await page.evaluate(async () => (await chrome.tabs.getCurrent())?.id);
        if (id === undefined) throw new Error(`tabIdOf: ${url} is not in a tab`);
        return id;
      }
      const worker = await extensionServiceWorker(context);
      let seen: string[] = [];
      // The tab's URL in chrome.tabs can trail a navigation Playwright already reports as done.
      for (const deadline = Date.now() + 5000; Date.now() < deadline; ) {
        const tabs = await worker.evaluate(async () =>
          (await chrome.tabs.query({})).map((t) => ({ id: t.id, url: t.url, pendingUrl: t.pendingUrl })),
        );
        const matches = tabs.filter((t) => t.url === url);
        if (matches.length > 1) {
          throw new Error(`tabIdOf: ${matches.length} tabs show ${url}; give each page a distinct URL`);
        }
        const id = matches[0]?.id;
        if (id !== undefined) return id;
        seen = tabs.map((t) => `${t.id}: ${t.url ?? t.pendingUrl ?? '?'}`);
        await delay(100);
      }
      throw new Error(`tabIdOf: no tab with URL ${url} (tabs: ${seen.join(', ') || 'none'})`);
    });
  },

  openPanel: async ({ context, extensionId }, use) => {
    await use(async (tabId) => {
      const panel = await context.newPage();
      await panel.goto(`chrome-extension://${extensionId}/panel/index.html?tabId=${tabId}`);
      return panel;
    });
  },

  openPopup: async ({ context, extensionId }, use) => {
    await use(async (tabId) => {
      const popup = await context.newPage();
      await popup.goto(`chrome-extension://${extensionId}/extension/popup/index.html?tabId=${tabId}`);
      return popup;
    });
  },
});

/**
 * The extension's service worker, looked up afresh: Chrome may stop and restart an MV3 worker, and a
 * stale handle would fail every evaluate.
 */
async function extensionServiceWorker(context: BrowserContext): Promise<Worker> {
  const running = context.serviceWorkers().find(EXTENSION_SW);
  if (running) return running;
  try {
    return await context.waitForEvent('serviceworker', { predicate: EXTENSION_SW, timeout: 10_000 });
  } catch {
    throw new Error(
      `the extension's service worker did not start within 10 s: is ${DIST} a loadable extension? ` +
        '(check dist/manifest.json and the service worker for start-up errors)',
    );
  }
}

async function untilContentScriptsRegistered(worker: Worker): Promise<void> {
  let ids: string[] = [];
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    ids = await worker.evaluate(async () =>
      (await chrome.scripting.getRegisteredContentScripts()).map((s) => s.id),
    );
    if (CONTENT_SCRIPT_IDS.every((id) => ids.includes(id))) return;
    await delay(100);
  }
  throw new Error(
    `the service worker did not register content scripts ${CONTENT_SCRIPT_IDS.join(', ')} within 10 s ` +
      `(registered: ${ids.join(', ') || 'none'})`,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
