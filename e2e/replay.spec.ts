/**
 * Replay in page (issue 12): "Replay in page" on a captured connection arms an override for the tab;
 * the page's next matching request (fetch, XHR, EventSource, and real clients) is answered from the
 * capture without reaching the loopback server, with the captured text, cut where the capture cut
 * it, at the recorded spacing scaled by the speed, and with each fault as specified. Switched off,
 * the next request reaches the network again.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { connectionRows } from './support/panel';
import type { SseServer, Step } from './support/sse-server';

/** What the page read from one fetch: each read's text (a streaming decoder), when, and how it ended. */
interface Reading {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  chunks: { text: string; at: number }[];
  end: string;
  /** When the page called fetch (performance.now()). */
  started: number;
}

/** The test page: `read(url, init)` reads a fetch body read by read. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>replay</title><script>
  window.read = async (url, init) => {
    const started = performance.now();
    const response = await fetch(url, init);
    const headers = {};
    response.headers.forEach((value, name) => { headers[name] = value; });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const chunks = [];
    let end = 'done';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push({ text: decoder.decode(value, { stream: true }), at: performance.now() });
      }
    } catch (error) {
      end = error.name + ': ' + error.message;
    }
    return { status: response.status, statusText: response.statusText, headers, chunks, end, started };
  };
  window.readXhr = (url) => new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const seen = [];
    const texts = [];
    xhr.open('GET', url);
    xhr.onreadystatechange = () => seen.push('readystatechange:' + xhr.readyState);
    xhr.onprogress = () => { seen.push('progress'); texts.push(xhr.responseText); };
    for (const type of ['loadstart', 'load', 'error', 'abort', 'loadend']) {
      xhr.addEventListener(type, () => {
        seen.push(type);
        if (type === 'loadend') {
          resolve({ seen, texts, text: xhr.responseText, status: xhr.status, statusText: xhr.statusText,
            contentType: xhr.getResponseHeader('Content-Type'), url: xhr.responseURL });
        }
      });
    }
    xhr.send();
  });
  window.readEventSource = (url, count) => new Promise((resolve) => {
    const source = new EventSource(url);
    const events = [];
    const record = (event) => {
      events.push({ type: event.type, data: event.data, lastEventId: event.lastEventId });
      if (events.length === count) {
        source.close();
        resolve({ events, instance: source instanceof EventSource, readyState: source.readyState, url: source.url });
      }
    };
    source.onmessage = record;
    source.addEventListener('tick', record);
  });
</script>`;

const STREAM: Step[] = [
  { write: 'id: 1\ndata: {"n":1}\n\n' },
  { pause: 400 },
  { write: 'data: {"n":2,"text":"é' },
  { write: '…"}\n\ndata: {"n":3}\n\n' },
  { pause: 400 },
  { write: 'event: done\ndata: [DONE]\n\n' },
];

async function openPage(page: Page, server: SseServer, path: string): Promise<void> {
  server.page(path, PAGE);
  await page.goto(server.url(path));
}

const read = (page: Page, url: string, init?: RequestInit) =>
  page.evaluate(
    ([u, i]) =>
      (window as unknown as { read: (u: string, i?: RequestInit) => Promise<Reading> }).read(
        u as string,
        i as RequestInit,
      ),
    [url, init] as const,
  );

/** Captures one read of `path`, opens the panel, and arms "Replay in page" on it. */
async function captureAndArm(
  page: Page,
  server: SseServer,
  openPanel: (tabId: number) => Promise<Page>,
  tabId: number,
  path: string,
): Promise<{ panel: Page; original: Reading }> {
  const original = await read(page, server.url(path));
  const panel = await openPanel(tabId);
  await expect(connectionRows(panel)).toHaveCount(1);
  await connectionRows(panel).first().click();
  await panel.getByRole('button', { name: 'Replay in page' }).click();
  await expect(panel.getByRole('region', { name: 'Overrides' }).locator('li.override')).toHaveCount(1);
  return { panel, original };
}

const texts = (reading: Reading) => reading.chunks.map((c) => c.text);
/** From the fetch call to the last read. */
const duration = (reading: Reading) => (reading.chunks.at(-1)?.at ?? reading.started) - reading.started;
const gaps = (reading: Reading) => reading.chunks.slice(1).map((c, i) => c.at - (reading.chunks[i]?.at ?? 0));

/** The override's row in the panel's list, and its controls. */
const overrideRow = (panel: Page) =>
  panel.getByRole('region', { name: 'Overrides' }).locator('li.override').first();
const served = (panel: Page) => overrideRow(panel).locator('output');

