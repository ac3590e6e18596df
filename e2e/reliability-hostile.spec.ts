/**
 * Hostile pages (issue 7): a page script that forges the agent's messages, floods the relay,
 * sabotages the built-ins the agent uses, or streams markup and script URLs cannot make events appear
 * in a panel, crash the panel, run code in an extension page, or break its own streams. And the
 * extension pages' content security policy forbids `eval` and remote scripts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import {
  AGENT_END,
  AGENT_PIECES,
  AGENT_READY_EVENT,
  AGENT_START,
  END_COMPLETED,
  RELAY_PORT_EVENT,
  TRANSPORT_FETCH,
} from '../src/protocol';
import { openReader, readStream, sse } from './panel-helpers';
import { collectPageErrors } from './reliability-helpers';
import { DIST, expect, test } from './support/fixtures';
import { connectionRows, eventCells, eventRows, exportFromPanel } from './support/panel';

/**
 * A page that, from its first script on, tries to take any port the relay offers (capture phase on
 * window sees the offer before anything on document) and asks the relay to offer again by firing the
 * agent's AGENT_READY, as early as a page can. `forge(n)` then sends `n` forged batches every way a
 * page can: on ports it made itself and offered to the agent as the relay would, on ports it took, with
 * `window.postMessage`, and as offer events carrying data; and floods AGENT_READY.
 */
const FORGING_PAGE = `<!doctype html><meta charset="utf-8"><title>forger</title><script>
  const OFFER = ${JSON.stringify(RELAY_PORT_EVENT)};
  const READY = ${JSON.stringify(AGENT_READY_EVENT)};
  const [START, END, PIECES, COMPLETED, FETCH] = ${JSON.stringify([AGENT_START, AGENT_END, AGENT_PIECES, END_COMPLETED, TRANSPORT_FETCH])};
  window.taken = [];
  window.fromAgent = [];
  let taking = true;
  window.addEventListener(OFFER, (event) => {
    if (!taking) return;
    for (const port of event.ports) {
      window.taken.push(port);
      port.onmessage = (message) => window.fromAgent.push(message.data);
    }
  }, true);
  document.dispatchEvent(new Event(READY));

  const forgedBatches = (i) => {
    const now = Date.now();
    const id = 'forged:' + i;
    const connection = {
      id, transport: 'fetch', format: 'sse', url: location.origin + '/forged-stream-' + i, method: 'GET',
      requestHeaders: {}, requestBody: null, status: 200, statusText: 'OK',
      responseHeaders: { 'content-type': 'text/event-stream' }, frameUrl: location.href,
      startedAt: now, headersAt: now,
    };
    return [
      { type: 'agent-batch', v: 1, items: [{ type: 'connection-start', connection }] },
      { type: 'agent-chunks', v: 1, chunks: [{ connectionId: id, time: now, text: 'data: forged\\n\\n' }] },
      {
        type: 'agent-batch', v: 1,
        items: [
          { type: 'chunks', connectionId: id, firstSeq: 1, text: 'data: forged\\n\\n', length: [14], time: [now], bytes: 14 },
          { type: 'connection-end', connectionId: id, end: { state: 'completed', error: null, endedAt: now } },
        ],
      },
      // The agent's own messages (src/protocol.ts, PageToRelay): a start, a piece, an end.
      [START, [id + ':t', FETCH, connection.url, now, now, 'GET', {}, null, 200, 'OK',
        { 'content-type': 'text/event-stream' }], location.href],
      [PIECES, [[id + ':t', now, 'data: forged\\n\\n']]],
      [END, id + ':t', COMPLETED, null, now],
    ];
  };

  window.forge = (n) => {
    taking = false;
    for (let i = 0; i < n; i++) {
      const batches = forgedBatches(i);
      const channel = new MessageChannel();
      document.dispatchEvent(new MessageEvent(OFFER, { ports: [channel.port2], cancelable: true }));
      for (const batch of batches) {
        channel.port1.postMessage(batch);
        for (const port of window.taken) port.postMessage(batch);
        window.postMessage(batch, '*');
        document.dispatchEvent(new MessageEvent(OFFER, { data: batch }));
        document.dispatchEvent(new CustomEvent(OFFER, { detail: batch }));
      }
      document.dispatchEvent(new Event(READY));
      window.dispatchEvent(new CustomEvent(READY));
    }
  };
  window.readAll = async (url) => {
    const reader = (await fetch(url)).body.getReader();
    while (!(await reader.read()).done) {}
  };
</script>`;

