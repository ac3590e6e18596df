/**
 * The fetch transparency battery (promise 1 of the product): with the extension, a page gets exactly
 * what it would get without it. One list of tests, run by each browser's spec against a page with the
 * extension and the same page in the same browser without it: e2e/transparency.spec.ts (Chromium) and
 * e2e/firefox/transparency.spec.ts (Firefox). Each spec provides `runs` (the two pages, as
 * `PageLike`s, and what the extension's panel shows) and the loopback servers.
 *
 * Both pages are served by the same loopback server from the same URL, so URLs, origins and response
 * types compare as they are; the extension run goes first, so for a path the server's first request
 * is the extension's and the second the plain one's.
 *
 * Each transparency bug this suite found is fixed and its test now passes ("Was a bug: …" comments).
 * The two behaviours that cannot be made identical are pinned exactly ("Known limit" comments) and
 * listed in the README. Where the browsers themselves differ (what a plain page sees), the test says
 * which browser it expects what of (`browser`).
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestType } from '@playwright/test';
import type { ExportFile } from '../src/export/schema';
import { expect, type RecordedRequest, type Step } from './support/fixtures';
import type { PageLike } from './support/page-like';
import type { SseServer } from './support/sse-server';

// ---------------------------------------------------------------------------------------------------
// In-page helpers (defined by the test page itself, so every page function can use them)

interface ErrorInfo {
  name?: string;
  message?: string;
  /** `Object.prototype.toString` of the thrown value: `[object DOMException]`, `[object Error]`... */
  kind: string;
  isTypeError: boolean;
  isDOMException: boolean;
}

interface PageHelpers {
  /** The bytes a view covers, as numbers. */
  bytes(view: ArrayBufferView | ArrayBuffer): number[];
  error(thrown: unknown): ErrorInfo;
  /** Every chunk a reader yields until done, as numbers. */
  drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<number[][]>;
  /** Resolves with `{ value }` or `{ error }`, and says whether `f` threw synchronously. */
  settle<T>(f: () => T | Promise<T>): Promise<{ value?: T; error?: ErrorInfo; threwSync?: boolean }>;
  /** Chromium's major version from the user agent; 0 in another browser. */
  chromiumMajor(): number;
}

declare global {
  interface Window {
    T: PageHelpers;
    /** Scratch space a page function leaves for a later one (a reader to cancel, a controller...). */
    kept: Record<string, unknown>;
  }
}

export const TEST_PAGE = '/transparency/page.html';
export const TEST_PAGE_HTML = `<!doctype html><meta charset="utf-8"><title>transparency</title>
<script>
window.kept = {};
window.T = {
  bytes(view) {
    return ArrayBuffer.isView(view)
      ? Array.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength))
      : Array.from(new Uint8Array(view));
  },
  error(e) {
    const object = e !== null && (typeof e === 'object' || typeof e === 'function');
    return {
      name: object ? e.name : undefined,
      message: object ? e.message : String(e),
      kind: Object.prototype.toString.call(e),
      isTypeError: e instanceof TypeError,
      isDOMException: e instanceof DOMException,
    };
  },
  async drain(reader) {
    const chunks = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return chunks;
      chunks.push(T.bytes(value));
    }
  },
  async settle(f) {
    let pending;
    try {
      pending = f();
    } catch (e) {
      return { error: T.error(e), threwSync: true };
    }
    try {
      return { value: await pending };
    } catch (e) {
      return { error: T.error(e), threwSync: false };
    }
  },
  chromiumMajor() {
    return Number(/Chrome[/]([0-9]+)/.exec(navigator.userAgent)?.[1] ?? 0);
  },
};
</script>`;

/** The two runs a battery test compares. */
export interface Runs {
  /** The test page with the extension: `fetch` is the agent's. */
  ext: PageLike;
  /** The same page in the same browser without the extension: `fetch` is native. */
  plain: PageLike;
  /** Run `fn` in the extension page, then in the plain page. */
  both<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<{ ext: R; plain: R }>;
  /** `[type, data]` of each event the panel shows for the extension page's only connection. */
  panelEvents(): Promise<string[][]>;
  /** Opens the extension page's panel, waits until it lists connections and none is open, exports. */
  exportEnded(): Promise<ExportFile>;
}

/** What the battery's tests use; each browser's spec provides them. */
export interface BatteryFixtures {
  runs: Runs;
  server: SseServer;
  crossOriginServer: SseServer;
}

/** Checks, in the fixture, that the extension page's `fetch` is the agent's and the plain one's native. */
export async function expectFetchPatchedOnlyWithExtension(ext: PageLike, plain: PageLike): Promise<void> {
  const fetchIsNative = (p: PageLike) =>
    p.evaluate(() => Function.prototype.toString.call(window.fetch).includes('[native code]'), null);
  expect(await fetchIsNative(ext), 'the agent has replaced fetch in the extension run').toBe(false);
  expect(await fetchIsNative(plain), 'fetch is native in the plain run').toBe(true);
}

// ---------------------------------------------------------------------------------------------------
// Shared scripts

const utf8 = (text: string) => Buffer.from(text, 'utf8');
/** `data: h` + the first byte of "é" | the second byte + `llo\r` | `\n\r\n`: a UTF-8 and a CRLF split. */
const SPLIT_WRITES: Uint8Array[] = [
  utf8('data: a\n\n'),
  Uint8Array.from([...utf8('data: h'), 0xc3]),
  Uint8Array.from([0xa9, ...utf8('llo\r')]),
  utf8('\n\r\n'),
  utf8('event: x\ndata: y\n\n'),
  utf8(': comment\n\nid: 7\ndata: z'),
  utf8('\n\n'),
];
const SPLIT_TEXT = Buffer.concat(SPLIT_WRITES).toString('utf8');

/** Writes each chunk as its own TCP segment, with a pause long enough that the page reads it alone
 * (50 ms was not, on a machine loaded by other builds: two writes then arrive as one read). */
function paced(writes: Uint8Array[], pauseMs = 150): Step[] {
  return writes.flatMap((write, i) => (i === 0 ? [{ write }] : [{ pause: pauseMs }, { write }]));
}

/** The extension's request and the plain one's (in that order) to `path`. */
function twoRequests(server: { requestsTo(path: string): RecordedRequest[] }, path: string) {
  const requests = server.requestsTo(path);
  expect(requests, `one request to ${path} per run`).toHaveLength(2);
  return requests as [RecordedRequest, RecordedRequest];
}

