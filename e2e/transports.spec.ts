/**
 * Every way a page reads a stream besides `fetch` (issue 3): XMLHttpRequest, native EventSource,
 * streams read in iframes, and line-delimited JSON.
 *
 * Transparency is checked the way e2e/transparency.spec.ts does for fetch: the same in-page script
 * runs in the extension's context and in a plain Chromium without the extension, and what the page
 * observed must be equal. What was captured is read as a user would: rows in the panel, and the file
 * its Export button writes.
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { ExportedConnection } from '../src/export/schema';
import { test as base, expect, plainChromiumFixture, type Step } from './support/fixtures';
import { connectionRows, eventCells, eventRows, exportFromPanel } from './support/panel';
import { TEST_PAGE_HTML, type XhrOptions } from './support/transports-page';

// ---------------------------------------------------------------------------------------------------
// Fixtures: the extension's page and the same page in a plain Chromium

interface Runs {
  /** The test page with the extension (the agent runs in it). */
  ext: Page;
  /** The same page in a plain Chromium. */
  plain: Page;
  /** The panel of the extension page's tab. */
  panel: Page;
  /** Run `fn` in the extension page, then in the plain one. */
  both<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<{ ext: R; plain: R }>;
}

const test = base.extend<{ runs: Runs }, { plainContext: BrowserContext }>({
  plainContext: plainChromiumFixture,

  runs: async ({ page, plainContext, server, tabIdOf, openPanel }, use) => {
    server.page('/t/page.html', TEST_PAGE_HTML);
    const plain = await plainContext.newPage();
    await page.goto(server.url('/t/page.html'));
    await plain.goto(server.url('/t/page.html'));
    const patched = (p: Page) =>
      p.evaluate(() => !Function.prototype.toString.call(XMLHttpRequest.prototype.open).includes('[native'));
    expect(await patched(page), 'the agent runs in the extension page').toBe(true);
    expect(await patched(plain), 'the plain page is plain').toBe(false);
    const panel = await openPanel(await tabIdOf(page));
    await use({
      ext: page,
      plain,
      panel,
      both: async <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) => {
        const ext = (await page.evaluate(fn as never, arg)) as R;
        const plainResult = (await plain.evaluate(fn as never, arg)) as R;
        return { ext, plain: plainResult };
      },
    });
    await plain.close();
  },
});

// ---------------------------------------------------------------------------------------------------
// Shared data

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const euro = utf8('€');
/** Every WHATWG parsing rule the fetch fidelity test uses: BOM, CR/LF splits, split UTF-8, ids, comments. */
const TRICKY_WRITES: Uint8Array[] = [
  Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('data: first\r\n\r\n')]),
  utf8(': a comment\nretry: 2500\nid: 41\n\n'),
  utf8('event: update\ndata:no-space\ndata:  two spaces\r'),
  utf8('\n\r'),
  utf8('\nid: bad\u0000id\ndata: price '),
  Buffer.concat([utf8('is 5 '), euro.subarray(0, 1)]),
  Buffer.concat([euro.subarray(1), utf8('\n\n')]),
  utf8('foo: unknown\ndata\n\nevent: update\ndata: {"json":true}\rid\r\r'),
  utf8('data: tail without blank line'),
];

function paced(writes: (string | Uint8Array)[], pauseMs = 40): Step[] {
  return writes.flatMap((write, i) => (i === 0 ? [{ write }] : [{ pause: pauseMs }, { write }]));
}

/** Events (not comments, retry or connection records) of an exported connection as `type|data|id`. */
const eventsOf = (c: ExportedConnection | undefined) =>
  (c?.events ?? []).filter((e) => e.kind === undefined).map((e) => [e.type, e.data, e.id].join('|'));

/** The page's log of an EventSource run reduced to its message events (`type|data|id`). */
const messagesOf = (log: string[]) => log.filter((entry) => entry.includes('|'));

async function exportedByPath(panel: Page, count: number): Promise<Map<string, ExportedConnection>> {
  await expect(connectionRows(panel)).toHaveCount(count);
  const file = await exportFromPanel(panel);
  return new Map(file.connections.map((c) => [new URL(c.url).pathname + new URL(c.url).search, c]));
}

// ---------------------------------------------------------------------------------------------------
// XMLHttpRequest

