/**
 * Reliability under the extension's own life cycle (issue "Hold up under faults, floods and hostile
 * pages"): the service worker stopped mid-stream, the panel closed and reopened, the inspected page
 * navigated, reloaded, and taken back and forward through the back/forward cache.
 */
import { PAGE_LEFT_ERROR } from '../panel/capture-model';
import { openReader, sse, startStream } from './panel-helpers';
import { serviceWorkerPortCount, stopExtensionServiceWorker, watchLinkStatus } from './reliability-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, eventRows, exportFromPanel } from './support/panel';
import type { SseServer } from './support/sse-server';

test('service worker stopped twice mid-stream: capture goes on, the panel reconnects by itself, no gap and no duplicate', async ({
  context,
  page,
  server,
  extensionId,
  tabIdOf,
  openPanel,
}) => {
  const events = Array.from({ length: 90 }, (_, i) => ({ id: String(i + 1), data: `event ${i + 1}` }));
  // Events keep coming every 10 ms while the worker is stopped and started again.
  const paced = (from: number, to: number) =>
    events.slice(from, to).flatMap((event) => [{ write: sse(event) }, { pause: 10 }]);
  server.stream('/sw-restart', {
    steps: [
      ...paced(0, 30),
      { waitFor: 'first-stop' },
      ...paced(30, 60),
      { waitFor: 'second-stop' },
      ...paced(60, 90),
    ],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await expect(panel.getByRole('status')).toHaveText('Connected');
  const linkSeen = await watchLinkStatus(panel);
  await startStream(page, server, '/sw-restart');
  await expect(eventRows(panel)).not.toHaveCount(0);

  for (const step of ['first-stop', 'second-stop']) {
    await expect
      .poll(() => server.requestsTo('/sw-restart')[0]?.stream?.chunksWritten)
      .toBeGreaterThan(step === 'first-stop' ? 29 : 59);
    await stopExtensionServiceWorker(context, page, extensionId);
    server.release(step);
    await expect(panel.getByRole('status')).toHaveText('Connected');
  }
  expect(await server.requestsTo('/sw-restart')[0]?.stream?.outcome).toBe('completed');
  await expect(connectionRows(panel).first()).toContainText('completed');
  const exported = await exportFromPanel(panel);
  expect(exported.connections).toHaveLength(1);
  expect(exported.connections[0]?.events.map((e) => ({ id: e.id, data: e.data }))).toEqual(events);
  // The toolbar said so each time, and ended connected.
  expect(await linkSeen()).toEqual(['Connected', 'Reconnecting…', 'Connected', 'Reconnecting…', 'Connected']);
});

test('panel closed and reopened mid-stream: each time it shows the stream from its first event', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const events = Array.from({ length: 60 }, (_, i) => ({ id: String(i + 1), data: `event ${i + 1}` }));
  const paced = (from: number, to: number) =>
    events.slice(from, to).flatMap((event) => [{ write: sse(event) }, { pause: 5 }]);
  server.stream('/reopen', {
    steps: [
      ...paced(0, 20),
      { waitFor: 'closed' },
      ...paced(20, 40),
      { waitFor: 'reopened' },
      ...paced(40, 60),
    ],
  });
  await openReader(page, server);
  const tabId = await tabIdOf(page);
  const chunksWritten = () => server.requestsTo('/reopen')[0]?.stream?.chunksWritten ?? 0;
  // 20 events before any panel exists.
  await startStream(page, server, '/reopen');
  await expect.poll(chunksWritten).toBe(20);
  const first = await openPanel(tabId);
  await expect(connectionRows(first)).toHaveCount(1);
  await expect(connectionRows(first).first().locator('td').nth(4)).toHaveText('20');
  await first.close();
  // 20 more while no panel watches.
  server.release('closed');
  await expect.poll(chunksWritten).toBe(40);
  const second = await openPanel(tabId);
  await expect(connectionRows(second).first().locator('td').nth(4)).toHaveText('40');
  await expect(connectionRows(second).first()).toHaveClass(/\blive\b/);
  server.release('reopened');
  await expect(connectionRows(second).first()).toContainText('completed');
  const exported = await exportFromPanel(second);
  expect(exported.connections).toHaveLength(1);
  expect(exported.connections[0]?.events.map((e) => ({ id: e.id, data: e.data }))).toEqual(events);
});

/** A stream that sends one event and then stays open until the server is reset. */
function liveForever(server: SseServer, path: string): void {
  server.stream(path, { steps: [{ write: sse({ data: `live on ${path}` }) }, { waitFor: 'never' }] });
}

test('ten reloads with a live stream each: one live row, the current page’s, and no port left behind', async ({
  context,
  page,
  server,
  extensionId,
  tabIdOf,
  openPanel,
}) => {
  test.setTimeout(90_000);
  liveForever(server, '/reload-live');
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await expect(panel.getByRole('status')).toHaveText('Connected');
  let portsAtFirst = -1;
  for (let reload = 0; reload <= 10; reload++) {
    if (reload > 0) await page.reload();
    await startStream(page, server, '/reload-live');
    await expect.poll(() => server.requestsTo('/reload-live').length).toBe(reload + 1);
    await expect(connectionRows(panel)).toHaveCount(1);
    await expect(connectionRows(panel).first()).toHaveClass(/\blive\b/);
    // The panel's port and the current document's relay port; the ten before are gone.
    const ports = await serviceWorkerPortCount(context, extensionId);
    if (reload === 0) portsAtFirst = ports;
    expect(ports, `ports the service worker holds after ${reload} reloads`).toBe(portsAtFirst);
  }
  expect(portsAtFirst).toBe(2);
  await panel.close();
  await expect.poll(() => serviceWorkerPortCount(context, extensionId)).toBe(1);
});

test('Preserve log across reloads: the streams of the documents left are shown ended, only the current one live', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  liveForever(server, '/preserved-live');
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await panel.getByRole('checkbox', { name: 'Preserve log' }).check();
  for (let reload = 0; reload <= 3; reload++) {
    if (reload > 0) await page.reload();
    await startStream(page, server, '/preserved-live');
    await expect(connectionRows(panel)).toHaveCount(reload + 1);
  }
  const rows = connectionRows(panel);
  await expect(panel.locator('tr[data-connection-id].live')).toHaveCount(1);
  await expect(rows.last()).toHaveClass(/\blive\b/);
  // The browser aborted each left document's fetch; the panel says so instead of showing it live.
  for (let i = 0; i < 3; i++) {
    await expect(rows.nth(i).locator('td.state')).toHaveText('aborted');
    await expect(rows.nth(i)).toHaveAttribute('title', PAGE_LEFT_ERROR);
  }
  await panel.screenshot({ path: '.tmp/reliability-preserve-log.png' });
});
