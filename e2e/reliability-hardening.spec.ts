/**
 * Second hardening round (issue 14): what a page sends can break neither export nor a pane of the
 * panel, secrets in URLs and bodies stay out of what is exported or copied, and the panel says when a
 * tab's page was never patched.
 */
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
