/**
 * Chromium for the benchmark: one persistent context per configuration ("with" the extension loaded,
 * "without" it), launched with the same switches as e2e/support/fixtures.ts, both alive for the
 * whole run so their runs can be interleaved.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CONTENT_SCRIPT_IDS = ['sse-devtools-agent', 'sse-devtools-relay'];

/**
 * Switches for both configurations. The last two only make the panel's heap measurable
 * (`gc()`, unquantised `performance.memory`); they are given to both so the two differ only in the
 * extension.
 */
const COMMON_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--js-flags=--expose-gc',
  '--enable-precise-memory-info',
];

/**
 * `with` the extension, `without` it, or `floor`: the extension with its two per-frame scripts
 * registered as usual but emptied (bench/lib/page-figures.mjs `floorBuild`), which measures what
 * Chromium's injection costs before any of our code runs.
 * @typedef {'with' | 'without' | 'floor'} Config
 */

/**
 * @typedef {object} BenchBrowser
 * @property {Config} config
 * @property {import('@playwright/test').BrowserContext} context
 * @property {import('@playwright/test').Page} page     the tab that runs the workloads
 * @property {string | null} extensionId
 * @property {(page: import('@playwright/test').Page) => Promise<number>} tabIdOf
 * @property {() => Promise<void>} close
 */

/**
 * @param {Config} config
 * @param {string} dist the built extension (only used "with")
 * @returns {Promise<BenchBrowser>}
 */
export async function launch(config, dist) {
  const userDataDir = await mkdtemp(join(tmpdir(), `sse-devtools-bench-${config}-`));
  const extensionArgs =
    config === 'without' ? [] : [`--disable-extensions-except=${dist}`, `--load-extension=${dist}`];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...extensionArgs, ...COMMON_ARGS],
  });
  const close = async () => {
    await context.close().catch(() => {});
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    let extensionId = null;
    if (config !== 'without') {
      const isOurs = (/** @type {import('@playwright/test').Worker} */ w) =>
        w.url().startsWith('chrome-extension://');
      const worker =
        context.serviceWorkers().find(isOurs) ??
        (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 30_000 }));
      extensionId = new URL(worker.url()).host;
      await until(async () => {
        const ids = await worker.evaluate(async () =>
          (await chrome.scripting.getRegisteredContentScripts()).map((s) => s.id),
        );
        return CONTENT_SCRIPT_IDS.every((id) => ids.includes(id));
      }, 'content scripts registered');
    }
    const page = context.pages()[0] ?? (await context.newPage());
    const tabIdOf = async (/** @type {import('@playwright/test').Page} */ target) => {
      const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
      if (!worker) throw new Error('tabIdOf needs the extension');
      const url = target.url();
      /** @type {number | undefined} */
      let id;
      await until(async () => {
        id = await worker.evaluate(
          async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id,
          url,
        );
        return id !== undefined;
      }, `tab id of ${url}`);
      return /** @type {number} */ (id);
    };
    return { config, context, page, extensionId, tabIdOf, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * @param {() => Promise<boolean>} check
 * @param {string} what
 */
async function until(check, what, timeoutMs = 30_000) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `Chromium 156.0.8078.79 built on …` → the version line as the binary prints it. */
export function chromiumVersion() {
  try {
    const out = execFileSync(CHROMIUM_PATH, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.trim().split('\n').pop() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
