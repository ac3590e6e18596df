/**
 * Look and feel: the theme follows the system as a tab, split panes resize by pointer and keyboard,
 * empty states say what to do, the panel speaks Simplified Chinese, and the README screenshots
 * (docs/panel-light.png, docs/panel-dark.png) are written by this ordinary e2e run, so they never go stale.
 */
import { openReader, readStream, sse, stageDemo, startStream } from './panel-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, eventRows } from './support/panel';

test('follows the system theme as a tab; writes the README screenshots in light and dark', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  await openReader(page, server, '/p/demo.html');
  const panel = await openPanel(await tabIdOf(page));
  await panel.setViewportSize({ width: 1280, height: 600 });
  await panel.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await stageDemo(page, server);
  await expect(connectionRows(panel)).toHaveCount(4);
  await expect(connectionRows(panel).nth(3).locator('td.state')).toHaveText('open');
  // The demo's streams are well formed (the 503 one says so by its status): a diagnosis that cried
  // wolf on them would show a badge.
  await expect(panel.locator('.diagnosis-badge')).toHaveCount(0);

  await connectionRows(panel).first().click();
  await panel.getByRole('searchbox', { name: 'Filter events' }).fill('stream');
  await expect(eventRows(panel)).toHaveCount(1);
  await panel.getByRole('searchbox', { name: 'Filter events' }).fill('');
  await eventRows(panel).filter({ hasText: '"content":"browser "' }).click();
  await expect(panel.locator('.event-detail [role="tree"]')).toContainText('content:"browser "');

  const html = panel.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  const background = () => panel.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(await background()).toBe('rgb(255, 255, 255)');
  await panel.screenshot({ path: 'docs/panel-light.png' });

  await panel.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await background()).toBe('rgb(32, 33, 36)');
  await panel.screenshot({ path: 'docs/panel-dark.png' });

  // DevTools docked to the side: the connection list goes above the events; at the narrowest,
  // lower-priority columns give way and the data stays readable.
  await panel.setViewportSize({ width: 640, height: 600 });
  const handle = panel.getByRole('separator', { name: 'Resize the connection list' });
  await expect(handle).toHaveAttribute('aria-orientation', 'horizontal');
  const listBox = await panel.locator('.connections-pane').boundingBox();
  const eventsBox = await panel.locator('.events-pane').boundingBox();
  expect(listBox && eventsBox && listBox.y + listBox.height <= eventsBox.y).toBe(true);
  await expect(connectionRows(panel).first().locator('td.method')).toBeVisible();
  await panel.screenshot({ path: test.info().outputPath('panel-narrow.png') });
  await panel.setViewportSize({ width: 420, height: 600 });
  await expect(panel.locator('table.events td.data').first()).toBeVisible();
  await expect(panel.locator('table.events th.col-size')).toBeHidden();
});

test('split panes resize by dragging the handle and by keyboard, and keep their size', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/s', { steps: [{ write: sse({ data: '{"a":1}' }) }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/s');
  const list = panel.locator('.connections-pane');
  const handle = panel.getByRole('separator', { name: 'Resize the connection list' });
  const width = async () => (await list.boundingBox())?.width ?? 0;
  const before = await width();

  const box = await handle.boundingBox();
  if (!box) throw new Error('no handle');
  await panel.mouse.move(box.x + box.width / 2, box.y + 100);
  await panel.mouse.down();
  await panel.mouse.move(box.x + 200, box.y + 100, { steps: 5 });
  await panel.mouse.up();
  expect(await width()).toBeGreaterThan(before + 150);

  await handle.focus();
  const value = Number(await handle.getAttribute('aria-valuenow'));
  await panel.keyboard.press('ArrowLeft');
  await expect(handle).toHaveAttribute('aria-valuenow', String(value - 2));
  await panel.keyboard.press('Shift+ArrowLeft');
  await expect(handle).toHaveAttribute('aria-valuenow', String(value - 12));

  // The detail pane's handle moves up and down.
  await eventRows(panel).first().click();
  const detailHandle = panel.getByRole('separator', { name: 'Resize the event details' });
  await expect(detailHandle).toHaveAttribute('aria-orientation', 'horizontal');
  const detailValue = Number(await detailHandle.getAttribute('aria-valuenow'));
  await detailHandle.focus();
  await panel.keyboard.press('ArrowUp');
  await expect(detailHandle).toHaveAttribute('aria-valuenow', String(detailValue - 2));

  await panel.reload();
  await expect(panel.getByRole('separator', { name: 'Resize the connection list' })).toHaveAttribute(
    'aria-valuenow',
    String(value - 12),
  );
});

test('empty states tell the user what to do', async ({
  page,
  server,
  tabIdOf,
  openPanel,
  context,
  extensionId,
}) => {
  server.stream('/quiet', { steps: [{ waitFor: 'never' }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await expect(panel.getByText('No event streams captured in this tab yet.')).toBeVisible();
  await expect(
    panel.getByText('Reload the page to capture streams that started before capture was on.', {
      exact: false,
    }),
  ).toBeVisible();
  await expect(panel.getByText('use Import and pick an exported JSON file', { exact: false })).toBeVisible();

  await panel.getByRole('button', { name: 'Record' }).click();
  await expect(panel.getByText('Recording is paused.', { exact: true })).toBeVisible();
  await expect(panel.getByText('Press the record button to capture new streams.')).toBeVisible();
  await panel.getByRole('button', { name: 'Record' }).click();

  await startStream(page, server, '/quiet');
  await expect(connectionRows(panel)).toHaveCount(1);
  await expect(panel.getByText('No events yet. They appear here as the page reads them.')).toBeVisible();

  const noTab = await context.newPage();
  await noTab.goto(`chrome-extension://${extensionId}/panel/index.html`);
  await expect(
    noTab.getByText('No inspected tab. Open this panel from DevTools', { exact: false }),
  ).toBeVisible();
});

test.describe('in Simplified Chinese', () => {
  test.use({ chromiumArgs: ['--lang=zh-CN'] });

  test('the panel follows the browser’s UI language', async ({ page, server, tabIdOf, openPanel }) => {
    server.stream('/zh', { steps: [{ write: sse({ event: 'token', data: '{"text":"你好"}' }) }] });
    await openReader(page, server);
    const panel = await openPanel(await tabIdOf(page));
    await expect(panel.getByText('此标签页尚未捕获到事件流。')).toBeVisible();
    await readStream(page, server, '/zh');
    await expect(connectionRows(panel).first().locator('td.state')).toHaveText('已完成');
    await expect(panel.getByRole('button', { name: '清除' })).toBeVisible();
    await expect(panel.getByRole('tab', { name: '事件' })).toHaveAttribute('aria-selected', 'true');
    await expect(panel.getByRole('tab', { name: '请求' })).toBeVisible();
    await expect(panel.locator('table.events thead th')).toHaveText([
      'ID',
      '类型',
      '数据',
      '时间',
      'Δ',
      '大小',
    ]);
    await expect(panel.locator('.row-count')).toHaveText('1 / 1');
    await eventRows(panel).first().click();
    await expect(panel.getByRole('button', { name: '原始' })).toBeVisible();
    await panel.setViewportSize({ width: 1100, height: 420 });
    await panel.screenshot({ path: test.info().outputPath('panel-zh.png') });
  });
});
