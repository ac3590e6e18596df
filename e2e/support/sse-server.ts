/**
 * Loopback HTTP server for end-to-end tests: serves test pages and scripted event streams whose chunk
 * boundaries, pauses, stalls and failures the test controls.
 *
 * Why not Playwright's `route.fulfill`: it delivers a whole body at once, so it cannot exercise chunk
 * boundaries, a stream the page cancels, or a connection reset mid-stream.
 *
 * One instance is one origin (`http://127.0.0.1:<port>`); start a second instance for cross-origin tests.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder served at `/pages/<name>`. */
export const PAGES_DIR = fileURLToPath(new URL('../pages/', import.meta.url));

/** One step of a scripted stream; the steps run in order, each write is sent as its own chunk. */
export type Step =
  /** Send these bytes (a string is sent as UTF-8) as one chunk. */
  | { write: string | Uint8Array }
  /** Wait this many milliseconds. */
  | { pause: number }
  /** Wait until the test calls `server.release(name)` (immediately if it already did). */
  | { waitFor: string }
  /** End the response normally (also implied after the last step). */
  | { end: true }
  /** Reset the connection mid-stream (TCP RST): the client sees a network error, not an end. */
  | { destroy: true }
  /** Send `write` every `intervalMs`, `count` times or, without `count`, until the client goes away. */
  | { repeat: { write: string | Uint8Array; intervalMs: number; count?: number } }
  /**
   * Send the events `data: <n>\n\n` for n = 1…`count`, `perSecond` of them a second (one chunk per
   * FLOOD_TICK_MS), waiting whenever the client reads slower: a flood whose every byte a page can check.
   */
  | { flood: { count: number; perSecond: number } };

/** How often a `flood` step writes. */
export const FLOOD_TICK_MS = 10;

export interface StreamScript {
  /** Default 200. */
  status?: number;
  /**
   * Response headers. Default `content-type: text/event-stream` and `cache-control: no-store`; headers
   * given here are added to (or, by the same lower-case name, replace) the defaults.
   */
  headers?: Record<string, string>;
  steps: Step[];
}

/** How a scripted stream's connection ended. */
export type StreamOutcome =
  /** The script ran to its end (or an `end` step) and the response ended normally. */
  | 'completed'
  /** The client closed the connection before the script ended (the page cancelled or aborted). */
  | 'closed-by-client'
  /** A `destroy` step reset the connection. */
  | 'destroyed'
  /** `server.reset()` or `server.close()` cut it off. */
  | 'server-closed';

export interface StreamRecord {
  /** True once the client closed the connection before the script ended. */
  readonly closedByClient: boolean;
  /** Resolves when the client closes the connection before the script ended; never otherwise. */
  readonly whenClosedByClient: Promise<void>;
  /** Always settles, with how the connection ended. */
  readonly outcome: Promise<StreamOutcome>;
  /** Chunks written so far (a `repeat` counts each of its writes). */
  readonly chunksWritten: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as requested (`/sse?x=1`). */
  url: string;
  /** Path without the query. */
  path: string;
  headers: IncomingMessage['headers'];
  /** Request body decoded as UTF-8 ('' when there is none). */
  body: string;
  /** Milliseconds since the epoch when the request arrived. */
  receivedAt: number;
  /** Set when the request was answered by a scripted stream. */
  stream?: StreamRecord;
}

/** A fixed response (JSON, a non-streamed body, an error status...). */
export interface FixedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * A request handler of the test's own (an SDK's server transport); it gets the body already read
 * (the server records every request), as text.
 */
export type RequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
) => void | Promise<void>;

type Route =
  | { kind: 'handler'; handler: RequestHandler }
  | { kind: 'stream'; script: StreamScript }
  | { kind: 'fixed'; response: FixedResponse }
  | { kind: 'redirect'; to: string; status: number };

