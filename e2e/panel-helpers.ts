/**
 * Helpers shared by the panel specs (e2e/panel-*.spec.ts): a test page that reads streams with fetch,
 * and scripted SSE bodies.
 */
import type { Page } from '@playwright/test';
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
  page: Page,
  server: SseServer,
  path = '/p/panel-reader.html',
): Promise<void> {
  server.page(path, READER_PAGE);
  await page.goto(server.url(path));
}

/** Reads `path` to its end in the page. */
export async function readStream(
  page: Page,
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
  page: Page,
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
