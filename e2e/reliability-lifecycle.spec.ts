/**
 * Reliability under the extension's own life cycle (issue "Hold up under faults, floods and hostile
 * pages"): the service worker stopped mid-stream, the panel closed and reopened, the inspected page
 * navigated, reloaded, and taken back and forward through the back/forward cache.
 */
import { openReader, sse, startStream } from './panel-helpers';
import { stopExtensionServiceWorker, watchLinkStatus } from './reliability-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, eventRows, exportFromPanel } from './support/panel';

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