test('XHR: a POST event stream is captured live with its request and response, and the page sees what it sees without the extension', async ({
  runs,
  server,
}) => {
  server.stream('/xhr/sse', {
    headers: { 'x-served-by': 'loopback' },
    steps: [...paced(TRICKY_WRITES.slice(0, 4)), { waitFor: 'rest' }, ...paced(TRICKY_WRITES.slice(4))],
  });
  const url = server.url('/xhr/sse');
  const run = (u: string) =>
    window.transports.xhrRun(u, {
      method: 'post',
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Trace', ' a '],
        ['x-trace', 'b'],
      ],
      body: '{"q":"é"}',
    });

  // Live: the first events are in the panel while the request is still loading.
  const extRun = runs.ext.evaluate(run, url);
  await expect(connectionRows(runs.panel)).toHaveCount(1);
  await connectionRows(runs.panel).first().click();
  await expect(eventRows(runs.panel)).toHaveCount(2);
  await expect(connectionRows(runs.panel).first()).toContainText('open');
  server.release('rest');
  const ext = await extRun;
  const plain = await runs.plain.evaluate(run, url);
  expect(ext).toEqual(plain);
  expect(ext.text).toContain('tail without blank line');

  // What a native EventSource dispatches for the same bytes.
  const native = messagesOf(
    await runs.plain.evaluate(
      (u) => window.transports.esRun(u, { types: ['update'], closeOnError: true }),
      url,
    ),
  );
  expect(native.length).toBeGreaterThanOrEqual(4);

  await expect(connectionRows(runs.panel).first()).toContainText('completed');
  await expect(eventRows(runs.panel)).toHaveCount(native.length);
  expect((await eventCells(runs.panel)).map(([id, type, data]) => [type, data, id].join('|'))).toEqual(
    native.map((n) => n.replaceAll('\n', '↵')),
  );
  const [c] = (await exportFromPanel(runs.panel)).connections;
  const sent = server.requestsTo('/xhr/sse')[0];
  expect(c).toMatchObject({
    transport: 'xhr',
    format: 'sse',
    url,
    method: 'POST',
    requestHeaders: { 'content-type': 'application/json', 'x-trace': 'a, b' },
    requestBody: '{"q":"é"}',
    status: 200,
    statusText: 'OK',
    responseHeaders: { 'content-type': 'text/event-stream', 'x-served-by': 'loopback' },
    frameUrl: server.url('/t/page.html'),
    state: 'completed',
    error: null,
  });
  // The captured request is the one the server received.
  expect(sent?.method).toBe('POST');
  expect(sent?.body).toBe(c?.requestBody);
  expect(sent?.headers['x-trace']).toBe(c?.requestHeaders['x-trace']);
  expect(eventsOf(c)).toEqual(native);
  // Comments and retry are in the timeline, as for fetch.
  expect(c?.events.filter((e) => e.kind).map((e) => [e.kind, e.data])).toEqual([
    ['comment', 'a comment'],
    ['retry', '2500'],
  ]);
  // Bytes: the UTF-8 length of the text the page read (the BOM is decoded away by XHR).
  expect(c?.bytes).toBe(Buffer.concat(TRICKY_WRITES).byteLength - 3);
});

