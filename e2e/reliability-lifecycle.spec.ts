/**
 * Reliability under the extension's own life cycle (issue "Hold up under faults, floods and hostile
 * pages"): the service worker stopped mid-stream, the panel closed and reopened, the inspected page
 * navigated, reloaded, and taken back and forward through the back/forward cache.
 */

import type { Page } from '@playwright/test';
import { PAGE_LEFT_ERROR } from '../panel/capture-model';
import { openReader, readStream, sse, startStream } from './panel-helpers';
import {
  BrowserCdp,
  type NestedSession,
  serviceWorkerPortCount,
  showSsePanelInDevTools,
  stopExtensionServiceWorker,
  untilStep,
  watchLinkStatus,
} from './reliability-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, eventRows, exportFromPanel } from './support/panel';
import type { SseServer } from './support/sse-server';

/** Events 1…`count`, each with its number as id and in its data (`${label} N`). */
function numberedEvents(count: number, label = 'event') {
  return Array.from({ length: count }, (_, i) => ({ id: String(i + 1), data: `${label} ${i + 1}` }));
}

/** Server steps writing `events[from..to)`, each followed by a pause of `pauseMs`. */
function pacedWrites(
  events: readonly { id: string; data: string }[],
  from: number,
  to: number,
  pauseMs: number,
) {
  return events.slice(from, to).flatMap((event) => [{ write: sse(event) }, { pause: pauseMs }]);
}

test('service worker stopped twice mid-stream: capture goes on, the panel reconnects by itself, no gap and no duplicate', async ({
  context,
  page,
  server,
  extensionId,
  tabIdOf,
  openPanel,
}) => {
  const events = numberedEvents(90);
  // Events keep coming every 10 ms while the worker is stopped and started again.
  const paced = (from: number, to: number) => pacedWrites(events, from, to, 10);
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
  await expect(panel.locator('.link-status')).toHaveText('Connected');
  const linkSeen = await watchLinkStatus(panel);
  await startStream(page, server, '/sw-restart');
  await expect(eventRows(panel)).not.toHaveCount(0);

  for (const step of ['first-stop', 'second-stop']) {
    await expect
      .poll(() => server.requestsTo('/sw-restart')[0]?.stream?.chunksWritten)
      .toBeGreaterThan(step === 'first-stop' ? 29 : 59);
    await stopExtensionServiceWorker(context, page, extensionId);
    server.release(step);
    await expect(panel.locator('.link-status')).toHaveText('Connected');
  }
  expect(await server.requestsTo('/sw-restart')[0]?.stream?.outcome).toBe('completed');
  await expect(connectionRows(panel).first()).toContainText('completed');
  const exported = await exportFromPanel(panel);
  expect(exported.connections).toHaveLength(1);
  expect(exported.connections[0]?.events.map((e) => ({ id: e.id, data: e.data }))).toEqual(events);
  // The toolbar said so each time, and ended connected.
  expect(await linkSeen()).toEqual(['Connected', 'Reconnecting…', 'Connected', 'Reconnecting…', 'Connected']);
});

test('with no panel open, the relay leaves a stopped worker asleep until it has news; a panel opened later shows the stream from its first event', async ({
  context,
  serviceWorker,
  page,
  server,
  extensionId,
  tabIdOf,
  openPanel,
}) => {
  const events = numberedEvents(20);
  server.stream('/asleep', {
    steps: [...pacedWrites(events, 0, 10, 0), { waitFor: 'more' }, ...pacedWrites(events, 10, 20, 0)],
  });
  await openReader(page, server);
  const tabId = await tabIdOf(page); // asks the worker: before it is stopped
  await startStream(page, server, '/asleep');
  await expect.poll(() => server.requestsTo('/asleep')[0]?.stream?.chunksWritten).toBe(10);
  // The worker has heard of the stream (its start is news that would wake it): the badge says 1 live.
  await expect
    .poll(() => serviceWorker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId))
    .toBe('1');

  await stopExtensionServiceWorker(context, page, extensionId);
  const session = await context.newCDPSession(page);
  const seen: string[] = [];
  session.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions)
      if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) seen.push(v.runningStatus);
  });
  await session.send('ServiceWorker.enable');
  // A relay that reconnected at once would have started it again within ~100 ms.
  await page.waitForTimeout(1500);
  expect(seen).not.toContain('running');
  expect(seen).not.toContain('starting');
  await session.send('ServiceWorker.disable');
  await session.detach();

  // News (more events, then the end) wakes it; a panel opened afterwards gets all of it.
  server.release('more');
  await expect.poll(async () => server.requestsTo('/asleep')[0]?.stream?.outcome).toBe('completed');
  const panel = await openPanel(tabId);
  await expect(eventRows(panel)).toHaveCount(20);
  await expect(connectionRows(panel).first()).toContainText('completed');
  const exported = await exportFromPanel(panel);
  expect(exported.connections[0]?.events.map((e) => ({ id: e.id, data: e.data }))).toEqual(events);
});

