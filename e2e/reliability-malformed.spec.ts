/**
 * Malformed streams (issue 7): invalid UTF-8, NUL bytes, a stream that never sends a line ending,
 * `retry` values of absurd size, random bytes and a small seeded fuzz run over mutated SSE, served to
 * a page in random chunks and read with fetch, XMLHttpRequest and EventSource. Nothing reaches the
 * page as an error, the page reads exactly the bytes (or text, or events) it would read anyway, and
 * what was captured is what the parser makes of the whole body (src/sse/fuzz.test.ts checks the
 * parser itself against a reference over any split). And bad import files: not JSON, of another
 * shape, too large or with too many events are refused with the reason, losing nothing in the panel.
 */
import { mkdtemp, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExportFile } from '../src/export/write-export';
import { IMPORT_LIMITS } from '../src/limits';
import { createRandom, pick, randomInt, rowsOf, splitRandomly, tapAll } from '../src/sse/test-support';
import { testInfo as connectionInfo, testRecords } from '../src/test-records';
import { openReader, readStream, sse } from './panel-helpers';
import { collectPageErrors } from './reliability-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, eventCells, exportFromPanel, importFileInPanel } from './support/panel';

interface MalformedStream {
  name: string;
  bytes: Uint8Array;
  /** How the server cuts it into writes. */
  chunks: Uint8Array[];
  /** What the page's EventSource saw (filled in by the test). */
  esEvents?: string[];
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: (string | number[] | Uint8Array)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? utf8(p) : Uint8Array.from(p))));

/** A valid SSE body of a few events, comments and retries, to mutate. */
function validSse(random: () => number): string {
  let text = '';
  for (let i = randomInt(random, 6) + 1; i > 0; i--) {
    if (random() < 0.3) text += `: ${pick(random, ['ping', '', 'x:y'])}\n`;
    if (random() < 0.4) text += `id: ${randomInt(random, 100)}\n`;
    if (random() < 0.3) text += `event: ${pick(random, ['message', 'delta', 'done'])}\n`;
    if (random() < 0.2) text += `retry: ${randomInt(random, 5000)}\n`;
    text += `data: ${pick(random, ['{"t":"hé"}', 'plain', '', ' two  spaces', '漢字😀'])}\n\n`;
  }
  return text;
}

/** Flips, inserts (NUL, CR, LF, stray UTF-8 bytes) and deletes a few bytes. */
function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = [...bytes];
  for (let n = randomInt(random, 6) + 1; n > 0; n--) {
    const at = randomInt(random, out.length + 1);
    const r = random();
    if (r < 0.3) out.splice(at, 0, pick(random, [0x00, 0x0d, 0x0a, 0xff, 0xc3, 0xed, 0x80, 0x3a]));
    else if (r < 0.6 && out.length > 0) out.splice(at, 1);
    else if (out.length > 0) out[Math.min(at, out.length - 1)] = randomInt(random, 256);
  }
  return Uint8Array.from(out);
}

/** The named malformed cases of issue 7, then random bytes and mutated SSE, cut at random. */
function malformedStreams(seed: number): MalformedStream[] {
  const random = createRandom(seed);
  const named: [string, Uint8Array][] = [
    [
      'invalid-utf8',
      concat(
        'data: a',
        [0xff, 0xfe, 0xc3],
        '(\n\n',
        'data: ',
        [0xed, 0xa0, 0x80],
        ' ',
        [0xc0, 0xaf],
        '\n',
        'data: ',
        [0xf0, 0x9f],
        '\n\n',
      ),
    ],
    [
      'nul-bytes',
      concat(
        'data: a',
        [0],
        'b\n',
        'id: x',
        [0],
        'y\n',
        'event: ',
        [0],
        '\n\n',
        'id: ok\ndata: ',
        [0, 0],
        '\n\n',
      ),
    ],
    ['no-line-ending', concat('data: ', 'x'.repeat(300_000))],
    [
      'absurd-retry',
      concat(
        'retry: 99999999999999999999\n\n',
        'retry: -1\nretry: 1e9\nretry: 0x10\n',
        'retry: ',
        '9'.repeat(5000),
        '\ndata: after\n\n',
      ),
    ],
    ['random-bytes', Uint8Array.from({ length: 4096 }, () => randomInt(random, 256))],
  ];
  for (let i = 0; i < 8; i++) named.push([`fuzz-${i}`, mutate(utf8(validSse(random)), random)]);
  return named.map(([name, bytes]) => ({ name, bytes, chunks: splitRandomly(bytes, random) }));
}

