/**
 * Replay in page (issue 12): "Replay in page" on a captured connection arms an override for the tab;
 * the page's next matching request (fetch, XHR, EventSource, and real clients) is answered from the
 * capture without reaching the loopback server, with the captured text, cut where the capture cut
 * it, at the recorded spacing scaled by the speed, and with each fault as specified. Switched off,
 * the next request reaches the network again.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { connectionRows } from './support/panel';
import type { SseServer, Step } from './support/sse-server';

/** What the page read from one fetch: each read's text (a streaming decoder), when, and how it ended. */
interface Reading {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  chunks: { text: string; at: number }[];
  end: string;
}

/** The test page: `read(url, init)` reads a fetch body read by read. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>replay</title><script>
  window.read = async (url, init) => {
    const response = await fetch(url, init);
    const headers = {};
    response.headers.forEach((value, name) => { headers[name] = value; });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const chunks = [];
    let end = 'done';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push({ text: decoder.decode(value, { stream: true }), at: performance.now() });
      }
    } catch (error) {
      end = error.name + ': ' + error.message;
    }
    return { status: response.status, statusText: response.statusText, headers, chunks, end };
  };
</script>`;

const STREAM: Step[] = [
  { write: 'id: 1\ndata: {"n":1}\n\n' },
  { pause: 400 },
  { write: 'data: {"n":2,"text":"é' },
  { write: '…"}\n\ndata: {"n":3}\n\n' },
  { pause: 400 },
  { write: 'event: done\ndata: [DONE]\n\n' },
];

async function openPage(page: Page, server: SseServer, path: string): Promise<void> {
  server.page(path, PAGE);
  await page.goto(server.url(path));
}

const read = (page: Page, url: string, init?: RequestInit) =>
  page.evaluate(
    ([u, i]) =>
      (window as unknown as { read: (u: string, i?: RequestInit) => Promise<Reading> }).read(
        u as string,
        i as RequestInit,
      ),
    [url, init] as const,
  );

/** Captures one read of `path`, opens the panel, and arms "Replay in page" on it. */
async function captureAndArm(
  page: Page,
  server: SseServer,
  openPanel: (tabId: number) => Promise<Page>,
  tabId: number,
  path: string,
): Promise<{ panel: Page; original: Reading }> {
  const original = await read(page, server.url(path));
  const panel = await openPanel(tabId);
  await expect(connectionRows(panel)).toHaveCount(1);
  await connectionRows(panel).first().click();
  await panel.getByRole('button', { name: 'Replay in page' }).click();
  await expect(panel.getByRole('region', { name: 'Overrides' }).locator('li.override')).toHaveCount(1);
  return { panel, original };
}

const texts = (reading: Reading) => reading.chunks.map((c) => c.text);
const gaps = (reading: Reading) => reading.chunks.slice(1).map((c, i) => c.at - (reading.chunks[i]?.at ?? 0));

test('fetch: the replay gives the captured chunks exactly, without a request to the server, and is listed as replayed', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/replay/fetch', { steps: STREAM });
  await openPage(page, server, '/replay/fetch-page.html');
  const { panel, original } = await captureAndArm(
    page,
    server,
    openPanel,
    await tabIdOf(page),
    '/replay/fetch',
  );
  expect(server.requestsTo('/replay/fetch')).toHaveLength(1);

  const replayed = await read(page, server.url('/replay/fetch'));
  expect(server.requestsTo('/replay/fetch')).toHaveLength(1);
  expect(texts(replayed)).toEqual(texts(original));
  expect(replayed).toMatchObject({ status: 200, statusText: 'OK', end: 'done' });
  expect(replayed.headers['content-type']).toBe('text/event-stream');
  await expect(panel.locator('li.override output')).toHaveText('1');
  // Captured like any other response, and marked.
  await expect(connectionRows(panel)).toHaveCount(2);
  await expect(connectionRows(panel).nth(1).locator('.badge.replayed')).toHaveText('replayed');
  await expect(connectionRows(panel).nth(1).locator('td.num').first()).toHaveText('4');
});
