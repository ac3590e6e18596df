/**
 * The panel in real Firefox, as a person sees it: the README's Firefox screenshots
 * (docs/firefox-panel-light.png, docs/firefox-panel-dark.png) are written by this ordinary e2e run,
 * from the same scene as the Chromium ones (stageDemo).
 */
import { openReader, stageDemo } from '../panel-helpers';
import { fromPuppeteer } from '../support/page-like';
import type { SseServer } from '../support/sse-server';
import {
  type Browser,
  COLOR_SCHEME,
  COLOR_SCHEME_PREF,
  clickByText,
  expect,
  launchExtensionFirefox,
  openExtensionPageIn,
  type Page,
  test,
  textsOf,
} from './fixtures';

const theme = (panel: Page) => panel.evaluate(() => document.documentElement.dataset.theme);
const background = (panel: Page) => panel.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** Stages the demo in `browser`, opens its panel at 1280 × 600 with the first stream's chat event open. */
async function stagedPanel(browser: Browser, server: SseServer): Promise<{ panel: Page; tab: Page }> {
  const tab = await browser.newPage();
  const page = fromPuppeteer(tab);
  await openReader(page, server, '/ff/demo.html');
  const panel = await openExtensionPageIn(browser, server, 'panel/index.html', tab);
  // puppeteer-core sends emulation.setScreenOrientationOverride beside browsingContext.setViewport (in
  // parallel); Firefox 140 ESR does not know the former and applies the latter, which is all we need.
  await panel.setViewport({ width: 1280, height: 600 }).catch((error: unknown) => {
    if (!String(error).includes('setScreenOrientationOverride')) throw error;
  });
  await stageDemo(page, server);
  await expect.poll(() => textsOf(panel, 'tr[data-connection-id]')).toHaveLength(4);
  await expect.poll(async () => (await textsOf(panel, 'tr[data-connection-id] td.state'))[3]).toBe('open');
  await panel.click('tr[data-connection-id]');
  await clickByText(panel, 'table.events tbody tr:not(.spacer)', /"content":"browser "/);
  await expect
    .poll(async () => (await textsOf(panel, '.event-detail [role="tree"]')).join(''))
    .toContain('content:"browser "');
  return { panel, tab };
}

// puppeteer cannot emulate `prefers-color-scheme` over BiDi, so the dark screenshot comes from a
// second Firefox started dark (a preference).
test('follows the system theme as a tab; writes the README screenshots of Firefox in light and dark', async ({
  server,
  firefox,
}) => {
  // It starts a second Firefox with the add-on, which alone can take most of the default 30 s on a
  // loaded 2-core machine.
  test.setTimeout(90_000);
  const { panel: light, tab } = await stagedPanel(firefox, server);
  await expect.poll(() => theme(light)).toBe('light');
  expect(await background(light)).toBe('rgb(255, 255, 255)');
  await light.screenshot({ path: 'docs/firefox-panel-light.png' });
  await light.close();
  await tab.close();

  server.reset();
  const darkFirefox = await launchExtensionFirefox(server.url('/__sse-devtools-test__/open'), {
    [COLOR_SCHEME_PREF]: COLOR_SCHEME.dark,
  });
  try {
    const { panel: dark } = await stagedPanel(darkFirefox, server);
    await expect.poll(() => theme(dark)).toBe('dark');
    expect(await background(dark)).toBe('rgb(32, 33, 36)');
    await dark.screenshot({ path: 'docs/firefox-panel-dark.png' });
  } finally {
    await darkFirefox.close();
  }
});
