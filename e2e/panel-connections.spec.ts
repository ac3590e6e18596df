/** The connection list: what each row shows, live state, URL and state filters, sorting, keyboard. */

import { openReader, readStream, sse, startStream } from './panel-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows } from './support/panel';

const CLOCK = /^\d\d:\d\d:\d\d\.\d{3}$/;

test('each connection shows method, path then origin, status, transport, state, events, size, duration, start', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/api/stream', { steps: [{ write: sse({ data: 'a' }) }, { write: sse({ data: 'bb' }) }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/api/stream?topic=x', { method: 'POST', body: '{}' });

  const row = connectionRows(panel).first();
  await expect(row.locator('td.state')).toHaveText('completed');
  await expect(row.locator('td.method')).toHaveText('POST');
  await expect(row.locator('.url .path')).toHaveText('/api/stream?topic=x');
  await expect(row.locator('.url .origin')).toHaveText(server.origin);
  // Path first, origin after it in a muted colour.
  const [pathColor, originColor] = await Promise.all([
    row.locator('.url .path').evaluate((el) => getComputedStyle(el).color),
    row.locator('.url .origin').evaluate((el) => getComputedStyle(el).color),
  ]);
  expect(originColor).not.toBe(pathColor);
  await expect(row.locator('.url .badge')).toHaveText('fetch');
  await expect(row.locator('td.status')).toHaveText('200');
  const cells = await row.locator('td').allTextContents();
  // Events, size (bytes read: "data: a\n\n" + "data: bb\n\n"), duration, start time.
  expect(cells[4]).toBe('2');
  expect(cells[5]).toBe('19 B');
  expect(cells[6]).toMatch(/^\d+ ms$|^\d+\.\d s$/);
  expect(cells[7]).toMatch(CLOCK);
});

test('a live stream is visibly live until it ends', async ({ page, server, tabIdOf, openPanel }) => {
  server.stream('/live', {
    steps: [{ write: sse({ data: 'first' }) }, { waitFor: 'end' }, { write: sse({ data: 'last' }) }],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await startStream(page, server, '/live');
  const state = connectionRows(panel).first().locator('td.state');
  await expect(state).toHaveText('open');
  await expect(state).toHaveClass(/is-live/);
  // The live marker is drawn before the word (a pulsing dot).
  expect(await state.evaluate((el) => getComputedStyle(el, '::before').animationName)).toBe('pulse');
  server.release('end');
  await expect(state).toHaveText('completed');
  await expect(state).not.toHaveClass(/is-live/);
});

test('filter by URL text and by live or ended; sort by a column header, both ways', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/chat/one', { steps: [{ write: sse({ data: '1' }).repeat(3) }] });
  server.stream('/chat/two', { steps: [{ write: sse({ data: '1' }) }] });
  server.stream('/ticker', { steps: [{ write: sse({ data: 't' }).repeat(2) }, { waitFor: 'never' }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/chat/one');
  await readStream(page, server, '/chat/two');
  await startStream(page, server, '/ticker');
  await expect(connectionRows(panel)).toHaveCount(3);
  const paths = () => connectionRows(panel).locator('.url .path').allTextContents();

  const filter = panel.getByRole('searchbox', { name: 'Filter connections by URL' });
  await filter.fill('CHAT/');
  await expect.poll(paths).toEqual(['/chat/one', '/chat/two']);
  await filter.fill('nothing-like-this');
  await expect(connectionRows(panel)).toHaveCount(0);
  await expect(panel.getByText('No connections match the filter.')).toBeVisible();
  await panel.getByRole('button', { name: 'Clear filter' }).click();
  await expect(connectionRows(panel)).toHaveCount(3);
  await expect(filter).toHaveValue('');

  await panel.getByRole('button', { name: 'Live', exact: true }).click();
  await expect.poll(paths).toEqual(['/ticker']);
  await panel.getByRole('button', { name: 'Ended', exact: true }).click();
  await expect.poll(paths).toEqual(['/chat/one', '/chat/two']);
  await panel.getByRole('button', { name: 'All', exact: true }).click();
  await expect.poll(paths).toEqual(['/chat/one', '/chat/two', '/ticker']);

  const eventsHeader = panel.getByRole('columnheader', { name: /^Events/ });
  await eventsHeader.getByRole('button').click();
  await expect(eventsHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(paths).toEqual(['/chat/two', '/ticker', '/chat/one']);
  await eventsHeader.getByRole('button').click();
  await expect(eventsHeader).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(paths).toEqual(['/chat/one', '/ticker', '/chat/two']);
  await panel.getByRole('columnheader', { name: /^URL/ }).getByRole('button').click();
  await expect.poll(paths).toEqual(['/chat/one', '/chat/two', '/ticker']);
});

test('↑/↓ in the connection list select the previous or next connection', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/first', { steps: [{ write: sse({ data: 'from first' }) }] });
  server.stream('/second', { steps: [{ write: sse({ data: 'from second' }) }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/first');
  await readStream(page, server, '/second');
  await connectionRows(panel).first().click();
  await expect(connectionRows(panel).first()).toHaveAttribute('aria-selected', 'true');
  await panel.keyboard.press('ArrowDown');
  await expect(connectionRows(panel).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(panel.locator('table.events td.data')).toHaveText(['from second']);
  await panel.keyboard.press('ArrowUp');
  await expect(panel.locator('table.events td.data')).toHaveText(['from first']);
});

test('the transport badge tells fetch, XMLHttpRequest and EventSource apart; what EventSource hides is said', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  for (const path of ['/by-fetch', '/by-xhr', '/by-es']) {
    server.stream(path, { steps: [{ write: sse({ data: path }) }, { waitFor: 'never' }] });
  }
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await startStream(page, server, '/by-fetch');
  await expect(connectionRows(panel)).toHaveCount(1);
  await page.evaluate(() => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', '/by-xhr');
    xhr.send();
  });
  await expect(connectionRows(panel)).toHaveCount(2);
  await page.evaluate(() => {
    (window as unknown as { source: EventSource }).source = new EventSource('/by-es');
  });
  await expect(connectionRows(panel)).toHaveCount(3);

  await expect(connectionRows(panel).locator('.url .badge')).toHaveText(['fetch', 'xhr', 'ES']);
  await expect(connectionRows(panel).nth(2).locator('.url .badge')).toHaveAttribute(
    'title',
    'Read with EventSource',
  );
  await expect(connectionRows(panel).locator('td.status')).toHaveText(['200', '200', '—']);
  await connectionRows(panel).nth(2).click();
  await panel.getByRole('tab', { name: 'Request' }).click();
  await expect(panel.getByRole('region', { name: 'General' })).toContainText(
    'Status codeNot visible to the page (EventSource)',
  );
  await expect(panel.getByRole('region', { name: 'Response headers' })).toContainText(
    'Not visible to the page (EventSource)',
  );
  await page.evaluate(() => (window as unknown as { source: EventSource }).source.close());
});
