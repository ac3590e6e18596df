/**
 * Loopback server for the benchmark (node:http on 127.0.0.1): pages, small JSON, and event streams
 * written as fast as the socket takes them or at a fixed event rate.
 *
 * Bodies are built once and cached, so the server's own cost is a memcpy into the socket and is the
 * same for runs with and without the extension.
 */
import { createServer } from 'node:http';

/** Bytes of one generated event, `id:` and blank line included. */
export const EVENT_BYTES = 100;
/** Largest write to the socket. */
const WRITE_CHUNK = 64 * 1024;

const HTML = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
const SSE = { 'content-type': 'text/event-stream', 'cache-control': 'no-store' };

/**
 * One SSE event of exactly `EVENT_BYTES` bytes: `id: <seq>\ndata: {"seq":<seq>,"pad":"xx…"}\n\n`.
 * @param {number} seq
 */
export function eventText(seq) {
  const head = `id: ${seq}\ndata: {"seq":${seq},"pad":"`;
  const tail = '"}\n\n';
  return head + 'x'.repeat(Math.max(0, EVENT_BYTES - head.length - tail.length)) + tail;
}

/** @type {Map<number, Buffer>} */
const bodies = new Map();

/**
 * `count` events, seq 1..count, as one buffer (cached).
 * @param {number} count
 */
export function eventsBody(count) {
  let body = bodies.get(count);
  if (!body) {
    const parts = [];
    for (let seq = 1; seq <= count; seq++) parts.push(eventText(seq));
    body = Buffer.from(parts.join(''), 'utf8');
    bodies.set(count, body);
  }
  return body;
}

/**
 * A stream with one large JSON event (seq `small + 1`) between `small` small events on each side.
 * @param {number} bytes approximate size of the large event's data
 */
function bigEventBody(bytes, small = 10) {
  const items = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const item = `{"i":${i},"name":"item ${i}","value":${(i * 0.001).toFixed(3)},"ok":${i % 2 === 0}}`;
    items.push(item);
    size += item.length + 1;
  }
  const data = `{"seq":${small + 1},"items":[${items.join(',')}]}`;
  const before = [];
  for (let seq = 1; seq <= small; seq++) before.push(eventText(seq));
  const after = [];
  for (let seq = small + 2; seq <= 2 * small + 1; seq++) after.push(eventText(seq));
  return {
    body: Buffer.from(`${before.join('')}id: ${small + 1}\ndata: ${data}\n\n${after.join('')}`, 'utf8'),
    dataChars: data.length,
  };
}

/**
 * Writes `body` in `WRITE_CHUNK` slices, waiting for 'drain' whenever the socket buffer is full.
 * @param {import('node:http').ServerResponse} res
 * @param {Buffer} body
 */
function writeWithBackpressure(res, body) {
  let offset = 0;
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  const next = () => {
    while (offset < body.length) {
      if (closed) return;
      const end = Math.min(offset + WRITE_CHUNK, body.length);
      const ok = res.write(body.subarray(offset, end));
      offset = end;
      if (!ok) {
        res.once('drain', next);
        return;
      }
    }
    res.end();
  };
  next();
}

/**
 * Writes events seq 1..count at `rate` events per second, measured from the first write: every
 * ~1 ms it writes all events that are due, so a late timer catches up instead of slowing the rate.
 * @param {import('node:http').ServerResponse} res
 * @param {number} count
 * @param {number} rate
 */
function writeAtRate(res, count, rate) {
  let sent = 0;
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  const start = performance.now();
  const tick = () => {
    if (closed) return;
    const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    if (due > sent) {
      let text = '';
      for (let seq = sent + 1; seq <= due; seq++) text += eventText(seq);
      res.write(text);
      sent = due;
    }
    if (sent >= count) res.end();
    else setTimeout(tick, 1);
  };
  tick();
}

/**
 * @param {number} frames
 * @param {string} tag
 */
function framesPage(frames, tag) {
  const iframes = Array.from(
    { length: frames },
    (_, i) => `<iframe src="/frame?i=${i}&r=${tag}" width="200" height="80"></iframe>`,
  ).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>frames</title></head>
<body><h1>Page with ${frames} iframes</h1>
${iframes}
<script>document.body.dataset.inline = 'ran';</script>
</body></html>`;
}

/**
 * @typedef {object} BenchServer
 * @property {string} origin  `http://127.0.0.1:<port>`
 * @property {(path: string) => string} url
 * @property {number} bigEventChars  data length of the large event at `/sse/big-event`
 * @property {() => Promise<void>} close
 */

/**
 * Routes:
 * - `/blank?…` an empty HTML page
 * - `/frames?n=20&r=<tag>` a page with n iframes of `/frame?i=k`
 * - `/json?i=<n>` a small JSON object
 * - `/sse/fast?count=<n>` n events, written as fast as the socket takes them
 * - `/sse/rate?count=<n>&rate=<per second>` n events at a fixed rate
 * - `/sse/big-event` 10 small events, one ~2 MB JSON event, 10 small events
 * @param {{ bigEventBytes?: number }} [options]
 * @returns {Promise<BenchServer>}
 */
export async function startBenchServer({ bigEventBytes = 2 * 1024 * 1024 } = {}) {
  const bigEvent = bigEventBody(bigEventBytes);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const param = (/** @type {string} */ name, /** @type {number} */ fallback) => {
      const value = Number(url.searchParams.get(name));
      return Number.isFinite(value) && value > 0 ? value : fallback;
    };
    req.socket.setNoDelay(true);
    switch (url.pathname) {
      case '/blank':
        res
          .writeHead(200, HTML)
          .end('<!doctype html><html><head><title>bench</title></head><body></body></html>');
        return;
      case '/frames':
        res.writeHead(200, HTML).end(framesPage(param('n', 20), url.searchParams.get('r') ?? ''));
        return;
      case '/frame':
        res
          .writeHead(200, HTML)
          .end(`<!doctype html><html><body><p>frame ${url.searchParams.get('i') ?? ''}</p></body></html>`);
        return;
      case '/json':
        res
          .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(`{"i":${param('i', 0)},"ok":true,"items":[1,2,3]}`);
        return;
      case '/sse/fast': {
        const body = eventsBody(param('count', 1000));
        res.writeHead(200, { ...SSE, 'content-length': String(body.length) });
        writeWithBackpressure(res, body);
        return;
      }
      case '/sse/rate':
        res.writeHead(200, SSE);
        res.flushHeaders();
        writeAtRate(res, param('count', 1000), param('rate', 1000));
        return;
      case '/sse/big-event':
        res.writeHead(200, { ...SSE, 'content-length': String(bigEvent.body.length) });
        writeWithBackpressure(res, bigEvent.body);
        return;
      case '/favicon.ico':
        res.writeHead(204).end();
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route ${url.pathname}`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    url: (path) => new URL(path, origin).href,
    bigEventChars: bigEvent.dataChars,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      }),
  };
}
