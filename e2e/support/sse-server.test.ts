import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SseServer, startSseServer } from './sse-server';

let server: SseServer;
beforeAll(async () => {
  server = await startSseServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** Read a body chunk by chunk, as the page agent will. */
async function readChunks(response: Response): Promise<string[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(decoder.decode(value, { stream: true }));
  }
}

describe('sse-server', () => {
  it('sends each write as its own chunk, with event-stream headers', async () => {
    server.stream('/sse', {
      steps: [
        { write: 'data: a\n\n' },
        { pause: 100 },
        { write: 'data: b\n' },
        { pause: 100 },
        { write: '\n' },
      ],
    });
    const response = await fetch(server.url('/sse'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await readChunks(response)).toEqual(['data: a\n\n', 'data: b\n', '\n']);
    expect(await server.requestsTo('/sse')[0]?.stream?.outcome).toBe('completed');
  });

  it('writes raw bytes as given (a UTF-8 character split across chunks)', async () => {
    const bytes = new TextEncoder().encode('data: é\n\n');
    server.stream('/split', {
      steps: [{ write: bytes.slice(0, 7) }, { pause: 100 }, { write: bytes.slice(7) }],
    });
    const response = await fetch(server.url('/split'));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.value?.length).toBe(7);
    const second = await reader.read();
    expect(Buffer.from(second.value ?? []).equals(Buffer.from(bytes.slice(7)))).toBe(true);
  });

  it('holds a waitFor step until release, and repeats a write count times', async () => {
    server.stream('/gate', {
      headers: { 'content-type': 'application/x-ndjson' },
      steps: [{ waitFor: 'go' }, { repeat: { write: '{"n":1}\n', intervalMs: 20, count: 3 } }],
    });
    const response = await fetch(server.url('/gate'));
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const chunks = readChunks(response);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requestsTo('/gate')[0]?.stream?.chunksWritten).toBe(0);
    server.release('go');
    expect(await chunks).toEqual(['{"n":1}\n', '{"n":1}\n', '{"n":1}\n']);
  });

  it('sees the client close the connection when the reader is cancelled', async () => {
    server.stream('/forever', { steps: [{ repeat: { write: 'data: tick\n\n', intervalMs: 10 } }] });
    const controller = new AbortController();
    const response = await fetch(server.url('/forever'), { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const request = await server.waitForRequest('/forever');
    expect(request.stream?.closedByClient).toBe(false);
    controller.abort();
    await request.stream?.whenClosedByClient;
    expect(request.stream?.closedByClient).toBe(true);
    expect(await request.stream?.outcome).toBe('closed-by-client');
    const written = request.stream?.chunksWritten;
    await new Promise((r) => setTimeout(r, 50));
    expect(request.stream?.chunksWritten).toBe(written);
  });

  it('resets the connection on destroy, which the client sees as an error', async () => {
    server.stream('/reset', { steps: [{ write: 'data: a\n\n' }, { pause: 20 }, { destroy: true }] });
    const response = await fetch(server.url('/reset'));
    await expect(readChunks(response)).rejects.toThrow();
    expect(await server.requestsTo('/reset')[0]?.stream?.outcome).toBe('destroyed');
  });

  it('records method, headers and body; redirects; serves inline and file pages', async () => {
    server.stream('/chat', { status: 201, steps: [{ write: 'data: ok\n\n' }] });
    server.redirect('/old', '/chat');
    const response = await fetch(server.url('/old?x=1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test': 'yes' },
      body: '{"q":"hi"}',
    });
    expect(response.redirected).toBe(true);
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('data: ok\n\n');
    const [redirected] = server.requestsTo('/old');
    expect(redirected).toMatchObject({ method: 'POST', url: '/old?x=1', body: '{"q":"hi"}' });
    expect(redirected?.headers['x-test']).toBe('yes');
    // fetch turns a POST into a GET on 302, as browsers do.
    expect(server.requestsTo('/chat')[0]?.method).toBe('GET');

    server.page('/p/x.html', '<title>x</title>');
    const page = await fetch(server.url('/p/x.html'));
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toBe('<title>x</title>');
    expect((await fetch(server.url('/pages/no-such-page.html'))).status).toBe(404);
    expect((await fetch(server.url('/pages/../support/sse-server.ts'))).status).not.toBe(200);
  });

  it('answers CORS preflights when started with cors', async () => {
    const other = await startSseServer({ cors: true });
    try {
      other.stream('/sse', { steps: [{ write: 'data: x\n\n' }] });
      const preflight = await fetch(other.url('/sse'), {
        method: 'OPTIONS',
        headers: { origin: server.origin, 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect((await fetch(other.url('/sse'))).headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await other.close();
    }
  });
});