/** Opens the override's fault editor (once). */
async function openFaults(panel: Page): Promise<void> {
  const toggle = overrideRow(panel).getByRole('button', { name: /^Faults/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

interface XhrReading {
  seen: string[];
  texts: string[];
  text: string;
  status: number;
  statusText: string;
  contentType: string | null;
  url: string;
}
interface EventSourceReading {
  events: { type: string; data: string; lastEventId: string }[];
  instance: boolean;
  readyState: number;
  url: string;
}
const readXhr = (page: Page, url: string) =>
  page.evaluate(
    (u) => (window as unknown as { readXhr: (u: string) => Promise<XhrReading> }).readXhr(u),
    url,
  );
const readEventSource = (page: Page, url: string, count: number) =>
  page.evaluate(
    ([u, n]) =>
      (
        window as unknown as { readEventSource: (u: string, n: number) => Promise<EventSourceReading> }
      ).readEventSource(u as string, n as number),
    [url, count] as const,
  );

test('fetch: the replay gives the captured chunks exactly, without a request to the server, and is listed as replayed', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/replay/fetch', { steps: STREAM });
  await openPage(page, server, '/replay/fetch-page.html');
  const { panel, original } = await captureAndArm(
    page,
    server,
    openPanel,
    await tabIdOf(page),
    '/replay/fetch',
  );
  expect(server.requestsTo('/replay/fetch')).toHaveLength(1);

  const replayed = await read(page, server.url('/replay/fetch'));
  expect(server.requestsTo('/replay/fetch')).toHaveLength(1);
  expect(texts(replayed)).toEqual(texts(original));
  expect(replayed).toMatchObject({ status: 200, statusText: 'OK', end: 'done' });
  expect(replayed.headers['content-type']).toBe('text/event-stream');
  await expect(panel.locator('li.override output')).toHaveText('1');
  // Captured like any other response, and marked.
  await expect(connectionRows(panel)).toHaveCount(2);
  await expect(connectionRows(panel).nth(1).locator('.badge.replayed')).toHaveText('replayed');
  await expect(connectionRows(panel).nth(1).locator('td.num').first()).toHaveText('4');
});

test('fetch: the spacing scales with the speed, and all at once gives the whole body in one chunk', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/replay/paced', {
    steps: [
      { write: 'data: 1\n\n' },
      { pause: 300 },
      { write: 'data: 2\n\n' },
      { pause: 300 },
      { write: 'data: 3\n\n' },
    ],
  });
  await openPage(page, server, '/replay/paced-page.html');
  const { panel, original } = await captureAndArm(
    page,
    server,
    openPanel,
    await tabIdOf(page),
    '/replay/paced',
  );
  const speed = overrideRow(panel).getByRole('combobox', { name: 'Speed' });

  await speed.selectOption('2');
  await expect(speed).toHaveValue('2');
  await expect.poll(async () => (await read(page, server.url('/replay/paced'))).chunks.length).toBe(3);
  const fast = await read(page, server.url('/replay/paced'));
  await speed.selectOption('0.5');
  await expect(speed).toHaveValue('0.5');
  // The relay has the new speed once a replay takes longer than any at 2×.
  await expect
    .poll(async () => Math.min(...gaps(await read(page, server.url('/replay/paced')))))
    .toBeGreaterThan(Math.max(...gaps(fast)));
  const slow = await read(page, server.url('/replay/paced'));
  expect(texts(fast)).toEqual(texts(original));
  expect(texts(slow)).toEqual(texts(original));
  // Recorded: about 600 ms to the last chunk. A replayed chunk never comes before its scheduled time
  // (recorded time / speed), so these lower bounds hold however busy the machine is; lateness only
  // adds, so the 2× replay ends well before the 0.5× one.
  const recorded = duration(original);
  expect(recorded).toBeGreaterThan(550);
  expect(duration(slow)).toBeGreaterThanOrEqual(1.9 * recorded);
  expect(duration(fast)).toBeGreaterThanOrEqual(0.45 * recorded);
  expect(duration(fast)).toBeLessThan(duration(slow));

  await speed.selectOption('once');
  await expect(overrideRow(panel)).toHaveAttribute('aria-busy', 'false');
  expect(texts(await read(page, server.url('/replay/paced')))).toEqual([texts(original).join('')]);
  expect(server.requestsTo('/replay/paced')).toHaveLength(1);
});

