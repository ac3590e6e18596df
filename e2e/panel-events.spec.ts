/** The event table: columns, follow mode, keyboard, multi-select and copy, comments on demand. */
import type { BrowserContext, Page } from '@playwright/test';
import { openReader, readStream, sse, startStream } from './panel-helpers';
import { expect, test } from './support/fixtures';
import { eventRows } from './support/panel';

/**
 * What the panel copied, read back from the browser's clipboard in the inspected page (Chromium grants
 * no clipboard permission to an extension origin from outside, so the page reads it).
 */
async function readClipboard(context: BrowserContext, page: Page, origin: string): Promise<string> {
  await context.grantPermissions(['clipboard-read'], { origin });
  await page.bringToFront();
  return page.evaluate(() => navigator.clipboard.readText());
}

const header = (panel: Page) => panel.locator('table.events thead th');

test('rows show Id, Type, Data, Time, Δ and Size; hidden columns stay hidden after a reload', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/typed', {
    steps: [
      { write: sse({ id: '1', event: 'token', data: '{"t":"é"}' }) },
      { pause: 60 },
      { write: sse({ id: '2', event: 'done', data: 'line one\nline two' }) },
    ],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/typed');
  await expect(eventRows(panel)).toHaveCount(2);
  await expect(header(panel)).toHaveText(['Id', 'Type', 'Data', 'Time', 'Δ', 'Size']);
  const second = await eventRows(panel).nth(1).locator('td').allTextContents();
  expect(second[0]).toBe('2');
  expect(second[1]).toBe('done');
  // One line, line breaks shown as ↵.
  expect(second[2]).toBe('line one↵line two');
  expect(second[3]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
  // Time since the previous event.
  expect(second[4]).toMatch(/^\+(\d+(\.\d)? ms|\d\.\d\d s)$/);
  expect(second[5]).toBe('17 B');
  // UTF-8 bytes: "é" is two.
  await expect(eventRows(panel).first().locator('td.size')).toHaveText('10 B');

  await panel.getByRole('button', { name: 'Columns' }).click();
  await panel.getByRole('checkbox', { name: 'Δ since previous event' }).uncheck();
  await panel.getByRole('checkbox', { name: 'Size' }).uncheck();
  await expect(header(panel)).toHaveText(['Id', 'Type', 'Data', 'Time']);
  await expect(eventRows(panel).first().locator('td')).toHaveCount(4);

  await panel.reload();
  await expect(eventRows(panel)).toHaveCount(2);
  await expect(header(panel)).toHaveText(['Id', 'Type', 'Data', 'Time']);
  await panel.getByRole('button', { name: 'Columns' }).click();
  await panel.getByRole('checkbox', { name: 'Size' }).check();
  await expect(header(panel)).toHaveText(['Id', 'Type', 'Data', 'Time', 'Size']);
});

test('the table follows new events at the bottom, stops when the user scrolls up, and "↓ N new" jumps back', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const batch = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => sse({ data: `event ${from + i}` })).join('');
  server.stream('/many', {
    steps: [
      { write: batch(1, 100) },
      { waitFor: 'more' },
      { write: batch(101, 130) },
      { waitFor: 'last' },
      { write: batch(131, 140) },
      { waitFor: 'never' },
    ],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await startStream(page, server, '/many');
  const row = (n: number) =>
    panel.locator('table.events td.data').filter({ hasText: new RegExp(`^event ${n}$`) });
  await expect(row(100)).toBeInViewport();

  // The user scrolls up: the table stays where they put it while events arrive.
  await panel.locator('.event-table').hover();
  await panel.mouse.wheel(0, -600);
  await expect(row(100)).not.toBeInViewport();
  const top = await panel.locator('.event-table').evaluate((el) => el.scrollTop);
  server.release('more');
  const pill = panel.getByRole('button', { name: '↓ 30 new' });
  await expect(pill).toBeVisible();
  expect(await panel.locator('.event-table').evaluate((el) => el.scrollTop)).toBe(top);
  await expect(row(130)).not.toBeInViewport();

  await pill.click();
  await expect(row(130)).toBeInViewport();
  await expect(pill).toBeHidden();
  // Following again: new events scroll into view.
  server.release('last');
  await expect(row(140)).toBeInViewport();
});

