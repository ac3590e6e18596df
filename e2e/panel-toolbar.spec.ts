/** The toolbar: record / pause, export (all or selected; JSON, CSV, stream text), import of an export file. */
import { readFile, writeFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { buildExportFile } from '../src/export/write-export';
import { testInfo as connectionInfo, testRecords } from '../src/test-records';
import { openReader, readStream, sse, startStream } from './panel-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, eventRows, exportFromPanel } from './support/panel';

/** Chooses an Export menu entry and returns the downloaded file's name and text. */
async function exportAs(panel: Page, entry: string): Promise<{ name: string; text: string }> {
  await panel.getByRole('button', { name: /^Export/ }).click();
  const [download] = await Promise.all([
    panel.waitForEvent('download'),
    panel.getByRole('menuitem', { name: entry }).click(),
  ]);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

/** Picks `path` in the Import file chooser. */
async function importFile(panel: Page, path: string): Promise<void> {
  const [chooser] = await Promise.all([
    panel.waitForEvent('filechooser'),
    panel.getByRole('button', { name: 'Import' }).click(),
  ]);
  await chooser.setFiles(path);
}

test('pause stops recording and says so; Record resumes', async ({ page, server, tabIdOf, openPanel }) => {
  server.stream('/kept', {
    steps: [
      { write: sse({ data: 'before pause' }) },
      { waitFor: 'next' },
      { write: sse({ data: 'while paused' }) },
    ],
  });
  server.stream('/later', { steps: [{ write: sse({ data: 'later' }) }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await startStream(page, server, '/kept');
  await expect(eventRows(panel)).toHaveCount(1);

  const record = panel.getByRole('button', { name: 'Record' });
  await expect(record).toHaveAttribute('aria-pressed', 'true');
  await record.click();
  await expect(record).toHaveAttribute('aria-pressed', 'false');
  const banner = panel.locator('.banner.paused');
  await expect(banner).toContainText('Recording is paused: new streams and events are not recorded.');

  server.release('next');
  await expect(banner).toContainText('1 updates not recorded.');
  await readStream(page, server, '/later');
  await expect(banner).toContainText(/[2-9] updates not recorded\./);
  await expect(connectionRows(panel)).toHaveCount(1);
  await expect(eventRows(panel).locator('td.data')).toHaveText(['before pause']);
  // A connection already shown still ends, so it does not look live for ever.
  await expect(connectionRows(panel).first().locator('td.state')).toHaveText('completed');

  await banner.getByRole('button', { name: 'Resume' }).click();
  await expect(banner).toHaveCount(0);
  await readStream(page, server, '/later');
  await expect(connectionRows(panel)).toHaveCount(2);
});

test('export all or the selected connection as JSON, events as CSV, or the stream as SSE text', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/one', { steps: [{ write: `: hi\n\n${sse({ id: '1', event: 'tick', data: 'a,"b"' })}` }] });
  server.stream('/two', { steps: [{ write: sse({ data: 'line 1\nline 2' }) }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/one');
  await readStream(page, server, '/two');
  await expect(connectionRows(panel)).toHaveCount(2);

  const all = await exportFromPanel(panel);
  expect(all.connections.map((c) => new URL(c.url).pathname)).toEqual(['/one', '/two']);

  await connectionRows(panel).nth(1).click();
  const selected = await exportAs(panel, 'Selected connection · JSON');
  expect(selected.name).toMatch(/^sse-capture-.*\.json$/);
  expect(JSON.parse(selected.text).connections.map((c: { url: string }) => new URL(c.url).pathname)).toEqual([
    '/two',
  ]);

  const csv = await exportAs(panel, 'All connections · events as CSV');
  expect(csv.name).toMatch(/\.csv$/);
  const lines = csv.text.trimEnd().split('\r\n');
  expect(lines[0]).toBe('connection,url,seq,kind,id,type,time,elapsedMs,data,truncatedFrom');
  expect(lines.slice(1).map((line) => line.split(',').slice(3, 6))).toEqual([
    ['comment', '', ''],
    ['event', '1', 'tick'],
    ['event', '', 'message'],
  ]);
  expect(lines[2]).toContain(',"a,""b"""');

  const stream = await exportAs(panel, 'Selected connection · raw stream text');
  expect(stream.name).toMatch(/\.txt$/);
  expect(stream.text).toBe('data: line 1\ndata: line 2\n\n');
  await connectionRows(panel).first().click();
  // The chunks the page read, exactly as the server sent them.
  expect((await exportAs(panel, 'Selected connection · raw stream text')).text).toBe(
    `: hi\n\n${sse({ id: '1', event: 'tick', data: 'a,"b"' })}`,
  );
});

test('an exported file imports as read-only connections, apart from live ones; Clear removes them', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}, testInfo) => {
  const file = buildExportFile(
    [
      {
        info: connectionInfo('k3j9:1', {
          url: 'https://api.example.com/v1/chat',
          method: 'POST',
          startedAt: Date.now() - 60_000,
        }),
        records: testRecords([
          ['event', 'message', '{"text":"imported hello"}', '1'],
          ['event', 'message', '{"text":"imported bye"}', '2'],
        ]),
        bytes: 120,
        end: { state: 'completed', error: null, endedAt: Date.now() - 59_000 },
      },
      {
        info: connectionInfo('k3j9:2', {
          url: 'https://api.example.com/v1/still-open',
          startedAt: Date.now() - 50_000,
        }),
        records: testRecords([['event', 'tick', '1']]),
        bytes: 10,
        end: null,
      },
    ],
    { tool: { name: 'SSE DevTools', version: '0.1.0' } },
  );
  const path = testInfo.outputPath('capture.json');
  await writeFile(path, JSON.stringify(file));
  server.stream('/live', { steps: [{ write: sse({ data: 'live data' }) }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/live');
  await expect(connectionRows(panel)).toHaveCount(1);

  await importFile(panel, path);
  await expect(panel.locator('.banner.info span')).toHaveText(
    'Imported capture.json: 2 connections, read-only.',
  );
  await expect(connectionRows(panel)).toHaveCount(3);
  // Live first, then the imported group, labelled with the file.
  await expect(connectionRows(panel).locator('.url .path')).toHaveText([
    '/live',
    '/v1/chat',
    '/v1/still-open',
  ]);
  await expect(panel.locator('tr.group')).toContainText('imported');
  await expect(panel.locator('tr.group')).toContainText('capture.json (2)');
  // The first imported connection is selected and shown as imported and read-only.
  await expect(connectionRows(panel).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(panel.locator('.detail-tabs')).toContainText('Imported · read-only');
  await expect(eventRows(panel).locator('td.data')).toHaveText([
    '{"text":"imported hello"}',
    '{"text":"imported bye"}',
  ]);
  // An open connection from a file is not live.
  await expect(connectionRows(panel).nth(2).locator('td.state')).toHaveText('open');
  await expect(connectionRows(panel).nth(2).locator('td.state')).not.toHaveClass(/is-live/);
  await connectionRows(panel).first().click();
  await expect(panel.locator('.detail-tabs')).not.toContainText('Imported');

  await panel.getByRole('button', { name: 'Clear' }).click();
  await expect(connectionRows(panel)).toHaveCount(0);
  await expect(panel.getByText('No event streams captured in this tab yet.')).toBeVisible();
});

test('a malformed or foreign file is refused with a clear message and changes nothing', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}, testInfo) => {
  server.stream('/live', { steps: [{ write: sse({ data: 'live data' }) }] });
  await openReader(page, server);
  const panel = await openPanel(await tabIdOf(page));
  await readStream(page, server, '/live');
  await expect(connectionRows(panel)).toHaveCount(1);

  const cases: [name: string, content: string, message: string | RegExp][] = [
    [
      'network.har',
      JSON.stringify({ log: { version: '1.2', entries: [] } }),
      'network.har was not imported: none of its 0 HAR entries is an event stream or NDJSON response.',
    ],
    [
      'other.json',
      JSON.stringify({ items: [] }),
      'other.json was not imported: it is not an SSE DevTools export, a HAR or a timed stream.',
    ],
    [
      'broken.json',
      '{"version": 1, "connections": [',
      /^broken\.json was not imported: it is not JSON \(.+\)\.$/,
    ],
    [
      'future.json',
      JSON.stringify({ version: 2, connections: [] }),
      'future.json was not imported: it is an export of version 2, which this version of SSE DevTools cannot read.',
    ],
    [
      'edited.json',
      JSON.stringify({
        version: 1,
        exportedAt: new Date().toISOString(),
        tool: { name: 'x', version: '1' },
        connections: [{ id: 'a' }],
      }),
      /^edited\.json was not imported: it is not a valid SSE DevTools export \(connections\.0\.transport: .+\)\.$/,
    ],
  ];
  for (const [name, content, message] of cases) {
    const path = testInfo.outputPath(name);
    await writeFile(path, content);
    await importFile(panel, path);
    await expect(panel.getByRole('alert').locator('span')).toHaveText(message);
    await expect(connectionRows(panel)).toHaveCount(1);
    await expect(connectionRows(panel).first().locator('.url .path')).toHaveText('/live');
  }
  await panel.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
  await expect(panel.getByRole('alert')).toHaveCount(0);
});