test('XHR: every end is classified (load, HTTP error, abort, network error, timeout, open again), and the page sees the same events', async ({
  runs,
  server,
}) => {
  const one = 'id: 1\ndata: one\n\n';
  server.stream('/xhr/completed', { steps: [{ write: one }, { pause: 30 }, { write: 'data: two\n\n' }] });
  server.stream('/xhr/http-500', { status: 500, steps: [{ write: 'data: failure details\n\n' }] });
  server.stream('/xhr/abort', { steps: [{ write: one }, { waitFor: 'never' }] });
  server.stream('/xhr/network-error', { steps: [{ write: one }, { pause: 50 }, { destroy: true }] });
  server.stream('/xhr/timeout', { steps: [{ write: one }, { waitFor: 'never' }] });
  server.stream('/xhr/reopened', { steps: [{ write: one }, { waitFor: 'never' }] });
  server.stream('/xhr/sync', { steps: [{ write: one }] });
  server.stream('/xhr/arraybuffer', { steps: [{ write: one }] });
  server.stream('/xhr/plain-text', { headers: { 'content-type': 'text/plain' }, steps: [{ write: one }] });

  const scenarios: [string, XhrOptions][] = [
    ['/xhr/completed', {}],
    ['/xhr/http-500', {}],
    ['/xhr/abort', { abortOn: 'one' }],
    ['/xhr/network-error', {}],
    ['/xhr/timeout', { timeout: 400 }],
    ['/xhr/reopened', { reopenOn: 'one', reopenUrl: server.url('/xhr/completed?second') }],
    ['/xhr/sync', { sync: true }],
    ['/xhr/arraybuffer', { responseType: 'arraybuffer' }],
    ['/xhr/plain-text', {}],
  ];
  for (const [path, options] of scenarios) {
    const { ext, plain } = await runs.both(([u, o]) => window.transports.xhrRun(u, o), [
      server.url(path),
      options,
    ] as const);
    expect(ext, path).toEqual(plain);
  }
  // The abort reached the network: the server saw the connection close (both runs).
  for (const request of server.requestsTo('/xhr/abort')) await request.stream?.whenClosedByClient;

  const byPath = await exportedByPath(runs.panel, 8);
  const ends = Object.fromEntries(
    [...byPath].map(([path, c]) => [path, [c.state, c.error, c.transport, eventsOf(c).length]]),
  );
  expect(ends).toEqual({
    '/xhr/completed': ['completed', null, 'xhr', 2],
    '/xhr/http-500': ['error', 'HTTP 500 Internal Server Error', 'xhr', 1],
    '/xhr/abort': ['aborted', 'AbortError: abort() was called', 'xhr', 1],
    '/xhr/network-error': ['error', 'NetworkError: network error', 'xhr', 1],
    '/xhr/timeout': ['error', 'TimeoutError: the request timed out', 'xhr', 1],
    '/xhr/reopened': ['aborted', 'AbortError: open() was called again', 'xhr', 1],
    '/xhr/completed?second': ['completed', null, 'xhr', 2],
    '/xhr/sync': ['completed', null, 'xhr', 1],
  });
  // Not captured: a responseType other than text (reading it as it grows would change nothing for
  // the page, but responseText is not readable then), and a response that is not a stream.
  expect(byPath.has('/xhr/arraybuffer')).toBe(false);
  expect(byPath.has('/xhr/plain-text')).toBe(false);
  await expect(runs.panel.locator('tr[data-connection-id] td.state-aborted')).toHaveCount(2);
  await expect(runs.panel.locator('tr[data-connection-id] td.state-error')).toHaveCount(3);
});