test('↑/↓ move through the events, Enter or a click opens one, Escape closes it', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/keys', {
    steps: [{ write: ['alpha', 'bravo', 'charlie'].map((data) => sse({ data })).join('') }],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/keys');
  const detail = panel.locator('.event-detail');
  await expect(detail).toHaveCount(0);

  await eventRows(panel).first().click();
  await expect(detail.locator('pre')).toHaveText('alpha');
  await panel.keyboard.press('ArrowDown');
  await expect(eventRows(panel).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(detail.locator('pre')).toHaveText('bravo');
  await panel.keyboard.press('End');
  await expect(detail.locator('pre')).toHaveText('charlie');
  await panel.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await panel.keyboard.press('ArrowUp');
  await expect(eventRows(panel).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(detail).toHaveCount(0);
  await panel.keyboard.press('Enter');
  await expect(detail.locator('pre')).toHaveText('bravo');
  await panel.getByRole('button', { name: 'Close event details (Esc)' }).click();
  await expect(detail).toHaveCount(0);
});

test('Shift-click and Ctrl-click select several rows; they copy as JSON, one event’s data copies as is', async ({
  context,
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/copy', {
    steps: [
      {
        write: Array.from({ length: 6 }, (_, i) => sse({ id: `${i + 1}`, data: `{"n":${i + 1}}` })).join(''),
      },
    ],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/copy');
  const rows = eventRows(panel);
  await expect(rows).toHaveCount(6);

  await rows.nth(1).click();
  await rows.nth(3).click({ modifiers: ['Shift'] });
  await rows.nth(5).click({ modifiers: ['ControlOrMeta'] });
  await expect(panel.locator('table.events tbody tr[aria-selected="true"] td.data')).toHaveText([
    '{"n":2}',
    '{"n":3}',
    '{"n":4}',
    '{"n":6}',
  ]);
  await panel.getByRole('button', { name: 'Copy as JSON (4)' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  const copied = JSON.parse(await readClipboard(context, page, server.origin)) as {
    id: string;
    data: string;
  }[];
  expect(copied.map((e) => [e.id, e.data])).toEqual([
    ['2', '{"n":2}'],
    ['3', '{"n":3}'],
    ['4', '{"n":4}'],
    ['6', '{"n":6}'],
  ]);

  // Ctrl/⌘+C in the table copies the selection too; the detail's Copy copies the opened event's data.
  await panel.bringToFront();
  await rows.nth(4).click();
  await panel.locator('.event-detail').getByRole('button', { name: 'Copy', exact: true }).click();
  expect(await readClipboard(context, page, server.origin)).toBe('{"n":5}');
  await panel.bringToFront();
  await rows.nth(4).click();
  await panel.keyboard.press('ControlOrMeta+c');
  expect(JSON.parse(await readClipboard(context, page, server.origin))).toMatchObject([
    { id: '5', data: '{"n":5}' },
  ]);
});

test('comments and retry records are hidden until "Show comments" is ticked', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/heartbeat', {
    steps: [{ write: `: ping\n\n${sse({ data: 'real' })}retry: 3000\n\n: ping again\n\n` }],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/heartbeat');
  await expect(eventRows(panel)).toHaveCount(1);
  const toggle = panel.getByRole('checkbox', { name: 'Show comments (3)' });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await expect(eventRows(panel).locator('td.type')).toHaveText(['comment', 'message', 'retry', 'comment']);
  await expect(eventRows(panel).locator('td.data')).toHaveText(['ping', 'real', '3000', 'ping again']);
  await toggle.uncheck();
  await expect(eventRows(panel)).toHaveCount(1);
});

test('a row clicked low in the table stays in view when the detail it opens takes the lower part of the panel', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/long', {
    steps: [{ write: Array.from({ length: 80 }, (_, i) => sse({ data: `row ${i + 1}` })).join('') }],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/long');
  const row = (n: number) =>
    panel.locator('table.events td.data').filter({ hasText: new RegExp(`^row ${n}$`) });
  await expect(row(80)).toBeInViewport();
  await expect(panel.locator('.event-detail')).toHaveCount(0);
  // The second row from the bottom of the view: the detail pane will cover where it is now.
  const table = await panel.locator('.event-table').boundingBox();
  if (!table) throw new Error('no event table');
  await panel.mouse.click(table.x + table.width / 2, table.y + table.height - 30);
  const selected = panel.locator('table.events tr[aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  const data = (await selected.locator('td.data').textContent()) ?? '';
  await expect(panel.locator('.event-detail pre')).toHaveText(data);
  await expect(selected).toBeInViewport({ ratio: 0.9 });
  const after = await panel.locator('.event-table').boundingBox();
  expect(after?.height).toBeLessThan(table.height - 100);
});
