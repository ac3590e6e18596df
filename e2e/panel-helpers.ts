/**
 * Helpers shared by the panel specs (e2e/panel-*.spec.ts): a test page that reads streams with fetch,
 * and scripted SSE bodies.
 */
import type { PageLike } from './support/page-like';
import type { SseServer } from './support/sse-server';

/** A page with `readAll(url, init)` (reads a fetch body to the end) and `readForever(url, init)`. */
const READER_PAGE = `<!doctype html><title>reader</title><script>
  window.readAll = async (url, init) => {
    const res = await fetch(url, init);
    const reader = res.body.getReader();
    for (;;) {
      const { done } = await reader.read();
      if (done) return res.status;
    }
  };
  window.readForever = (url, init) => { window.readAll(url, init).catch(() => {}); };
</script>`;

/** Opens the reader page on `server` at `path` (distinct paths give distinct tabs). */
export async function openReader(
  page: PageLike,
  server: SseServer,
  path = '/p/panel-reader.html',
): Promise<void> {
  server.page(path, READER_PAGE);
  await page.goto(server.url(path));
}

/** Reads `path` to its end in the page. */
export async function readStream(
  page: PageLike,
  server: SseServer,
  path: string,
  init?: RequestInit,
): Promise<void> {
  await page.evaluate(
    ([url, options]) =>
      (window as unknown as { readAll: (u: string, i?: RequestInit) => Promise<number> }).readAll(
        url as string,
        options as RequestInit | undefined,
      ),
    [server.url(path), init] as const,
  );
}

/** Starts reading `path` in the page without waiting for its end. */
export async function startStream(
  page: PageLike,
  server: SseServer,
  path: string,
  init?: RequestInit,
): Promise<void> {
  await page.evaluate(
    ([url, options]) =>
      (window as unknown as { readForever: (u: string, i?: RequestInit) => void }).readForever(
        url as string,
        options as RequestInit | undefined,
      ),
    [server.url(path), init] as const,
  );
}

/** One SSE event block. */
export function sse(event: { data: string; event?: string; id?: string }): string {
  return `${event.id !== undefined ? `id: ${event.id}\n` : ''}${event.event ? `event: ${event.event}\n` : ''}${event.data
    .split('\n')
    .map((line) => `data: ${line}\n`)
    .join('')}\n`;
}

/** Events of an OpenAI-style chat completion that streams `text` word by word. */
export function chatChunks(text: string): string[] {
  const words = text.split(/(?<= )/);
  return [
    ...words.map((word, i) =>
      sse({
        data: JSON.stringify({
          id: 'chatcmpl-7Qx',
          object: 'chat.completion.chunk',
          model: 'gpt-4o-mini',
          choices: [
            {
              index: 0,
              delta: i === 0 ? { role: 'assistant', content: word } : { content: word },
              finish_reason: null,
            },
          ],
        }),
      }),
    ),
    sse({ data: '[DONE]' }),
  ];
}

const ANSWER =
  'Server-sent events let a server push a stream of text events over one HTTP response. The browser reads ' +
  'them as they arrive, which is how chat apps show an answer word by word. ';

/** The scene of the README screenshots: an LLM chat answer, a live ticker, a job stream, a failed call. */
export async function stageDemo(page: PageLike, server: SseServer): Promise<void> {
  server.stream('/v1/chat/completions', {
    steps: chatChunks(ANSWER).flatMap((write) => [{ write }, { pause: 4 }]),
  });
  server.stream('/api/ticker', {
    steps: [
      { write: ': connected\n\nretry: 3000\n\n' },
      {
        repeat: {
          write: sse({ event: 'price', data: '{"symbol":"ACME","price":101.25,"change":"+0.4%"}' }),
          intervalMs: 120,
        },
      },
    ],
  });
  server.stream('/jobs/42/events', {
    steps: [
      { write: sse({ id: '1', event: 'progress', data: '{"step":"build","pct":40}' }) },
      { write: sse({ id: '2', event: 'progress', data: '{"step":"test","pct":80}' }) },
      { write: sse({ id: '3', event: 'done', data: '{"ok":true}' }) },
    ],
  });
  server.stream('/v1/overloaded', {
    status: 503,
    steps: [{ write: sse({ event: 'error', data: 'overloaded' }) }],
  });
  await readStream(page, server, '/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-demo-123' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'What are SSE?' }],
    }),
  });
  await readStream(page, server, '/jobs/42/events');
  await readStream(page, server, '/v1/overloaded');
  await startStream(page, server, '/api/ticker');
}