interface PageRead {
  fetchHex: string;
  xhrText: string;
  /** `type|id|data` of every `message` event, until the first error. */
  esEvents: string[];
}

const READER_PAGE = `<!doctype html><meta charset="utf-8"><title>malformed</title><script>
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  async function readFetch(url) {
    const reader = (await fetch(url)).body.getReader();
    let out = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return out;
      out += hex(value);
    }
  }
  const readXhr = (url) => new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url);
    xhr.onloadend = () => resolve(xhr.responseText);
    xhr.send();
  });
  const readEventSource = (url) => new Promise((resolve) => {
    const source = new EventSource(url);
    const events = [];
    source.onmessage = (e) => events.push(e.type + '|' + e.lastEventId + '|' + e.data);
    source.onerror = () => {
      source.close();
      resolve(events);
    };
  });
  window.readEveryWay = async (path) => ({
    fetchHex: await readFetch(path + '?via=fetch'),
    xhrText: await readXhr(path + '?via=xhr'),
    esEvents: await readEventSource(path + '?via=es'),
  });
</script>`;

test('malformed and random streams read the same through fetch, XHR and EventSource, are captured as parsed, and throw nothing into the page', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  test.setTimeout(120_000);
  const streams = malformedStreams(0x5e_ed);
  server.page('/malformed.html', READER_PAGE);
  for (const stream of streams) {
    server.stream(`/m/${stream.name}`, { steps: stream.chunks.map((write) => ({ write })) });
  }
  const pageErrors = await collectPageErrors(page);
  await page.goto(server.url('/malformed.html'));
  const panel = await openPanel(await tabIdOf(page));

  const decoder = new TextDecoder();
  for (const stream of streams) {
    const read = await page.evaluate(
      (path) => (window as unknown as { readEveryWay: (p: string) => Promise<PageRead> }).readEveryWay(path),
      `/m/${stream.name}`,
    );
    expect(read.fetchHex, stream.name).toBe(Buffer.from(stream.bytes).toString('hex'));
    expect(read.xhrText, stream.name).toBe(decoder.decode(stream.bytes));
    stream.esEvents = read.esEvents;
  }
  expect(await pageErrors()).toEqual([]);

  await expect(connectionRows(panel)).toHaveCount(streams.length * 3);
  const file = await exportFromPanel(panel);
  for (const stream of streams) {
    const expected = rowsOf(tapAll('sse', [stream.bytes]));
    for (const via of ['fetch', 'xhr', 'es'] as const) {
      const connection = file.connections.find((c) => c.url.endsWith(`/m/${stream.name}?via=${via}`));
      if (!connection) throw new Error(`${stream.name} read with ${via} was not captured`);
      const rows = connection.events.map((e) => [e.kind ?? 'event', e.id, e.type, e.data]);
      if (via === 'es') {
        // What the page's onmessage saw, in order; the connection's open and error records aside.
        const messages = connection.events
          .filter((e) => (e.kind ?? 'event') === 'event')
          .map((e) => `${e.type}|${e.id}|${e.data}`);
        expect(messages, `${stream.name} via EventSource`).toEqual(stream.esEvents);
      } else {
        expect(connection.state, `${stream.name} via ${via}`).toBe('completed');
        expect(rows, `${stream.name} via ${via}`).toEqual(expected);
      }
    }
  }
});

