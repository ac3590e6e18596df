/** The detail pane (JSON tree or raw, copy, big payloads) and the Request tab (headers, body, secrets). */

import { openReader, readStream, sse } from './panel-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, eventRows } from './support/panel';

test('JSON data opens as a collapsible tree with \\uXXXX decoded; Raw shows it as received; Copy copies it', async ({
  context,
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const data = '{"greeting":"caf\\u00e9 \\u4f60\\u597d","nested":{"list":[1,true,null],"deep":{"x":"y"}}}';
  server.stream('/json', {
    steps: [{ write: sse({ data }) }, { write: sse({ data: 'plain text, not JSON' }) }],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/json');
  await eventRows(panel).first().click();

  const tree = panel.locator('.event-detail [role="tree"]');
  await expect(tree).toContainText('greeting:"café 你好"');
  await expect(tree).toContainText('x:"y"');
  // Collapse "nested": its children disappear, and come back when expanded.
  await tree.getByRole('button', { name: 'collapse' }).nth(1).click();
  await expect(tree).not.toContainText('x:"y"');
  await tree.getByRole('button', { name: 'expand' }).first().click();
  await expect(tree).toContainText('x:"y"');

  await panel.getByRole('button', { name: 'Raw' }).click();
  await expect(panel.locator('.event-detail pre')).toHaveText(data);
  // The choice holds for the next event; data that is not JSON is always text.
  await eventRows(panel).nth(1).click();
  await expect(panel.locator('.event-detail pre')).toHaveText('plain text, not JSON');
  await expect(panel.getByRole('button', { name: 'Tree' })).toHaveCount(0);

  await panel.keyboard.press('ArrowUp');
  await panel.locator('.event-detail').getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(panel.locator('.event-detail').getByRole('status')).toHaveText('Copied');
  await context.grantPermissions(['clipboard-read'], { origin: server.origin });
  await page.bringToFront();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(data);
});

test('a 2 MB event opens without freezing the panel: big JSON starts collapsed below its first level', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  test.setTimeout(60_000);
  const items = Array.from({ length: 600 }, (_, i) => ({ i, text: 'x'.repeat(3400) }));
  const big = JSON.stringify({ kind: 'big', items });
  expect(big.length).toBeGreaterThan(2_000_000);
  const huge = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ i, text: 'y'.repeat(90) })));
  server.stream('/big', {
    steps: [{ write: sse({ data: big }) }, { write: sse({ data: huge }) }, { write: sse({ data: 'small' }) }],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/big');
  await expect(eventRows(panel)).toHaveCount(3);
  await expect(eventRows(panel).first().locator('td.size')).toHaveText(/^2\.\d MB$/);

  await eventRows(panel).first().click();
  const tree = panel.locator('.event-detail [role="tree"]');
  await expect(tree).toContainText('kind:"big"');
  // "items" is collapsed: none of its 600 entries is rendered.
  await expect(tree).not.toContainText('xxxxxxxxxx');

  // 20 000 top-level entries start as raw text, with a way to the tree.
  await panel.keyboard.press('ArrowDown');
  await expect(panel.locator('.event-detail .note')).toContainText('20,000 top-level entries');
  await expect(panel.locator('.event-detail pre')).toContainText('"i":19999');

  // The panel still answers: the next event opens at once.
  await eventRows(panel).nth(2).click();
  await expect(panel.locator('.event-detail pre')).toHaveText('small');
});

test('the Request tab shows method, URL, status, headers (secrets masked until revealed) and the body pretty-printed', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/v1/chat', {
    headers: { 'x-request-id': 'req-42' },
    steps: [{ write: sse({ data: 'hi' }) }],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  const body = { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Hi' }] };
  await readStream(page, server, '/v1/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-live-123', 'x-trace': 't1' },
    body: JSON.stringify(body),
  });
  await expect(connectionRows(panel).first().locator('td.state')).toHaveText('completed');
  await panel.getByRole('tab', { name: 'Request' }).click();

  const general = panel.getByRole('region', { name: 'General' });
  await expect(general).toContainText(`Request URL${server.url('/v1/chat')}`);
  await expect(general).toContainText('Request methodPOST');
  await expect(general).toContainText('Status code200 OK');

  const request = panel.getByRole('region', { name: 'Request headers' });
  await expect(request).toContainText('x-tracet1');
  await expect(request).not.toContainText('sk-live-123');
  await expect(request).toContainText('authorization••••••••');
  await request.getByRole('button', { name: 'Show the value of authorization' }).click();
  await expect(request).toContainText('Bearer sk-live-123');
  await request.getByRole('button', { name: 'Hide the value of authorization' }).click();
  await expect(request).not.toContainText('sk-live-123');

  const response = panel.getByRole('region', { name: 'Response headers' });
  await expect(response).toContainText('x-request-idreq-42');
  await expect(response).toContainText('content-typetext/event-stream');

  await expect(panel.getByRole('region', { name: 'Request body' }).locator('pre')).toHaveText(
    JSON.stringify(body, null, 2),
  );
});
