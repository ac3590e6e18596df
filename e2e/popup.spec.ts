/**
 * The popup: capture on or off per site (exact origin), with nothing injected where it is off; the
 * global default; persistence across a browser restart; the badge and the tab's stream counts.
 *
 * The popup is opened as an ordinary tab with `?tabId=N`, acting on the page under test. "Nothing
 * injected" is checked two ways in every frame: the page's `fetch`, `XMLHttpRequest`, `EventSource`
 * (and the prototypes the agent could patch) are the browser's own, and Chrome reports no execution
 * context of the extension in the frame (the ISOLATED relay's world), which does not depend on what
 * the agent does or hides.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Frame, type Page, type Worker } from '@playwright/test';
import { RELAY_PORT_EVENT } from '../src/protocol';
import { CONTENT_SCRIPT_IDS, DIST, expect, test } from './support/fixtures';
import { connectionRows } from './support/panel';
import { nonNativeFunctions, PAGE, STREAM_TEXT, servePages } from './support/site-switch-page';

function readAll(frame: Page | Frame, url: string): Promise<string> {
  return frame.evaluate(
    (u) => (window as unknown as { readAll: (u: string) => Promise<string> }).readAll(u),
    url,
  );
}

/** Names of the functions in `frame` that are not the browser's own (see nonNativeFunctions). */
function notNative(frame: Frame): Promise<string[]> {
  return frame.evaluate(nonNativeFunctions);
}

/**
 * Per frame of `page`, the `sse-devtools:*` event listeners on its document, both in the page's own
 * world (the agent's) and in our extension's content-script world (the relay's). Chrome keeps an
 * (empty) world of an extension in a frame that once had its content scripts, even in later documents,
 * so the existence of the world proves nothing; the relay's listener does.
 */
async function ourListeners(page: Page, extensionId: string): Promise<string[][]> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: { id: number; frameId: string }[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => {
    const frameId = String(context.auxData?.frameId);
    if (context.auxData?.isDefault || context.origin === `chrome-extension://${extensionId}`)
      contexts.push({ id: context.id, frameId });
  });
  // Chrome reports every existing context before it answers Runtime.enable.
  await cdp.send('Runtime.enable');
  const byFrame = new Map<string, string[]>();
  for (const { id, frameId } of contexts) {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'document', contextId: id });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', {
      objectId: result.objectId as string,
    });
    const ours = listeners.map((l) => l.type).filter((type) => type.startsWith('sse-devtools:'));
    byFrame.set(frameId, [...(byFrame.get(frameId) ?? []), ...ours].sort());
  }
  await cdp.detach();
  return [...byFrame.values()];
}

/** The page and its two iframes: nothing of ours in any of them. */
async function expectNotInjected(page: Page, extensionId: string): Promise<void> {
  expect(page.frames()).toHaveLength(3);
  for (const frame of page.frames()) expect(await notNative(frame), frame.url()).toEqual([]);
  expect(await ourListeners(page, extensionId)).toEqual([[], [], []]);
}

/** The agent listens for the relay's port in the page and in both iframes (the pairing is done). */
async function expectInjected(page: Page, extensionId: string): Promise<void> {
  expect(page.frames()).toHaveLength(3);
  const listeners = await ourListeners(page, extensionId);
  expect(listeners).toHaveLength(3);
  for (const frame of listeners) expect(frame).toContain(RELAY_PORT_EVENT);
}

const popupUrl = (extensionId: string, tabId: number) =>
  `chrome-extension://${extensionId}/extension/popup/index.html?tabId=${tabId}`;

async function openPopup(context: BrowserContext, extensionId: string, tabId: number): Promise<Page> {
  const popup = await context.newPage();
  await popup.goto(popupUrl(extensionId, tabId));
  return popup;
}

const captureSwitch = (popup: Page) => popup.getByRole('switch', { name: 'Capture on this site' });
const reloadButton = (popup: Page) => popup.getByRole('button', { name: 'Reload to apply' });
const streamCounts = (popup: Page) => popup.getByTestId('stream-counts');
const counts = (total: number, live: number) => `Streams captured in this tab: ${total} (${live} live)`;

/** Clicks "Reload to apply" and waits until the tab has loaded its new document. */
async function reloadFromPopup(popup: Page, page: Page): Promise<void> {
  const loaded = page.waitForEvent('load');
  await reloadButton(popup).click();
  await loaded;
  await expect(reloadButton(popup)).toBeHidden();
}