test('XHR: the prototype stays the page’s own: same descriptors, lengths and errors, and a page may patch it again', async ({
  runs,
}) => {
  const { ext, plain } = await runs.both(() => {
    const proto = XMLHttpRequest.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const describe = (name: string) => {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      const f = proto[name] as unknown as { length: number; name: string; prototype?: unknown };
      return [name, d?.writable, d?.enumerable, d?.configurable, f.length, f.name, 'prototype' in f];
    };
    const error = (f: () => unknown) => {
      try {
        f();
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}`;
      }
    };
    const xhr = new XMLHttpRequest();
    const errors = [
      error(() => xhr.send()),
      error(() => xhr.setRequestHeader('a', 'b')),
      error(() => (xhr.open as (method: string) => void)('GET')),
      error(() => xhr.open('BAD METHOD', '/')),
      error(() => proto.open?.call({}, 'GET', '/')),
      error(() => new (proto.open as unknown as new () => unknown)()),
    ];
    // A page that wraps open after us still sees its own wrapper called.
    const calls: string[] = [];
    const previous = proto.open as (...args: unknown[]) => unknown;
    proto.open = function (this: unknown, ...args: unknown[]) {
      calls.push(String(args[0]));
      return previous.apply(this, args);
    };
    new XMLHttpRequest().open('get', '/x');
    proto.open = previous;
    return { shapes: ['open', 'setRequestHeader', 'send'].map(describe), errors, calls };
  }, null);
  expect(ext).toEqual(plain);
  expect(ext.calls).toEqual(['get']);
});

// ---------------------------------------------------------------------------------------------------
// Line-delimited JSON

test('NDJSON and its relatives are captured one event per line, through fetch and XHR', async ({
  runs,
  server,
}) => {
  const lines = ['{"n":1,"text":"a"}', '{"n":2,"text":" b "}', '{"n":3,"text":"é"}'];
  const types = [
    'application/x-ndjson',
    'application/stream+json',
    'application/jsonl',
    'application/json-seq',
  ];
  for (const [i, type] of types.entries()) {
    // json-seq (RFC 7464) puts RS before each text; the others only end lines (CRLF here for one).
    const body = lines.map((l) =>
      type === 'application/json-seq' ? `\u001e${l}\n` : `${l}${i === 1 ? '\r\n' : '\n'}`,
    );
    server.stream(`/nd/${i}`, { headers: { 'content-type': type }, steps: paced([...body, '\n']) });
  }
  for (const i of types.keys()) {
    const { ext, plain } = await runs.both(
      async (u) => [await window.transports.fetchText(u), (await window.transports.xhrRun(u)).text],
      server.url(`/nd/${i}`),
    );
    expect(ext).toEqual(plain);
  }
  const file = await exportFromPanel(runs.panel);
  expect(file.connections).toHaveLength(8);
  for (const c of file.connections) {
    expect([c.format, c.state, c.events.map((e) => e.data)], c.url).toEqual(['ndjson', 'completed', lines]);
  }
  expect(file.connections.map((c) => c.transport)).toEqual(types.flatMap(() => ['fetch', 'xhr']));
});

// ---------------------------------------------------------------------------------------------------
// EventSource

test('EventSource: named events, reconnects and close are captured under one connection, and the page sees what it sees without the extension', async ({
  runs,
  server,
}) => {
  server.stream('/es/ticks', {
    steps: paced([
      'retry: 100\nid: 1\ndata: one\n\n',
      ': ping\n\nevent: update\nid: 2\ndata: two\ndata: lines\n\n',
      'event: ignored\ndata: nobody listens\n\n',
    ]),
  });
  const url = server.url('/es/ticks');
  // The server ends the stream after three events; the browser reconnects (Last-Event-ID: 2) and the
  // page closes the EventSource on the second `update`.
  const { ext, plain } = await runs.both(
    (u) => window.transports.esRun(u, { types: ['update'], closeAfter: 4 }),
    url,
  );
  expect(ext).toEqual(plain);
  expect(ext).toEqual([
    'open:1',
    'message|one|1',
    'update|two\nlines|2',
    'error:0',
    'open:1',
    'message|one|1',
    'update|two\nlines|2',
    'closed:2',
  ]);
  const requests = server.requestsTo('/es/ticks');
  expect(requests.map((r) => r.headers['last-event-id'])).toEqual([undefined, '2', undefined, '2']);

  await expect(connectionRows(runs.panel)).toHaveCount(1);
  await expect(connectionRows(runs.panel).first()).toContainText('cancelled');
  await connectionRows(runs.panel).first().click();
  await expect(eventRows(runs.panel)).toHaveCount(4);
  const [c] = (await exportFromPanel(runs.panel)).connections;
  expect(c).toMatchObject({
    transport: 'eventsource',
    format: 'sse',
    url,
    method: 'GET',
    // Not observable by the page, so not invented.
    requestHeaders: {},
    requestBody: null,
    status: 0,
    statusText: '',
    responseHeaders: {},
    bytes: 0,
    state: 'cancelled',
    error: null,
  });
  expect(c?.events.map((e) => [e.attempt, e.kind ?? e.type, e.data, e.id])).toEqual([
    [1, 'open', '', ''],
    [1, 'message', 'one', '1'],
    [1, 'update', 'two\nlines', '2'],
    [1, 'error', 'reconnecting', '2'],
    [2, 'open', '', '2'],
    [2, 'message', 'one', '1'],
    [2, 'update', 'two\nlines', '2'],
  ]);
});

test('EventSource: a connection the browser gives up on ends as an error; events the page cannot observe are not captured', async ({
  runs,
  server,
}) => {
  server.respond('/es/missing', { status: 404, body: 'no' });
  server.stream('/es/not-a-stream', {
    headers: { 'content-type': 'text/plain' },
    steps: [{ write: 'data: x\n\n' }],
  });
  server.stream('/es/quiet', {
    steps: [{ write: 'event: secret\ndata: unseen\n\ndata: seen\n\n' }, { waitFor: 'never' }],
  });
  for (const path of ['/es/missing', '/es/not-a-stream']) {
    const { ext, plain } = await runs.both((u) => window.transports.esRun(u), server.url(path));
    expect(ext, path).toEqual(plain);
    expect(ext, path).toEqual(['error:2']);
  }
  // A synthetic event dispatched by the page is the page's, not the stream's.
  const { ext, plain } = await runs.both(
    (u) =>
      new Promise<string[]>((resolve) => {
        const es = new EventSource(u);
        const seen: string[] = [];
        es.onmessage = (e) => {
          seen.push(`${e.data}:${e.isTrusted}`);
          if (e.isTrusted) {
            es.dispatchEvent(new MessageEvent('message', { data: 'forged' }));
            es.close();
            resolve(seen);
          }
        };
      }),
    server.url('/es/quiet'),
  );
  expect(ext).toEqual(plain);
  const byPath = await exportedByPath(runs.panel, 3);
  for (const path of ['/es/missing', '/es/not-a-stream']) {
    const c = byPath.get(path);
    expect([c?.state, c?.error, c?.events.map((e) => [e.kind, e.data])], path).toEqual([
      'error',
      'EventSource failed and will not reconnect',
      [['error', 'closed']],
    ]);
  }
  expect(eventsOf(byPath.get('/es/quiet'))).toEqual(['message|seen|']);
});

test('EventSource: the wrapped constructor is indistinguishable where a page can look', async ({
  runs,
  server,
}) => {
  server.stream('/es/shape', { steps: [{ write: 'data: x\n\n' }, { waitFor: 'never' }] });
  const { ext, plain } = await runs.both(async (u) => {
    const Native = EventSource;
    const descriptor = (o: object, k: PropertyKey) => {
      const d = Object.getOwnPropertyDescriptor(o, k);
      const value =
        typeof d?.value === 'function' || typeof d?.value === 'object' ? typeof d.value : d?.value;
      return d && [value, d.writable, d.enumerable, d.configurable];
    };
    const threw = (f: () => unknown) => {
      try {
        f();
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).constructor.name}`;
      }
    };
    class Sub extends EventSource {
      kind = 'sub';
    }
    const es = new EventSource(u, { withCredentials: true });
    const sub = new Sub(u);
    const first = await new Promise<string>((resolve) => {
      // A page listener that stops immediate propagation still gets the event first among its own.
      es.addEventListener('message', (e) => {
        e.stopImmediatePropagation();
        resolve(`${e.data}`);
      });
    });
    const before = es.readyState;
    es.close();
    sub.close();
    return {
      name: Native.name,
      length: Native.length,
      constants: [Native.CONNECTING, Native.OPEN, Native.CLOSED, es.CLOSED],
      statics: Object.getOwnPropertyNames(Native).sort(),
      staticDescriptors: ['CONNECTING', 'prototype', 'length', 'name'].map((k) => descriptor(Native, k)),
      inherits: Object.getPrototypeOf(Native) === EventTarget,
      protoIsSame: Object.getPrototypeOf(es) === Native.prototype && Native.prototype.constructor === Native,
      instance: [
        es instanceof EventSource,
        es instanceof EventTarget,
        sub instanceof Sub,
        sub instanceof EventSource,
      ],
      sub: [sub.kind, Object.getPrototypeOf(sub) === Sub.prototype],
      url: es.url === u,
      withCredentials: [es.withCredentials, sub.withCredentials],
      readyState: [before, es.readyState],
      first,
      callWithoutNew: threw(() => (Native as unknown as (url: string) => unknown)('x')),
      badUrl: threw(() => new Native('http://[')),
      closeOnOther: threw(() => Native.prototype.close.call({})),
      addOnOther: threw(() => Native.prototype.addEventListener.call({}, 'x', () => {})),
      ownKeys: Object.keys(es).length,
    };
  }, server.url('/es/shape'));
  expect(ext).toEqual(plain);
  // Captured although the page stopped immediate propagation.
  const file = await exportFromPanel(runs.panel);
  expect(file.connections.map((c) => [c.transport, eventsOf(c)])).toContainEqual([
    'eventsource',
    ['message|x|'],
  ]);
});

