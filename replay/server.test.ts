/**
 * The replay server, read in Node as an app would: by the `eventsource` package and by fetch + our
 * parser. Timing is checked by its structure, never by a threshold a slow machine could miss: the
 * order of the events, the ratio of the recorded gaps (3:1 here), and the ratio between two speeds
 * (3×), each within a generous band (a late timer delays one write, it cannot reorder or rescale them).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { importProblemText } from '../panel/import-problem';
import { buildHar } from '../src/export/har';
import { readExportText } from '../src/export/read-export';
import { capturedConnection, eventSourceConnection } from '../src/export/test-connections';
import { buildTimedStream } from '../src/export/timed-stream';
import { buildExportFile, type ExportableConnection } from '../src/export/write-export';
import { createStreamTap } from '../src/sse/stream-tap';
import { main } from './cli';
import { replaySchedule } from './schedule';
import { type ReplayServer, startReplayServer } from './server';

const tool = { name: 'SSE DevTools', version: '0.1.0' };

/** Chunks read 20, 620 and 2 420 ms after the request: gaps of 600 and 1 800 ms. */
function pacedConnection(): ExportableConnection {
  const connection = capturedConnection(
    { id: 'k3:1', url: 'https://api.example.com/v1/stream?model=x', method: 'GET', requestBody: null },
    ['id: 1\ndata: a\n\n', 'id: 2\nevent: note\ndata: b\n\n', 'data: c\n\n'],
    0,
  );
  const times = [20, 620, 2420].map((ms) => connection.info.startedAt + ms);
  const chunks = connection.chunks.map((chunk, i) => ({ ...chunk, time: times[i] ?? 0 }));
  const end = connection.end && { ...connection.end, endedAt: connection.info.startedAt + 2430 };
  return { ...connection, chunks, end };
}

interface Arrival {
  type: string;
  id: string;
  data: string;
  at: number;
}

const servers: ReplayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(connections: ExportableConnection[], speed = 1, loop = false) {
  const server = await startReplayServer(connections, { speed, loop });
  servers.push(server);
  return server;
}

/** Reads `url` with the `eventsource` package until `count` events arrived. */
function readWithEventSource(url: string, count: number): Promise<Arrival[]> {
  return new Promise((resolve, reject) => {
    const arrivals: Arrival[] = [];
    const source = new EventSource(url);
    const take = (event: MessageEvent) => {
      arrivals.push({ type: event.type, id: event.lastEventId, data: event.data, at: performance.now() });
      if (arrivals.length === count) {
        source.close();
        resolve(arrivals);
      }
    };
    source.addEventListener('message', take);
    source.addEventListener('note', take);
    source.onerror = (error) => {
      source.close();
      reject(new Error(`EventSource failed: ${error.message ?? error.type}`));
    };
  });
}

/** Reads `url` with fetch, parsing each chunk with our parser as it arrives. */
async function readWithFetch(url: string, init?: RequestInit): Promise<Arrival[]> {
  const response = await fetch(url, init);
  const tap = createStreamTap('sse');
  const arrivals: Arrival[] = [];
  const reader = response.body?.getReader();
  for (;;) {
    const { value, done } = (await reader?.read()) ?? { done: true, value: undefined };
    const at = performance.now();
    const records = done ? tap.finish(at, true) : tap.push(value, at);
    for (const r of records)
      if (r.kind === 'event') arrivals.push({ type: r.type, id: r.id, data: r.data, at });
    if (done) return arrivals;
  }
}

const events = (arrivals: Arrival[]) => arrivals.map(({ type, id, data }) => ({ type, id, data }));
const gaps = (arrivals: Arrival[]) => arrivals.slice(1).map((a, i) => a.at - (arrivals[i]?.at ?? 0));
const CAPTURED = [
  { type: 'message', id: '1', data: 'a' },
  { type: 'note', id: '2', data: 'b' },
  { type: 'message', id: '2', data: 'c' },
];

