/** The event filter (text, /regex/, type) with highlights and counts, and the search across connections. */

import { openReader, readStream, sse } from './panel-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, eventRows } from './support/panel';

const EVENTS = [
  { event: 'token', data: '{"text":"Hello"}' },
  { event: 'token', data: '{"text":" world"}' },
  { event: 'usage', data: '{"tokens":2}' },
  { event: 'token', data: '<b>bold</b> hello' },
  { event: 'done', data: '[DONE]' },
];

test('text filter: matches over type, id and data are highlighted as text, with "N of M"', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/f', { steps: [{ write: EVENTS.map((e) => sse(e)).join('') }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/f');
  await expect(eventRows(panel)).toHaveCount(5);
  await expect(panel.locator('.row-count')).toHaveText('5 of 5');

  const filter = panel.getByRole('searchbox', { name: 'Filter events' });
  await filter.fill('HELLO');
  await expect(eventRows(panel).locator('td.data')).toHaveText(['{"text":"Hello"}', '<b>bold</b> hello']);
  await expect(panel.locator('.row-count')).toHaveText('2 of 5');
  await expect(panel.locator('table.events td.data mark')).toHaveText(['Hello', 'hello']);
  // Page data stays text: the <b> in the data is not an element.
  await expect(panel.locator('table.events td.data b')).toHaveCount(0);

  // The type is searched too.
  await filter.fill('usage');
  await expect(eventRows(panel).locator('td.type')).toHaveText(['usage']);
  await expect(eventRows(panel).locator('td.type mark')).toHaveText('usage');

  await filter.fill('no such thing');
  await expect(eventRows(panel)).toHaveCount(0);
  await expect(panel.getByText('No events match the filter.')).toBeVisible();
  await panel.getByRole('button', { name: 'Clear filter' }).click();
  await expect(eventRows(panel)).toHaveCount(5);
});

test('a /regex/flags filter; an invalid one is shown as an error and filters nothing', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/r', { steps: [{ write: EVENTS.map((e) => sse(e)).join('') }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/r');
  const filter = panel.getByRole('searchbox', { name: 'Filter events' });

  await filter.fill('/"text":" ?w/');
  await expect(eventRows(panel).locator('td.data')).toHaveText(['{"text":" world"}']);
  await expect(panel.locator('table.events td.data mark')).toHaveText(['"text":" w']);
  await filter.fill('/^\\[done\\]$/i');
  await expect(eventRows(panel).locator('td.data')).toHaveText(['[DONE]']);

  await filter.fill('/([a-/');
  await expect(filter).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.getByRole('alert')).toContainText('Invalid regular expression');
  await expect(eventRows(panel)).toHaveCount(5);
});

test('the type filter lists the types seen, with counts, and shows one type', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/t', { steps: [{ write: EVENTS.map((e) => sse(e)).join('') }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/t');
  const types = panel.getByRole('combobox', { name: 'Show events of one type' });
  await expect(types.locator('option')).toHaveText(['All types', 'token (3)', 'usage (1)', 'done (1)']);
  await types.selectOption('token');
  await expect(eventRows(panel).locator('td.type')).toHaveText(['token', 'token', 'token']);
  await expect(panel.locator('.row-count')).toHaveText('3 of 5');
  await panel.getByRole('searchbox', { name: 'Filter events' }).fill('world');
  await expect(eventRows(panel).locator('td.data')).toHaveText(['{"text":" world"}']);
  await types.selectOption('');
  await expect(eventRows(panel)).toHaveCount(1);
});

test('search across all connections jumps to each hit: connection and event selected and in view', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const filler = (n: number) =>
    Array.from({ length: n }, (_, i) => sse({ event: 'filler', data: `row ${i}` })).join('');
  server.stream('/first', {
    steps: [{ write: filler(200) + sse({ data: 'the needle, first' }) + filler(5) }],
  });
  server.stream('/second', {
    steps: [{ write: sse({ data: 'the NEEDLE, second' }) + filler(300) + sse({ data: 'needle again' }) }],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/first');
  await readStream(page, server, '/second');
  await expect(connectionRows(panel)).toHaveCount(2);
  // The event table's own filter would hide the hits: the search lifts it when it jumps to one.
  await panel.getByRole('searchbox', { name: 'Filter events' }).fill('row 1');

  // From another tab, a hit brings the user to the Events tab.
  await panel.getByRole('tab', { name: 'Request' }).click();
  const search = panel.getByRole('searchbox', { name: 'Search all connections' });
  await search.fill('needle');
  await expect(panel.getByRole('status').filter({ hasText: /of 3$/ })).toHaveText('0 of 3');
  const opened = panel.locator('.event-detail pre');

  await search.press('Enter');
  await expect(panel.getByRole('tab', { name: 'Events' })).toHaveAttribute('aria-selected', 'true');
  await expect(connectionRows(panel).first()).toHaveAttribute('aria-selected', 'true');
  await expect(opened).toHaveText('the needle, first');
  const selectedRow = panel.locator('table.events tbody tr[aria-selected="true"]');
  await expect(selectedRow).toBeInViewport();
  await expect(panel.getByRole('status').filter({ hasText: /of 3$/ })).toHaveText('1 of 3');
  await expect(panel.getByRole('searchbox', { name: 'Filter events' })).toHaveValue('');

  await search.press('Enter');
  await expect(connectionRows(panel).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(opened).toHaveText('the NEEDLE, second');
  await search.press('Enter');
  await expect(opened).toHaveText('needle again');
  await expect(selectedRow).toBeInViewport();
  await expect(panel.getByRole('status').filter({ hasText: /of 3$/ })).toHaveText('3 of 3');
  // Past the last hit it wraps to the first; Shift+Enter goes back.
  await search.press('Enter');
  await expect(opened).toHaveText('the needle, first');
  await search.press('Shift+Enter');
  await expect(opened).toHaveText('needle again');
  await panel.getByRole('button', { name: 'Previous match (Shift+Enter)' }).click();
  await expect(opened).toHaveText('the NEEDLE, second');

  await search.fill('/needle[/');
  await expect(panel.getByRole('status').filter({ hasText: 'Invalid regular expression' })).toBeVisible();
  await search.fill('nowhere at all');
  await expect(panel.getByRole('status').filter({ hasText: 'No matches' })).toBeVisible();
});
