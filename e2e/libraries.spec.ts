/**
 * Real client libraries (issue 3): `@microsoft/fetch-event-source` (fetch, POST), `sse.js` (XHR, POST),
 * the OpenAI SDK in the browser (fetch, POST) and native `EventSource`, each reading a stream from the
 * loopback server in a test page. For each, what the panel captured must be:
 * - the events a native `EventSource` dispatches for the same bytes (one runs on the same URL in the
 *   same page, and is itself captured);
 * - the request body and headers the library sent, as the server received them.
 *
 * The libraries are bundled at test time from e2e/pages/lib/clients.ts (support/bundle.ts: Vite's
 * `build()`, IIFE, kept in memory) once per worker, and served by the loopback server.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import type { ExportedConnection } from '../src/export/schema';
import type { LibraryEvent } from './pages/lib/clients';
import { bundleForBrowser } from './support/bundle';
import { test as base, expect, type RecordedRequest, type Step } from './support/fixtures';
import { connectionRows, eventRows, exportFromPanel } from './support/panel';
import type { SseServer } from './support/sse-server';

/** Globals of the bundle (`window.clients`). */
interface Clients {
  runFetchEventSource(url: string): Promise<LibraryEvent[]>;
  runSseJs(url: string, types: string[]): Promise<LibraryEvent[]>;
  runOpenAi(baseURL: string): Promise<string>;
}

declare global {
  interface Window {
    clients: Clients;
  }
}

const test = base.extend<
  { libraryPage: (path: string) => Promise<{ page: Page; panel: Page }> },
  { bundle: string }
>({
  bundle: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires a destructuring pattern here.
    async ({}, use) => {
      await use(
        await bundleForBrowser(fileURLToPath(new URL('./pages/lib/clients.ts', import.meta.url)), 'clients'),
      );
    },
    { scope: 'worker', timeout: 120_000 },
  ],

  libraryPage: async ({ page, server, bundle, tabIdOf, openPanel }, use) => {
    await use(async (path) => {
      server.respond('/lib/clients.js', { headers: { 'content-type': 'text/javascript' }, body: bundle });
      server.page(
        path,
        '<!doctype html><meta charset="utf-8"><title>library</title><script src="/lib/clients.js"></script>',
      );
      await page.goto(server.url(path));
      await expect.poll(() => page.evaluate(() => typeof window.clients?.runOpenAi)).toBe('function');
      return { page, panel: await openPanel(await tabIdOf(page)) };
    });
  },
});

// ---------------------------------------------------------------------------------------------------

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const snowman = utf8('☃');

/** A stream every library can read (each splits events on blank lines), with what they often get wrong. */
const STREAM: Step[] = [
  { write: ': connected\n\nretry: 3000\n\n' },
  { write: 'id: 1\ndata: {"token":" Hello"}\n\n' },
  { pause: 30 },
  { write: 'event: update\nid: 2\ndata: line one\ndata: line two\n\n' },
  { pause: 30 },
  { write: Buffer.concat([utf8('data:  leading space and '), snowman.subarray(0, 2)]) },
  { pause: 30 },
  { write: Buffer.concat([snowman.subarray(2), utf8('\r\n\r\n')]) },
  { write: 'event: update\ndata: {"done":true}\n\n' },
];

/** Events of an exported connection as `type|data|id` (comments, retry and connection records left out). */
const eventsOf = (c: ExportedConnection | undefined) =>
  (c?.events ?? []).filter((e) => e.kind === undefined).map((e) => [e.type, e.data, e.id].join('|'));

/** `type|data|id` → `type|data`: the libraries report ids their own way. */
const withoutIds = (events: string[]) => events.map((e) => e.slice(0, e.lastIndexOf('|')));

/** What a native EventSource on `url` dispatches, as `type|data|id`; closed at its first error. */
function nativeEvents(page: Page, url: string, types: string[]): Promise<string[]> {
  return page.evaluate(
    ([u, t]) =>
      new Promise<string[]>((resolve) => {
        const source = new EventSource(u as string);
        const seen: string[] = [];
        const record = (e: MessageEvent) => seen.push([e.type, e.data, e.lastEventId].join('|'));
        for (const type of ['message', ...(t as string[])]) source.addEventListener(type, record);
        source.onerror = () => {
          source.close();
          resolve(seen);
        };
      }),
    [url, types] as const,
  );
}

