/**
 * Loopback server for `npm run demo`: a demo page and three realistic event streams.
 *
 * - `POST /v1/chat/completions`: an LLM answer in the OpenAI chat-completions streaming shape, token by
 *   token with 30–80 ms gaps, a `finish_reason: "stop"` chunk, a usage chunk and `data: [DONE]`. It stops
 *   generating as soon as the client goes away (the page's Stop button aborts the fetch).
 * - `GET /ticker`: a long-lived price ticker, `event: tick` every second with ids, and `: ping` comments.
 * - `GET /jobs/42/events`: a deploy job with named events, ids and `retry:`. The first connection drops
 *   after a few events; the page reconnects after `retry` ms with `Last-Event-ID` and the server resumes.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';

const PAGE_FILE = new URL('./demo-page.html', import.meta.url);

/** Start the server on 127.0.0.1:`port`, or on a free port when that one is taken (or `port` is 0). */
export async function startDemoServer({ port = 5757 } = {}) {
  const running = new Set();
  const server = createServer((req, res) => {
    handle(req, res, running).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  const listen = (p) =>
    new Promise((resolve, reject) => {
      const onError = (error) => {
        server.off('listening', onListening);
        reject(error);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(p, '127.0.0.1');
    });
  try {
    await listen(port);
  } catch (error) {
    if (error.code !== 'EADDRINUSE' || port === 0) throw error;
    await listen(0);
  }
  const { port: actual } = server.address();
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    close: () =>
      new Promise((resolve) => {
        for (const stop of running) stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req, res, running) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(await readFile(PAGE_FILE));
    return;
  }
  if (url.pathname === '/v1/chat/completions' && req.method === 'POST') {
    return chatCompletions(req, res, running);
  }
  if (url.pathname === '/ticker' && req.method === 'GET') return ticker(req, res, running);
  if (url.pathname === '/jobs/42/events' && req.method === 'GET') return jobEvents(req, res, running);
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end(`no route for ${req.method} ${url.pathname}`);
}

/**
 * Common plumbing of a stream: event-stream headers, a sleep that ends early when the client goes
 * away or the server closes, and `alive()` to stop writing then.
 */
function openStream(req, res, running, extraHeaders = {}) {
  req.socket.setNoDelay(true);
  let closed = false;
  const wakers = new Set();
  const stop = () => {
    if (closed) return;
    closed = true;
    for (const wake of wakers) wake();
    running.delete(stop);
  };
  running.add(stop);
  res.on('close', stop);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...extraHeaders,
  });
  res.flushHeaders();
  return {
    alive: () => !closed,
    write: (text) => {
      if (!closed) res.write(text);
    },
    end: () => {
      if (!closed) res.end();
      stop();
    },
    sleep: (ms) =>
      new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        }
        wakers.add(done);
      }),
  };
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const ANSWERS = [
  {
    match: /server-sent|sse|event stream/i,
    text:
      'Server-Sent Events (SSE) let a server push updates to the browser over one long-lived HTTP response. ' +
      'The body is plain text in the `text/event-stream` format: each event is a few `field: value` lines ' +
      '(`data`, `event`, `id`, `retry`) followed by a blank line.\n\n' +
      'LLM APIs use it to stream tokens as they are generated — each `data:` line carries a small JSON chunk ' +
      'with the next piece of the answer, and a final `[DONE]` marks the end. In DevTools, the SSE tab shows ' +
      'every one of those chunks, with its timing.',
  },
  {
    match: /./,
    text:
      'Here is a short answer, streamed token by token so you can watch it arrive in the SSE panel. ' +
      'Each chunk is one `chat.completion.chunk` object; the last ones carry `finish_reason: "stop"` and ' +
      'the token usage, then the stream ends with `data: [DONE]`. Press Stop while it streams to see an ' +
      'aborted connection — the server stops generating as soon as the page cancels.',
  },
];

/** Roughly what a BPE tokenizer does: short word pieces, most with their leading space. */
function tokenize(text) {
  return text.match(/ ?[A-Za-z]{1,7}| ?\d{1,3}|\n+| ?[^\sA-Za-z\d]| +/gu) ?? [];
}

function jitter(min, max) {
  return min + Math.floor(Math.random() * (max - min + 1));
}

