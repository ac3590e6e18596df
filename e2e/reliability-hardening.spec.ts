/**
 * Second hardening round (issue 14): what a page sends can break neither export nor a pane of the
 * panel, secrets in URLs and bodies stay out of what is exported or copied, and the panel says when a
 * tab's page was never patched.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { openReader, readStream, sse } from './panel-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, eventRows, exportFromPanel } from './support/panel';

const DEPTH = 20_000;
const deepObjectText = (depth: number) => `${'{"a":'.repeat(depth)}{"n":1}${'}'.repeat(depth)}`;

/** Errors the panel page logs or throws, collected from the moment it opens. */
function panelErrors(panel: Page): string[] {
  const errors: string[] = [];
  panel.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  panel.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  return errors;
}

test('an event, a usage, an error and a request body nested 20 000 deep: every pane shows, export works, no error', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const chunk = (fields: string) => `{"id":"c","object":"chat.completion.chunk",${fields}}`;
  server.stream('/deep', {
    steps: [
      { write: sse({ data: chunk('"choices":[{"index":0,"delta":{"content":"deep hi"}}]') }) },
      { write: sse({ data: chunk(`"choices":[],"usage":${deepObjectText(DEPTH)}`) }) },
      { write: sse({ data: chunk(`"choices":[],"error":${deepObjectText(DEPTH)}`) }) },
      { write: sse({ data: `${'['.repeat(9000)}${']'.repeat(9000)}` }) },
      { write: sse({ data: '[DONE]' }) },
    ],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  const errors = panelErrors(panel);
  await readStream(page, server, '/deep', { method: 'POST', body: deepObjectText(DEPTH) });
  await connectionRows(panel).first().click();

  for (const row of [1, 2, 3]) {
    await eventRows(panel).nth(row).click();
    await expect(panel.locator('.event-detail .data-body')).toBeVisible();
  }
  await panel.getByRole('tab', { name: 'Request' }).click();
  await expect(panel.locator('pre.data.body')).toContainText('{"a":{"a":');
  await panel.getByRole('tab', { name: 'Message' }).click();
  await expect(panel.getByText('deep hi')).toBeVisible();
  await expect(panel.locator('.pane-error')).toHaveCount(0);

  const file = await exportFromPanel(panel);
  expect(file.connections[0]?.message?.text).toBe('deep hi');
  expect(file.connections[0]?.requestBody).toBe(deepObjectText(DEPTH));
  expect(errors).toEqual([]);
});

test('a render error in one pane shows inline, with its details; the rest of the panel goes on working', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/one', { steps: [{ write: sse({ data: 'one' }) }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  // Stands in for any bug in a view: sorting the request headers throws when this header is there.
  await panel.evaluate(() => {
    const sort = Array.prototype.sort;
    Array.prototype.sort = function (this: unknown[], ...args) {
      if (this.includes('x-break-render')) throw new Error('render broken on purpose');
      return sort.apply(this, args as [((a: unknown, b: unknown) => number) | undefined]);
    };
  });
  await readStream(page, server, '/one', { headers: { 'x-break-render': '1' } });
  await connectionRows(panel).first().click();
  await panel.getByRole('tab', { name: 'Request' }).click();
  const failure = panel.locator('.pane-error');
  await expect(failure).toContainText('This view could not be shown: Error: render broken on purpose');
  await failure.getByText('Details').click();
  await expect(failure.locator('pre')).toContainText('render broken on purpose');
  // The toolbar, the list and the other tabs still work.
  await expect(connectionRows(panel)).toHaveCount(1);
  await panel.getByRole('tab', { name: 'Events' }).click();
  await expect(eventRows(panel)).toHaveCount(1);
  await expect(failure).toHaveCount(0);
});

