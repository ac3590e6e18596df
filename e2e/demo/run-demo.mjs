/**
 * `npm run demo`: build the extension, serve a demo page with three realistic event streams, and open
 * Chromium on it with the extension loaded and DevTools open. Runs until Ctrl+C.
 *
 * `npm run demo -- --screenshot FILE` runs headless instead: it lets the streams run, opens the SSE
 * panel as a tab, selects the chat stream and one of its events, and writes a PNG of the panel.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { startDemoServer } from './demo-server.mjs';
import { showSsePanel } from './devtools-front-end.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist');
/** Ids under which the service worker registers the content scripts (extension/background/content-scripts.ts). */
const CONTENT_SCRIPT_IDS = ['sse-devtools-agent', 'sse-devtools-relay'];

const USAGE = `Usage: npm run demo [-- options]

Builds the extension, serves a demo page with streaming chat, a price ticker and a deploy job
(all Server-Sent Events read with fetch), and opens Chromium on it with the extension loaded and
DevTools open on the SSE panel. Press Ctrl+C to quit.

Options:
  --no-build          use the existing dist/ instead of running npm run build
  --screenshot FILE   run headless, write a PNG of the SSE panel (1280x720) to FILE, then exit
  --port N            demo server port (default 5757; a free port is used if it is taken)
  -h, --help          show this help

Environment:
  CHROMIUM_PATH       Chromium to use (default /usr/bin/chromium, else Playwright's own Chromium)`;

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    options: {
      'no-build': { type: 'boolean', default: false },
      screenshot: { type: 'string' },
      port: { type: 'string', default: '5757' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  console.error(`demo: ${error.message}\n`);
  console.error(USAGE);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be a port number, not ${args.port}`);
const screenshotFile = args.screenshot ? resolve(process.cwd(), args.screenshot) : null;

if (!screenshotFile && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  fail('no display found; run with --screenshot FILE to render headless');
}

if (!args['no-build']) {
  console.log('demo: building the extension (npm run build)…');
  const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) fail(`npm run build failed (exit ${build.status ?? build.signal})`);
}
if (!existsSync(join(DIST, 'manifest.json'))) fail(`${DIST}/manifest.json is missing: run npm run build`);

const executablePath =
  process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

const server = await startDemoServer({ port });
if (server.port !== port && port !== 0) console.log(`demo: port ${port} is taken; using ${server.port}`);
const userDataDir = await mkdtemp(join(tmpdir(), 'sse-devtools-demo-'));
// Dock DevTools at the bottom, so the SSE panel gets the window's full width for its two panes.
// (A DevTools preference: Chromium ignores it if the name ever changes, and DevTools docks right.)
await mkdir(join(userDataDir, 'Default'), { recursive: true });
await writeFile(
  join(userDataDir, 'Default', 'Preferences'),
  JSON.stringify({ devtools: { preferences: { currentDockState: '"bottom"' } } }),
);
let context;
let closing = null;

/** Close the browser, the server and the profile; idempotent. */
function shutdown(code) {
  closing ??= (async () => {
    await context?.close().catch(() => {});
    await server.close().catch(() => {});
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
    process.exit(code);
  })();
  return closing;
}

process.on('SIGINT', () => {
  if (closing) process.exit(130); // a second Ctrl+C: do not wait for a hung browser
  console.log('\ndemo: closing…');
  shutdown(0);
});
process.on('SIGTERM', () => shutdown(0));

try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: Boolean(screenshotFile),
    // We close the browser ourselves on Ctrl+C, after the server, so nothing is left behind.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    viewport: screenshotFile ? { width: 1280, height: 720 } : null,
    args: [
      `--disable-extensions-except=${DIST}`,
      `--load-extension=${DIST}`,
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      // No "unsupported command-line flag" bar (Playwright passes --no-sandbox).
      '--test-type',
      ...(screenshotFile ? [] : ['--auto-open-devtools-for-tabs', '--window-size=1440,960']),
    ],
  });
} catch (error) {
  console.error(
    `demo: could not start Chromium (${executablePath ?? "Playwright's Chromium"}): ${error.message.split('\n')[0]}`,
  );
  console.error('demo: install Chromium (apt-get install chromium) or set CHROMIUM_PATH');
  await shutdown(1);
}

try {
  const worker = await extensionServiceWorker(context);
  const extensionId = new URL(worker.url()).host;
  await untilContentScriptsRegistered(worker);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.url);

  if (screenshotFile) {
    await takeScreenshot({ page, worker, extensionId, file: screenshotFile });
    await shutdown(0);
  } else {
    context.on('close', () => {
      if (!closing) console.log('demo: the browser was closed');
      shutdown(0);
    });
    console.log(`
SSE DevTools demo
  demo page   ${server.url}
  extension   chrome-extension://${extensionId}/  (${DIST})
The page streams a chat answer and a price ticker on load; "Run job" starts a third stream.`);
    try {
      await showSsePanel(context, page.url(), extensionId);
      console.log('DevTools is open on the SSE panel.');
    } catch (error) {
      console.log(`Open the "SSE" tab in DevTools (could not select it: ${error.message}).`);
    }
    console.log('Press Ctrl+C to quit.');
  }
} catch (error) {
  if (!closing) {
    console.error(`demo: ${error.stack ?? error}`);
    await shutdown(1);
  }
}

async function extensionServiceWorker(ctx) {
  const isOurs = (w) => w.url().startsWith('chrome-extension://');
  const running = ctx.serviceWorkers().find(isOurs);
  if (running) return running;
  return ctx.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 }).catch(() => {
    throw new Error(`the extension's service worker did not start: is ${DIST} a loadable extension?`);
  });
}

