/**
 * HAR in and out through the panel: a HAR that Playwright's `recordHar` wrote for one of the suite's
 * streams imports with the right events (times shown as unknown: a HAR does not hold them), and the
 * panel's own HAR of a live capture imports back with the same events at their read times, and its
 * timed stream replays the exact body through the replay server.
 */
import { readFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { startReplayServer } from '../replay/server';
import { HAR_EXTENSION, type HarEntry } from '../src/export/har';
import { readExportText } from '../src/export/read-export';
import { chatChunks, openReader, readStream, sse } from './panel-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, eventCells, eventRows, importFileInPanel } from './support/panel';

const ANSWER = 'Replay me, please.';

test("a HAR written by Playwright's recordHar imports with the stream's events, their times unknown", async ({
  page,
  server,
  tabIdOf,
  openPanel,
}, testInfo) => {
  server.stream('/v1/chat/completions', {
    steps: chatChunks(ANSWER).flatMap((write) => [{ write }, { pause: 5 }]),
  });
  server.stream('/ndjson', {
    headers: { 'content-type': 'application/x-ndjson' },
    steps: [{ write: '{"n":1}\n{"n"' }, { pause: 5 }, { write: ':2}\n' }],
  });
  server.page('/p/plain.html', '<!doctype html><title>plain</title>');

  // A Chromium without the extension records the HAR, as a user's Playwright test would.
  const harPath = testInfo.outputPath('recorded.har');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' });
  try {
    const recording = await browser.newContext({ recordHar: { path: harPath } });
    const plain = await recording.newPage();
    await plain.goto(server.url('/p/plain.html'));
    await plain.evaluate(
      async (urls) => {
        for (const url of urls) await (await fetch(url, { method: 'POST', body: '{"stream":true}' })).text();
      },
      [server.url('/v1/chat/completions'), server.url('/ndjson')],
    );
    await recording.close();
  } finally {
    await browser.close();
  }
  const har = JSON.parse(await readFile(harPath, 'utf8')) as { log: { entries: HarEntry[] } };
  expect(har.log.entries.map((e) => new URL(e.request.url).pathname)).toEqual([
    '/p/plain.html',
    '/v1/chat/completions',
    '/ndjson',
  ]);

  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await importFileInPanel(panel, harPath);
  await expect(panel.locator('.banner.info span')).toHaveText(
    'Imported recorded.har: 2 connections, read-only.',
  );
  // The page entry is not a stream: only the two streams are imported.
  await expect(connectionRows(panel)).toHaveCount(2);
  await expect(connectionRows(panel).first().locator('.url .path')).toHaveText('/v1/chat/completions');

  const expected = chatChunks(ANSWER).map((chunk) => chunk.replace(/^data: /, '').replace(/\n\n$/, ''));
  await expect(eventRows(panel)).toHaveCount(expected.length);
  expect((await eventCells(panel)).map(([, type, data]) => [type, data])).toEqual(
    expected.map((data) => ['message', data]),
  );
  // Not invented: every Time and Δ says unknown.
  await expect(eventRows(panel).locator('td.time')).toHaveText(expected.map(() => 'unknown'));
  await expect(eventRows(panel).locator('td.delta')).toHaveText(expected.map(() => 'unknown'));
  await eventRows(panel).first().click();
  await expect(panel.locator('.event-detail .time-unknown')).toHaveText('unknown');
  await panel.screenshot({ path: testInfo.outputPath('har-events.png') });
  // The reassembled answer comes from the events alone, so it is there.
  await panel.getByRole('tab', { name: 'Message' }).click();
  await expect(panel.locator('.llm-text')).toHaveText(ANSWER);
  await panel.getByRole('tab', { name: 'Timing' }).click();
  await expect(panel.locator('.timing-source')).toHaveText(/^When each event was read is unknown/);
  await panel.screenshot({ path: testInfo.outputPath('har-import.png') });

  await connectionRows(panel).nth(1).click();
  await panel.getByRole('tab', { name: 'Events' }).click();
  expect((await eventCells(panel)).map(([, , data]) => data)).toEqual(['{"n":1}', '{"n":2}']);
});

test('the panel exports a live capture as HAR that imports back with the same events at their times', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}, testInfo) => {
  server.stream('/ticks', {
    headers: { authorization: 'nope', 'x-api-key': 'sk-123' },
    steps: [
      { write: sse({ id: '1', event: 'tick', data: 'one' }) },
      { pause: 400 },
      { write: `: beat\n\n${sse({ data: 'two' })}` },
    ],
  });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/ticks', { headers: { authorization: 'Bearer secret-token' } });
  await expect(eventRows(panel)).toHaveCount(2);
  const liveTimes = await eventRows(panel).locator('td.time').allTextContents();

  await panel.getByRole('button', { name: /^Export/ }).click();
  const [download] = await Promise.all([
    panel.waitForEvent('download'),
    panel.getByRole('menuitem', { name: 'All connections · HAR' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^sse-capture-.*\.har$/);
  const harPath = testInfo.outputPath('panel.har');
  await download.saveAs(harPath);
  const text = await readFile(harPath, 'utf8');
  expect(text).not.toContain('secret-token');
  expect(text).not.toContain('sk-123');
  const [entry] = (JSON.parse(text) as { log: { entries: HarEntry[] } }).log.entries;
  expect(entry?._eventSourceMessages.map(({ type, eventId, data }) => ({ type, eventId, data }))).toEqual([
    { type: 'tick', eventId: '1', data: 'one' },
    { type: 'message', eventId: '1', data: 'two' },
  ]);
  // The body is exactly what the page read, chunk by chunk, as the server sent it.
  expect(entry?.response.content.text).toBe(
    `${sse({ id: '1', event: 'tick', data: 'one' })}: beat\n\ndata: two\n\n`,
  );
  expect(entry?.[HAR_EXTENSION].chunks?.map((chunk) => chunk.text)).toEqual([
    sse({ id: '1', event: 'tick', data: 'one' }),
    ': beat\n\ndata: two\n\n',
  ]);
  expect(entry?.[HAR_EXTENSION].transport).toBe('fetch');

  // The timed stream of the same capture: its chunks with their timing, which the replay server serves.
  await panel.getByRole('button', { name: /^Export/ }).click();
  const [timedDownload] = await Promise.all([
    panel.waitForEvent('download'),
    panel.getByRole('menuitem', { name: 'All connections · timed stream (JSON lines)' }).click(),
  ]);
  expect(timedDownload.suggestedFilename()).toMatch(/^sse-timed-.*\.jsonl$/);
  const timed = await readFile(await timedDownload.path(), 'utf8');
  const lines = timed
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; text?: string; elapsedMs?: number });
  expect(lines.map((line) => line.type)).toEqual(['connection', 'chunk', 'chunk', 'end']);
  // The server's 400 ms pause between the two writes is in the timing. The gap between the page's two
  // reads is the pause less however late the page read the first chunk, which a loaded machine has
  // made 12 ms: the pause is long enough that a late read leaves a gap no lost timing could give.
  expect((lines[2]?.elapsedMs ?? 0) - (lines[1]?.elapsedMs ?? 0)).toBeGreaterThanOrEqual(300);
  const read = readExportText(timed, timed.length);
  if (!read.ok) throw new Error(JSON.stringify(read.problem));
  const replay = await startReplayServer(read.connections, { speed: 10 });
  try {
    const replayed = await fetch(`${replay.origin}/ticks`);
    expect(await replayed.text()).toBe(entry?.response.content.text);
  } finally {
    await replay.close();
  }

  await importFileInPanel(panel, harPath);
  await expect(connectionRows(panel)).toHaveCount(2);
  await expect(eventRows(panel)).toHaveCount(2);
  expect(await eventCells(panel)).toEqual([
    ['1', 'tick', 'one'],
    ['1', 'message', 'two'],
  ]);
  // The same read times, to the file's precision: startedAt is written in whole milliseconds.
  const clockMs = (clock: string) => {
    const [h = 0, m = 0, sec = 0] = clock.split(':').map(Number);
    return ((h * 60 + m) * 60 + sec) * 1000;
  };
  const importedTimes = await eventRows(panel).locator('td.time').allTextContents();
  expect(importedTimes).toHaveLength(liveTimes.length);
  importedTimes.forEach((time, i) => {
    expect(Math.abs(clockMs(time) - clockMs(liveTimes[i] ?? ''))).toBeLessThanOrEqual(1);
  });
});

