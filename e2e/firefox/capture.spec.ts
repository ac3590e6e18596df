/**
 * Capture in real Firefox (issue 16): the same page reads the same streams through fetch, XHR and
 * EventSource in Firefox and in Chromium, both with the extension, and the two exports hold the same
 * events; a panel opened late shows a live stream from its first event; the panel's export.
 */
import type { ExportedConnection, ExportFile } from '../../src/export/schema';
import { exportFromPanel } from '../support/panel';
import { EXPECTED_REQUEST_BODIES, postEveryRequestBody, REQUEST_BODY_KINDS } from '../support/request-bodies';
import { TEST_PAGE_HTML } from '../support/transports-page';
import { expect, type Page, test, textsOf } from './fixtures';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** A UTF-8 character and a CR LF split across writes, a comment, an id, a named type, multi-line data. */
const BODY: Uint8Array[] = [
  utf8('data: a\n\n'),
  Uint8Array.from([...utf8('id: 1\nevent: tick\ndata: h'), 0xc3]),
  Uint8Array.from([0xa9, ...utf8('llo\r')]),
  utf8('\n\r\n'),
  utf8(': keep-alive\n\n'),
  utf8('data: {"x":1}\n\n'),
  utf8('data: line1\ndata: line2\n\n'),
];
const paced = (writes: Uint8Array[]) => writes.flatMap((write) => [{ write }, { pause: 30 }]);
const ES_BODY = ['id: e1\ndata: one\n\n', 'event: update\ndata: two\n\n', 'data: three\n\n'].map(utf8);

/** What a user compares of a connection: how it was read, how it ended, and every record. */
function essentials(connection: ExportedConnection) {
  return {
    transport: connection.transport,
    method: connection.method,
    path: new URL(connection.url).pathname,
    status: connection.status,
    state: connection.state,
    bytes: connection.bytes,
    events: connection.events.map(({ id, type, data, kind, attempt }) => ({ id, type, data, kind, attempt })),
  };
}

const byPath = (file: ExportFile) =>
  file.connections.map(essentials).sort((a, b) => a.path.localeCompare(b.path));

/** Reads the three streams in `page` (TEST_PAGE_HTML), each to its end. */
async function readAllThree(page: { evaluate: Page['evaluate'] }) {
  return page.evaluate(async () => ({
    fetch: await window.transports.fetchText('/ff/fetch'),
    xhr: (await window.transports.xhrRun('/ff/xhr')).text,
    eventsource: await window.transports.esRun('/ff/es', { types: ['update'], closeAfter: 3 }),
  }));
}

test('fetch, XHR and EventSource: Firefox captures the same events as Chromium, and a panel opened afterwards shows them all', async ({
  server,
  firefoxPage,
  openFirefoxPanel,
  exportFromFirefoxPanel,
  page: chromiumPage,
  tabIdOf,
  openPanel,
}) => {
  server.page('/ff/capture.html', TEST_PAGE_HTML);
  server.stream('/ff/fetch', { steps: paced(BODY) });
  server.stream('/ff/xhr', { steps: paced(BODY) });
  server.stream('/ff/es', { steps: paced(ES_BODY) });

  await firefoxPage.goto(server.url('/ff/capture.html'));
  const firefoxRead = await readAllThree(firefoxPage);
  await chromiumPage.goto(server.url('/ff/capture.html'));
  const chromiumRead = await readAllThree(chromiumPage);
  // The pages read the same in both browsers (so a difference below would be the capture's).
  expect(firefoxRead).toEqual(chromiumRead);
  expect(firefoxRead.fetch).toBe(Buffer.concat(BODY).toString('utf8'));

  // Both panels open after every stream has ended: they show them from their first event.
  const firefoxPanel = await openFirefoxPanel(firefoxPage);
  await expect.poll(() => textsOf(firefoxPanel, 'tr[data-connection-id]')).toHaveLength(3);
  const firefoxExport = await exportFromFirefoxPanel(firefoxPanel);
  const chromiumPanel = await openPanel(await tabIdOf(chromiumPage));
  await expect(chromiumPanel.locator('tr[data-connection-id]')).toHaveCount(3);
  const chromiumExport = await exportFromPanel(chromiumPanel);

  expect(byPath(firefoxExport)).toEqual(byPath(chromiumExport));
  const [es, fetched, xhr] = byPath(firefoxExport);
  const bodyEvents = [
    { id: '', type: 'message', data: 'a' },
    { id: '1', type: 'tick', data: 'héllo' },
    { id: '1', type: '', data: 'keep-alive', kind: 'comment' },
    { id: '1', type: 'message', data: '{"x":1}' },
    { id: '1', type: 'message', data: 'line1\nline2' },
  ];
  for (const connection of [fetched, xhr]) {
    expect(connection).toMatchObject({ state: 'completed', status: 200, bytes: Buffer.concat(BODY).length });
    expect(connection?.events).toMatchObject(bodyEvents);
  }
  expect(fetched?.transport).toBe('fetch');
  expect(xhr?.transport).toBe('xhr');
  expect(es?.transport).toBe('eventsource');
  expect(es?.events.filter((e) => e.kind === undefined).map((e) => [e.id, e.type, e.data])).toEqual([
    ['e1', 'message', 'one'],
    ['e1', 'update', 'two'],
    ['e1', 'message', 'three'],
  ]);
  expect(firefoxExport.connections.every((c) => c.frameUrl === server.url('/ff/capture.html'))).toBe(true);
});