test('forged handshakes and batches and a flood of them reach no panel; each tab shows only its own stream', async ({
  context,
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.page('/forger.html', FORGING_PAGE);
  server.stream('/forger-stream', {
    steps: [{ write: sse({ data: 'genuine A1' }) }, { write: sse({ data: 'genuine A2' }) }],
  });
  server.stream('/other-stream', { steps: [{ write: sse({ data: 'genuine B' }) }] });
  const pageErrors = await collectPageErrors(page);
  await page.goto(server.url('/forger.html'));
  const other = await context.newPage();
  await openReader(other, server, '/other.html');
  const forgerPanel = await openPanel(await tabIdOf(page));
  const otherPanel = await openPanel(await tabIdOf(other));

  await page.evaluate(() => (window as unknown as { forge: (n: number) => void }).forge(2000));
  await page.evaluate(
    (url) => (window as unknown as { readAll: (u: string) => Promise<void> }).readAll(url),
    server.url('/forger-stream'),
  );
  await readStream(other, server, '/other-stream');

  // The genuine streams arrive, each in its own tab's panel, after everything forged was sent.
  await expect(connectionRows(forgerPanel)).toHaveCount(1);
  await expect(connectionRows(forgerPanel).first().locator('.url .path')).toHaveText('/forger-stream');
  await expect
    .poll(() => eventCells(forgerPanel))
    .toEqual([
      ['', 'message', 'genuine A1'],
      ['', 'message', 'genuine A2'],
    ]);
  await expect(connectionRows(otherPanel)).toHaveCount(1);
  await expect(connectionRows(otherPanel).first().locator('.url .path')).toHaveText('/other-stream');
  await expect.poll(() => eventCells(otherPanel)).toEqual([['', 'message', 'genuine B']]);
  for (const panel of [forgerPanel, otherPanel]) {
    await expect(panel.locator('body')).not.toContainText('forged');
  }
  // The relay offered the page no port, however early it asked (the pairing was done before any page
  // script ran), and the agent took none of the page's.
  const seenByPage = await page.evaluate(() => {
    const w = window as unknown as { taken: MessagePort[]; fromAgent: unknown[] };
    return { taken: w.taken.length, fromAgent: w.fromAgent.length };
  });
  expect(seenByPage).toEqual({ taken: 0, fromAgent: 0 });
  expect(await pageErrors()).toEqual([]);
});

/**
 * A page whose Go button, after load, replaces with throwing functions the built-ins the agent (or a
 * careless agent) could use, then reads three streams with fetch (a POST with headers and a body),
 * XMLHttpRequest and EventSource without touching any of them itself, and writes what it read into
 * #out as URI-encoded fields: fetch bytes as hex, XHR text, EventSource data joined by `|`.
 */
const SABOTAGE_PAGE = `<!doctype html><meta charset="utf-8"><title>sabotage</title>
<button id="go">Go</button><pre id="out"></pre><script>
  const boom = (name) => function () { throw new Error('sabotaged ' + name); };
  function sabotage() {
    const TD = TextDecoder;
    const defineProperty = Object.defineProperty;
    const replace = (object, names, label) => {
      // Indexed: the array iterator is among what gets replaced.
      for (let i = 0; i < names.length; i++) object[names[i]] = boom(label + '.' + String(names[i]));
    };
    window.postMessage = boom('window.postMessage');
    replace(MessagePort.prototype, ['postMessage'], 'MessagePort');
    replace(Array.prototype, ['push', 'map', 'concat', 'includes', 'forEach', 'flatMap', Symbol.iterator], 'Array');
    replace(JSON, ['stringify', 'parse'], 'JSON');
    replace(Promise.prototype, ['then', 'catch', 'finally'], 'Promise');
    replace(TD.prototype, ['decode'], 'TextDecoder');
    replace(Uint8Array.prototype, ['slice', 'subarray', 'set'], 'Uint8Array');
    replace(Map.prototype, ['get', 'set', 'has'], 'Map');
    replace(WeakMap.prototype, ['get', 'set', 'has'], 'WeakMap');
    replace(Headers.prototype, ['forEach', 'get'], 'Headers');
    replace(ReadableByteStreamController.prototype, ['enqueue', 'close', 'error'], 'ReadableByteStreamController');
    replace(EventTarget.prototype, ['addEventListener', 'dispatchEvent'], 'EventTarget');
    replace(Object, ['create', 'defineProperty', 'getOwnPropertyDescriptor', 'keys', 'entries'], 'Object');
    replace(Reflect, ['apply', 'construct', 'ownKeys'], 'Reflect');
    replace(Function.prototype, ['apply', 'call', 'bind'], 'Function');
    replace(window, ['TextDecoder', 'setTimeout', 'Response', 'Request', 'Headers', 'ReadableStream', 'MessageChannel', 'MessageEvent'], 'window');
    replace(performance, ['now'], 'performance');
    replace(String.prototype, ['slice', 'indexOf', 'toUpperCase', 'toLowerCase', 'split', 'replace', 'trim', 'includes'], 'String');
    replace(RegExp.prototype, ['exec', 'test', Symbol.replace, Symbol.split, Symbol.match], 'RegExp');
    replace(window, ['Uint8Array', 'DataView', 'URLSearchParams', 'Blob', 'FormData', 'Error', 'DOMException'], 'window');
    // Setters on Object.prototype for the agent's field names: a field assigned to an object
    // that lacks it would run them instead of being set.
    const fields = ['seq', 'kind', 'id', 'type', 'data', 'time', 'attempt', 'truncatedFrom', 'retry', 'url',
      'method', 'headers', 'body', 'status', 'statusText', 'redirected', 'connection', 'connectionId', 'records',
      'bytes', 'items', 'end', 'state', 'error', 'endedAt', 'startedAt', 'headersAt', 'sent', 'decided',
      'capture', 'read', 'transport', 'format', 'frameUrl', 'requestHeaders', 'requestBody', 'responseHeaders'];
    for (let i = 0; i < fields.length; i++) {
      const name = fields[i];
      defineProperty(Object.prototype, name, {
        get() {},
        set() { throw new Error('sabotaged setter ' + name); },
        configurable: true,
      });
    }
    // And fields a property descriptor is read from: a descriptor that inherits them is invalid.
    defineProperty(Object.prototype, 'enumerable', { value: true, configurable: true });
    defineProperty(Object.prototype, 'get', { value: boom('Object.prototype.get'), configurable: true });
    // Last: replace() above names what it replaces with it.
    window.String = boom('window.String');
  }
  const hex = (bytes) => {
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return s;
  };
  async function readFetch(url) {
    const response = await fetch(url, { method: 'POST', headers: { 'x-sabotage': 'yes' }, body: 'prompt' });
    if (response.clone().url !== response.url) throw new Error('clone lost the url');
    const reader = response.body.getReader();
    let out = '';
    for (;;) {
      const result = await reader.read();
      if (result.done) return out;
      out += hex(result.value);
    }
  }
  const readXhr = (url) => new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('post', url);
    xhr.setRequestHeader('X-Trace', ' a ');
    xhr.onloadend = () => resolve(xhr.responseText);
    xhr.send('xhr body');
  });
  const readEventSource = (url, count) => new Promise((resolve) => {
    const source = new EventSource(url);
    let data = '';
    let seen = 0;
    source.onmessage = (event) => {
      data += event.data + '|';
      if (++seen === count) {
        source.close();
        resolve(data);
      }
    };
  });
  document.getElementById('go').onclick = async () => {
    sabotage();
    const fetched = await readFetch('/s-fetch');
    const xhr = await readXhr('/s-xhr');
    const es = await readEventSource('/s-es', 2);
    document.getElementById('out').textContent =
      encodeURIComponent(fetched) + ' ' + encodeURIComponent(xhr) + ' ' + encodeURIComponent(es);
  };
</script>`;

test('a page that replaces the built-ins after load still reads its streams unchanged, and they are captured', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const fetchChunks = [
    sse({ data: 'f1 é', id: '1' }),
    sse({ data: 'f2', event: 'custom' }),
    'retry: 1500\n\n',
  ];
  const xhrChunks = [sse({ data: 'x1' }), sse({ data: 'x2 漢' })];
  server.page('/sabotage.html', SABOTAGE_PAGE);
  server.stream('/s-fetch', { steps: fetchChunks.map((write) => ({ write })) });
  server.stream('/s-xhr', { steps: xhrChunks.map((write) => ({ write })) });
  server.stream('/s-es', {
    steps: [{ write: sse({ data: 'e1' }) }, { write: sse({ data: 'e2', id: '9' }) }, { waitFor: 'never' }],
  });
  // Not through the page: its own listeners might be sabotaged. The browser reports uncaught errors
  // and unhandled rejections over CDP whatever the page did to its globals.
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url('/sabotage.html'));
  const panel = await openPanel(await tabIdOf(page));

  await page.getByRole('button', { name: 'Go' }).click();
  await expect(page.locator('#out')).not.toBeEmpty();
  const [fetched, xhr, es] = ((await page.locator('#out').textContent()) ?? '')
    .split(' ')
    .map(decodeURIComponent);
  expect(fetched).toBe(Buffer.from(fetchChunks.join('')).toString('hex'));
  expect(xhr).toBe(xhrChunks.join(''));
  expect(es).toBe('e1|e2|');

  await expect(connectionRows(panel)).toHaveCount(3);
  const file = await exportFromPanel(panel);
  const byPath = (path: string) => {
    const connection = file.connections.find((c) => new URL(c.url).pathname === path);
    if (!connection) throw new Error(`no connection to ${path} in the export`);
    return connection;
  };
  const fetchConnection = byPath('/s-fetch');
  expect(fetchConnection.method).toBe('POST');
  expect(fetchConnection.requestBody).toBe('prompt');
  expect(fetchConnection.requestHeaders['x-sabotage']).toBe('yes');
  expect(fetchConnection.state).toBe('completed');
  expect(fetchConnection.events.map((e) => [e.kind ?? 'event', e.id, e.type, e.data])).toEqual([
    ['event', '1', 'message', 'f1 é'],
    ['event', '1', 'custom', 'f2'],
    ['retry', '1', '', '1500'],
  ]);
  const xhrConnection = byPath('/s-xhr');
  expect(xhrConnection.state).toBe('completed');
  expect(xhrConnection.method).toBe('POST');
  expect(xhrConnection.requestHeaders['x-trace']).toBe('a');
  expect(xhrConnection.requestBody).toBe('xhr body');
  expect(xhrConnection.responseHeaders['content-type']).toBe('text/event-stream');
  expect(xhrConnection.events.map((e) => e.data)).toEqual(['x1', 'x2 漢']);
  const esConnection = byPath('/s-es');
  expect(esConnection.state).toBe('cancelled');
  expect(esConnection.events.map((e) => [e.kind ?? 'event', e.id, e.data])).toEqual([
    ['open', '', ''],
    ['event', '', 'e1'],
    ['event', '9', 'e2'],
  ]);
  expect(pageErrors).toEqual([]);
});