/**
 * Whether this browser fails a body read on abort with its own AbortError rather than the abort's
 * reason: Chromium 150 does (LEGACY_READ_ABORT), Chromium 156 passes the reason on.
 */
const legacyAbortReads = (browser: 'chromium' | 'firefox', chromiumMajor: number) =>
  browser === 'chromium' && chromiumMajor <= 150;
const LEGACY_READ_ABORT: ErrorInfo = {
  name: 'AbortError',
  message: 'BodyStreamBuffer was aborted',
  kind: '[object DOMException]',
  isTypeError: false,
  isDOMException: true,
};

const TICK = 'data: tick\n\n';
/** An endless stream: one event, then an event every 20 ms until the client goes away. */
const ENDLESS: Step[] = [{ write: 'data: first\n\n' }, { repeat: { write: TICK, intervalMs: 20 } }];

/** Defines the battery's tests with `test`, for `browser`. */
export function transparencyBattery(
  test: TestType<BatteryFixtures, object>,
  browser: 'chromium' | 'firefox',
): void {
  // ---------------------------------------------------------------------------------------------------
  // Bytes and chunk boundaries

  test('bytes and chunk boundaries (a UTF-8 character and a CR/LF split across writes) are the same, and the panel shows the stream', async ({
    runs,
    server,
  }) => {
    server.stream('/s/chunks', { steps: paced(SPLIT_WRITES) });
    const result = await runs.both(async () => {
      const res = await fetch('/s/chunks');
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const chunks: { bytes: number[]; byteLength: number; byteOffset: number; bufferLength: number }[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push({
          bytes: window.T.bytes(value),
          byteLength: value.byteLength,
          byteOffset: value.byteOffset,
          bufferLength: value.buffer.byteLength,
        });
      }
      return chunks;
    }, null);

    expect(result.ext).toEqual(result.plain);
    // The harness really split the body as written, so the comparison above covers the splits.
    expect(result.plain.map((c) => c.bytes)).toEqual(SPLIT_WRITES.map((w) => Array.from(w)));

    // The tap was really tapping: the panel shows the stream's events, decoded across the splits.
    await expect
      .poll(() => runs.panelEvents())
      .toEqual([
        ['message', 'a'],
        ['message', 'héllo'],
        ['x', 'y'],
        ['message', 'z'],
      ]);
  });

  for (const mode of ['default', 'byob'] as const) {
    test(`chunks that piled up before the page reads come out the same (${mode} reader)`, async ({
      runs,
      server,
    }) => {
      server.stream('/s/piled', { steps: [...paced(SPLIT_WRITES, 5), { waitFor: 'never' }] });
      const results: unknown[] = [];
      for (const [i, page] of [runs.ext, runs.plain].entries()) {
        await page.evaluate(async () => {
          window.kept.response = await fetch('/s/piled');
        }, null);
        // Every write has left the server; give loopback a moment to deliver the last one.
        await expect
          .poll(() => server.requestsTo('/s/piled')[i]?.stream?.chunksWritten)
          .toBe(SPLIT_WRITES.length);
        await new Promise((r) => setTimeout(r, 100));
        results.push(
          await page.evaluate(
            async ({ mode, total }) => {
              const body = (window.kept.response as Response).body as ReadableStream<Uint8Array>;
              const reads: number[][] = [];
              let seen = 0;
              if (mode === 'byob') {
                const reader = body.getReader({ mode: 'byob' });
                while (seen < total) {
                  const { value } = await reader.read(new Uint8Array(7));
                  if (!value) break;
                  reads.push(window.T.bytes(value));
                  seen += value.byteLength;
                }
                await reader.cancel();
              } else {
                const reader = body.getReader();
                while (seen < total) {
                  const { value } = await reader.read();
                  if (!value) break;
                  reads.push(window.T.bytes(value));
                  seen += value.byteLength;
                }
                await reader.cancel();
              }
              return reads;
            },
            { mode, total: Buffer.concat(SPLIT_WRITES).length },
          ),
        );
      }
      const [ext, plain] = results as [number[][], number[][]];
      expect(ext).toEqual(plain);
      expect(Buffer.from(plain.flat()).toString('utf8')).toBe(SPLIT_TEXT);
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // Whole-body reads and every way of consuming the body

  /**
   * Each reads the whole body of `url` its own way and returns what it got: the pieces as the page saw
   * them (chunks, decoded strings, a blob's type and size...) and the whole body decoded as UTF-8.
   */
  const READ_STYLES: Record<string, (url: string) => Promise<{ pieces: unknown; text: string }>> = {
    'text()': async (url) => {
      const text = await (await fetch(url)).text();
      return { pieces: null, text };
    },
    'arrayBuffer()': async (url) => {
      const buffer = await (await fetch(url)).arrayBuffer();
      return { pieces: buffer.byteLength, text: new TextDecoder().decode(buffer) };
    },
    'bytes()': async (url) => {
      const bytes = await (await fetch(url)).bytes();
      return { pieces: [bytes.byteOffset, bytes.byteLength], text: new TextDecoder().decode(bytes) };
    },
    'blob()': async (url) => {
      const blob = await (await fetch(url)).blob();
      return { pieces: { type: blob.type, size: blob.size }, text: await blob.text() };
    },
    'for await (const c of res.body)': async (url) => {
      const res = await fetch(url);
      const chunks: number[][] = [];
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
        chunks.push(window.T.bytes(chunk));
      return { pieces: chunks, text: new TextDecoder().decode(Uint8Array.from(chunks.flat())) };
    },
    'res.body.pipeThrough(new TextDecoderStream())': async (url) => {
      const res = await fetch(url);
      const texts: string[] = [];
      const body = res.body as ReadableStream<BufferSource>;
      const reader = body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return { pieces: texts, text: texts.join('') };
        texts.push(value);
      }
    },
    'res.body.pipeTo(new WritableStream(...))': async (url) => {
      const res = await fetch(url);
      const chunks: number[][] = [];
      await (res.body as ReadableStream<Uint8Array>).pipeTo(
        new WritableStream({
          write(chunk) {
            chunks.push(window.T.bytes(chunk));
          },
        }),
      );
      return { pieces: chunks, text: new TextDecoder().decode(Uint8Array.from(chunks.flat())) };
    },
    "getReader({ mode: 'byob' }) with a 5-byte view": async (url) => {
      const res = await fetch(url);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader({ mode: 'byob' });
      const reads: number[][] = [];
      for (;;) {
        const { done, value } = await reader.read(new Uint8Array(5));
        if (done) {
          const text = new TextDecoder().decode(Uint8Array.from(reads.flat()));
          return { pieces: { reads, lastView: value ? value.byteLength : null }, text };
        }
        reads.push(window.T.bytes(value));
      }
    },
    "getReader({ mode: 'byob' }) with read(view, { min })": async (url) => {
      const res = await fetch(url);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader({ mode: 'byob' });
      const reads: number[][] = [];
      // `min` is newer than this TypeScript DOM library.
      const read = reader.read as (
        view: Uint8Array,
        options: { min: number },
      ) => Promise<ReadableStreamReadResult<Uint8Array>>;
      for (;;) {
        const { done, value } = await read.call(reader, new Uint8Array(16), { min: 12 });
        if (value && value.byteLength > 0) reads.push(window.T.bytes(value));
        if (done) return { pieces: reads, text: new TextDecoder().decode(Uint8Array.from(reads.flat())) };
      }
    },
  };

  for (const [style, read] of Object.entries(READ_STYLES)) {
    test(`whole body via ${style} is the same`, async ({ runs, server }) => {
      server.stream('/s/body', { steps: paced(SPLIT_WRITES) });
      const result = await runs.both(read, '/s/body');
      expect(result.plain.text).toBe(SPLIT_TEXT);
      if (style.includes('byob')) {
        // A BYOB read takes what has arrived when it is issued, so its pieces depend on network timing
        // (two runs on a loaded machine differ with or without the extension): compare the bytes and
        // that no read exceeded its view.
        expect(result.ext.text).toBe(result.plain.text);
        // The 5-byte style returns { reads, lastView }, the `min` style the reads themselves.
        const largest = (pieces: unknown) => {
          const reads = (
            Array.isArray(pieces) ? pieces : (pieces as { reads: number[][] }).reads
          ) as number[][];
          expect(reads.length).toBeGreaterThan(0);
          return Math.max(...reads.map((piece) => piece.length));
        };
        expect(largest(result.ext.pieces)).toBeLessThanOrEqual(16);
        expect(largest(result.plain.pieces)).toBeLessThanOrEqual(16);
        const lastView = (pieces: unknown) => (pieces as { lastView?: number | null }).lastView;
        expect(lastView(result.ext.pieces)).toBe(lastView(result.plain.pieces));
      } else {
        expect(result.ext).toEqual(result.plain);
      }
    });
  }

  test('json() of an NDJSON stream and of an event-stream whose body is JSON is the same', async ({
    runs,
    server,
  }) => {
    const json = '{"a":[1,2,"é"],"b":{"c":null}}';
    const bytes = utf8(`${json}\n`);
    const halves = [bytes.subarray(0, 9), bytes.subarray(9, 17), bytes.subarray(17)];
    server.stream('/s/ndjson', {
      headers: { 'content-type': 'application/x-ndjson' },
      steps: paced(halves, 20),
    });
    server.stream('/s/json-sse', { steps: paced(halves, 20) });
    const result = await runs.both(async () => {
      const ndjson = await window.T.settle(async () => (await fetch('/s/ndjson')).json());
      const sse = await window.T.settle(async () => (await fetch('/s/json-sse')).json());
      return { ndjson, sse };
    }, null);
    expect(result.ext).toEqual(result.plain);
    expect(result.plain.ndjson.value).toEqual(JSON.parse(json));
  });

  // Was a bug: the SyntaxError message gained a "Failed to execute …" prefix with the extension.
  test('json() of an event-stream that is not JSON rejects with the same SyntaxError', async ({
    runs,
    server,
  }) => {
    server.stream('/s/not-json', { steps: paced(SPLIT_WRITES, 10) });
    const result = await runs.both(
      async () => window.T.settle(async () => (await fetch('/s/not-json')).json()),
      null,
    );
    expect(result.plain.error?.name).toBe('SyntaxError');
    expect(result.ext).toEqual(result.plain);
  });

  // ---------------------------------------------------------------------------------------------------
  // Response properties

  /** What a page can see of a response without reading it, then `bodyUsed` around a read. */
  async function describeResponse(url: string) {
    const res = await fetch(url);
    const headers = [...res.headers].filter(([name]) => name !== 'date');
    const before = { bodyUsed: res.bodyUsed, locked: (res.body as ReadableStream).locked };
    const body = await res.text();
    return {
      url: res.url,
      redirected: res.redirected,
      type: res.type,
      status: res.status,
      statusText: res.statusText,
      ok: res.ok,
      headers,
      hasDate: res.headers.has('date'),
      contentType: res.headers.get('content-type'),
      isResponse: res instanceof Response,
      tag: Object.prototype.toString.call(res),
      protoIsResponse: Object.getPrototypeOf(res) === Response.prototype,
      keys: Object.keys(res),
      json: JSON.stringify(res),
      spread: Object.keys({ ...res }),
      bodyIsStream: res.body instanceof ReadableStream,
      sameBody: [res.body, res.body].every((b, _, all) => b === all[0]),
      before,
      after: { bodyUsed: res.bodyUsed },
      body,
    };
  }

  test('response properties of a same-origin stream are the same', async ({ runs, server }) => {
    server.stream('/s/props', {
      headers: {
        'x-custom': 'one',
        'x-other': 'two, three',
        'content-type': 'Text/Event-Stream; charset=UTF-8',
      },
      steps: paced(SPLIT_WRITES, 5),
    });
    const result = await runs.both(describeResponse, '/s/props');
    expect(result.ext).toEqual(result.plain);
    expect(result.plain).toMatchObject({
      url: server.url('/s/props'),
      redirected: false,
      type: 'basic',
      status: 200,
      ok: true,
      isResponse: true,
      before: { bodyUsed: false, locked: false },
      after: { bodyUsed: true },
      body: SPLIT_TEXT,
    });
    expect(result.plain.headers).toContainEqual(['x-custom', 'one']);
  });

  test('url and redirected of a redirected stream are the same', async ({ runs, server }) => {
    server.redirect('/s/moved', '/s/target');
    server.stream('/s/target', { steps: paced(SPLIT_WRITES, 5) });
    const result = await runs.both(describeResponse, '/s/moved');
    expect(result.ext).toEqual(result.plain);
    expect(result.plain).toMatchObject({ url: server.url('/s/target'), redirected: true, type: 'basic' });
  });

  test('type "cors" and the exposed headers of a cross-origin stream are the same', async ({
    runs,
    server,
    crossOriginServer,
  }) => {
    crossOriginServer.stream('/s/cors', { headers: { 'x-custom': 'cross' }, steps: paced(SPLIT_WRITES, 5) });
    const result = await runs.both(describeResponse, crossOriginServer.url('/s/cors'));
    expect(result.ext).toEqual(result.plain);
    expect(result.plain).toMatchObject({
      url: crossOriginServer.url('/s/cors'),
      type: 'cors',
      body: SPLIT_TEXT,
    });
    expect(result.plain.headers).toContainEqual(['x-custom', 'cross']);
    expect(server.url('/')).not.toBe(crossOriginServer.url('/'));
  });

  test('clone(): the clone has the same url/redirected/type and both branches read the same bytes', async ({
    runs,
    server,
    crossOriginServer,
  }) => {
    server.redirect('/s/clone-moved', '/s/clone');
    server.stream('/s/clone', { steps: paced(SPLIT_WRITES, 10) });
    crossOriginServer.stream('/s/clone-cors', { steps: paced(SPLIT_WRITES, 10) });
    const result = await runs.both(async (corsUrl) => {
      const identity = (r: Response) => ({
        url: r.url,
        redirected: r.redirected,
        type: r.type,
        status: r.status,
      });
      const res = await fetch('/s/clone-moved');
      const copy = res.clone();
      const copyOfCopy = copy.clone();
      const described = {
        original: identity(res),
        copy: identity(copy),
        copyOfCopy: identity(copyOfCopy),
        copyIsResponse: copy instanceof Response,
        copyHeaders: [...copy.headers].filter(([n]) => n !== 'date'),
        distinct: copy !== res && copy.body !== res.body,
        distinctHeaders: [copy.headers === res.headers, copyOfCopy.headers === copy.headers],
        bodyUsedAfterClone: res.bodyUsed,
      };
      // Read the copy to the end first (the original's branch buffers), then the original, then the third.
      const copyChunks = await window.T.drain((copy.body as ReadableStream<Uint8Array>).getReader());
      const originalChunks = await window.T.drain((res.body as ReadableStream<Uint8Array>).getReader());
      const third = await copyOfCopy.text();
      const usedClone = await window.T.settle(() => res.clone());
      const cors = await fetch(corsUrl);
      const corsCopy = cors.clone();
      const corsTexts = [await corsCopy.text(), await cors.text()];
      return {
        ...described,
        copyBytes: copyChunks.flat(),
        originalBytes: originalChunks.flat(),
        third,
        usedClone: usedClone.error ?? 'no error',
        cors: identity(cors),
        corsCopy: identity(corsCopy),
        corsTexts,
      };
    }, crossOriginServer.url('/s/clone-cors'));
    expect(result.ext).toEqual(result.plain);
    const expected = Array.from(Buffer.concat(SPLIT_WRITES));
    expect(result.plain).toMatchObject({
      copy: { url: server.url('/s/clone'), redirected: true, type: 'basic' },
      copyOfCopy: { url: server.url('/s/clone'), redirected: true, type: 'basic' },
      copyBytes: expected,
      originalBytes: expected,
      third: SPLIT_TEXT,
      corsCopy: { type: 'cors' },
      corsTexts: [SPLIT_TEXT, SPLIT_TEXT],
    });
    expect(result.plain.usedClone).toMatchObject({ name: 'TypeError' });
  });

  // ---------------------------------------------------------------------------------------------------
  // Responses the agent must hand over untouched

  test('a non-stream (JSON) response is the browser’s own object, with the same values', async ({
    runs,
    server,
  }) => {
    server.respond('/api/data', {
      headers: { 'content-type': 'application/json', 'x-custom': 'json' },
      body: '{"hello":"wörld"}',
    });
    const result = await runs.both(async () => {
      const res = await fetch('/api/data');
      return {
        ownProperties: Object.getOwnPropertyNames(res),
        ownSymbols: Object.getOwnPropertySymbols(res).length,
        cloneIsNative: res.clone === Response.prototype.clone,
        url: res.url,
        type: res.type,
        status: res.status,
        headers: [...res.headers].filter(([name]) => name !== 'date'),
        json: await res.json(),
      };
    }, null);
    expect(result.ext).toEqual(result.plain);
    expect(result.ext.ownProperties).toHaveLength(0);
    expect(result.ext.cloneIsNative).toBe(true);
    expect(result.plain.json).toEqual({ hello: 'wörld' });
  });

  test('204 and opaque stream responses are the browser’s own objects, untouched; a HEAD response reads the same', async ({
    runs,
    server,
    crossOriginServer,
  }) => {
    server.stream('/s/no-content', { status: 204, steps: [] });
    server.stream('/s/head', { steps: [{ write: TICK }] });
    crossOriginServer.stream('/s/opaque', { steps: [{ write: TICK }] });
    const result = await runs.both(async (opaqueUrl) => {
      const look = (res: Response) => ({
        ownProperties: Object.getOwnPropertyNames(res),
        status: res.status,
        // Chromium gives even a 204 an (empty) body stream.
        body: res.body === null ? null : 'a stream',
        contentType: res.headers.get('content-type'),
        type: res.type,
        url: res.url,
      });
      const noContent = await fetch('/s/no-content');
      const head = await fetch('/s/head', { method: 'HEAD' });
      const { ownProperties: _, ...headSeen } = look(head);
      const opaque = await fetch(opaqueUrl, { mode: 'no-cors' });
      return {
        noContent: look(noContent),
        noContentText: await noContent.text(),
        head: { ...headSeen, text: await head.text() },
        opaque: { ...look(opaque), text: await opaque.text() },
      };
    }, crossOriginServer.url('/s/opaque'));
    expect(result.ext).toEqual(result.plain);
    // Untouched: `new Response(body, { status: 204 })` would throw, so the agent hands the original over.
    expect(result.ext.noContent).toMatchObject({ ownProperties: [], status: 204 });
    expect(result.ext.noContent.contentType).toBe('text/event-stream');
    expect(result.ext.opaque).toMatchObject({
      ownProperties: [],
      type: 'opaque',
      status: 0,
      body: null,
      text: '',
    });
    // Chromium gives a HEAD response an empty body stream, not null, so the agent wraps it: compare
    // what a page sees of it (own properties are covered by the finding test at the end). Firefox
    // gives it none, so there it is untouched.
    expect(result.ext.head).toMatchObject({
      status: 200,
      body: browser === 'chromium' ? 'a stream' : null,
      text: '',
    });
  });

  test('HTTP 500 with an event-stream body: same status, statusText, ok and body', async ({
    runs,
    server,
  }) => {
    server.stream('/s/fail', {
      status: 500,
      steps: paced([utf8('data: {"error":"boom"}\n\n'), utf8('data: bye\n\n')], 10),
    });
    const result = await runs.both(async () => {
      const res = await fetch('/s/fail');
      return {
        status: res.status,
        statusText: res.statusText,
        ok: res.ok,
        type: res.type,
        body: await res.text(),
      };
    }, null);
    expect(result.ext).toEqual(result.plain);
    expect(result.plain).toMatchObject({
      status: 500,
      statusText: 'Internal Server Error',
      ok: false,
      body: 'data: {"error":"boom"}\n\ndata: bye\n\n',
    });
  });

  // ---------------------------------------------------------------------------------------------------
  // Abort, cancel, errors

  test('abort before the response arrives rejects with the same error', async ({ runs, server }) => {
    server.stream('/s/early', { steps: ENDLESS });
    const result = await runs.both(async () => {
      const preAborted = await window.T.settle(() => fetch('/s/early', { signal: AbortSignal.abort() }));
      const controller = new AbortController();
      const pending = fetch('/s/early', { signal: controller.signal });
      controller.abort();
      const abortedRightAway = await window.T.settle(() => pending);
      const reason = new Error('stopped by the page');
      const withReason = new AbortController();
      const pendingWithReason = fetch('/s/early', { signal: withReason.signal });
      withReason.abort(reason);
      let sameReason = false;
      try {
        await pendingWithReason;
      } catch (e) {
        sameReason = e === reason;
      }
      const timedOut = await window.T.settle(() => fetch('/s/early', { signal: AbortSignal.timeout(0) }));
      return { preAborted, abortedRightAway, sameReason, timedOut };
    }, null);
    expect(result.ext).toEqual(result.plain);
    expect(result.plain.preAborted.error).toMatchObject({ name: 'AbortError', isDOMException: true });
    expect(result.plain.abortedRightAway.error).toMatchObject({ name: 'AbortError' });
    expect(result.plain.sameReason).toBe(true);
    expect(result.plain.timedOut.error).toMatchObject({ name: 'TimeoutError' });
  });

  test('abort mid-stream rejects the pending read with the same error, and the server sees the connection close', async ({
    runs,
    server,
  }) => {
    server.stream('/s/abort', { steps: ENDLESS });
    server.stream('/s/abort-reason', { steps: ENDLESS });
    const result = await runs.both(async () => {
      // A read pending when the abort comes.
      const controller = new AbortController();
      const res = await fetch('/s/abort', { signal: controller.signal });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const first = window.T.bytes((await reader.read()).value as Uint8Array);
      const pendingRead = reader.read().then(
        (r) => ({ value: r.done ? 'done' : 'chunk' }),
        (e) => ({ error: window.T.error(e) }),
      );
      controller.abort();
      const pendingOutcome = await pendingRead;
      const nextRead = await window.T.settle(() => reader.read());
      const closed = await window.T.settle(() => reader.closed);

      // Aborted with a reason, between reads: the next read rejects with that very reason.
      const withReason = new AbortController();
      const reason = new DOMException('user pressed stop', 'AbortError');
      const res2 = await fetch('/s/abort-reason', { signal: withReason.signal });
      const reader2 = (res2.body as ReadableStream<Uint8Array>).getReader();
      await reader2.read();
      withReason.abort(reason);
      let sameReason: unknown = 'no rejection';
      try {
        await reader2.read();
      } catch (e) {
        sameReason = e === reason || window.T.error(e);
      }
      return { first, pendingOutcome, nextRead, closed, sameReason, major: window.T.chromiumMajor() };
    }, null);
    expect(result.ext).toEqual(result.plain);
    expect(result.plain.pendingOutcome).toMatchObject({ error: { name: 'AbortError' } });
    expect(result.plain.sameReason).toEqual(
      legacyAbortReads(browser, result.plain.major) ? LEGACY_READ_ABORT : true,
    );
    for (const path of ['/s/abort', '/s/abort-reason']) {
      const [ext, plain] = twoRequests(server, path);
      await ext.stream?.whenClosedByClient;
      await plain.stream?.whenClosedByClient;
      expect(ext.stream?.closedByClient, `${path}: the server saw the extension run's connection close`).toBe(
        true,
      );
    }
  });

  test('abort mid-stream with a reason that has no prototype or a throwing toString: the read rejects with that very reason, and the connection ends', async ({
    runs,
    server,
  }) => {
    server.stream('/s/abort-odd', { steps: ENDLESS });
    const result = await runs.both(async () => {
      const reasons: Record<string, () => unknown> = {
        'no prototype': () => Object.create(null),
        'throwing toString': () => ({
          toString() {
            throw new Error('toString of the reason');
          },
        }),
      };
      const out: Record<string, unknown> = {};
      for (const [name, make] of Object.entries(reasons)) {
        const controller = new AbortController();
        const reason = make();
        const res = await fetch(`/s/abort-odd?${encodeURIComponent(name)}`, { signal: controller.signal });
        const reader = (res.body as ReadableStream<Uint8Array>).getReader();
        await reader.read();
        const pending = reader.read().then(
          () => 'resolved',
          (e) => (e === reason ? 'the reason itself' : window.T.error(e)),
        );
        controller.abort(reason);
        out[name] = await pending;
      }
      return { out, major: window.T.chromiumMajor() };
    }, null);
    expect(result.ext).toEqual(result.plain);
    if (browser === 'chromium') {
      const outcome = legacyAbortReads(browser, result.plain.major) ? LEGACY_READ_ABORT : 'the reason itself';
      expect(result.plain.out).toEqual({ 'no prototype': outcome, 'throwing toString': outcome });
    }
    // The capture saw the end: neither connection stays live.
    const exported = await runs.exportEnded();
    expect(exported.connections.map((c) => c.state)).toEqual(['aborted', 'aborted']);
  });

  // Was a bug: Chromium's whole-body readers of a script-made body report any stream error as
  // "TypeError: Failed to fetch"; the agent now reads the tapped stream itself for text()/json()/….
  test('abort while text()/arrayBuffer() collects the body rejects with the same error', async ({
    runs,
    server,
  }) => {
    server.stream('/s/abort-whole', { steps: ENDLESS });
    const result = await runs.both(async () => {
      const abortDuring = async (read: (res: Response) => Promise<unknown>, reason?: unknown) => {
        const controller = new AbortController();
        const res = await fetch('/s/abort-whole', { signal: controller.signal });
        const pending = read(res);
        setTimeout(() => controller.abort(reason), 30);
        try {
          await pending;
          return 'resolved';
        } catch (e) {
          return reason !== undefined && e === reason ? 'the reason itself' : window.T.error(e);
        }
      };
      return {
        text: await abortDuring((r) => r.text()),
        arrayBuffer: await abortDuring((r) => r.arrayBuffer()),
        textWithReason: await abortDuring((r) => r.text(), new Error('stop')),
      };
    }, null);
    expect(result.plain.text).toMatchObject({ name: 'AbortError', isDOMException: true });
    expect(result.ext).toEqual(result.plain);
  });

  /** Each starts the endless stream at `url`, reads its first chunk (or not), and gives it up its own way. */
  const CANCEL_STYLES: Record<string, (url: string) => Promise<unknown>> = {
    'reader.cancel() mid-stream': async (url) => {
      const res = await fetch(url);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const first = window.T.bytes((await reader.read()).value as Uint8Array);
      const pending = reader.read().then((r) => ({ done: r.done }));
      const cancelled = await window.T.settle(() => reader.cancel('enough'));
      return { first, cancelled, pending: await pending, after: await reader.read(), bodyUsed: res.bodyUsed };
    },
    'res.body.cancel() without a reader': async (url) => {
      const res = await fetch(url);
      const body = res.body as ReadableStream<Uint8Array>;
      const cancelled = await window.T.settle(() => body.cancel());
      return {
        cancelled,
        locked: body.locked,
        bodyUsed: res.bodyUsed,
        text: await window.T.settle(() => res.text()),
      };
    },
    'break out of for await': async (url) => {
      const res = await fetch(url);
      let chunks = 0;
      for await (const _ of res.body as unknown as AsyncIterable<Uint8Array>) if (++chunks === 2) break;
      return { chunks, locked: (res.body as ReadableStream).locked, bodyUsed: res.bodyUsed };
    },
  };

  for (const [style, cancel] of Object.entries(CANCEL_STYLES)) {
    test(`cancel via ${style}: same result, and the server sees the connection close`, async ({
      runs,
      server,
    }) => {
      server.stream('/s/endless', { steps: ENDLESS });
      const result = await runs.both(cancel, '/s/endless');
      expect(result.ext).toEqual(result.plain);
      const [ext, plain] = twoRequests(server, '/s/endless');
      // Resolves only if the browser closed the connection; otherwise the test times out.
      await ext.stream?.whenClosedByClient;
      await plain.stream?.whenClosedByClient;
      expect(ext.stream?.closedByClient).toBe(true);
    });
  }

  test('a network error mid-stream rejects the read with the same error', async ({ runs, server }) => {
    const steps: Step[] = [
      { write: 'data: one\n\n' },
      { pause: 50 },
      { write: 'data: two\n\n' },
      { pause: 50 },
      { destroy: true },
    ];
    server.stream('/s/reset', { steps });
    server.stream('/s/reset-text', { steps });
    const result = await runs.both(async () => {
      const res = await fetch('/s/reset');
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const chunks: number[][] = [];
      let error: ErrorInfo | null = null;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(window.T.bytes(value));
        }
      } catch (e) {
        error = window.T.error(e);
      }
      const closed = await window.T.settle(() => reader.closed);
      const text = await window.T.settle(async () => (await fetch('/s/reset-text')).text());
      return { chunks, error, closed, text };
    }, null);
    expect(result.ext).toEqual(result.plain);
    expect(result.plain.error).toMatchObject({ name: 'TypeError' });
    expect(result.plain.chunks).toHaveLength(2);
  });

  // ---------------------------------------------------------------------------------------------------
  // Backpressure

  /**
   * A server that pushes `chunkBytes` event-stream chunks as fast as the connection takes them, honouring
   * backpressure (it waits for 'drain' whenever `write()` says the socket buffer is full), so the bytes it
   * manages to write are exactly what the client side (kernel buffers, Chromium's network service, the
   * page's stream queues) accepted. The fixture server's `repeat` writes on a timer whether or not the
   * socket drains, so its `chunksWritten` measures time, not how far the client let it run ahead.
   */
  async function startFloodServer(chunkBytes: number) {
    const event = `data: ${'x'.repeat(chunkBytes - 8)}\n\n`;
    interface Flood {
      bytesWritten: number;
      /** Milliseconds since the epoch of the last write the socket accepted. */
      lastProgressAt: number;
      waitingForDrain: boolean;
      closed: Promise<void>;
    }
    const floods: Flood[] = [];
    const server = createServer((req, res: ServerResponse) => {
      if (req.url !== '/flood') {
        res.writeHead(404).end();
        return;
      }
      let closedResolve!: () => void;
      const flood: Flood = {
        bytesWritten: 0,
        lastProgressAt: Date.now(),
        waitingForDrain: false,
        closed: new Promise((r) => {
          closedResolve = r;
        }),
      };
      floods.push(flood);
      let open = true;
      res.on('close', () => {
        open = false;
        closedResolve();
      });
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        'access-control-allow-origin': '*',
      });
      const pump = () => {
        while (open) {
          flood.bytesWritten += event.length;
          flood.lastProgressAt = Date.now();
          if (!res.write(event)) {
            flood.waitingForDrain = true;
            res.once('drain', () => {
              flood.waitingForDrain = false;
              pump();
            });
            return;
          }
        }
      };
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/flood`,
      floods,
      /**
       * The bytes flood `i` had written once it has been stuck waiting for 'drain' for `quietMs` (the
       * client stopped taking), or as soon as it has written more than `maxBytes` (the client never will).
       */
      async stalled(i: number, maxBytes = Number.POSITIVE_INFINITY, quietMs = 400): Promise<number> {
        for (;;) {
          const flood = floods[i];
          if (flood && flood.bytesWritten > maxBytes) return flood.bytesWritten;
          if (flood?.waitingForDrain && Date.now() - flood.lastProgressAt > quietMs)
            return flood.bytesWritten;
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      close: () =>
        new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
    };
  }

  test('backpressure: the tap reads from the body no further than the page does', async ({
    runs,
    server,
  }) => {
    // Seen once in a full Firefox run at the end of a long suite: over 30 s before the server saw the
    // close; alone it takes about 3 s. Give the close time rather than lose the run to it.
    test.setTimeout(60_000);
    // Endless, and faster than the page reads (it reads once): the browser holds what arrives.
    server.stream('/s/ahead', {
      steps: [{ repeat: { write: `data: ${'x'.repeat(1000)}\n\n`, intervalMs: 2 } }],
    });
    const read = await runs.ext.evaluate(async () => {
      const res = await fetch('/s/ahead');
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      window.kept.reader = reader;
      return ((await reader.read()).value as Uint8Array).byteLength;
    }, null);
    await expect.poll(() => server.requestsTo('/s/ahead')[0]?.stream?.chunksWritten).toBeGreaterThan(200);
    await runs.ext.evaluate(() => (window.kept.reader as ReadableStreamDefaultReader).cancel(), null);
    await server.requestsTo('/s/ahead')[0]?.stream?.whenClosedByClient;
    // The relay counts every byte the tap took from the browser's body: exactly the page's one read.
    const [connection, ...others] = (await runs.exportEnded()).connections;
    expect(others).toEqual([]);
    expect(connection).toMatchObject({ state: 'cancelled', bytes: read });
    expect(read).toBeGreaterThan(0);
  });

  // Firefox keeps reading a fetch body into memory while the page does not read (without the
  // extension a page that stopped reading let the server write about 1 GB in 12 s), so there is no
  // stall of the server to compare; the test above covers what the extension could change there.
  if (browser === 'chromium') {
    test('backpressure: a page that stops reading stops the server about as soon as without the extension', async ({
      runs,
    }) => {
      // 64 KiB events, so that the buffers along the way (kernel, network service, stream queues) are
      // measured in chunks rather than in millions of tiny writes.
      const flood = await startFloodServer(64 * 1024);
      try {
        const readOneThenStop = async (url: string) => {
          const res = await fetch(url);
          const reader = (res.body as ReadableStream<Uint8Array>).getReader();
          window.kept.reader = reader;
          return ((await reader.read()).value as Uint8Array).byteLength > 0;
        };
        const cancelKept = () => (window.kept.reader as ReadableStreamDefaultReader).cancel();

        // Without the extension first: it sets the bound the extension run is held to.
        expect(await runs.plain.evaluate(readOneThenStop, flood.url)).toBe(true);
        const without = await flood.stalled(0);
        await runs.plain.evaluate(cancelKept, null);
        await flood.floods[0]?.closed;

        // The server is held back by the same buffers either way (kernel socket buffers, Chromium's network
        // service, the body stream's queue); a tap that pulls only when the page reads adds nothing, and
        // one chunk read ahead would add 64 KiB. Twice the plain figure plus a few chunks leaves room for
        // how the kernel autotunes loopback socket buffers from run to run, and is still far below what a
        // tap reading ahead of the page (or an unread clone()/tee() branch) would let through: that never
        // stalls, so the wait below stops at the bound and the assertion fails.
        const bound = 2 * without + 4 * 64 * 1024;
        expect(await runs.ext.evaluate(readOneThenStop, flood.url)).toBe(true);
        const withExtension = await flood.stalled(1, bound);
        test.info().annotations.push({
          type: 'backpressure',
          description: `bytes the server could write after the page stopped reading: ${withExtension} with the extension, ${without} without`,
        });
        expect(withExtension).toBeLessThanOrEqual(bound);
        await runs.ext.evaluate(cancelKept, null);
        await flood.floods[1]?.closed;
      } finally {
        await flood.close();
      }
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // Calling styles and the function itself

  test('every calling style of fetch behaves the same', async ({ runs, server }) => {
    server.stream('/s/call', { steps: [{ write: 'data: ok\n\n' }] });
    const result = await runs.both(async () => {
      const url = '/s/call';
      const absolute = new URL(url, location.href).href;
      const text = async (p: () => Promise<Response>) =>
        window.T.settle(async () => {
          const res = await p();
          return { status: res.status, url: res.url, text: await res.text() };
        });
      const request = new Request(url, {
        method: 'POST',
        body: 'posted body',
        headers: { 'x-from': 'request' },
      });
      const styles = {
        string: await text(() => fetch(url)),
        absoluteString: await text(() => fetch(absolute)),
        urlObject: await text(() => fetch(new URL(absolute))),
        stringifiable: await text(() => fetch({ toString: () => url } as unknown as string)),
        requestPost: await text(() => fetch(request)),
        requestBodyUsed: request.bodyUsed,
        initPost: await text(() => fetch(url, { method: 'POST', body: new URLSearchParams({ q: 'é' }) })),
        callUndefined: await text(() => fetch.call(undefined, url)),
        callWindow: await text(() => fetch.call(window, url)),
        callGlobalThis: await text(() => window.fetch.call(globalThis, url)),
        detached: await text(() => {
          const f = window.fetch;
          return f(url);
        }),
        callObject: await text(() => fetch.call({}, url)),
        applyDocument: await text(() => Reflect.apply(fetch, document, [url])),
        noArguments: await text(() => (fetch as unknown as () => Promise<Response>)()),
        badUrl: await text(() => fetch('http://[::1')),
        badScheme: await text(() => fetch('ftp://example.invalid/')),
        badMethod: await text(() => fetch(url, { method: 'CONNECT' })),
        getWithBody: await text(() => fetch(url, { method: 'GET', body: 'x' })),
        returnsPromise: fetch(url) instanceof Promise,
      };
      return {
        ...styles,
        length: window.fetch.length,
        descriptor: (({ writable, enumerable, configurable }) => ({ writable, enumerable, configurable }))(
          Object.getOwnPropertyDescriptor(window, 'fetch') as PropertyDescriptor,
        ),
        inWindowProto: 'fetch' in Window.prototype,
      };
    }, null);
    expect(result.ext).toEqual(result.plain);
    expect(result.plain.length).toBe(1);
    expect(result.plain.callObject.error).toMatchObject({ name: 'TypeError' });
    expect(result.plain.requestPost.value).toMatchObject({ status: 200, text: 'data: ok\n\n' });
    const posts = server.requestsTo('/s/call').filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.body)).toEqual(['posted body', 'q=%C3%A9', 'posted body', 'q=%C3%A9']);
    expect(posts[0]?.headers['x-from']).toBe('request');
    expect(posts[2]?.headers['x-from']).toBe('request');
  });

  // Was a bug: the minifier dropped the names of function expressions (fetch.name was "M").
  test('fetch.name and a stream response’s clone.name are the native ones', async ({ runs, server }) => {
    server.stream('/s/names', { steps: [{ write: 'data: ok\n\n' }] });
    const result = await runs.both(async () => {
      const res = await fetch('/s/names');
      return { fetchName: window.fetch.name, cloneName: res.clone.name, cloneLength: res.clone.length };
    }, null);
    expect(result.plain).toEqual({ fetchName: 'fetch', cloneName: 'clone', cloneLength: 0 });
    expect(result.ext).toEqual(result.plain);
  });

  // Was a bug: the wrapper was an ordinary `function`, with a `prototype`, and constructible.
  test('fetch has no prototype and is not a constructor', async ({ runs, server }) => {
    server.stream('/s/ctor', { steps: [{ write: 'data: ok\n\n' }] });
    const result = await runs.both(async () => {
      const construct = await window.T.settle(() => {
        const F = window.fetch as unknown as new (url: string) => unknown;
        return new F('/s/ctor') as never;
      });
      return {
        ownKeys: Reflect.ownKeys(window.fetch).map(String).sort(),
        hasPrototype: 'prototype' in window.fetch,
        construct: construct.error ?? 'constructed',
      };
    }, null);
    expect(result.ext).toEqual(result.plain);
  });

  // Was a bug: `new Response(...)` has mutable headers; the agent now returns the browser's own.
  test('the headers of a stream response are immutable', async ({ runs, server }) => {
    server.stream('/s/headers', { steps: [{ write: 'data: ok\n\n' }] });
    const result = await runs.both(async () => {
      const res = await fetch('/s/headers');
      const set = await window.T.settle(() => res.headers.set('x-added', '1'));
      const del = await window.T.settle(() => res.headers.delete('content-type'));
      return {
        set: set.error ?? 'allowed',
        del: del.error ?? 'allowed',
        contentType: res.headers.get('content-type'),
      };
    }, null);
    expect(result.plain.set).toMatchObject({ name: 'TypeError' });
    expect(result.ext).toEqual(result.plain);
  });

  if (browser === 'chromium') {
    // Known limit (README): a clone of a stream response has headers of its own, as in the browser,
    // but they are a constructed Response's, which accept set(): only the browser makes immutable headers.
    test('Known limit: the headers of a clone of a stream response accept set()', async ({
      runs,
      server,
    }) => {
      server.stream('/s/clone-headers', { steps: [{ write: 'data: ok\n\n' }] });
      const result = await runs.both(async () => {
        const res = await fetch('/s/clone-headers');
        const copy = res.clone();
        const set = await window.T.settle(() => copy.headers.set('x-added', '1'));
        return { distinct: copy.headers !== res.headers, set: set.error?.name ?? 'allowed' };
      }, null);
      expect(result.plain).toEqual({ distinct: true, set: 'TypeError' });
      expect(result.ext).toEqual({ distinct: true, set: 'allowed' });
    });
  }

  // Known limit (README): to record a stream's request, the agent reads `method`, `headers` and `body`
  // of the init dictionary once more after the browser's fetch has, so a page whose init has getters or
  // is a Proxy sees those extra reads, for stream responses only. Non-stream requests are read exactly
  // as by the browser alone.
  test('the init dictionary is read as by the native fetch, but for the documented reads of a stream', async ({
    runs,
    server,
  }) => {
    server.stream('/s/init', { steps: [{ write: 'data: ok\n\n' }] });
    server.respond('/j/init', { headers: { 'content-type': 'application/json' }, body: '{}' });
    const result = await runs.both(async () => {
      const readsOf = async (url: string) => {
        const log: string[] = [];
        const init = new Proxy(
          { method: 'POST', body: 'b', headers: { 'x-a': '1' } },
          {
            get(target, key, receiver) {
              log.push(`get ${String(key)}`);
              return Reflect.get(target, key, receiver);
            },
            has(target, key) {
              log.push(`has ${String(key)}`);
              return Reflect.has(target, key);
            },
          },
        );
        const res = await fetch(url, init);
        await res.text();
        return log;
      };
      return { json: await readsOf('/j/init'), stream: await readsOf('/s/init') };
    }, null);
    expect(result.ext.json).toEqual(result.plain.json);
    expect(result.ext.stream).toEqual([
      ...result.plain.stream,
      'get method',
      'get headers',
      'has body',
      'get body',
    ]);
  });

  // Known limit (README): the Response a page gets for a stream is made by `new Response(tapped body)`,
  // with url, redirected, type, headers, clone and the whole-body readers restored as own,
  // non-enumerable properties; so `Object.getOwnPropertyNames(res)` is not empty, and the prototype's
  // own getters called on it see the constructed Response (url ""). Ordinary use is unaffected.
  test('a stream response: own properties are exactly the restored, non-enumerable ones', async ({
    runs,
    server,
  }) => {
    server.redirect('/s/own-moved', '/s/own');
    server.stream('/s/own', { steps: [{ write: 'data: ok\n\n' }] });
    const result = await runs.both(async () => {
      const res = await fetch('/s/own-moved');
      return {
        own: Object.getOwnPropertyNames(res).sort(),
        enumerable: Object.keys(res),
        url: res.url,
        cloneUrl: res.clone().url,
      };
    }, null);
    expect(result.plain.own).toEqual([]);
    expect(result.ext.own).toEqual(
      [
        'arrayBuffer',
        'blob',
        'bytes',
        'clone',
        'formData',
        'headers',
        'json',
        'redirected',
        'text',
        'type',
        'url',
      ].sort(),
    );
    expect(result.ext.enumerable).toEqual(result.plain.enumerable);
    expect({ ...result.ext, own: [] }).toEqual({ ...result.plain, own: [] });
  });
}