describe('replaySchedule', () => {
  it('puts each chunk at its recorded time since the request, divided by the speed', () => {
    const schedule = replaySchedule(pacedConnection(), 2);
    expect(schedule.writes.map((w) => w.atMs)).toEqual([10, 310, 1210]);
    expect(schedule.writes.map((w) => w.text).join('')).toBe(
      'id: 1\ndata: a\n\nid: 2\nevent: note\ndata: b\n\ndata: c\n\n',
    );
    expect(schedule.endAtMs).toBe(1215);
    expect(schedule).toMatchObject({ status: 200, statusText: 'OK', ending: 'end' });
  });

  it('sends the recorded headers but not the framing a new body no longer has', () => {
    const connection = pacedConnection();
    connection.info.responseHeaders = {
      'content-type': 'text/event-stream',
      'content-length': '99',
      'content-encoding': 'gzip',
      'x-request-id': 'r1',
    };
    expect(replaySchedule(connection, 1).headers).toEqual({
      'content-type': 'text/event-stream',
      'x-request-id': 'r1',
    });
  });

  it('cuts the connection where the page saw a network error, not where it saw an HTTP error', () => {
    const failed = capturedConnection({ id: 'e:1' }, ['data: a\n\n'], 10, 'error');
    expect(replaySchedule(failed, 1).ending).toBe('reset');
    const http = { ...failed, end: failed.end && { ...failed.end, error: 'HTTP 503 Service Unavailable' } };
    expect(replaySchedule(http, 1).ending).toBe('end');
  });

  it('serves a native EventSource as 200 text/event-stream, and unknown times at once', () => {
    const es = replaySchedule(eventSourceConnection(), 1);
    expect(es).toMatchObject({ status: 200, headers: { 'content-type': 'text/event-stream' } });
    expect(es.writes.map((w) => w.atMs)).toEqual([30, 120]);
    const connection = pacedConnection();
    const unknown = { ...connection, info: { ...connection.info, timesUnknown: true as const } };
    expect(replaySchedule(unknown, 1).writes.map((w) => w.atMs)).toEqual([0, 0, 0]);
  });
});

