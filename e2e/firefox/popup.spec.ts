/**
 * The popup's per-site switch in real Firefox: off means the site is not patched at all (no agent in
 * any frame, no relay reporting, the content scripts registered without it), and on again patches it
 * again. Checked on the same page and with the same frame check as the Chromium spec
 * (e2e/support/site-switch-page.ts).
 */
import { matchPatternOf, withoutPorts } from '../../src/settings';
import { nonNativeFunctions, PAGE, STREAM_TEXT, servePages } from '../support/site-switch-page';
import { clickByText, expect, type Page, registeredScripts, test, textsOf, waitInPage } from './fixtures';

/** For each frame of `page` (top, same-origin iframe, srcdoc iframe), what is not the browser's own. */
async function patchedInFrames(page: Page): Promise<string[][]> {
  const frames = page.frames();
  expect(frames).toHaveLength(3);
  return Promise.all(frames.map((frame) => frame.evaluate(nonNativeFunctions)));
}

const readAll = (page: Page, url: string) =>
  page.evaluate((u) => (window as unknown as { readAll: (u: string) => Promise<string> }).readAll(u), url);

const counts = (popup: Page) => textsOf(popup, '[data-testid="stream-counts"]');
const switchChecked = (popup: Page) =>
  popup.$eval('input[role="switch"]', (input) => (input as HTMLInputElement).checked);

const TITLE_ON = 'SSE DevTools: capture is on for this site';
const TITLE_OFF = 'SSE DevTools: capture is off for this site';
/** The toolbar button's title in the tab the popup is for. */
const toolbarTitle = (popup: Page) =>
  popup.evaluate(() =>
    chrome.action.getTitle({ tabId: Number(new URLSearchParams(location.search).get('tabId')) }),
  );

/** Clicks "Reload to apply" and waits for the page's new document. */
async function reloadFromPopup(popup: Page, page: Page): Promise<void> {
  await Promise.all([page.waitForNavigation(), clickByText(popup, 'button', /^Reload to apply$/)]);
  await waitInPage(page, () => document.readyState === 'complete');
}

test('off → reload: nothing patched in any frame, nothing captured; on → reload: captured again', async ({
  server,
  firefoxPage: page,
  openFirefoxPopup,
}) => {
  servePages(server);
  await page.goto(server.url(PAGE));
  for (const patched of await patchedInFrames(page)) expect(patched).toContain('fetch');
  expect(await readAll(page, server.url('/sse'))).toBe(STREAM_TEXT);

  const popup = await openFirefoxPopup(page);
  await expect.poll(() => textsOf(popup, 'h2#site-heading')).toEqual([server.origin]);
  await expect.poll(() => switchChecked(popup)).toBe(true);
  await expect.poll(() => counts(popup)).toEqual(['Streams captured in this tab: 1 (0 live)']);

  await popup.click('input[role="switch"]');
  await expect.poll(() => switchChecked(popup)).toBe(false);
  // Firefox's patterns cannot hold a port: the host is excluded on every port (README, "Firefox").
  const [hostPattern] = withoutPorts({
    matches: [],
    excludeMatches: [matchPatternOf(server.origin)],
  }).excludeMatches;
  expect(hostPattern).toBe('http://127.0.0.1/*');
  await expect
    .poll(async () => (await registeredScripts(popup)).map((s) => s.excludeMatches))
    .toEqual([[hostPattern], [hostPattern]]);
  await reloadFromPopup(popup, page);

  // The toolbar says so in this tab, and "on" again once the tab shows a site that is on, also after
  // a reload there, where Firefox puts the manifest's look (the "on" one) back by itself.
  await expect.poll(() => toolbarTitle(popup)).toBe(TITLE_OFF);
  await page.goto(server.url(PAGE).replace('//127.0.0.1:', '//localhost:'));
  await expect.poll(() => toolbarTitle(popup)).toBe(TITLE_ON);
  await page.reload();
  await expect.poll(() => toolbarTitle(popup)).toBe(TITLE_ON);
  await page.goto(server.url(PAGE));
  await expect.poll(() => toolbarTitle(popup)).toBe(TITLE_OFF);

  expect(await patchedInFrames(page)).toEqual([[], [], []]);
  // The page still reads its streams, and no relay reports them.
  expect(await readAll(page, server.url('/sse'))).toBe(STREAM_TEXT);
  expect(await readAll(page, server.url('/sse'))).toBe(STREAM_TEXT);
  expect(server.requestsTo('/sse')).toHaveLength(3);
  await expect.poll(() => counts(popup)).toEqual(['Streams captured in this tab: 0 (0 live)']);

  // On again (which also leaves the settings as the other specs expect them).
  await popup.click('input[role="switch"]');
  await expect.poll(() => switchChecked(popup)).toBe(true);
  await reloadFromPopup(popup, page);
  for (const patched of await patchedInFrames(page)) expect(patched).toContain('fetch');
  expect(await readAll(page, server.url('/sse'))).toBe(STREAM_TEXT);
  await expect.poll(() => counts(popup)).toEqual(['Streams captured in this tab: 1 (0 live)']);
});

test('the content scripts are registered with every field the Chrome build uses, matchOriginAsFallback and persistAcrossSessions included', async ({
  server,
  firefoxPage: page,
  openFirefoxPopup,
}) => {
  servePages(server);
  await page.goto(server.url(PAGE));
  const popup = await openFirefoxPopup(page);
  const scripts = (await registeredScripts(popup)).sort((a, b) => a.id.localeCompare(b.id));
  expect(scripts).toEqual([
    expect.objectContaining({
      id: 'sse-devtools-agent',
      world: 'MAIN',
      matchOriginAsFallback: true,
      persistAcrossSessions: true,
    }),
    expect.objectContaining({
      id: 'sse-devtools-relay',
      world: 'ISOLATED',
      matchOriginAsFallback: true,
      persistAcrossSessions: true,
    }),
  ]);
});