test('Copy as cURL and Copy as fetch copy the selected request, secrets redacted unless Include secrets', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}, testInfo) => {
  server.stream('/chat', { steps: [{ write: sse({ data: 'hi' }) }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/chat', {
    method: 'POST',
    headers: { authorization: 'Bearer secret-token', 'content-type': 'application/json' },
    body: '{"q":"it\'s"}',
  });
  await expect(connectionRows(panel)).toHaveCount(1);
  await connectionRows(panel).first().click();
  // The clipboard cannot be read back from an extension page under test: keep what is written to it.
  await panel.evaluate(() => {
    const kept = window as unknown as { copied: string[] };
    kept.copied = [];
    navigator.clipboard.writeText = async (text: string) => {
      kept.copied.push(text);
    };
  });
  await panel.getByRole('button', { name: /^Export/ }).click();
  await panel.screenshot({ path: testInfo.outputPath('export-menu.png') });
  await panel.keyboard.press('Escape');
  const copy = async (entry: string) => {
    await panel.getByRole('button', { name: /^Export/ }).click();
    await panel.getByRole('menuitem', { name: entry }).click();
    await expect(panel.locator('.banner.info span')).toHaveText(/^Copied the request as (cURL|fetch)\.$/);
    return panel.evaluate(() => (window as unknown as { copied: string[] }).copied.at(-1) ?? '');
  };
  expect(await copy('Copy as cURL')).toBe(
    [
      `curl '${server.url('/chat')}'`,
      "-H 'authorization: [redacted]'",
      "-H 'content-type: application/json'",
      `--data-raw '{"q":"it'\\''s"}'`,
      '-N',
    ].join(' \\\n  '),
  );
  const fetchCode = await copy('Copy as fetch');
  expect(fetchCode).toContain(`fetch("${server.url('/chat')}", {`);
  expect(fetchCode).toContain('"authorization": "[redacted]"');
  await panel.getByLabel('Include secrets').check();
  expect(await copy('Copy as cURL')).toContain("-H 'authorization: Bearer secret-token'");
});
