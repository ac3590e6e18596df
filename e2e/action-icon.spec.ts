/**
 * The toolbar icon per tab: full colour where capture is on for the tab's site, dimmed where the site
 * is turned off or no extension may run, each with a title that says so; the live-stream badge stays.
 *
 * Chrome has no getter for a tab's icon, so the test records what the service worker asks
 * `chrome.action.setIcon` for; the title, which changes with it, is read back from Chrome.
 */
import type { Worker } from '@playwright/test';
import { ACTION_ICONS } from '../extension/icons/action-icons';
import { openReader, startStream } from './panel-helpers';
import { expect, test } from './support/fixtures';

const ON = 'SSE DevTools: capture is on for this site';
const OFF = 'SSE DevTools: capture is off for this site';
const RESTRICTED = 'SSE DevTools: extensions cannot run on this page';

const titleOf = (worker: Worker, tabId: number) =>
  worker.evaluate((id) => chrome.action.getTitle({ tabId: id }), tabId);
const badgeOf = (worker: Worker, tabId: number) =>
  worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);

/** Records every `chrome.action.setIcon` call of the worker from now on. */
async function recordSetIcon(worker: Worker): Promise<() => Promise<{ tabId?: number; path?: unknown }[]>> {
  await worker.evaluate(() => {
    const scope = globalThis as unknown as { iconCalls: unknown[] };
    scope.iconCalls = [];
    const setIcon = chrome.action.setIcon.bind(chrome.action);
    chrome.action.setIcon = ((details: chrome.action.TabIconDetails) => {
      scope.iconCalls.push(details);
      return setIcon(details);
    }) as typeof chrome.action.setIcon;
  });
  return () => worker.evaluate(() => (globalThis as unknown as { iconCalls: [] }).iconCalls);
}

test('the icon dims in a tab whose site is turned off, per tab, and the live badge stays', async ({
  page,
  context,
  server,
  crossOriginServer,
  serviceWorker,
  tabIdOf,
  openPopup,
}) => {
  server.stream('/live', { steps: [{ write: 'data: hello\n\n' }, { waitFor: 'never' }] });
  await openReader(page, server, '/p/icon.html');
  const tabId = await tabIdOf(page);
  await expect.poll(() => titleOf(serviceWorker, tabId)).toBe(ON);
  const iconCalls = await recordSetIcon(serviceWorker);

  await startStream(page, server, '/live');
  await expect.poll(() => badgeOf(serviceWorker, tabId)).toBe('1');

  const other = await context.newPage();
  await openReader(other, crossOriginServer, '/p/other.html');
  const otherTabId = await tabIdOf(other);

  const popup = await openPopup(tabId);
  await popup.getByRole('switch', { name: 'Capture on this site' }).uncheck();
  await expect.poll(() => titleOf(serviceWorker, tabId)).toBe(OFF);
  expect(await iconCalls()).toContainEqual({ tabId, path: ACTION_ICONS.off });
  // The document loaded with capture on is still captured until it reloads: its badge stays.
  expect(await badgeOf(serviceWorker, tabId)).toBe('1');
  // Another site in another tab keeps its full-colour icon.
  expect(await titleOf(serviceWorker, otherTabId)).toBe(ON);
  const lastFor = async (id: number) => (await iconCalls()).filter((call) => call.tabId === id).at(-1);
  expect(await lastFor(otherTabId)).toEqual({ tabId: otherTabId, path: ACTION_ICONS.on });

  // Reloaded, the site is not captured: no badge, still dimmed.
  await page.reload();
  await expect.poll(() => badgeOf(serviceWorker, tabId)).toBe('');
  expect(await titleOf(serviceWorker, tabId)).toBe(OFF);

  // A page no extension may run on is dimmed too; back on a site that is on, full colour again.
  await page.goto('about:blank');
  await expect.poll(() => titleOf(serviceWorker, tabId)).toBe(RESTRICTED);
  await popup.close();
  const callsBefore = (await iconCalls()).length;
  await openReader(page, crossOriginServer, '/p/other.html');
  await expect.poll(() => titleOf(serviceWorker, tabId)).toBe(ON);
  // Chrome put the manifest's look back at the new document, which is the look of a site where
  // capture is on: the worker sent nothing for this navigation (decoding and sending the icon at every
  // navigation was a measurable part of a page's load).
  crossOriginServer.stream('/live', { steps: [{ write: 'data: hello\n\n' }, { waitFor: 'never' }] });
  await startStream(page, crossOriginServer, '/live');
  await expect.poll(() => badgeOf(serviceWorker, tabId)).toBe('1');
  expect((await iconCalls()).slice(callsBefore)).toEqual([]);
  expect(await titleOf(serviceWorker, tabId)).toBe(ON);
});
