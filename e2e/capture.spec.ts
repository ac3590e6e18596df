import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { connectionRows, eventCells, eventRows, exportFromPanel } from './support/panel';
import { EXPECTED_REQUEST_BODIES, postEveryRequestBody, REQUEST_BODY_KINDS } from './support/request-bodies';

/** A page that reads `url` with fetch to the end and stores what it read on `window.done`. */
const readerPage = `<!doctype html><title>reader</title><script>
  window.readAll = async (url, init) => {
    const res = await fetch(url, init);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  };
</script>`;

async function openReader(
  page: Page,
  server: { page: (p: string, h: string) => unknown; url: (p: string) => string },
  path = '/p/reader.html',
) {
  server.page(path, readerPage);
  await page.goto(server.url(path));
}

test.describe('fidelity', () => {
  // Bytes chosen to hit every WHATWG rule: CRLF, lone CR, a CR and its LF in different chunks, a BOM,
  // a UTF-8 character split across chunks, an id in a block without data, an id with NUL (ignored),
  // `data:` without space, two leading spaces, comments, retry, unknown fields, empty data, and an
  // unterminated last event (not dispatched).
  const euro = Buffer.from('€', 'utf8');
  const chunks: (string | Uint8Array)[] = [
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('data: first\r\n\r\n')]),
    ': a comment\nretry: 2500\nid: 41\n\n',
    'event: update\ndata:no-space\ndata:  two spaces\r',
    '\n\r',
    '\nid: bad\u0000id\ndata: price ',
    Buffer.concat([Buffer.from('is 5 '), euro.subarray(0, 1)]),
    Buffer.concat([euro.subarray(1), Buffer.from('\n\n')]),
    'foo: unknown field\ndata\n\nevent: update\ndata: {"json":true}\rid\r\r',
    'data: tail without blank line',
  ];

  test('the panel shows exactly the events native EventSource dispatches for the same bytes', async ({
    page,
    server,
    tabIdOf,
    openPanel,
  }) => {
    server.stream('/fidelity', { steps: chunks.flatMap((write) => [{ write }, { pause: 15 }]) });
    await openReader(page, server);
    const panel = await openPanel(await tabIdOf(page));

    const native = await page.evaluate(
      (url) =>
        new Promise<{ type: string; data: string; id: string }[]>((resolve) => {
          const source = new EventSource(url);
          const seen: { type: string; data: string; id: string }[] = [];
          const record = (event: MessageEvent) =>
            seen.push({ type: event.type, data: event.data, id: event.lastEventId });
          source.addEventListener('message', record);
          source.addEventListener('update', record);
          // The stream ends after the last chunk; EventSource then reports an error and would reconnect.
          source.addEventListener('error', () => {
            source.close();
            resolve(seen);
          });
        }),
      server.url('/fidelity'),
    );
    expect(native.length).toBeGreaterThanOrEqual(4);
    await page.evaluate(
      (url) => (window as unknown as { readAll: (u: string) => Promise<string> }).readAll(url),
      server.url('/fidelity'),
    );

    // The page's native EventSource is captured too (transport "eventsource"), beside the fetch.
    await expect(connectionRows(panel)).toHaveCount(2);
    await expect
      .poll(
        async () => (await exportFromPanel(panel)).connections.find((c) => c.transport === 'fetch')?.state,
      )
      .toBe('completed');
    const exported = await exportFromPanel(panel);
    const fetched = exported.connections.find((c) => c.transport === 'fetch');
    const captured = (fetched?.events ?? [])
      .filter((e) => e.kind === undefined)
      .map((e) => ({ type: e.type, data: e.data, id: e.id }));
    expect(captured).toEqual(native);
    // Comments and retry are kept in the timeline, in order.
    const timeline = fetched?.events.filter((e) => e.kind !== undefined).map((e) => [e.kind, e.data]);
    expect(timeline).toEqual([
      ['comment', 'a comment'],
      ['retry', '2500'],
    ]);
    await panel.locator(`tr[data-connection-id="${fetched?.id}"]`).click();
    await expect(eventRows(panel)).toHaveCount(native.length);
  });
});