test('panel closed and reopened mid-stream: each time it shows the stream from its first event', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const events = numberedEvents(60);
  const paced = (from: number, to: number) => pacedWrites(events, from, to, 5);
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
  await expect(panel.locator('.link-status')).toHaveText('Connected');
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

test('a frame reloaded or navigated away while its stream is open: that stream is shown as page left, the top page’s stays live', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  liveForever(server, '/frame-live');
  liveForever(server, '/top-live');
  const readForever = (path: string) =>
    `<script>fetch('${path}').then(async (r) => { const reader = r.body.getReader(); for (;;) if ((await reader.read()).done) break; });</script>`;
  server.page('/p/frame-reader.html', `<!doctype html><title>frame</title>${readForever('/frame-live')}`);
  server.page('/p/frame-quiet.html', '<!doctype html><title>quiet frame</title>');
  server.page(
    '/p/frame-host.html',
    `<!doctype html><title>host</title><iframe src="/p/frame-reader.html"></iframe>${readForever('/top-live')}`,
  );
  await page.goto(server.url('/p/frame-host.html'));
  const panel = await openPanel(await tabIdOf(page));
  // Preserve log stays off: only the top frame's navigations clear the panel, a frame's do not.
  await expect(panel.getByRole('checkbox', { name: 'Preserve log' })).not.toBeChecked();
  const row = (path: string) => connectionRows(panel).filter({ hasText: path });
  const liveRows = panel.locator('tr[data-connection-id].live');
  await expect(liveRows).toHaveCount(2);

  // The frame reloads: its old document's stream ended with it, the new document's is live.
  await page.locator('iframe').evaluate((frame: HTMLIFrameElement) => frame.contentWindow?.location.reload());
  await expect(row('/frame-live')).toHaveCount(2);
  await expect(row('/frame-live').first().locator('td.state')).toHaveText('aborted');
  await expect(row('/frame-live').first()).toHaveAttribute('title', PAGE_LEFT_ERROR);
  await expect(row('/frame-live').last()).toHaveClass(/\blive\b/);

  // The frame goes to a page without streams: nothing of it is live any more.
  await page.locator('iframe').evaluate((frame: HTMLIFrameElement) => {
    frame.src = '/p/frame-quiet.html';
  });
  await expect(row('/frame-live').last()).toHaveAttribute('title', PAGE_LEFT_ERROR);
  // The top document stayed: its stream is live still, the only live one.
  await expect(liveRows).toHaveCount(1);
  await expect(row('/top-live')).toHaveClass(/\blive\b/);
});

/** Counts, in the page, its restores from the back/forward cache (its state survives them). */
async function countRestores(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = window as unknown as { restores: number };
    w.restores = 0;
    addEventListener('pageshow', (event) => {
      if (event.persisted) w.restores++;
    });
  });
  return () => page.evaluate(() => (window as unknown as { restores: number }).restores);
}

test.describe('back/forward cache on', () => {
  test.use({ backForwardCache: true });

  test('back and forward five times through the bfcache: a left page’s stream is not live, is live again when its page comes back, capture goes on, no port left behind', async ({
    context,
    page,
    server,
    extensionId,
    tabIdOf,
    openPanel,
  }) => {
    test.setTimeout(90_000);
    server.stream('/bf-done', { steps: [{ write: sse({ data: 'done on A' }) }] });
    liveForever(server, '/bf-live');
    await openReader(page, server, '/p/bf-a.html');
    const panel = await openPanel(await tabIdOf(page));
    await expect(panel.locator('.link-status')).toHaveText('Connected');
    await panel.getByRole('checkbox', { name: 'Preserve log' }).check();
    const rows = connectionRows(panel);
    const liveRows = panel.locator('tr[data-connection-id].live');
    await readStream(page, server, '/bf-done');
    const restoresOfA = await countRestores(page);
    await openReader(page, server, '/p/bf-b.html');
    await startStream(page, server, '/bf-live');
    await expect(liveRows).toHaveCount(1);
    const bRow = rows.nth(1);
    const restoresOfB = await countRestores(page);
    let ports = -1;
    for (let round = 1; round <= 5; round++) {
      // A restore from the bfcache fires no load event: wait for the commit, then for pageshow.
      await page.goBack({ waitUntil: 'commit' });
      await expect.poll(restoresOfA).toBe(round);
      // B's stream is frozen with B: shown as left, not live.
      await expect(liveRows).toHaveCount(0);
      await expect(bRow.locator('td.state')).toHaveText('aborted');
      await expect(bRow).toHaveAttribute('title', PAGE_LEFT_ERROR);
      // The restored page is captured as before.
      await readStream(page, server, '/bf-done');
      await expect(rows).toHaveCount(round + 2);
      await expect(rows.last()).toContainText('completed');
      if (round === 1) await panel.screenshot({ path: '.tmp/reliability-bfcache.png' });

      await page.goForward({ waitUntil: 'commit' });
      await expect.poll(restoresOfB).toBe(round);
      // B came back still reading its stream: live again, the only live row.
      await expect(liveRows).toHaveCount(1);
      await expect(bRow).toHaveClass(/\blive\b/);
      const now = await serviceWorkerPortCount(context, extensionId);
      if (round === 1) ports = now;
      expect(now, `ports the service worker holds after ${round} rounds`).toBe(ports);
    }
    // The panel's and the shown document's relay: a cached document's port is closed by Chrome.
    expect(ports).toBe(2);
    expect(server.requestsTo('/bf-live')).toHaveLength(1);
  });
});