/** Markup, script URLs and prototype-named fields a page can put in a stream and its request. */
const HOSTILE_TEXT = {
  data: '<img src=x onerror="window.pwned=1;alert(1)"><script>window.pwned=2</script>',
  type: '<svg onload=alert(2)>',
  id: 'javascript:alert(3)',
  json: '{"html":"<img src=x onerror=alert(4)>","url":"javascript:alert(5)","__proto__":{"polluted":1}}',
};

test('markup and javascript: URLs from a page are shown as text and run nothing in the panel', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/xss', {
    headers: { 'x-note': '<b onmouseover=alert(6)>hi</b>' },
    steps: [
      { write: sse({ data: HOSTILE_TEXT.data, event: HOSTILE_TEXT.type, id: HOSTILE_TEXT.id }) },
      { write: sse({ data: HOSTILE_TEXT.json, event: '__proto__', id: 'constructor' }) },
      { write: sse({ data: 'toString', event: 'constructor', id: '__proto__' }) },
      { write: ': <iframe src="javascript:alert(7)">\n\n' },
    ],
  });
  await openReader(page, server, '/xss-page.html');
  const panel = await openPanel(await tabIdOf(page));
  const dialogs: string[] = [];
  panel.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await readStream(page, server, '/xss?<svg/onload=alert(8)>', {
    method: 'POST',
    headers: { 'x-html': '<img src=x onerror=alert(9)>' },
    body: '<script>alert(10)</script>',
  });

  await expect(eventRows(panel)).toHaveCount(3);
  expect(await eventCells(panel)).toEqual([
    [HOSTILE_TEXT.id, HOSTILE_TEXT.type, HOSTILE_TEXT.data],
    ['constructor', '__proto__', HOSTILE_TEXT.json],
    ['__proto__', 'constructor', 'toString'],
  ]);
  await eventRows(panel).first().click();
  await expect(panel.locator('.event-detail pre')).toHaveText(HOSTILE_TEXT.data);
  await eventRows(panel).nth(1).click();
  await expect(panel.locator('.event-detail [role="tree"]')).toContainText('javascript:alert(5)');
  await panel.getByRole('tab', { name: 'Request' }).click();
  await expect(panel.locator('body')).toContainText('<script>alert(10)</script>');
  await expect(panel.locator('body')).toContainText('<img src=x onerror=alert(9)>');
  await panel.screenshot({ path: '.tmp/hostile-xss-panel.png' });

  // Nothing from the page became an element, a link or a script, and nothing ran.
  expect(
    await panel.evaluate(() => ({
      pwned: (window as unknown as { pwned?: unknown }).pwned ?? null,
      polluted: ({} as { polluted?: unknown }).polluted ?? null,
      fromPage: document.querySelectorAll('img[src="x"], svg[onload], iframe, a[href^="javascript:"]').length,
      scripts: [...document.scripts]
        .map((s) => s.src.replace(location.origin, ''))
        .filter((s) => !s.startsWith('/')),
    })),
  ).toEqual({ pwned: null, polluted: null, fromPage: 0, scripts: [] });
  expect(dialogs).toEqual([]);
});