test('media type is compared case-insensitively, ignoring parameters; other types are not captured', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/mixed-case', {
    headers: { 'content-type': 'Text/Event-Stream; charset=UTF-8' },
    steps: [{ write: 'data: yes\n\n' }],
  });
  server.stream('/plain', { headers: { 'content-type': 'text/plain' }, steps: [{ write: 'data: no\n\n' }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await page.evaluate(
    async ([a, b]) => {
      const w = window as unknown as { readAll: (u: string) => Promise<string> };
      await w.readAll(b as string);
      await w.readAll(a as string);
    },
    [server.url('/mixed-case'), server.url('/plain')],
  );
  await expect(connectionRows(panel)).toHaveCount(1);
  await expect(connectionRows(panel).first()).toContainText('/mixed-case');
  await expect(eventRows(panel)).toHaveCount(1);
});

test('each panel shows only its own tab, with two tabs streaming at once', async ({
  context,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/a', { steps: [{ repeat: { write: 'data: from-a\n\n', intervalMs: 20, count: 15 } }] });
  server.stream('/b', { steps: [{ repeat: { write: 'data: from-b\n\n', intervalMs: 20, count: 15 } }] });
  const pageA = await context.newPage();
  const pageB = await context.newPage();
  await openReader(pageA, server, '/p/a.html');
  await openReader(pageB, server, '/p/b.html');
  const panelA = await openPanel(await tabIdOf(pageA));
  const panelB = await openPanel(await tabIdOf(pageB));
  const read = (p: Page, path: string) =>
    p.evaluate(
      (url) => (window as unknown as { readAll: (u: string) => Promise<string> }).readAll(url),
      server.url(path),
    );
  await Promise.all([read(pageA, '/a'), read(pageB, '/b')]);

  for (const [panel, own, other] of [
    [panelA, 'from-a', 'from-b'],
    [panelB, 'from-b', 'from-a'],
  ] as const) {
    await expect(connectionRows(panel)).toHaveCount(1);
    await expect(connectionRows(panel).first()).toContainText('completed');
    const exported = await exportFromPanel(panel);
    const data = exported.connections.flatMap((c) => c.events.map((e) => e.data));
    expect(data).toHaveLength(15);
    expect(data.every((d) => d === own)).toBe(true);
    expect(data).not.toContain(other);
  }
});

test('event data is rendered as text, never as HTML', async ({ page, server, tabIdOf, openPanel }) => {
  const payload = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>';
  server.stream('/xss', { steps: [{ write: `event: <b>bold</b>\ndata: ${payload}\n\n` }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await page.evaluate(
    (url) => (window as unknown as { readAll: (u: string) => Promise<string> }).readAll(url),
    server.url('/xss'),
  );
  await expect(eventRows(panel)).toHaveCount(1);
  await eventRows(panel).first().click();
  await expect(panel.locator('.event-detail pre')).toHaveText(payload);
  expect(await eventCells(panel)).toEqual([['', '<b>bold</b>', payload]]);
  // No element was created from page data anywhere it is shown, and no page script ran.
  expect(await panel.locator('td.id *, td.type *, td.data *, .event-detail pre *, img').count()).toBe(0);
  expect(await panel.title()).not.toBe('pwned');
});

test('a panel opened after a stream began shows it from its first event, then live', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/late', {
    steps: [
      { write: 'id: 1\ndata: one\n\n' },
      { write: 'id: 2\ndata: two\n\n' },
      { waitFor: 'panel-open' },
      { write: 'id: 3\ndata: three\n\n' },
    ],
  });
  await openReader(page, server);
  const reading = page.evaluate(
    (url) => (window as unknown as { readAll: (u: string) => Promise<string> }).readAll(url),
    server.url('/late'),
  );
  await expect.poll(() => server.requestsTo('/late').length).toBe(1);
  // Wait until the page has read the first two events (the server has written them).
  await expect.poll(() => server.requestsTo('/late')[0]?.stream?.chunksWritten).toBe(2);
  const panel = await openPanel(await tabIdOf(page));
  await expect(eventRows(panel)).toHaveCount(2);
  await expect(connectionRows(panel).first()).toContainText('open');
  server.release('panel-open');
  await reading;
  await expect(eventRows(panel)).toHaveCount(3);
  expect(await eventCells(panel)).toEqual([
    ['1', 'message', 'one'],
    ['2', 'message', 'two'],
    ['3', 'message', 'three'],
  ]);
  await expect(connectionRows(panel).first()).toContainText('completed');
});

test('selecting an event shows its whole data, as a JSON tree or raw', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/json', { steps: [{ write: 'data: {"choices":[{"delta":{"content":" Hi"}}]}\n\n' }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await page.evaluate(
    (url) => (window as unknown as { readAll: (u: string) => Promise<string> }).readAll(url),
    server.url('/json'),
  );
  await eventRows(panel).first().click();
  // JSON opens as a tree; Raw shows the data exactly as received.
  await expect(panel.locator('.event-detail [role="tree"]')).toContainText('content:" Hi"');
  await panel.getByRole('button', { name: 'Raw' }).click();
  await expect(panel.locator('.event-detail pre')).toHaveText('{"choices":[{"delta":{"content":" Hi"}}]}');
});

