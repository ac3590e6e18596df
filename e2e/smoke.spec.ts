import { CONTENT_SCRIPT_IDS, expect, test } from './support/fixtures';

test('the extension loads: service worker, manifest, content scripts registered', async ({
  serviceWorker,
  extensionId,
}) => {
  expect(serviceWorker.url()).toMatch(new RegExp(`^chrome-extension://${extensionId}/`));
  const manifest = await serviceWorker.evaluate(() => chrome.runtime.getManifest());
  expect(manifest.name).toBe('SSE DevTools');
  expect(manifest.manifest_version).toBe(3);

  const scripts = await serviceWorker.evaluate(() => chrome.scripting.getRegisteredContentScripts());
  const byId = new Map(scripts.map((s) => [s.id, s]));
  expect([...byId.keys()]).toEqual(expect.arrayContaining([...CONTENT_SCRIPT_IDS]));
  // The agent must run in the page's own world, before page scripts, to see the page's fetch.
  expect(byId.get('sse-devtools-agent')).toMatchObject({ world: 'MAIN', runAt: 'document_start' });
});

test('the harness serves a page, finds its tab and opens the panel for it', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.page('/p/smoke.html', '<!doctype html><title>smoke</title><p>hello</p>');
  await page.goto(server.url('/p/smoke.html'));
  await expect(page).toHaveTitle('smoke');
  const tabId = await tabIdOf(page);
  expect(tabId).toBeGreaterThan(0);
  const panel = await openPanel(tabId);
  expect(panel.url()).toContain(`/panel/index.html?tabId=${tabId}`);
  await expect(panel.locator('body')).not.toBeEmpty();

  await page.goto(server.url('/pages/blank.html'));
  await expect(page).toHaveTitle('blank');
});