test.describe('real DevTools', () => {
  test.use({ chromiumArgs: ['--auto-open-devtools-for-tabs'] });

  test('DevTools closed and reopened mid-stream: the SSE panel shows the stream from its first event each time', async ({
    context,
    page,
    server,
    extensionId,
  }) => {
    test.setTimeout(90_000);
    const events = numberedEvents(60, 'devtools event');
    const paced = (from: number, to: number) => pacedWrites(events, from, to, 5);
    server.stream('/devtools-reopen', {
      steps: [
        ...paced(0, 20),
        { waitFor: 'closed' },
        ...paced(20, 40),
        { waitFor: 'reopened' },
        ...paced(40, 60),
      ],
    });
    await openReader(page, server, '/p/devtools-reopen.html');
    const chunksWritten = () => server.requestsTo('/devtools-reopen')[0]?.stream?.chunksWritten ?? 0;
    await startStream(page, server, '/devtools-reopen');
    await expect.poll(chunksWritten).toBe(20);

    /** The panel's only connection row: its event count and state, and the first event row's data. */
    const shown = (panel: NestedSession) =>
      panel.evaluate<{ rows: number; events: string; state: string; firstData: string }>(`(() => {
        const rows = document.querySelectorAll('tr[data-connection-id]');
        const cells = rows[0]?.querySelectorAll('td') ?? [];
        return {
          rows: rows.length,
          events: cells[4]?.textContent ?? '',
          state: cells[3]?.textContent ?? '',
          firstData: document.querySelector('table.events tbody tr:not(.spacer) td.data')?.textContent ?? '',
        };
      })()`);
    const until = (
      panel: NestedSession,
      what: string,
      want: (s: Awaited<ReturnType<typeof shown>>) => boolean,
    ) =>
      untilStep(what, async () => {
        const now = await shown(panel);
        return want(now) ? { value: now } : { seen: JSON.stringify(now) };
      });

    const cdp = await BrowserCdp.open(context);
    try {
      // DevTools was open from the start, but the SSE panel is loaded only when first shown.
      const first = await showSsePanelInDevTools(cdp, extensionId, page.url());
      const before = await until(first.panel, 'first panel shows 20 events', (s) => s.events === '20');
      expect(before).toEqual({ rows: 1, events: '20', state: 'open', firstData: 'devtools event 1' });
      await first.panel.detach();
      await cdp.send('Target.closeTarget', { targetId: first.frontEndId });
      await untilStep('DevTools closed', async () => {
        const open = (await cdp.targets()).filter((t) =>
          t.url.startsWith(`chrome-extension://${extensionId}/panel/`),
        );
        return open.length === 0 ? { value: true } : { seen: open.map((t) => t.url).join() };
      });

      server.release('closed');
      await expect.poll(chunksWritten).toBe(40);
      const pageTarget = (await cdp.targets()).find((t) => t.type === 'page' && t.url === page.url());
      if (!pageTarget) throw new Error('no page target for the inspected page');
      await cdp.send('Target.openDevTools', { targetId: pageTarget.targetId });
      const second = await showSsePanelInDevTools(cdp, extensionId, page.url());
      await until(second.panel, 'reopened panel shows 40 events', (s) => s.events === '40');
      server.release('reopened');
      const after = await until(
        second.panel,
        'reopened panel shows the stream completed',
        (s) => s.state === 'completed',
      );
      expect(after).toMatchObject({ rows: 1, events: '60', state: 'completed' });
      // Sixty events, the first one first (the table followed the stream to its end: scroll back up).
      await second.panel.evaluate(`(() => {
        let box = document.querySelector('table.events');
        while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
        if (box) box.scrollTop = 0;
      })()`);
      await until(
        second.panel,
        'reopened panel shows the first event at the top',
        (s) => s.firstData === 'devtools event 1',
      );
    } finally {
      await cdp.close();
    }
  });
});