test('export: request method, headers (secrets redacted), body, status, state', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/chat', { steps: [{ write: 'data: a\n\n' }, { write: 'data: b\n\n' }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await page.evaluate(
    (url) =>
      (window as unknown as { readAll: (u: string, i: RequestInit) => Promise<string> }).readAll(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-live-123', 'x-trace': 't1' },
        body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      }),
    server.url('/chat'),
  );
  await expect(connectionRows(panel).first()).toContainText('completed');
  const file = await exportFromPanel(panel);
  expect(file.version).toBe(1);
  expect(file.tool.name).toBe('SSE DevTools');
  const [connection] = file.connections;
  expect(connection).toMatchObject({
    transport: 'fetch',
    format: 'sse',
    url: server.url('/chat'),
    method: 'POST',
    status: 200,
    state: 'completed',
    error: null,
    requestBody: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    frameUrl: server.url('/p/reader.html'),
  });
  expect(connection?.requestHeaders).toMatchObject({ authorization: '[redacted]', 'x-trace': 't1' });
  expect(connection?.responseHeaders['content-type']).toBe('text/event-stream');
  expect(connection?.bytes).toBe(18);
  expect(connection?.events.map((e) => e.data)).toEqual(['a', 'b']);
  expect(Date.parse(connection?.endedAt ?? '')).toBeGreaterThanOrEqual(
    Date.parse(connection?.startedAt ?? ''),
  );

  await panel.getByLabel('Include secrets').check();
  const withSecrets = await exportFromPanel(panel);
  expect(withSecrets.connections[0]?.requestHeaders.authorization).toBe('Bearer sk-live-123');
});

test('request bodies of every kind: text as it was sent, bytes decoded, a Blob or a form described (fetch and XHR)', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  for (const kind of REQUEST_BODY_KINDS)
    server.stream(`/body/${kind}`, { steps: [{ write: 'data: x\n\n' }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await page.evaluate(postEveryRequestBody, `${new URL(server.url('/')).origin}/body`);
  await expect(connectionRows(panel)).toHaveCount(REQUEST_BODY_KINDS.length);
  const file = await exportFromPanel(panel);
  const bodies = Object.fromEntries(
    file.connections.map((c) => [new URL(c.url).pathname.slice('/body/'.length), c.requestBody]),
  );
  expect(bodies).toEqual(EXPECTED_REQUEST_BODIES);
});

test('connection states: completed, cancelled, aborted, network error, HTTP error', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/done', { steps: [{ write: 'data: x\n\n' }] });
  server.stream('/endless', { steps: [{ repeat: { write: 'data: tick\n\n', intervalMs: 30 } }] });
  server.stream('/reset', { steps: [{ write: 'data: x\n\n' }, { pause: 50 }, { destroy: true }] });
  server.stream('/http-error', { status: 503, steps: [{ write: 'data: overloaded\n\n' }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await page.evaluate(
    async ([done, endless, reset, httpError]) => {
      const w = window as unknown as { readAll: (u: string, i?: RequestInit) => Promise<string> };
      await w.readAll(done as string);
      const res = await fetch(endless as string);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      await reader.cancel();
      const controller = new AbortController();
      const aborted = await fetch(endless as string, { signal: controller.signal });
      const abortedReader = (aborted.body as ReadableStream<Uint8Array>).getReader();
      await abortedReader.read();
      controller.abort();
      await abortedReader.read().catch(() => undefined);
      await w.readAll(reset as string).catch(() => undefined);
      await w.readAll(httpError as string);
    },
    [server.url('/done'), server.url('/endless'), server.url('/reset'), server.url('/http-error')],
  );
  await expect(connectionRows(panel)).toHaveCount(5);
  const states = async () =>
    (await connectionRows(panel).locator('td.state').allTextContents()).map((s) => s.trim());
  await expect.poll(states).toEqual(['completed', 'cancelled', 'aborted', 'error', 'error']);
  const file = await exportFromPanel(panel);
  expect(file.connections.map((c) => c.error)).toEqual([
    null,
    null,
    expect.stringMatching(/^AbortError/),
    expect.stringMatching(/^TypeError/),
    'HTTP 503 Service Unavailable',
  ]);
});

test('Clear empties the panel; new streams appear after it', async ({ page, server, tabIdOf, openPanel }) => {
  server.stream('/one', { steps: [{ write: 'data: 1\n\n' }] });
  server.stream('/two', { steps: [{ write: 'data: 2\n\n' }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  const read = (path: string) =>
    page.evaluate(
      (url) => (window as unknown as { readAll: (u: string) => Promise<string> }).readAll(url),
      server.url(path),
    );
  await read('/one');
  await expect(connectionRows(panel)).toHaveCount(1);
  await panel.getByRole('button', { name: 'Clear' }).click();
  await expect(connectionRows(panel)).toHaveCount(0);
  await expect(panel.getByText('No event streams captured in this tab yet.')).toBeVisible();
  await read('/two');
  await expect(connectionRows(panel)).toHaveCount(1);
  await expect(connectionRows(panel).first()).toContainText('/two');
});

test('the panel clears when the inspected page loads a new document, unless Preserve log is on', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/s', { steps: [{ write: 'data: x\n\n' }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  const read = () =>
    page.evaluate(
      (url) => (window as unknown as { readAll: (u: string) => Promise<string> }).readAll(url),
      server.url('/s'),
    );
  await read();
  await expect(connectionRows(panel)).toHaveCount(1);
  await page.reload();
  await expect(connectionRows(panel)).toHaveCount(0);

  await panel.getByLabel('Preserve log').check();
  await read();
  await expect(connectionRows(panel)).toHaveCount(1);
  await page.reload();
  await read();
  await expect(connectionRows(panel)).toHaveCount(2);
});