test('a panel opened while a stream is live shows it from its first event, then follows it', async ({
  server,
  firefoxPage,
  openFirefoxPanel,
}) => {
  server.page('/ff/late.html', TEST_PAGE_HTML);
  server.stream('/ff/late', {
    steps: [
      { write: 'data: first\n\n' },
      { write: 'data: second\n\n' },
      { waitFor: 'more' },
      { write: 'data: third\n\n' },
    ],
  });
  await firefoxPage.goto(server.url('/ff/late.html'));
  await firefoxPage.evaluate(() => {
    void window.transports.fetchText('/ff/late');
  });
  await expect.poll(() => server.requestsTo('/ff/late')[0]?.stream?.chunksWritten).toBe(2);

  const panel = await openFirefoxPanel(firefoxPage);
  await expect
    .poll(() => textsOf(panel, 'tr[data-connection-id] td.state, tr[data-connection-id]'))
    .not.toEqual([]);
  await panel.click('tr[data-connection-id]');
  const data = () => textsOf(panel, 'table.events tbody tr:not(.spacer) td.data');
  await expect.poll(data).toEqual(['first', 'second']);
  server.release('more');
  await expect.poll(data).toEqual(['first', 'second', 'third']);
  await expect
    .poll(() => textsOf(panel, 'tr[data-connection-id]'))
    .toEqual([expect.stringContaining('completed')]);
});

// Was a bug (found here, in the agent's channel): a flush holding a stream's end and the next
// stream's first reads sent the second run of reads with buffers already transferred with the
// first, which throws; every stream after the first lost its events while a panel watched.
test('streams read one after another while the panel watches each keep all their events', async ({
  server,
  firefoxPage,
  openFirefoxPanel,
}) => {
  server.page('/ff/sequence.html', TEST_PAGE_HTML);
  const quick = [{ write: 'id: 1\ndata: q1\n\n' }, { write: 'data: q2\n\n' }, { write: 'data: q3\n\n' }];
  server.stream('/ff/quick-1', { steps: quick });
  server.stream('/ff/slow', { steps: paced(['data: s1\n\n', 'data: s2\n\n', 'data: s3\n\n'].map(utf8)) });
  server.stream('/ff/quick-2', { steps: quick });
  await firefoxPage.goto(server.url('/ff/sequence.html'));
  const panel = await openFirefoxPanel(firefoxPage);
  for (const path of ['/ff/quick-1', '/ff/slow', '/ff/quick-2']) {
    await firefoxPage.evaluate((url) => window.transports.fetchText(url), path);
  }
  const events = () => textsOf(panel, 'tr[data-connection-id] td.state + td.num');
  await expect.poll(events).toEqual(['3', '3', '3']);
});

// Was a bug: reads that fill the agent's slabs are kept as views of them, and in Firefox the page's
// slab is an Xray, on which subarray/slice throw; every event of such a stream was lost.
test('a stream read in large reads keeps every event, a character split across reads included', async ({
  server,
  firefoxPage,
  openFirefoxPanel,
  exportFromFirefoxPanel,
}) => {
  server.page('/ff/large.html', TEST_PAGE_HTML);
  const event = `data: ${'x'.repeat(1000)}\n\n`;
  server.stream('/ff/large', {
    steps: [
      { write: Buffer.concat([utf8(event.repeat(3000)), utf8('data: h'), Uint8Array.from([0xc3])]) },
      { pause: 30 },
      { write: Uint8Array.from([0xa9, ...utf8('\n\n')]) },
    ],
  });
  await firefoxPage.goto(server.url('/ff/large.html'));
  const read = await firefoxPage.evaluate(() => window.transports.fetchText('/ff/large'));
  expect(read.length).toBe(event.length * 3000 + 'data: hé\n\n'.length);
  const panel = await openFirefoxPanel(firefoxPage);
  await expect
    .poll(() => textsOf(panel, 'tr[data-connection-id] td.state + td.num'), { timeout: 20_000 })
    .toEqual(['3,001']);
  const [connection] = (await exportFromFirefoxPanel(panel)).connections;
  expect(connection?.events).toHaveLength(3001);
  expect(connection?.events.slice(0, 3000).every((e) => e.data === 'x'.repeat(1000))).toBe(true);
  expect(connection?.events.at(-1)?.data).toBe('hé');
});

// The agent sends binary bodies and Blobs as they are, and the relay reads them: in Firefox it sees
// them through Xrays.
test('request bodies of every kind are recorded as in Chromium: text, bytes decoded, a Blob or a form described', async ({
  server,
  firefoxPage,
  openFirefoxPanel,
  exportFromFirefoxPanel,
}) => {
  server.page('/ff/bodies.html', TEST_PAGE_HTML);
  for (const kind of REQUEST_BODY_KINDS)
    server.stream(`/ff/body/${kind}`, { steps: [{ write: 'data: x\n\n' }] });
  await firefoxPage.goto(server.url('/ff/bodies.html'));
  await firefoxPage.evaluate(postEveryRequestBody, '/ff/body');
  const panel = await openFirefoxPanel(firefoxPage);
  await expect.poll(() => textsOf(panel, 'tr[data-connection-id]')).toHaveLength(REQUEST_BODY_KINDS.length);
  const file = await exportFromFirefoxPanel(panel);
  const bodies = Object.fromEntries(
    file.connections.map((c) => [new URL(c.url).pathname.slice('/ff/body/'.length), c.requestBody]),
  );
  expect(bodies).toEqual(EXPECTED_REQUEST_BODIES);
});