/** Export with secrets included (so Authorization can be compared), as a user would: tick, click. */
async function exportWithSecrets(panel: Page): Promise<ExportedConnection[]> {
  await panel.getByLabel(/Include secrets/i).check();
  return (await exportFromPanel(panel)).connections;
}

/** Every header the page set was received as captured, and the listed ones were captured. */
function expectHeadersSent(captured: ExportedConnection, request: RecordedRequest, mustHave: string[]): void {
  for (const [name, value] of Object.entries(captured.requestHeaders)) {
    expect(request.headers[name], `header ${name}`).toBe(value);
  }
  expect(Object.keys(captured.requestHeaders)).toEqual(expect.arrayContaining(mustHave));
}

function connectionTo(connections: ExportedConnection[], server: SseServer, path: string, transport: string) {
  const found = connections.find((c) => c.url === server.url(path) && c.transport === transport);
  expect(found, `${transport} connection to ${path}`).toBeDefined();
  return found as ExportedConnection;
}

test('@microsoft/fetch-event-source: a POST stream read with fetch is captured with its body and headers', async ({
  libraryPage,
  server,
}) => {
  server.stream('/api/fes', { steps: STREAM });
  const { page, panel } = await libraryPage('/p/fes.html');
  const delivered = await page.evaluate((u) => window.clients.runFetchEventSource(u), server.url('/api/fes'));
  const native = await nativeEvents(page, server.url('/api/fes'), ['update']);
  expect(native).toHaveLength(4);
  // The library saw the same events, plus an empty message for each block without data (the comment
  // and the retry block), which EventSource does not dispatch.
  expect(delivered.filter((e) => e.data !== '').map((e) => `${e.type}|${e.data}`)).toEqual(
    withoutIds(native),
  );
  expect(delivered).toHaveLength(native.length + 2);

  await expect(connectionRows(panel)).toHaveCount(2);
  await expect(connectionRows(panel).filter({ hasText: 'POST' })).toContainText('completed');
  const connections = await exportWithSecrets(panel);
  const fes = connectionTo(connections, server, '/api/fes', 'fetch');
  const sent = server.requestsTo('/api/fes')[0] as RecordedRequest;
  expect(sent.method).toBe('POST');
  expect(fes).toMatchObject({ method: 'POST', requestBody: sent.body, status: 200, state: 'completed' });
  expect(JSON.parse(fes.requestBody ?? '')).toEqual({ prompt: 'Hello', temperature: 0.5 });
  expectHeadersSent(fes, sent, ['content-type', 'authorization', 'x-client', 'accept']);
  expect(eventsOf(fes)).toEqual(native);
  // The native EventSource that read the same URL is captured too, with the same events.
  expect(eventsOf(connectionTo(connections, server, '/api/fes', 'eventsource'))).toEqual(native);
});

test('sse.js: a POST stream read with XMLHttpRequest is captured with its body and headers', async ({
  libraryPage,
  server,
}) => {
  server.stream('/api/ssejs', { steps: STREAM });
  const { page, panel } = await libraryPage('/p/ssejs.html');
  const delivered = await page.evaluate(
    (u) => window.clients.runSseJs(u, ['update']),
    server.url('/api/ssejs'),
  );
  const native = await nativeEvents(page, server.url('/api/ssejs'), ['update']);
  expect(native).toHaveLength(4);
  expect(delivered.map((e) => `${e.type}|${e.data}`)).toEqual(withoutIds(native));

  await expect(connectionRows(panel)).toHaveCount(2);
  const connections = await exportWithSecrets(panel);
  const xhr = connectionTo(connections, server, '/api/ssejs', 'xhr');
  const sent = server.requestsTo('/api/ssejs')[0] as RecordedRequest;
  expect(sent.method).toBe('POST');
  expect(xhr).toMatchObject({ method: 'POST', requestBody: sent.body, status: 200, state: 'completed' });
  expectHeadersSent(xhr, sent, ['content-type', 'x-client']);
  expect(eventsOf(xhr)).toEqual(native);
  expect(xhr.events.filter((e) => e.kind).map((e) => [e.kind, e.data])).toEqual([
    ['comment', 'connected'],
    ['retry', '3000'],
  ]);
});

