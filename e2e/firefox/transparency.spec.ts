/**
 * The fetch transparency battery (e2e/transparency-battery.ts) in real Firefox: every test compares
 * the page with the extension against the same page in a Firefox without it. Firefox's `Response`,
 * `ReadableStream` and errors differ from Chromium's in details, which is why the battery runs here
 * too rather than trusting the Chromium run.
 */
import { fromPuppeteer } from '../support/page-like';
import {
  expectFetchPatchedOnlyWithExtension,
  type Runs,
  TEST_PAGE,
  TEST_PAGE_HTML,
  transparencyBattery,
} from '../transparency-battery';
import { test as base, expect, textsOf, waitInPage } from './fixtures';

const test = base.extend<{ runs: Runs }>({
  runs: async ({ firefoxPage, plainFirefoxPage, server, openFirefoxPanel, exportFromFirefoxPanel }, use) => {
    server.page(TEST_PAGE, TEST_PAGE_HTML);
    const ext = fromPuppeteer(firefoxPage);
    const plain = fromPuppeteer(plainFirefoxPage);
    await ext.goto(server.url(TEST_PAGE));
    await plain.goto(server.url(TEST_PAGE));
    await expectFetchPatchedOnlyWithExtension(ext, plain);
    await use({
      ext,
      plain,
      both: async (fn, arg) => ({ ext: await ext.evaluate(fn, arg), plain: await plain.evaluate(fn, arg) }),
      panelEvents: async () => {
        const panel = await openFirefoxPanel(firefoxPage);
        await expect.poll(() => textsOf(panel, 'tr[data-connection-id]')).toHaveLength(1);
        await panel.click('tr[data-connection-id]');
        await waitInPage(panel, () => document.querySelector('table.events tbody tr:not(.spacer)') !== null);
        const cells = await panel.$$eval('table.events tbody tr:not(.spacer)', (rows) =>
          rows.map((row) => [
            row.querySelector('td.type')?.textContent ?? '',
            row.querySelector('td.data')?.textContent ?? '',
          ]),
        );
        await panel.close();
        return cells;
      },
      exportEnded: async () => {
        const panel = await openFirefoxPanel(firefoxPage);
        await expect.poll(() => textsOf(panel, 'tr[data-connection-id] td.state')).not.toEqual([]);
        await expect
          .poll(async () =>
            (await textsOf(panel, 'tr[data-connection-id] td.state')).filter((t) => t === 'open'),
          )
          .toEqual([]);
        const file = await exportFromFirefoxPanel(panel);
        await panel.close();
        return file;
      },
    });
  },
});

transparencyBattery(test, 'firefox');
