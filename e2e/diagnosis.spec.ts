/**
 * The diagnosis in the real panel: a loopback server misbehaves in exactly one way per stream, and
 * the Diagnosis tab of that stream names it (one assertion per code; several codes per page load, so
 * the spec stays fast). A well-formed stream beside them gets no badge. The README's diagnosis
 * screenshot (docs/diagnosis.png) is written here.
 *
 * The codes that need the raw text (line endings, BOM, unknown fields, invalid retry, id with NUL,
 * an unterminated last event) come from the chunks the page read; the Chunks tab that shows them is
 * checked here too, and its README screenshot (docs/chunks.png) written.
 */
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import type { DiagnosticCode } from '../src/diagnosis';
import { chatChunks, openReader, readStream, sse, startStream } from './panel-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, exportFromPanel } from './support/panel';
import type { SseServer } from './support/sse-server';

const jsonEvents = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => sse({ data: JSON.stringify({ n: from + i }) })).join('');

/** Selects the connection whose URL contains `path` and shows its Diagnosis tab. */
async function showDiagnosis(panel: Page, path: string): Promise<void> {
  await connectionRows(panel).filter({ hasText: path }).click();
  await panel.getByRole('tab', { name: 'Diagnosis' }).click();
}

const finding = (panel: Page, code: DiagnosticCode) => panel.locator(`li.finding[data-code="${code}"]`);

test('names what is wrong with each misbehaving stream, and nothing on a well-formed one', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  // The silence must outlast 30 s for real: the page stamps the read times.
  test.setTimeout(75_000);
  server.stream('/idle', {
    steps: [{ write: sse({ data: 'first' }) }, { pause: 31_000 }, { write: sse({ data: 'second' }) }],
  });
  server.stream('/good', {
    headers: { 'cache-control': 'no-cache' },
    steps: [{ write: jsonEvents(1, 2) }, { pause: 20 }, { write: jsonEvents(3, 2) }],
  });
  server.stream('/charset', {
    headers: { 'content-type': 'text/event-stream; charset=iso-8859-1' },
    steps: [{ write: sse({ data: 'caf\u00e9' }) }],
  });
  server.stream('/cached', {
    headers: { 'cache-control': 'max-age=60' },
    steps: [{ write: sse({ data: 'x' }) }],
  });
  server.stream('/ndjson-sse', {
    headers: { 'content-type': 'application/x-ndjson' },
    steps: [{ write: jsonEvents(1, 3) }],
  });
  server.stream('/low-retry', { steps: [{ write: `retry: 100\n\n${sse({ data: 'x' })}` }] });
  server.stream('/non-json', { steps: [{ write: jsonEvents(1, 2) }, { write: sse({ data: 'ping' }) }] });
  // Everything compressed and released at the end: what a gzip layer in front of a stream does.
  server.stream('/buffered', {
    headers: { 'content-encoding': 'gzip' },
    steps: [{ pause: 1200 }, { write: gzipSync(jsonEvents(1, 12)) }],
  });
  server.stream('/truncated-llm', {
    steps: chatChunks('Hello there')
      .slice(0, -1)
      .map((write) => ({ write })),
  });
  // Each response ends after one event: the EventSource reconnects every 20 ms until the page closes it.
  server.stream('/reconnecting', { steps: [{ write: `retry: 20\n\n${sse({ data: 'x' })}` }] });

  await openReader(page, server, '/p/diagnosis.html');
  const panel = await openPanel(await tabIdOf(page));
  await startStream(page, server, '/idle');
  for (const path of ['/good', '/charset', '/cached', '/ndjson-sse', '/low-retry', '/non-json', '/buffered'])
    await readStream(page, server, path);
  await readStream(page, server, '/truncated-llm', { method: 'POST', body: '{"stream":true}' });
  await page.evaluate(
    (url) =>
      new Promise<void>((resolve) => {
        const source = new EventSource(url);
        let errors = 0;
        source.onerror = () => {
          if (++errors < 5) return;
          source.close();
          resolve();
        };
      }),
    server.url('/reconnecting'),
  );

  await test.step('well-formed: no badge', async () => {
    await expect(connectionRows(panel).filter({ hasText: '/good' }).locator('.diagnosis-badge')).toHaveCount(
      0,
    );
  });
  const cases: [path: string, code: DiagnosticCode][] = [
    ['/charset', 'charset-not-utf8'],
    ['/cached', 'no-cache-control'],
    ['/ndjson-sse', 'content-type-not-event-stream'],
    ['/low-retry', 'low-retry'],
    ['/non-json', 'non-json-data'],
    ['/truncated-llm', 'llm-truncated'],
    ['/reconnecting', 'eventsource-reconnecting'],
    ['/buffered', 'buffered-delivery'],
  ];
  for (const [path, code] of cases) {
    await test.step(code, async () => {
      await showDiagnosis(panel, path);
      await expect(finding(panel, code)).toBeVisible();
    });
  }
  await test.step('buffered-delivery names the compression (README screenshot)', async () => {
    await expect(finding(panel, 'buffered-delivery')).toContainText('Content-Encoding: gzip');
    await panel.setViewportSize({ width: 1100, height: 640 });
    await panel.screenshot({ path: 'docs/diagnosis.png' });
  });
  await test.step('idle-without-heartbeat', async () => {
    await showDiagnosis(panel, '/idle');
    await expect(finding(panel, 'idle-without-heartbeat')).toBeVisible({ timeout: 40_000 });
  });
  await test.step('the export carries the diagnostics', async () => {
    const file = await exportFromPanel(panel);
    const charset = file.connections.find((c) => c.url.endsWith('/charset'));
    expect(charset?.diagnostics?.map((d) => d.code)).toContain('charset-not-utf8');
  });
});