test('the OpenAI SDK in the browser: a streamed chat completion is captured with its body and headers', async ({
  libraryPage,
  server,
}) => {
  const chunk = (delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'gpt-test',
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  const steps: Step[] = [
    { write: chunk({ role: 'assistant', content: '' }) },
    { write: chunk({ content: 'Hel' }) },
    { pause: 30 },
    { write: chunk({ content: 'lo ☃' }) },
    { pause: 30 },
    { write: chunk({}, 'stop') },
    { write: 'data: [DONE]\n\n' },
  ];
  server.stream('/v1/chat/completions', { steps });
  const { page, panel } = await libraryPage('/p/openai.html');
  const text = await page.evaluate((u) => window.clients.runOpenAi(u), server.url('/v1'));
  expect(text).toBe('Hello ☃');
  const native = await nativeEvents(page, server.url('/v1/chat/completions'), []);
  expect(native).toHaveLength(5);

  await expect(connectionRows(panel)).toHaveCount(2);
  const connections = await exportWithSecrets(panel);
  const sdk = connectionTo(connections, server, '/v1/chat/completions', 'fetch');
  const sent = server.requestsTo('/v1/chat/completions')[0] as RecordedRequest;
  expect(sent.method).toBe('POST');
  expect(sdk).toMatchObject({ method: 'POST', requestBody: sent.body, status: 200 });
  expect(JSON.parse(sdk.requestBody ?? '')).toMatchObject({ model: 'gpt-test', stream: true });
  const stainless = Object.keys(sent.headers).filter((name) => name.startsWith('x-stainless-'));
  expect(stainless.length).toBeGreaterThan(0);
  expectHeadersSent(sdk, sent, ['authorization', 'content-type', ...stainless]);
  expect(sdk.requestHeaders.authorization).toBe('Bearer sk-test-openai');
  expect(eventsOf(sdk)).toEqual(native);
  // The panel reassembles the answer from the captured events.
  expect(sdk.message).toMatchObject({
    shape: 'openai-chat',
    text: 'Hello ☃',
    finishReason: 'stop',
    terminated: true,
  });
  // The SDK stops reading at `data: [DONE]` and cancels its reader (openai core/streaming.mjs): the
  // page cancelled, although the answer was whole (the message is `terminated`).
  expect([sdk.state, sdk.error]).toEqual(['cancelled', null]);
  await connectionRows(panel).filter({ hasText: 'POST' }).click();
  await expect(eventRows(panel)).toHaveCount(5);
  await panel.setViewportSize({ width: 1100, height: 480 });
  await panel.screenshot({ path: '.tmp/libraries-openai-panel.png' });
});

test('replay: the OpenAI SDK (fetch) and sse.js (XHR) read an override’s replay as they read the network’s, without a request', async ({
  libraryPage,
  server,
}) => {
  const words = ['Replayed ', 'from ', 'the ', 'capture'];
  server.stream('/v1/chat/completions', {
    steps: [
      ...words.map((word) => ({
        write: `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: word } }] })}\n\n`,
      })),
      { write: 'data: [DONE]\n\n' },
    ],
  });
  server.stream('/api/ssejs-replay', { steps: STREAM });
  const { page, panel } = await libraryPage('/p/replay-clients.html');
  expect(await page.evaluate((u) => window.clients.runOpenAi(u), server.url('/v1'))).toBe(words.join(''));
  const delivered = await page.evaluate(
    (u) => window.clients.runSseJs(u, ['update']),
    server.url('/api/ssejs-replay'),
  );
  await expect(connectionRows(panel)).toHaveCount(2);
  for (const index of [0, 1]) {
    await connectionRows(panel).nth(index).click();
    await panel.getByRole('button', { name: 'Replay in page' }).click();
    await expect(panel.locator('li.override')).toHaveCount(index + 1);
    await expect(panel.locator('li.override').nth(index)).toHaveAttribute('aria-busy', 'false');
  }

  expect(await page.evaluate((u) => window.clients.runOpenAi(u), server.url('/v1'))).toBe(words.join(''));
  expect(
    await page.evaluate((u) => window.clients.runSseJs(u, ['update']), server.url('/api/ssejs-replay')),
  ).toEqual(delivered);
  expect(server.requestsTo('/v1/chat/completions')).toHaveLength(1);
  expect(server.requestsTo('/api/ssejs-replay')).toHaveLength(1);
  await expect(panel.locator('li.override output')).toHaveText(['1', '1']);
  await expect(connectionRows(panel).locator('.badge.replayed')).toHaveCount(2);
});