/** A page loaded before the agent is registered would run without it. */
async function untilContentScriptsRegistered(worker) {
  let ids = [];
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    ids = await worker.evaluate(async () =>
      (await chrome.scripting.getRegisteredContentScripts()).map((s) => s.id),
    );
    if (CONTENT_SCRIPT_IDS.every((id) => ids.includes(id))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`content scripts not registered within 10 s (registered: ${ids.join(', ') || 'none'})`);
}

/** Let the streams run, open the panel as a tab, select the chat stream and an event, write a PNG. */
async function takeScreenshot({ page, worker, extensionId, file }) {
  // The third stream too, so the connection list shows named events and a reconnect.
  await page.locator('#job-run').click();

  const tabs = await worker.evaluate(async () =>
    (await chrome.tabs.query({})).map((t) => ({ id: t.id, url: t.url })),
  );
  const tab = tabs.find((t) => t.url === page.url());
  if (!tab) throw new Error(`no tab shows ${page.url()} (tabs: ${tabs.map((t) => t.url).join(', ')})`);

  const panel = await context.newPage();
  await panel.goto(`chrome-extension://${extensionId}/panel/index.html?tabId=${tab.id}`);
  const rows = panel.locator('tr[data-connection-id]');
  const chatRow = rows.filter({ hasText: '/v1/chat/completions' });
  await chatRow.waitFor({ timeout: 15_000 });
  console.log('demo: waiting for the chat answer and the deploy job to finish…');
  // The chat answer takes a few seconds; the ticker keeps going.
  await panel.waitForFunction(
    () =>
      [...document.querySelectorAll('tr[data-connection-id]')].some(
        (r) =>
          r.textContent?.includes('/v1/chat/completions') &&
          r.querySelector('td.state')?.textContent !== 'open',
      ),
    undefined,
    { timeout: 30_000 },
  );
  // Best effort: both job connections (before and after the reconnect) ended.
  await panel
    .waitForFunction(
      () =>
        [...document.querySelectorAll('tr[data-connection-id]')].filter(
          (r) =>
            r.textContent?.includes('/jobs/42/events') && r.querySelector('td.state')?.textContent !== 'open',
        ).length >= 2,
      undefined,
      { timeout: 15_000 },
    )
    .catch(() => console.log('demo: the deploy job did not finish in time; taking the screenshot anyway'));

  await chatRow.first().click();
  const eventRows = panel.locator('table.events tbody tr:not(.spacer)');
  // A word token (not punctuation), so the detail pane shows a representative chunk.
  const contentRows = eventRows.filter({ hasText: /"content":" [a-z]{4,}"/ });
  await contentRows.first().waitFor({ timeout: 5000 });
  // The table follows the end of the stream; pick a token chunk in the middle of what is visible.
  const visible = await contentRows.count();
  await contentRows.nth(Math.floor(visible / 2)).click();
  await panel.locator('.event-detail').filter({ hasText: 'choices' }).waitFor({ timeout: 5000 });

  await mkdir(dirname(file), { recursive: true });
  await panel.screenshot({ path: file });
  const summary = await rows.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim()).join(' | ')),
  );
  console.log(`demo: wrote ${file}\n  connections:\n${summary.map((s) => `    ${s}`).join('\n')}`);
}