test('XHR: readyState, progress, responseText and the end as the browser drives them, from the capture', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/replay/xhr', {
    steps: [{ write: 'data: one\n\n' }, { pause: 150 }, { write: 'data: two\n\n' }],
  });
  await openPage(page, server, '/replay/xhr-page.html');
  const original = await readXhr(page, server.url('/replay/xhr'));
  const panel = await openPanel(await tabIdOf(page));
  await expect(connectionRows(panel)).toHaveCount(1);
  await panel.getByRole('button', { name: 'Replay in page' }).click();
  await expect(overrideRow(panel)).toBeVisible();

  const replayed = await readXhr(page, server.url('/replay/xhr'));
  expect(server.requestsTo('/replay/xhr')).toHaveLength(1);
  expect(replayed.text).toBe(original.text);
  expect(replayed.texts).toEqual(['data: one\n\n', 'data: one\n\ndata: two\n\n']);
  expect(replayed).toMatchObject({
    status: 200,
    statusText: 'OK',
    contentType: 'text/event-stream',
    url: original.url,
  });
  expect(replayed.seen).toEqual([
    'loadstart',
    'readystatechange:2',
    'readystatechange:3',
    'progress',
    'readystatechange:3',
    'progress',
    'readystatechange:4',
    'load',
    'loadend',
  ]);
  await expect(connectionRows(panel)).toHaveCount(2);
  await expect(connectionRows(panel).nth(1).locator('.badge.replayed')).toBeVisible();
  await expect(connectionRows(panel).nth(1).locator('.badge.transport-xhr')).toBeVisible();
});

test('EventSource: the captured events, with their types and last event IDs, and no request to the server', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/replay/es', {
    steps: [
      { write: 'id: 7\ndata: first\n\n' },
      { pause: 100 },
      { write: 'event: tick\ndata: second\ndata: line\n\ndata: third\n\n' },
      { waitFor: 'never' },
    ],
  });
  await openPage(page, server, '/replay/es-page.html');
  const original = await readEventSource(page, server.url('/replay/es'), 3);
  const panel = await openPanel(await tabIdOf(page));
  await expect(connectionRows(panel)).toHaveCount(1);
  await panel.getByRole('button', { name: 'Replay in page' }).click();
  await expect(overrideRow(panel)).toBeVisible();

  const replayed = await readEventSource(page, server.url('/replay/es'), 3);
  expect(server.requestsTo('/replay/es')).toHaveLength(1);
  expect(replayed.events).toEqual(original.events);
  expect(replayed.events).toEqual([
    { type: 'message', data: 'first', lastEventId: '7' },
    { type: 'tick', data: 'second\nline', lastEventId: '7' },
    { type: 'message', data: 'third', lastEventId: '7' },
  ]);
  expect(replayed).toMatchObject({ instance: true, readyState: 2, url: server.url('/replay/es') });
  await expect(served(panel)).toHaveText('1');
  await expect(connectionRows(panel).nth(1).locator('.badge.replayed')).toBeVisible();
});