async function registeredScripts(worker: Worker) {
  return worker.evaluate(async () =>
    (await chrome.scripting.getRegisteredContentScripts())
      .map((s) => ({ id: s.id, matches: s.matches, excludeMatches: s.excludeMatches ?? [] }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  );
}

test('off → reload: nothing injected in any frame, nothing captured; on → reload: captured again', async ({
  page,
  context,
  server,
  extensionId,
  tabIdOf,
  openPanel,
}) => {
  servePages(server);
  await page.goto(server.url(PAGE));
  const tabId = await tabIdOf(page);
  await expectInjected(page, extensionId);
  const popup = await openPopup(context, extensionId, tabId);
  await expect(popup.getByRole('heading', { name: server.origin })).toBeVisible();
  await expect(captureSwitch(popup)).toBeChecked();
  await expect(reloadButton(popup)).toBeHidden();

  await captureSwitch(popup).uncheck();
  await expect(popup.getByText('Off: nothing is injected into this site’s pages.')).toBeVisible();
  await reloadFromPopup(popup, page);
  await expect(captureSwitch(popup)).not.toBeChecked();
  await expectNotInjected(page, extensionId);
  // The page still reads its streams, from the top document and from an iframe.
  expect(await readAll(page, server.url('/sse'))).toBe(STREAM_TEXT);
  expect(await readAll(page.frames()[1] as Frame, server.url('/sse'))).toBe(STREAM_TEXT);
  expect(server.requestsTo('/sse')).toHaveLength(2);
  const panel = await openPanel(tabId);
  await expect(panel.getByText('No event streams captured in this tab yet.')).toBeVisible();
  await expect(connectionRows(panel)).toHaveCount(0);
  await expect(streamCounts(popup)).toHaveText(counts(0, 0));

  await captureSwitch(popup).check();
  await reloadFromPopup(popup, page);
  await expectInjected(page, extensionId);
  expect(await readAll(page, server.url('/sse'))).toBe(STREAM_TEXT);
  expect(await readAll(page.frames()[1] as Frame, server.url('/sse'))).toBe(STREAM_TEXT);
  await expect(connectionRows(panel)).toHaveCount(2);
  await expect(streamCounts(popup)).toHaveText(counts(2, 0));
});

test('origins are compared exactly: turning one off changes nothing on another host or port', async ({
  page,
  context,
  server,
  crossOriginServer,
  serviceWorker,
  extensionId,
  tabIdOf,
}) => {
  servePages(server);
  servePages(crossOriginServer);
  await page.goto(server.url(PAGE));
  const popup = await openPopup(context, extensionId, await tabIdOf(page));
  await captureSwitch(popup).uncheck();
  await reloadFromPopup(popup, page);
  await expectNotInjected(page, extensionId);
  const { port } = new URL(server.origin);
  expect(await registeredScripts(serviceWorker)).toEqual(
    CONTENT_SCRIPT_IDS.map((id) =>
      expect.objectContaining({ id, excludeMatches: [`http://127.0.0.1:${port}/*`] }),
    ),
  );
  await expect(popup.getByRole('listitem')).toHaveText([`${server.origin}OffRemove`]);

  // Same port, another host; and the same host, another port.
  const sameServerOtherHost = server.url(PAGE).replace('127.0.0.1', 'localhost');
  for (const url of [sameServerOtherHost, crossOriginServer.url(PAGE)]) {
    const other = await context.newPage();
    await other.goto(url);
    await expectInjected(other, extensionId);
    const otherPopup = await openPopup(context, extensionId, await tabIdOf(other));
    await expect(otherPopup.getByRole('heading', { name: new URL(url).origin })).toBeVisible();
    await expect(captureSwitch(otherPopup)).toBeChecked();
  }
});

test('default "only sites turned on", operated from the keyboard', async ({
  page,
  context,
  server,
  crossOriginServer,
  serviceWorker,
  extensionId,
  tabIdOf,
}) => {
  servePages(server);
  servePages(crossOriginServer);
  await page.goto(server.url(PAGE));
  const popup = await openPopup(context, extensionId, await tabIdOf(page));
  await expect(captureSwitch(popup)).toBeChecked();

  // The switch is the first control, the default's radio group comes next; an arrow key picks the other choice.
  await popup.keyboard.press('Tab');
  await expect(captureSwitch(popup)).toBeFocused();
  await popup.keyboard.press('Tab');
  await expect(popup.getByRole('radio', { name: 'Capture on every site unless turned off' })).toBeFocused();
  await popup.keyboard.press('ArrowDown');
  const onlyListed = popup.getByRole('radio', { name: 'Capture only on sites turned on' });
  await expect(onlyListed).toBeChecked();
  await expect(captureSwitch(popup)).not.toBeChecked();
  await expect(popup.getByText('None.')).toBeVisible();
  // "Reload to apply" appears between the switch and the radios once the change is stored (a person
  // tabs to it after seeing it).
  await expect(reloadButton(popup)).toBeVisible();
  await popup.keyboard.press('Shift+Tab');
  await expect(reloadButton(popup)).toBeFocused();
  let loaded = page.waitForEvent('load');
  await popup.keyboard.press('Enter');
  await loaded;
  await expect(reloadButton(popup)).toBeHidden();
  // The button is gone; focus goes back to the switch rather than being lost.
  await expect(captureSwitch(popup)).toBeFocused();
  await expectNotInjected(page, extensionId);
  // Nothing is turned on: nothing is registered.
  expect(await registeredScripts(serviceWorker)).toEqual([]);

  await popup.keyboard.press('Space');
  await expect(captureSwitch(popup)).toBeChecked();
  await expect(reloadButton(popup)).toBeVisible();
  await popup.keyboard.press('Tab');
  await expect(reloadButton(popup)).toBeFocused();
  loaded = page.waitForEvent('load');
  await popup.keyboard.press('Enter');
  await loaded;
  await expectInjected(page, extensionId);
  await expect(popup.getByRole('listitem')).toHaveText([`${server.origin}OnRemove`]);

  // Another origin stays off.
  const other = await context.newPage();
  await other.goto(crossOriginServer.url(PAGE));
  await expectNotInjected(other, extensionId);

  // Removing the site from the list puts it back on the default: off.
  await popup
    .getByRole('button', { name: `Remove ${server.origin} from the list (it follows the default again)` })
    .click();
  await expect(popup.getByText('None.')).toBeVisible();
  await expect(captureSwitch(popup)).not.toBeChecked();
  await reloadFromPopup(popup, page);
  await expectNotInjected(page, extensionId);
});

test('the badge and the popup count the streams of the tab, over its frames, and reset on reload', async ({
  page,
  context,
  server,
  serviceWorker,
  extensionId,
  tabIdOf,
}) => {
  servePages(server);
  server.stream('/held', {
    steps: [{ write: 'data: first\n\n' }, { waitFor: 'end' }, { write: 'data: last\n\n' }],
  });
  await page.goto(server.url(PAGE));
  const tabId = await tabIdOf(page);
  const popup = await openPopup(context, extensionId, tabId);
  const badge = () => serviceWorker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
  await expect(streamCounts(popup)).toHaveText(counts(0, 0));
  expect(await badge()).toBe('');

  const held = server.url('/held');
  const reads = [readAll(page, held), readAll(page.frames()[1] as Frame, held)];
  await server.waitForRequest('/held', { predicate: () => server.requestsTo('/held').length === 2 });
  await expect.poll(badge).toBe('2');
  await expect(streamCounts(popup)).toHaveText(counts(2, 2));

  server.release('end');
  expect(await Promise.all(reads)).toEqual([
    'data: first\n\ndata: last\n\n',
    'data: first\n\ndata: last\n\n',
  ]);
  await expect.poll(badge).toBe('');
  await expect(streamCounts(popup)).toHaveText(counts(2, 0));

  await page.reload();
  await expect(streamCounts(popup)).toHaveText(counts(0, 0));
  expect(await badge()).toBe('');
});

test('pages the extension may never run on get a disabled popup that says why', async ({
  page,
  context,
  server,
  extensionId,
  tabIdOf,
}) => {
  servePages(server);
  await page.goto(server.url(PAGE));
  const tabId = await tabIdOf(page);
  await page.goto('chrome://version/');
  const popup = await openPopup(context, extensionId, tabId);
  await expect(
    popup.getByText(/^SSE DevTools cannot run on this page: Chrome keeps extensions out/),
  ).toBeVisible();
  await expect(captureSwitch(popup)).toBeDisabled();
  await expect(popup.getByRole('heading', { name: 'This page' })).toBeVisible();
  await expect(streamCounts(popup)).toHaveCount(0);

  // An extension page, whose URL the extension does see.
  const own = await context.newPage();
  await own.goto(`chrome-extension://${extensionId}/panel/index.html?tabId=${tabId}`);
  const ownPopup = await openPopup(context, extensionId, await tabIdOf(own));
  await expect(captureSwitch(ownPopup)).toBeDisabled();
  await expect(ownPopup.getByText(/^SSE DevTools cannot run on this page/)).toBeVisible();

  // A tab id that names no tab.
  const nowhere = await openPopup(context, extensionId, 999_999_999);
  await expect(nowhere.getByText(/^No tab to show/)).toBeVisible();
});

test('screenshots of the popup in light and dark', async ({
  page,
  context,
  server,
  extensionId,
  tabIdOf,
}) => {
  servePages(server);
  await page.goto(server.url(PAGE));
  const popup = await openPopup(context, extensionId, await tabIdOf(page));
  await popup.setViewportSize({ width: 340, height: 420 });
  await captureSwitch(popup).uncheck();
  await expect(reloadButton(popup)).toBeVisible();
  await popup.screenshot({ path: '.tmp/popup-light.png' });
  await popup.emulateMedia({ colorScheme: 'dark' });
  await expect(popup.locator('body')).toHaveCSS('background-color', 'rgb(32, 33, 36)');
  await popup.screenshot({ path: '.tmp/popup-dark.png' });
});

// -------------------------------------------------------------------------------------------------
// Persistence: the same user-data directory, relaunched.

const EXTENSION_SW = (worker: Worker) => worker.url().startsWith('chrome-extension://');

/** Launches Chromium with the extension as e2e/support/fixtures.ts does, on a given user-data dir. */
function launch(userDataDir: string, extraArgs: string[] = []): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      `--disable-extensions-except=${DIST}`,
      `--load-extension=${DIST}`,
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

async function extensionWorker(context: BrowserContext): Promise<Worker> {
  return (
    context.serviceWorkers().find(EXTENSION_SW) ??
    (await context.waitForEvent('serviceworker', { predicate: EXTENSION_SW, timeout: 10_000 }))
  );
}

async function tabIdIn(worker: Worker, url: string): Promise<number> {
  let id: number | undefined;
  await expect
    .poll(async () => {
      id = await worker.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id, url);
      return id;
    })
    .toBeDefined();
  return id as number;
}

test('settings persist across a browser restart, and the popup speaks the browser’s language', async ({
  server,
  crossOriginServer,
}) => {
  servePages(server);
  servePages(crossOriginServer);
  const userDataDir = await mkdtemp(join(tmpdir(), 'sse-devtools-popup-'));
  try {
    let context = await launch(userDataDir);
    let worker = await extensionWorker(context);
    const extensionId = new URL(worker.url()).host;
    await expect.poll(async () => (await registeredScripts(worker)).length).toBe(2);
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url(PAGE));
    const popup = await openPopup(context, extensionId, await tabIdIn(worker, server.url(PAGE)));
    await popup.getByRole('radio', { name: 'Capture only on sites turned on' }).check();
    await captureSwitch(popup).check();
    const { port } = new URL(server.origin);
    const onlyThisSite = CONTENT_SCRIPT_IDS.map((id) =>
      expect.objectContaining({ id, matches: [`http://127.0.0.1:${port}/*`], excludeMatches: [] }),
    );
    await expect.poll(() => registeredScripts(worker)).toEqual(onlyThisSite);
    await context.close();

    // The Chinese UI: chrome.i18n follows --lang.
    context = await launch(userDataDir, ['--lang=zh-CN']);
    worker = await extensionWorker(context);
    expect(new URL(worker.url()).host).toBe(extensionId);
    // What the stored settings say. Chrome may drop even persistAcrossSessions registrations when it
    // reloads an extension given by --load-extension; the worker then registers them again on start.
    await expect.poll(() => registeredScripts(worker)).toEqual(onlyThisSite);
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url(PAGE));
    await expectInjected(page, extensionId);
    expect(await readAll(page, server.url('/sse'))).toBe(STREAM_TEXT);
    const other = await context.newPage();
    await other.goto(crossOriginServer.url(PAGE));
    await expectNotInjected(other, extensionId);

    const after = await openPopup(context, extensionId, await tabIdIn(worker, server.url(PAGE)));
    await expect(after.getByRole('switch', { name: '在此网站上捕获' })).toBeChecked();
    await expect(after.getByRole('radio', { name: '仅在已开启的网站上捕获' })).toBeChecked();
    await expect(after.getByRole('listitem')).toHaveText([`${server.origin}开启移除`]);
    await expect(after.getByTestId('stream-counts')).toHaveText('此标签页已捕获的流：1 个（0 个进行中）');
    await after.setViewportSize({ width: 340, height: 400 });
    await after.screenshot({ path: '.tmp/popup-zh.png' });
    await context.close();
  } finally {
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  }
});