describe('replay server', () => {
  it('serves the captured events, read by the eventsource package and by fetch + our parser, spaced as recorded and scaled by the speed', async () => {
    const connection = pacedConnection();
    const atSpeed1 = await serve([connection], 1);
    const atSpeed3 = await serve([connection], 3);
    const route = atSpeed1.routes[0];
    expect(route).toMatchObject({ method: 'GET', path: '/v1/stream?model=x' });

    const bySource = await readWithEventSource(`${atSpeed1.origin}/v1/stream?model=x`, 3);
    const byFetch = await readWithFetch(`${atSpeed3.origin}/v1/stream?model=x`);
    // The package reports an event's own `id:` as its lastEventId ('' for a block without one), where
    // the standard (and our parser) keep the last one in force, so its ids are compared per block.
    expect(events(bySource)).toEqual(CAPTURED.map((e, i) => (i === 2 ? { ...e, id: '' } : e)));
    expect(events(byFetch)).toEqual(CAPTURED);

    // Recorded gaps 600 and 1 800 ms: the second is three times the first, at either speed (at 3×,
    // 200 and 600 ms; the bands hold with any one write 150 ms late on a loaded machine).
    for (const arrivals of [bySource, byFetch]) {
      const [first = 0, second = 0] = gaps(arrivals);
      expect(second / first).toBeGreaterThan(1.2);
      expect(second / first).toBeLessThan(8);
    }
    // Three times as fast: the whole span (2 400 ms recorded) shrinks about three times.
    const span = (arrivals: Arrival[]) => (arrivals.at(-1)?.at ?? 0) - (arrivals[0]?.at ?? 0);
    expect(span(bySource) / span(byFetch)).toBeGreaterThan(1.5);
    expect(span(bySource) / span(byFetch)).toBeLessThan(6);
  }, 30_000);

  it('answers at the recorded method and path, ignoring an unknown query, and says what it serves otherwise', async () => {
    const server = await serve([pacedConnection()], 50);
    expect(events(await readWithFetch(`${server.origin}/v1/stream?model=other`))).toEqual(CAPTURED);
    const missing = await fetch(`${server.origin}/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe(
      'Nothing was captured at GET /nothing. This replay serves:\nGET /v1/stream?model=x\n',
    );
    const post = await fetch(`${server.origin}/v1/stream?model=x`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(404);
  });

  it('replays the recorded status and headers, and a network error as a cut connection', async () => {
    const failed = capturedConnection(
      {
        id: 'e:1',
        url: 'https://x.test/fail',
        method: 'GET',
        requestBody: null,
        status: 201,
        statusText: 'Made',
      },
      ['data: a\n\n'],
      10,
      'error',
    );
    const server = await serve([failed], 10);
    const response = await fetch(`${server.origin}/fail`);
    expect([response.status, response.statusText]).toEqual([201, 'Made']);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('set-cookie')).toBe('session=abc');
    await expect(response.text()).rejects.toThrow();
  });

  it('with --loop, starts the stream again when it ends', async () => {
    const server = await serve([pacedConnection()], 40, true);
    const controller = new AbortController();
    const response = await fetch(`${server.origin}/v1/stream?model=x`, { signal: controller.signal });
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while ((text.match(/data: c/g) ?? []).length < 2) text += (await reader?.read())?.value ?? '';
    controller.abort();
    expect(
      text.startsWith('id: 1\ndata: a\n\nid: 2\nevent: note\ndata: b\n\ndata: c\n\nid: 1\ndata: a'),
    ).toBe(true);
  });
});

describe('npm run replay', () => {
  async function fileWith(name: string, text: string): Promise<string> {
    const path = join(await mkdtemp(join(tmpdir(), 'sse-replay-')), name);
    await writeFile(path, text);
    return path;
  }
  const io = () => {
    const out: string[] = [];
    const error: string[] = [];
    return { out, error, io: { out: (l: string) => out.push(l), error: (l: string) => error.push(l) } };
  };

  it('reads our export, a HAR and a timed stream, and prints the URLs it serves', async () => {
    const connections = [pacedConnection()];
    const files = [
      await fileWith('capture.json', JSON.stringify(buildExportFile(connections, { tool }))),
      await fileWith('capture.har', JSON.stringify(buildHar(connections, { tool }))),
      await fileWith('capture.jsonl', buildTimedStream(connections)),
    ];
    for (const file of files) {
      const { out, io: streams } = io();
      const close = await main([file, '--speed', '100'], streams);
      if (typeof close === 'number') throw new Error(`refused ${file}`);
      try {
        expect(out[0]).toMatch(/^Replaying 1 connection of capture\.\w+ at 100× speed:$/);
        const url = out[1]?.trim().split(/\s+/)[1] ?? '';
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/stream\?model=x$/);
        expect(events(await readWithFetch(url))).toEqual(CAPTURED);
        expect(out.at(-1)).toBe('Press Ctrl+C to stop.');
      } finally {
        await close();
      }
    }
  });

  it('refuses a bad file with the reason the panel gives, and bad options with the usage', async () => {
    const broken = await fileWith('broken.har', '{"log":{"entries":[]}}');
    const { error, io: streams } = io();
    expect(await main([broken], streams)).toBe(1);
    const problem = readExportText('{"log":{"entries":[]}}', 22);
    if (problem.ok) throw new Error('expected a refusal');
    expect(error).toEqual([importProblemText('broken.har', problem.problem)]);
    expect(error[0]).toBe(
      'broken.har was not imported: none of its 0 HAR entries is an event stream or NDJSON response.',
    );

    const bad = io();
    expect(await main([broken, '--speed=-1'], bad.io)).toBe(2);
    expect(bad.error[0]).toMatch(/^--speed -1: not a positive number\.\n\nUsage: npm run replay -- FILE/);
    const none = io();
    expect(await main([join(tmpdir(), 'no-such-file.har')], none.io)).toBe(1);
    expect(none.error[0]).toMatch(/no-such-file\.har cannot be read: ENOENT/);
  });

  it('runs as `npm run replay -- FILE --port N`, serves, and stops on Ctrl+C (SIGINT)', async () => {
    const file = await fileWith('capture.jsonl', buildTimedStream([pacedConnection()]));
    const child = spawn(process.execPath, ['replay/run.mjs', file, '--port', '0', '--speed', '100'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (data) => {
      out += data;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    while (!out.includes('Press Ctrl+C to stop.')) {
      const code = await Promise.race([exited, new Promise((r) => setTimeout(r, 100, 'running'))]);
      if (code !== 'running') throw new Error(`replay exited (${code}) before serving: ${out}`);
    }
    const url = /http:\/\/\S+/.exec(out)?.[0] ?? '';
    expect(events(await readWithFetch(url))).toEqual(CAPTURED);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);
});