test('faults: each is seen by the page exactly as specified', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/replay/faults', {
    steps: [
      { write: 'data: {"n":1}\n\n' },
      { write: 'data: {"n":2}\n\n' },
      { write: 'data: {"n":3}\n\n' },
      { write: 'data: [DONE]\n\n' },
    ],
  });
  await openPage(page, server, '/replay/faults-page.html');
  const { panel, original } = await captureAndArm(
    page,
    server,
    openPanel,
    await tabIdOf(page),
    '/replay/faults',
  );
  const url = server.url('/replay/faults');
  const body = (reading: Reading) => texts(reading).join('');
  const all = body(original);
  expect(all).toBe('data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n":3}\n\ndata: [DONE]\n\n');
  await openFaults(panel);
  const row = overrideRow(panel);

  // Cut after event 2 as a network error: the page's read rejects after exactly two events.
  await row.getByRole('checkbox', { name: 'Cut after event' }).check();
  await row.getByRole('spinbutton', { name: 'Cut after event' }).fill('2');
  await expect(row.getByRole('button', { name: /^Faults/ })).toHaveText('Faults: cut after 2');
  await expect.poll(async () => (await read(page, url)).end).toBe('TypeError: network error');
  expect(body(await read(page, url))).toBe('data: {"n":1}\n\ndata: {"n":2}\n\n');

  // … or as a clean end.
  await row.getByRole('combobox', { name: 'End' }).selectOption('clean-end');
  await expect.poll(async () => (await read(page, url)).end).toBe('done');
  expect(body(await read(page, url))).toBe('data: {"n":1}\n\ndata: {"n":2}\n\n');
  await row.getByRole('checkbox', { name: 'Cut after event' }).uncheck();

  // Drop the end marker: everything but [DONE].
  await row.getByRole('checkbox', { name: /^Drop the end marker/ }).check();
  await expect
    .poll(async () => body(await read(page, url)))
    .toBe('data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n":3}\n\n');
  await row.getByRole('checkbox', { name: /^Drop the end marker/ }).uncheck();

  // Edit event 2's data.
  await row.getByRole('checkbox', { name: 'Edit event' }).check();
  await row.getByRole('spinbutton', { name: 'Edit event' }).fill('2');
  await row.getByRole('textbox', { name: 'New data' }).fill('{"n":"edited"}');
  await expect
    .poll(async () => body(await read(page, url)))
    .toBe('data: {"n":1}\n\ndata: {"n":"edited"}\n\ndata: {"n":3}\n\ndata: [DONE]\n\n');
  await row.getByRole('checkbox', { name: 'Edit event' }).uncheck();

  // A stall of 1.5 s before event 3: the recorded body has none; only that gap grows.
  await row.getByRole('checkbox', { name: 'Stall before event' }).check();
  await row.getByRole('spinbutton', { name: 'Stall before event' }).fill('3');
  await row.getByRole('spinbutton', { name: 'Seconds' }).fill('1.5');
  await expect(row.getByRole('button', { name: /^Faults/ })).toHaveText('Faults: 1.5 s stall before 3');
  await expect(row).toHaveAttribute('aria-busy', 'false');
  // The recorded body came in at once; event 3 now comes no sooner than 1.5 s after the request
  // (a lower bound: a replayed chunk is never early), and everything before it as recorded.
  const stalled = await read(page, url);
  expect(body(stalled)).toBe(all);
  const third = stalled.chunks.find((chunk) => chunk.text.includes('"n":3'));
  expect((third?.at ?? 0) - stalled.started).toBeGreaterThanOrEqual(1500);
  const beforeThird = stalled.chunks.slice(0, stalled.chunks.indexOf(third as Reading['chunks'][number]));
  expect(beforeThird.map((chunk) => chunk.text).join('')).toBe('data: {"n":1}\n\ndata: {"n":2}\n\n');
  await row.getByRole('checkbox', { name: 'Stall before event' }).uncheck();

  // Another status: 429 with Retry-After and the body, in place of the stream.
  await row.getByRole('checkbox', { name: 'Another status' }).check();
  await row.getByRole('spinbutton', { name: 'Retry-After (s)' }).fill('17');
  await row.getByRole('textbox', { name: 'Body' }).fill('{"error":"rate limited"}');
  await expect.poll(async () => (await read(page, url)).headers['retry-after']).toBe('17');
  const limited = await read(page, url);
  expect(limited).toMatchObject({ status: 429, statusText: 'Too Many Requests', end: 'done' });
  expect(limited.headers['content-type']).toBe('application/json');
  expect(body(limited)).toBe('{"error":"rate limited"}');
  await row.getByRole('combobox', { name: 'Status' }).selectOption('503');
  await expect.poll(async () => (await read(page, url)).status).toBe(503);
  expect((await read(page, url)).headers['retry-after']).toBeUndefined();

  expect(server.requestsTo('/replay/faults')).toHaveLength(1);
});

test('an override switched off lets the next request reach the network again; switched on, it answers again', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/replay/off', { steps: [{ write: 'data: from the network\n\n' }] });
  await openPage(page, server, '/replay/off-page.html');
  const { panel } = await captureAndArm(page, server, openPanel, await tabIdOf(page), '/replay/off');
  const url = server.url('/replay/off');
  await read(page, url);
  expect(server.requestsTo('/replay/off')).toHaveLength(1);
  await expect(served(panel)).toHaveText('1');

  await overrideRow(panel).getByRole('checkbox', { name: 'Enabled' }).uncheck();
  await expect(overrideRow(panel)).toHaveClass(/off/);
  await expect(overrideRow(panel)).toHaveAttribute('aria-busy', 'false');
  const fromNetwork = await read(page, url);
  expect(server.requestsTo('/replay/off')).toHaveLength(2);
  expect(texts(fromNetwork).join('')).toBe('data: from the network\n\n');
  await expect(served(panel)).toHaveText('1');

  await overrideRow(panel).getByRole('checkbox', { name: 'Enabled' }).check();
  await expect(overrideRow(panel)).toHaveAttribute('aria-busy', 'false');
  await read(page, url);
  expect(server.requestsTo('/replay/off')).toHaveLength(2);
  await expect(served(panel)).toHaveText('2');
});