export interface SseServerOptions {
  /**
   * Answer every request with `access-control-allow-origin: *` (and expose all headers), and answer
   * CORS preflights (`OPTIONS`) with 204, so pages on another origin may read this server's streams.
   * Default false, so a test can also show what happens without CORS.
   */
  cors?: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

class Cancelled extends Error {}

/** A settle-once signal with a latch, used for `waitFor` steps and for cutting a script short. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export class SseServer {
  /** Every request since the last `reset()`, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  readonly origin: string;

  private readonly routes = new Map<string, Route>();
  private readonly releases = new Map<string, ReturnType<typeof deferred<void>>>();
  private readonly sockets = new Set<Socket>();
  /** Cut-offs of the scripted streams still running, so reset/close can end them. */
  private readonly running = new Set<() => void>();
  private readonly requestWaiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    private readonly options: SseServerOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
  }

  static async start(options: SseServerOptions = {}): Promise<SseServer> {
    let instance: SseServer | undefined;
    const server = createServer((req, res) => {
      instance?.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    // Tests open and cancel many connections; without this, reset() cannot cut idle keep-alive sockets.
    server.on('connection', (socket) => {
      instance?.sockets.add(socket);
      socket.on('close', () => instance?.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    instance = new SseServer(server, options);
    return instance;
  }

  /** Absolute URL of a path on this server: `server.url('/sse')` → `http://127.0.0.1:1234/sse`. */
  url(path: string): string {
    return new URL(path, this.origin).href;
  }

  /** Serve `html` at `path` (exact path; a query string is ignored when matching). */
  page(path: string, html: string): this {
    return this.respond(path, { headers: { 'content-type': CONTENT_TYPES['.html'] as string }, body: html });
  }

  /** Serve a fixed response at `path` for any method. */
  respond(path: string, response: FixedResponse): this {
    this.routes.set(routeKey(path), { kind: 'fixed', response });
    return this;
  }

  /** Run `script` for every request to `path` (any method); each request gets its own run. */
  stream(path: string, script: StreamScript): this {
    this.routes.set(routeKey(path), { kind: 'stream', script });
    return this;
  }

  /** Answer every request to `path` with `handler` (a library's own server, such as MCP's transport). */
  route(path: string, handler: RequestHandler): this {
    this.routes.set(routeKey(path), { kind: 'handler', handler });
    return this;
  }

  /** Redirect `from` to `to` (a path on this server or an absolute URL). */
  redirect(from: string, to: string, status = 302): this {
    this.routes.set(routeKey(from), { kind: 'redirect', to, status });
    return this;
  }

  /** Let every `{ waitFor: name }` step continue, including ones reached later. */
  release(name: string): void {
    this.releaseSignal(name).resolve();
  }

  /** Requests to `path` (query ignored) so far. */
  requestsTo(path: string): RecordedRequest[] {
    const key = routeKey(path);
    return this.requests.filter((r) => r.path === key);
  }

  /** Resolves with the first request (already received or not) to `path` that matches `predicate`. */
  async waitForRequest(
    path: string,
    {
      timeout = 5000,
      predicate = () => true,
    }: { timeout?: number; predicate?: (r: RecordedRequest) => boolean } = {},
  ): Promise<RecordedRequest> {
    const find = () => this.requestsTo(path).find(predicate);
    const found = find();
    if (found) return found;
    return new Promise<RecordedRequest>((resolve, reject) => {
      const check = () => {
        const hit = find();
        if (!hit) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.requests.map((r) => `${r.method} ${r.url}`).join(', ') || 'none';
        reject(new Error(`no request to ${path} within ${timeout} ms (requests: ${seen})`));
      }, timeout);
      const cleanup = () => {
        clearTimeout(timer);
        this.requestWaiters.delete(check);
      };
      this.requestWaiters.add(check);
    });
  }

  /** Forget routes, releases and recorded requests; cut off running streams and idle connections. */
  reset(): void {
    for (const cut of this.running) cut();
    this.running.clear();
    for (const socket of this.sockets) socket.destroy();
    this.routes.clear();
    this.releases.clear();
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    for (const cut of this.running) cut();
    this.running.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private releaseSignal(name: string) {
    let signal = this.releases.get(name);
    if (!signal) {
      signal = deferred<void>();
      this.releases.set(name, signal);
    }
    return signal;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      url: url.pathname + url.search,
      path: url.pathname,
      headers: req.headers,
      body: '',
      receivedAt: Date.now(),
    };
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    record.body = Buffer.concat(chunks).toString('utf8');
    this.requests.push(record);
    for (const check of [...this.requestWaiters]) check();

    if (this.options.cors) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-expose-headers', '*');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': '*',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
          'access-control-max-age': '0',
        });
        res.end();
        return;
      }
    }

    const route = this.routes.get(url.pathname);
    if (route?.kind === 'handler') return route.handler(req, res, record.body);
    if (route?.kind === 'stream') return this.runStream(req, res, route.script, record);
    if (route?.kind === 'fixed') {
      res.writeHead(route.response.status ?? 200, route.response.headers ?? {});
      res.end(route.response.body ?? '');
      return;
    }
    if (route?.kind === 'redirect') {
      res.writeHead(route.status, { location: route.to, 'cache-control': 'no-store' });
      res.end();
      return;
    }
    if (url.pathname.startsWith('/pages/'))
      return this.servePageFile(url.pathname.slice('/pages/'.length), res);
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`no route for ${url.pathname}`);
  }

  private async servePageFile(name: string, res: ServerResponse): Promise<void> {
    const file = normalize(join(PAGES_DIR, decodeURIComponent(name)));
    if (!file.startsWith(PAGES_DIR.endsWith(sep) ? PAGES_DIR : PAGES_DIR + sep)) {
      res.writeHead(403).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`no page ${name} in e2e/pages/`);
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(body);
  }

  private async runStream(
    req: IncomingMessage,
    res: ServerResponse,
    script: StreamScript,
    record: RecordedRequest,
  ): Promise<void> {
    const socket = req.socket;
    // Without this, Nagle's algorithm may merge consecutive small writes into one TCP segment.
    socket.setNoDelay(true);

    const outcome = deferred<StreamOutcome>();
    const clientClosed = deferred<void>();
    const cut = deferred<StreamOutcome>();
    let settled = false;
    let chunksWritten = 0;
    let closedByClient = false;
    record.stream = {
      get closedByClient() {
        return closedByClient;
      },
      whenClosedByClient: clientClosed.promise,
      outcome: outcome.promise,
      get chunksWritten() {
        return chunksWritten;
      },
    };
    const settle = (how: StreamOutcome) => {
      if (settled) return;
      settled = true;
      this.running.delete(cutOff);
      if (how === 'closed-by-client') {
        closedByClient = true;
        clientClosed.resolve();
      }
      outcome.resolve(how);
      cut.resolve(how);
    };
    const cutOff = () => {
      settle('server-closed');
      socket.destroy();
    };
    this.running.add(cutOff);
    // 'close' on the response fires when the underlying connection closes; if we had not finished
    // writing by then, the client went away (reader.cancel(), AbortController, tab closed).
    res.on('close', () => {
      if (!res.writableEnded) settle('closed-by-client');
    });

    const headers: Record<string, string> = {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
    };
    for (const [name, value] of Object.entries(script.headers ?? {})) headers[name.toLowerCase()] = value;
    res.writeHead(script.status ?? 200, headers);
    // Send the head now, so the page's fetch resolves before the first event (or a waitFor) arrives.
    res.flushHeaders();

    /** Resolve after `ms`, or throw Cancelled as soon as the stream is over. */
    const sleep = async (ms: number) => {
      let timer: NodeJS.Timeout | undefined;
      const won = await Promise.race([
        new Promise<'timer'>((r) => {
          timer = setTimeout(() => r('timer'), ms);
        }),
        cut.promise,
      ]);
      clearTimeout(timer);
      if (won !== 'timer') throw new Cancelled();
    };
    const write = (data: string | Uint8Array) => {
      if (settled) throw new Cancelled();
      res.write(data);
      chunksWritten++;
    };

    try {
      for (const step of script.steps) {
        if (settled) throw new Cancelled();
        if ('write' in step) write(step.write);
        else if ('pause' in step) await sleep(step.pause);
        else if ('waitFor' in step) {
          const won = await Promise.race([this.releaseSignal(step.waitFor).promise, cut.promise]);
          if (won !== undefined) throw new Cancelled();
        } else if ('end' in step) break;
        else if ('destroy' in step) {
          settle('destroyed');
          // RST rather than FIN, so the client sees an error, not a (truncated) normal end.
          socket.resetAndDestroy();
          return;
        } else if ('flood' in step) {
          const { count, perSecond } = step.flood;
          const started = Date.now();
          let sent = 0;
          while (sent < count) {
            const due = Math.min(
              count,
              Math.ceil(((Date.now() - started + FLOOD_TICK_MS) * perSecond) / 1000),
            );
            let chunk = '';
            while (sent < due) chunk += `data: ${++sent}\n\n`;
            if (chunk) write(chunk);
            // Backpressure: do not queue more than the client takes.
            if (res.writableNeedDrain)
              await Promise.race([new Promise((r) => res.once('drain', r)), cut.promise]);
            await sleep(FLOOD_TICK_MS);
          }
        } else if ('repeat' in step) {
          const { write: data, intervalMs, count } = step.repeat;
          for (let i = 0; count === undefined || i < count; i++) {
            if (i > 0) await sleep(intervalMs);
            write(data);
          }
        }
      }
      if (settled) throw new Cancelled();
      res.end();
      settle('completed');
    } catch (error) {
      if (!(error instanceof Cancelled)) throw error;
    }
  }
}

function routeKey(path: string): string {
  return new URL(path, 'http://x').pathname;
}

/** Start a server on 127.0.0.1 with an OS-chosen port. */
export function startSseServer(options?: SseServerOptions): Promise<SseServer> {
  return SseServer.start(options);
}
