/**
 * The replay server: serves captured connections over real HTTP at their method and path, with the
 * recorded status, headers and chunk timing (scaled by a speed), so an app, a Playwright test or
 * `curl` can read a captured stream outside the browser. `npm run replay` (replay/cli.ts) runs it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExportableConnection } from '../src/export/write-export';
import { type ReplaySchedule, replaySchedule } from './schedule';

export interface ReplayOptions {
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  /** Address to listen on; loopback by default. */
  host?: string;
  /** Chunk times are divided by this (2 = twice as fast). */
  speed?: number;
  /** Replay each stream again from its start when it ends, until the client goes away. */
  loop?: boolean;
}

/** One connection as the server serves it. */
export interface ReplayRoute {
  method: string;
  /** Path and query, as requested. */
  path: string;
  /** The full URL on this server. */
  url: string;
  /** The captured connection's id. */
  id: string;
}

export interface ReplayServer {
  /** `http://host:port`. */
  origin: string;
  routes: ReplayRoute[];
  close(): Promise<void>;
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url.startsWith('/') ? url : `/${url}`;
  }
}

const CORS_ALLOW = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': '*',
  'access-control-allow-headers': '*',
  'access-control-expose-headers': '*',
};

/**
 * Sends one schedule: headers at once, each write at its time, then the end (or a reset). With
 * `loop`, starts the body again after its end. Stops when the client goes away.
 */
function serve(response: ServerResponse, schedule: ReplaySchedule, loop: boolean): void {
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  response.on('close', () => {
    closed = true;
    for (const timer of timers) clearTimeout(timer);
  });
  // Each write is its own TCP segment at once, as the server that was recorded sent it.
  response.socket?.setNoDelay(true);
  const headers: Record<string, string> = { ...schedule.headers };
  // A page on another origin may read the replay too (the app under test usually is one).
  if (!('access-control-allow-origin' in headers)) Object.assign(headers, CORS_ALLOW);
  response.writeHead(schedule.status, schedule.statusText, headers);
  response.flushHeaders();

  const at = (delayMs: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) action();
    }, delayMs);
    timers.add(timer);
  };
  const round = (startedAt: number) => {
    // Times are absolute from the round's start, so a late timer does not push back the ones after it.
    const sinceStart = () => performance.now() - startedAt;
    for (const write of schedule.writes) {
      at(Math.max(0, write.atMs - sinceStart()), () => response.write(write.text));
    }
    at(Math.max(0, schedule.endAtMs - sinceStart()), () => {
      if (loop && schedule.writes.length > 0) round(performance.now());
      else if (schedule.ending === 'reset') response.destroy();
      else response.end();
    });
  };
  round(performance.now());
}

/**
 * Starts serving `connections`. A request is answered by the connection recorded at its method and
 * path (with the query, else without it); several recorded at the same place are served in their
 * recorded order, one per request, starting again after the last.
 */
export async function startReplayServer(
  connections: readonly ExportableConnection[],
  options: ReplayOptions = {},
): Promise<ReplayServer> {
  const speed = options.speed ?? 1;
  const loop = options.loop ?? false;
  const byPlace = new Map<string, ExportableConnection[]>();
  const add = (key: string, connection: ExportableConnection) => {
    const list = byPlace.get(key) ?? [];
    list.push(connection);
    byPlace.set(key, list);
  };
  for (const connection of connections) {
    const path = pathOf(connection.info.url);
    const method = connection.info.method.toUpperCase();
    add(`${method} ${path}`, connection);
    const bare = path.split('?')[0] ?? path;
    if (bare !== path) add(`${method} ${bare}?*`, connection);
  }
  const served = new Map<string, number>();

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const method = (request.method ?? 'GET').toUpperCase();
    const path = request.url ?? '/';
    if (method === 'OPTIONS') {
      response.writeHead(204, CORS_ALLOW).end();
      return;
    }
    const key = byPlace.has(`${method} ${path}`) ? `${method} ${path}` : `${method} ${path.split('?')[0]}?*`;
    const candidates = byPlace.get(key);
    if (!candidates?.length) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...CORS_ALLOW });
      response.end(
        `Nothing was captured at ${method} ${path}. This replay serves:\n${routes
          .map((route) => `${route.method} ${route.path}`)
          .join('\n')}\n`,
      );
      return;
    }
    const count = served.get(key) ?? 0;
    served.set(key, count + 1);
    const connection = candidates[count % candidates.length] as ExportableConnection;
    // The body is read and dropped: a replay answers from the capture, whatever was sent.
    request.resume();
    serve(response, replaySchedule(connection, speed), loop);
  }

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const origin = `http://${host}:${port}`;
  const routes: ReplayRoute[] = connections.map((connection) => {
    const path = pathOf(connection.info.url);
    return {
      method: connection.info.method.toUpperCase(),
      path,
      url: `${origin}${path}`,
      id: connection.info.id,
    };
  });
  return {
    origin,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