test('names the format problems only the raw text shows; the Chunks tab shows the reads', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/unterminated', { steps: [{ write: `${sse({ data: 'a' })}data: last` }] });
  server.stream('/cr', { steps: [{ write: 'data: a\r\rdata: b\r\r' }] });
  server.stream('/mixed', { steps: [{ write: 'data: a\r\n\r\n' }, { write: 'data: b\n\n' }] });
  // A second BOM: the decoder drops only one at the very start of the body.
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('data: b\n\n')]);
  server.stream('/bom', { steps: [{ write: sse({ data: 'a' }) }, { write: bom }] });
  server.stream('/unknown-field', { steps: [{ write: 'date: {"a":1}\n\ndata: {"a":2}\n\n' }] });
  server.stream('/invalid-retry', { steps: [{ write: `retry: 3s\n${sse({ data: 'x' })}` }] });
  server.stream('/nul-id', { steps: [{ write: `id: 7\0\n${sse({ data: 'x' })}` }] });
  server.stream('/chunky', {
    headers: { 'cache-control': 'no-cache' },
    // Pauses keep the writes apart as reads of the page (a loopback socket may merge close writes).
    steps: [
      ': connected\n\n',
      `${jsonEvents(1, 1)}data: {"n"`,
      ':2}\n\n',
      jsonEvents(3, 8),
      jsonEvents(11, 1),
    ].flatMap((write) => [{ write }, { pause: 150 }]),
  });
  await openReader(page, server, '/p/diagnosis-raw.html');
  const panel = await openPanel(await tabIdOf(page));
  for (const path of [
    '/unterminated',
    '/cr',
    '/mixed',
    '/bom',
    '/unknown-field',
    '/invalid-retry',
    '/nul-id',
    '/chunky',
  ])
    await readStream(page, server, path);
  const cases: [path: string, code: DiagnosticCode][] = [
    ['/unterminated', 'unterminated-final-event'],
    ['/cr', 'cr-line-endings'],
    ['/mixed', 'mixed-line-endings'],
    ['/bom', 'bom-inside-stream'],
    ['/unknown-field', 'unknown-field'],
    ['/invalid-retry', 'invalid-retry'],
    ['/nul-id', 'id-with-nul'],
  ];
  for (const [path, code] of cases) {
    await test.step(code, async () => {
      await showDiagnosis(panel, path);
      await expect(finding(panel, code)).toBeVisible();
    });
  }
  await test.step('the Chunks tab: a record split across reads, chunk starts in the raw text (README screenshot)', async () => {
    await connectionRows(panel).filter({ hasText: '/chunky' }).click();
    await panel.getByRole('tab', { name: 'Chunks' }).click();
    await expect(panel.locator('table.chunks tr[data-chunk-seq="3"] .record-link.split')).toHaveText('#3');
    await panel.setViewportSize({ width: 1100, height: 640 });
    await panel.screenshot({ path: 'docs/chunks.png' });
  });
});

/** Serves a short stream at `/hold` on `origin`, opens the panel, and reads it seven times at once. */
async function readSevenAtOnce(
  page: Page,
  reader: SseServer,
  origin: SseServer,
  openPanel: (tabId: number) => Promise<Page>,
  tabId: () => Promise<number>,
) {
  origin.stream('/hold', { steps: [{ write: sse({ data: 'x' }) }, { pause: 600 }] });
  await openReader(page, reader, `/p/seven-${origin.origin.split(':').at(-1)}.html`);
  const panel = await openPanel(await tabId());
  await page.evaluate(
    (url) =>
      Promise.all(
        Array.from({ length: 7 }, async (_, i) => {
          const response = await fetch(`${url}?i=${i}`);
          await response.text();
        }),
      ),
    origin.url('/hold'),
  );
  await expect(connectionRows(panel)).toHaveCount(7);
  await showDiagnosis(panel, '/hold?i=6');
  return panel;
}

test('seven streams open at once to one HTTP/1.1 origin: each is told about the six-connection limit', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const panel = await readSevenAtOnce(page, server, server, openPanel, () => tabIdOf(page));
  await expect(finding(panel, 'http1-connection-limit')).toContainText('over http/1.1');
});

// Chromium hides nextHopProtocol of a cross-origin response without Timing-Allow-Origin (an empty string).
test('seven streams at once to an origin whose protocol the page cannot see: said to be unknown', async ({
  page,
  server,
  crossOriginServer,
  tabIdOf,
  openPanel,
}) => {
  const panel = await readSevenAtOnce(page, server, crossOriginServer, openPanel, () => tabIdOf(page));
  await expect(finding(panel, 'connection-limit-protocol-unknown')).toBeVisible();
});