test('armed, then the page reloaded: the new document asks for the tab’s overrides as it starts and is replayed; with no override left, a new document asks nothing', async ({
  page,
  server,
  serviceWorker,
  tabIdOf,
  openPanel,
}) => {
  const relayScripts = () =>
    serviceWorker.evaluate(async () =>
      (await chrome.scripting.getRegisteredContentScripts())
        .filter((s) => s.world === 'ISOLATED')
        .map((s) => s.js),
    );
  expect(await relayScripts()).toEqual([['content-scripts/relay.js']]);
  server.stream('/replay/reload', { steps: STREAM });
  await openPage(page, server, '/replay/reload-page.html');
  const { panel, original } = await captureAndArm(
    page,
    server,
    openPanel,
    await tabIdOf(page),
    '/replay/reload',
  );
  // While some override exists, a new document's relay asks for its tab's overrides as it starts.
  expect(await relayScripts()).toEqual([['content-scripts/relay.js', 'content-scripts/relay-armed.js']]);
  await page.reload();
  // Nothing tells the new document of the override but its own relay's request as it started. A
  // request the page makes before the answer came reaches the network (the agent does not hold
  // requests until then): read until one is replayed.
  await expect
    .poll(async () => {
      const before = server.requestsTo('/replay/reload').length;
      const reading = await read(page, server.url('/replay/reload'));
      return (
        server.requestsTo('/replay/reload').length === before &&
        texts(reading).join('') === texts(original).join('')
      );
    })
    .toBe(true);
  const sent = server.requestsTo('/replay/reload').length;

  await overrideRow(panel)
    .getByRole('button', { name: /^Remove/ })
    .click();
  await expect(panel.getByRole('region', { name: 'Overrides' }).locator('li.override')).toHaveCount(0);
  await expect.poll(relayScripts).toEqual([['content-scripts/relay.js']]);
  await page.reload();
  const fromNetwork = await read(page, server.url('/replay/reload'));
  expect(server.requestsTo('/replay/reload')).toHaveLength(sent + 1);
  expect(texts(fromNetwork)).toEqual(texts(original));
});

test('the override list, as the README shows it (writes docs/replay-overrides.png)', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const chat = (words: string[]) =>
    words.map((word) => ({ write: `data: {"choices":[{"delta":{"content":"${word}"}}]}\n\n` }));
  server.stream('/v1/chat/completions', {
    steps: [...chat(['Streams ', 'replayed ', 'from ', 'the ', 'capture.']), { write: 'data: [DONE]\n\n' }],
  });
  server.stream('/api/notifications?user=7', { steps: [{ write: 'event: notice\ndata: {"unread":3}\n\n' }] });
  await openPage(page, server, '/replay/look.html');
  await read(page, server.url('/v1/chat/completions'), { method: 'POST', body: '{"model":"gpt-test"}' });
  await read(page, server.url('/api/notifications?user=7'));
  const panel = await openPanel(await tabIdOf(page));
  await panel.setViewportSize({ width: 1280, height: 640 });
  await panel.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await expect(connectionRows(panel)).toHaveCount(2);
  for (const index of [0, 1]) {
    await connectionRows(panel).nth(index).click();
    await panel.getByRole('button', { name: 'Replay in page' }).click();
    await expect(panel.locator('li.override')).toHaveCount(index + 1);
  }
  const chatRow = panel.locator('li.override').first();
  await chatRow.getByRole('combobox', { name: 'Speed' }).selectOption('2');
  await chatRow.getByRole('button', { name: /^Faults/ }).click();
  await chatRow.getByRole('checkbox', { name: 'Stall before event' }).check();
  await chatRow.getByRole('spinbutton', { name: 'Stall before event' }).fill('3');
  await chatRow.getByRole('checkbox', { name: 'Another status' }).check();
  await chatRow.getByRole('checkbox', { name: /^Drop the end marker/ }).check();
  await expect(chatRow).toHaveAttribute('aria-busy', 'false');
  const notices = panel.locator('li.override').nth(1);
  await notices.getByRole('combobox', { name: 'Match' }).selectOption('ignore-query');
  await expect(notices).toHaveAttribute('aria-busy', 'false');
  await read(page, server.url('/api/notifications?user=8'));
  await expect(notices.locator('output')).toHaveText('1');
  await expect(connectionRows(panel)).toHaveCount(3);
  await connectionRows(panel).nth(2).click();
  await panel.getByRole('button', { name: 'Dismiss' }).click();
  expect(server.requestsTo('/api/notifications')).toHaveLength(1);
  await panel.screenshot({ path: 'docs/replay-overrides.png' });
});