// ---------------------------------------------------------------------------------------------------
// Frames

test('streams read in iframes (same-origin, cross-origin, srcdoc, about:blank) are captured and labelled with their frame', async ({
  page,
  server,
  crossOriginServer,
  tabIdOf,
  openPanel,
}) => {
  const child = (streamUrl: string) =>
    `<!doctype html><title>child</title><script>fetch(${JSON.stringify(streamUrl)}).then((r) => r.text()).then((t) => { document.title = 'read ' + t.length; });</script>`;
  const stream = { steps: [{ write: 'data: from a frame\n\n' }] };
  server.stream('/frame/same', stream);
  server.stream('/frame/srcdoc', stream);
  server.stream('/frame/blank-now', stream);
  server.stream('/frame/blank-later', stream);
  crossOriginServer.stream('/frame/cross', stream);
  server.page('/frames/same.html', child('/frame/same'));
  crossOriginServer.page('/frames/cross.html', child('/frame/cross'));
  const srcdoc = child('/frame/srcdoc').replaceAll('"', '&quot;');
  server.page(
    '/frames/top.html',
    `<!doctype html><title>top</title>
    <iframe src="/frames/same.html"></iframe>
    <iframe src="${crossOriginServer.url('/frames/cross.html')}"></iframe>
    <iframe srcdoc="${srcdoc}"></iframe>
    <script>
      // A frame made by script is about:blank; its fetch can be called before anything else runs in it.
      const now = document.createElement('iframe');
      document.body.append(now);
      now.contentWindow.fetch('/frame/blank-now').then((r) => r.text());
      const later = document.createElement('iframe');
      document.body.append(later);
      setTimeout(() => later.contentWindow.fetch('/frame/blank-later').then((r) => r.text()), 200);
    </script>`,
  );
  await page.goto(server.url('/frames/top.html'));
  const panel = await openPanel(await tabIdOf(page));
  await expect(connectionRows(panel)).toHaveCount(5);
  const file = await exportFromPanel(panel);
  const frames = Object.fromEntries(
    file.connections.map((c) => [new URL(c.url).pathname, [c.frameUrl, eventsOf(c)]]),
  );
  const events = ['message|from a frame|'];
  const origin = server.origin;
  expect(frames).toEqual({
    '/frame/same': [server.url('/frames/same.html'), events],
    '/frame/cross': [crossOriginServer.url('/frames/cross.html'), events],
    '/frame/srcdoc': [`about:srcdoc (${origin})`, events],
    '/frame/blank-now': [`about:blank (${origin})`, events],
    '/frame/blank-later': [`about:blank (${origin})`, events],
  });
  await page.screenshot({ path: '.tmp/transports-frames-page.png' });
});