test('the built manifest sets a strict content security policy for extension pages', async () => {
  const manifest = JSON.parse(await readFile(join(DIST, 'manifest.json'), 'utf8')) as {
    content_security_policy?: { extension_pages?: string; sandbox?: string };
    sandbox?: unknown;
  };
  const policy = manifest.content_security_policy?.extension_pages ?? '';
  const directives = new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name as string, values]),
  );
  expect(directives.get('script-src')).toEqual(["'self'"]);
  expect(directives.get('object-src')).toEqual(["'self'"]);
  expect(policy).not.toMatch(/unsafe-eval|unsafe-inline|https?:|\*/);
  // No sandboxed pages, which could have a looser policy of their own.
  expect(manifest.sandbox).toBeUndefined();
});

/** What the panel page allows itself: eval, Function, an inline script, a remote script. */
async function codeThePanelCanRun(panel: Page, remoteScript: string) {
  return panel.evaluate(async (remote) => {
    const attempt = (run: () => unknown) => {
      try {
        run();
        return 'ran';
      } catch (error) {
        return (error as Error).name;
      }
    };
    const w = window as unknown as { inlineRan?: boolean; remoteRan?: boolean };
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    const inline = document.createElement('script');
    inline.textContent = 'window.inlineRan = true';
    document.head.append(inline);
    const remoteLoad = await new Promise<string>((resolve) => {
      const script = document.createElement('script');
      script.src = remote;
      script.onload = () => resolve('loaded');
      script.onerror = () => resolve('blocked');
      document.head.append(script);
    });
    return {
      // biome-ignore lint/security/noGlobalEval: that the policy refuses it is what is tested.
      eval: attempt(() => eval('1 + 1')),
      function: attempt(() => new Function('return 1')()),
      stringTimer: attempt(() => setTimeout('window.timerRan = true' as unknown as () => void, 0)),
      inline: w.inlineRan ?? false,
      remote: remoteLoad,
      remoteRan: w.remoteRan ?? false,
      violations: violations.length > 0,
    };
  }, remoteScript);
}

test('the panel page cannot eval, run inline script or load a remote script', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.respond('/remote.js', {
    headers: { 'content-type': 'text/javascript' },
    body: 'window.remoteRan = true',
  });
  await openReader(page, server, '/csp.html');
  const panel = await openPanel(await tabIdOf(page));
  const result = await codeThePanelCanRun(panel, server.url('/remote.js'));
  expect(result).toEqual({
    eval: 'EvalError',
    function: 'EvalError',
    // A string timer is refused without an exception: it simply never runs.
    stringTimer: 'ran',
    inline: false,
    remote: 'blocked',
    remoteRan: false,
    violations: true,
  });
  expect(server.requestsTo('/remote.js')).toHaveLength(0);
  expect(await panel.evaluate(() => (window as unknown as { timerRan?: boolean }).timerRan ?? false)).toBe(
    false,
  );
});