async function chatCompletions(req, res, running) {
  let request;
  try {
    request = JSON.parse(await readBody(req));
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'body must be JSON', type: 'invalid_request_error' } }));
    return;
  }
  const prompt = [...(request.messages ?? [])].reverse().find((m) => m.role === 'user')?.content ?? '';
  const answer = ANSWERS.find((a) => a.match.test(prompt))?.text ?? '';
  const tokens = tokenize(answer);
  const id = `chatcmpl-${Math.random().toString(36).slice(2, 12)}${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  const model = request.model ?? 'gpt-4o-mini';
  const usage = {
    prompt_tokens: 14 + tokenize(prompt).length,
    completion_tokens: tokens.length,
    total_tokens: 14 + tokenize(prompt).length + tokens.length,
  };

  if (request.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: answer },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage,
      }),
    );
    return;
  }

  const stream = openStream(req, res, running, { 'x-request-id': `req_${id.slice(9)}` });
  const chunk = (choices, extra = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_demo', choices, ...extra })}\n\n`;

  await stream.sleep(jitter(150, 300)); // time to first token
  stream.write(
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]),
  );
  for (const token of tokens) {
    await stream.sleep(jitter(30, 80));
    if (!stream.alive()) return; // the page pressed Stop: stop generating
    stream.write(chunk([{ index: 0, delta: { content: token }, logprobs: null, finish_reason: null }]));
  }
  await stream.sleep(jitter(30, 80));
  stream.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]));
  if (request.stream_options?.include_usage) stream.write(chunk([], { usage }));
  stream.write('data: [DONE]\n\n');
  stream.end();
}

const SYMBOLS = [
  ['BTC-USD', 67250],
  ['ETH-USD', 3480],
  ['AAPL', 228.4],
  ['NVDA', 131.2],
];

async function ticker(req, res, running) {
  const stream = openStream(req, res, running);
  let seq = Number.parseInt(req.headers['last-event-id'] ?? '0', 10) || 0;
  const prices = new Map(SYMBOLS);
  stream.write(': connected to ticker\n\n');
  while (stream.alive()) {
    seq++;
    const quotes = [...prices].map(([symbol, price]) => {
      const next = Math.max(0.01, price * (1 + (Math.random() - 0.5) * 0.004));
      prices.set(symbol, next);
      const digits = next > 1000 ? 2 : 3;
      return {
        symbol,
        price: Number(next.toFixed(digits)),
        change: Number((((next - price) / price) * 100).toFixed(3)),
      };
    });
    stream.write(
      `event: tick\nid: ${seq}\ndata: ${JSON.stringify({ seq, ts: new Date().toISOString(), quotes })}\n\n`,
    );
    await stream.sleep(500);
    // A heartbeat comment between ticks: proxies see traffic, EventSource ignores it.
    if (seq % 2 === 0) stream.write(': ping\n\n');
    await stream.sleep(500);
  }
}

const JOB_EVENTS = [
  ['queued', { job: 42, pipeline: 'deploy', ref: 'main', position: 1 }],
  ['status', { job: 42, status: 'running', runner: 'runner-eu-3' }],
  ['log', '$ npm ci'],
  ['progress', { job: 42, step: 'install', percent: 25 }],
  ['log', 'added 312 packages in 4s'],
  ['progress', { job: 42, step: 'build', percent: 60 }],
  ['log', '✓ built in 2.41s'],
  ['progress', { job: 42, step: 'deploy', percent: 90 }],
  ['log', 'uploaded 18 files to https://demo.example/'],
  ['complete', { job: 42, status: 'success', durationMs: 9120 }],
];
/** The first connection "drops" after this many events, so the page reconnects with Last-Event-ID. */
const DROP_AFTER = 5;

async function jobEvents(req, res, running) {
  const stream = openStream(req, res, running);
  const lastId = req.headers['last-event-id'];
  const from = lastId ? Number.parseInt(String(lastId).split('-').pop() ?? '0', 10) || 0 : 0;
  const until = from === 0 ? DROP_AFTER : JOB_EVENTS.length;
  if (from === 0) stream.write('retry: 1500\n\n');
  for (let i = from; i < until && stream.alive(); i++) {
    const [event, data] = JOB_EVENTS[i];
    const payload = typeof data === 'string' ? data : JSON.stringify(data);
    stream.write(`id: 42-${i + 1}\nevent: ${event}\ndata: ${payload}\n\n`);
    await stream.sleep(jitter(400, 700));
  }
  stream.end();
}