test('secrets in a URL, a fragment, a body and gateway headers: masked in the panel until shown, redacted in exports and in Copy URL', async ({
  context,
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  test.setTimeout(60_000);
  server.stream('/v1beta/models/g:streamGenerateContent', { steps: [{ write: sse({ data: '{"x":1}' }) }] });
  const query = '?alt=sse&key=AIzaSyQUERY&sig=SASSIG&access_token=ATOKEN';
  await openReader(page, server, '/p/secrets.html#id_token=FRAGTOKEN&state=s');
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, `/v1beta/models/g:streamGenerateContent${query}`, {
    method: 'POST',
    headers: {
      'x-functions-key': 'FUNCKEY',
      'ocp-apim-subscription-key': 'APIMKEY',
      'x-csrftoken': 'CSRF',
      'x-authorization': 'XAUTH',
    },
    body: JSON.stringify({ model: 'gemini', apiKey: 'BODYKEY', nested: { password: 'BODYPASS' } }),
  });
  const secrets = [
    'AIzaSyQUERY',
    'SASSIG',
    'ATOKEN',
    'FRAGTOKEN',
    'FUNCKEY',
    'APIMKEY',
    'CSRF',
    'XAUTH',
    'BODYKEY',
    'BODYPASS',
  ];
  const shownSecrets = async () => {
    const text =
      (await panel.locator('body').textContent()) +
      (await panel
        .locator('[title]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('title')).join(' ')));
    return secrets.filter((secret) => text.includes(secret));
  };

  await expect(connectionRows(panel)).toHaveCount(1);
  await connectionRows(panel).first().click();
  await panel.getByRole('tab', { name: 'Request' }).click();
  const view = panel.locator('.request-view');
  await expect(view).toContainText('key=[redacted]&sig=[redacted]&access_token=[redacted]');
  await expect(view).toContainText('#id_token=[redacted]&state=s');
  await expect(view).toContainText('"apiKey": "[redacted]"');
  expect(await shownSecrets()).toEqual([]);

  await panel.getByRole('button', { name: 'Copy URL' }).click();
  await expect(view.getByRole('status')).toHaveText('Copied');
  await context.grantPermissions(['clipboard-read'], { origin: server.origin });
  await page.bringToFront();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    server.url(
      '/v1beta/models/g:streamGenerateContent?alt=sse&key=[redacted]&sig=[redacted]&access_token=[redacted]',
    ),
  );

  await panel.bringToFront();
  await panel.getByRole('button', { name: 'Show the value of Request URL' }).click();
  await panel.getByRole('button', { name: 'Show the value of Request body' }).click();
  await panel.getByRole('button', { name: 'Show the value of x-functions-key' }).click();
  await expect(view).toContainText('key=AIzaSyQUERY');
  await expect(view).toContainText('"apiKey": "BODYKEY"');
  await expect(view).toContainText('FUNCKEY');

  const file = await exportFromPanel(panel);
  const exported = JSON.stringify(file);
  expect(secrets.filter((secret) => exported.includes(secret))).toEqual([]);
  for (const format of ['events as CSV', 'raw stream'] as const) {
    await panel.getByRole('button', { name: /^Export/ }).click();
    const [download] = await Promise.all([
      panel.waitForEvent('download'),
      panel.getByRole('menuitem', { name: new RegExp(`^All connections · ${format}`) }).click(),
    ]);
    const text = await readFile(await download.path(), 'utf8');
    expect(
      secrets.filter((secret) => text.includes(secret)),
      format,
    ).toEqual([]);
  }
});

test('a page loaded before capture was on for its site: the empty panel and the popup say to reload it, and only then', async ({
  context,
  page,
  server,
  extensionId,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/late', { steps: [{ write: sse({ data: 'late' }) }] });
  await openReader(page, server, '/p/late.html');
  const tabId = await tabIdOf(page);
  const popupUrl = `chrome-extension://${extensionId}/extension/popup/index.html?tabId=${tabId}`;
  const popup = await context.newPage();
  await popup.goto(popupUrl);
  const captureSwitch = popup.getByRole('switch', { name: 'Capture on this site' });
  await captureSwitch.uncheck();
  const loaded = page.waitForEvent('load');
  await popup.getByRole('button', { name: 'Reload to apply' }).click();
  await loaded;
  // Off and not patched: nothing to reload for.
  const panel = await openPanel(tabId);
  const hint = panel.getByText('Reload to capture streams on this page');
  await expect(panel.getByText('No event streams captured in this tab yet.')).toBeVisible();
  await captureSwitch.check();
  await expect(hint).toBeVisible();
  await popup.reload();
  await expect(popup.getByText('Reload to capture streams on this page')).toBeVisible();
  await panel.screenshot({ path: test.info().outputPath('unpatched-panel.png') });

  await popup.getByRole('button', { name: 'Reload to apply' }).click();
  await expect(hint).toBeHidden();
  await expect(popup.getByText('Reload to capture streams on this page')).toBeHidden();
  await readStream(page, server, '/late');
  await expect(connectionRows(panel)).toHaveCount(1);
});