test('an import that is not JSON, of another shape, 200 MB or 1 000 000 events is refused with the reason; nothing in the panel is lost', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  test.setTimeout(180_000);
  const dir = await mkdtemp(join(tmpdir(), 'sse-devtools-import-'));
  try {
    const now = Date.now();
    const valid = join(dir, 'valid.json');
    await writeFile(
      valid,
      JSON.stringify(
        buildExportFile(
          [
            {
              info: connectionInfo('imp:1', {
                url: 'https://api.example.com/v1/kept',
                startedAt: now - 60_000,
              }),
              records: testRecords([['event', 'message', 'kept event', '1']]),
              bytes: 20,
              end: { state: 'completed', error: null, endedAt: now - 59_000 },
            },
          ],
          { tool: { name: 'SSE DevTools', version: '0.1.0' } },
        ),
      ),
    );
    const binary = join(dir, 'random.json');
    const random = createRandom(7);
    await writeFile(
      binary,
      Uint8Array.from({ length: 64 * 1024 }, () => randomInt(random, 256)),
    );
    const otherShape = join(dir, 'numbers.json');
    await writeFile(otherShape, JSON.stringify({ version: 1, connections: 'not a list', data: [1, 2, 3] }));
    const nested = join(dir, 'nested.json');
    await writeFile(nested, `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    // 200 MB without writing 200 MB: a sparse file of that size.
    const huge = join(dir, 'huge.json');
    await writeFile(huge, '');
    await truncate(huge, 200_000_000);
    // A million events in well under the size limit, so it is their number that is refused.
    const million = join(dir, 'million.json');
    const event = `{"id":"","type":"message","data":"","time":"${new Date(now).toISOString()}","elapsedMs":0}`;
    const connection = (events: string) =>
      `{"id":"m:1","transport":"fetch","format":"sse","url":"https://a.example/","method":"GET","requestHeaders":{},"requestBody":null,"status":200,"statusText":"OK","responseHeaders":{},"frameUrl":"https://a.example/","startedAt":"${new Date(now).toISOString()}","endedAt":null,"state":"open","error":null,"bytes":0,"events":[${events}]}`;
    await writeFile(
      million,
      `{"version":1,"exportedAt":"${new Date(now).toISOString()}","tool":{"name":"SSE DevTools","version":"0.1.0"},"connections":[${connection(new Array(1_000_000).fill(event).join(','))}]}`,
    );
    expect((await stat(million)).size).toBeLessThan(IMPORT_LIMITS.maxBytes);

    server.stream('/live', { steps: [{ write: sse({ data: 'live data' }) }] });
    await openReader(page, server, '/import-page.html');
    const panel = await openPanel(await tabIdOf(page));
    await readStream(page, server, '/live');
    await expect(connectionRows(panel)).toHaveCount(1);
    await importFileInPanel(panel, valid);
    await expect(panel.locator('.banner.info span')).toHaveText(
      'Imported valid.json: 1 connection, read-only.',
    );
    await expect(connectionRows(panel)).toHaveCount(2);
    // Count what the panel reads of each file, to see the 200 MB one refused from its size alone.
    await panel.evaluate(() => {
      const w = window as unknown as { bytesRead: number };
      w.bytesRead = 0;
      for (const name of ['text', 'arrayBuffer', 'bytes', 'stream'] as const) {
        const native = Blob.prototype[name] as (this: Blob) => unknown;
        if (typeof native !== 'function') continue;
        Object.defineProperty(Blob.prototype, name, {
          value(this: Blob) {
            w.bytesRead += this.size;
            return native.call(this);
          },
          configurable: true,
          writable: true,
        });
      }
    });
    const bytesRead = () => panel.evaluate(() => (window as unknown as { bytesRead: number }).bytesRead);

    const cases: [path: string, message: string | RegExp][] = [
      [binary, /^random\.json was not imported: it is not JSON \(.+\)\.$/],
      [
        otherShape,
        'numbers.json was not imported: it is not an SSE DevTools export, a HAR or a timed stream.',
      ],
      [nested, 'nested.json was not imported: it is not an SSE DevTools export, a HAR or a timed stream.'],
      [huge, 'huge.json was not imported: it is 200.0 MB, more than the 100.0 MB an import may have.'],
      [
        million,
        'million.json was not imported: it has 1,000,000 events, more than the 500,000 an import may have.',
      ],
    ];
    for (const [path, message] of cases) {
      const before = await bytesRead();
      await importFileInPanel(panel, path);
      await expect(panel.getByRole('alert').locator('span')).toHaveText(message, { timeout: 60_000 });
      // Every file within the size limit is read once, whole; the 200 MB one not at all.
      expect(await bytesRead()).toBe(before + (path === huge ? 0 : (await stat(path)).size));
      // The live connection and the earlier import are still there, with their events.
      await expect(connectionRows(panel)).toHaveCount(2);
      await expect(connectionRows(panel).first().locator('.url .path')).toHaveText('/live');
      await connectionRows(panel).nth(1).click();
      await expect.poll(() => eventCells(panel)).toEqual([['1', 'message', 'kept event']]);
      await connectionRows(panel).first().click();
      await expect.poll(() => eventCells(panel)).toEqual([['', 'message', 'live data']]);
    }
    await panel.screenshot({ path: '.tmp/hostile-import-refused.png' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