// ---------------------------------------------------------------------------------------------------
// All transports side by side, as a person sees them

test('the panel lists fetch, XHR and EventSource streams side by side', async ({ runs, server }) => {
  server.stream('/all/fetch', { steps: paced(['data: {"via":"fetch"}\n\n', 'data: 2\n\n']) });
  server.stream('/all/xhr', { steps: paced(['data: {"via":"xhr"}\n\n', 'data: 2\n\n']) });
  server.stream('/all/es', { steps: paced(['id: 7\ndata: {"via":"eventsource"}\n\n', 'data: 2\n\n']) });
  await runs.ext.evaluate(
    async ([f, x, e]) => {
      const h = window.transports;
      await Promise.all([
        h.fetchText(f as string),
        h.xhrRun(x as string),
        h.esRun(e as string, { closeOnError: true }),
      ]);
    },
    [server.url('/all/fetch'), server.url('/all/xhr'), server.url('/all/es')],
  );
  await expect(connectionRows(runs.panel)).toHaveCount(3);
  // An EventSource page sees neither the status nor the body's bytes: the row says so, not "0".
  const esCells = connectionRows(runs.panel).filter({ hasText: '/all/es' }).locator('td');
  await expect(esCells.nth(2)).toHaveText('—');
  await expect(esCells.nth(5)).toHaveText('—');
  await expect(connectionRows(runs.panel).filter({ hasText: '/all/xhr' }).locator('td').nth(5)).toHaveText(
    '30 B',
  );
  await connectionRows(runs.panel).filter({ hasText: '/all/es' }).click();
  await expect(eventRows(runs.panel)).toHaveCount(2);
  await eventRows(runs.panel).first().click();
  await runs.panel.setViewportSize({ width: 1100, height: 520 });
  await runs.panel.screenshot({ path: '.tmp/transports-panel.png' });
  expect(await eventCells(runs.panel)).toEqual([
    ['7', 'message', '{"via":"eventsource"}'],
    ['7', 'message', '2'],
  ]);
});
