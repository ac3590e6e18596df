import { describe, expect, it } from 'vitest';
import type { ConnectionInfo, StreamRecord } from '../model';
import { IMPORT_LIMITS, type ImportResult, readExportText } from './read-export';
import { buildExportFile } from './write-export';

const info: ConnectionInfo = {
  id: 'abc:1',
  transport: 'fetch',
  format: 'sse',
  url: 'https://api.example.com/v1/chat',
  method: 'POST',
  requestHeaders: { authorization: 'Bearer sk-secret', 'content-type': 'application/json' },
  requestBody: '{"stream":true}',
  status: 200,
  statusText: 'OK',
  responseHeaders: { 'content-type': 'text/event-stream' },
  frameUrl: 'https://app.example.com/',
  startedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
  headersAt: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
};
const records: StreamRecord[] = [
  { seq: 1, kind: 'comment', id: '', type: '', data: 'ping', time: info.startedAt + 150.5 },
  { seq: 2, kind: 'event', id: '7', type: 'message', data: '{"a":"\\u00e9"}', time: info.startedAt + 200.25 },
  { seq: 3, kind: 'retry', id: '7', type: '', data: '3000', retry: 3000, time: info.startedAt + 300 },
  {
    seq: 4,
    kind: 'event',
    id: '8',
    type: 'big',
    data: 'x',
    truncatedFrom: 9_000_000,
    time: info.startedAt + 301,
  },
];
const tool = { name: 'SSE DevTools', version: '0.1.0' };
const exported = () =>
  buildExportFile(
    [
      { info, records, bytes: 123, end: { state: 'completed', error: null, endedAt: info.startedAt + 400 } },
      { info: { ...info, id: 'abc:2' }, records: [], bytes: 0, end: null, recordsNotKept: 12 },
    ],
    { tool, includeSecrets: true },
  );

function read(value: unknown): ImportResult {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return readExportText(text, text.length);
}

function problemOf(result: ImportResult) {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.problem;
}

describe('readExportText', () => {
  it('reads back what the exporter wrote: connections, records, ends', () => {
    const result = read(exported());
    if (!result.ok || result.format !== 'export') throw new Error(JSON.stringify(result));
    expect(result.file.tool).toEqual(tool);
    const [first, second] = result.connections;
    expect(first?.info).toEqual(info);
    expect(first?.records).toEqual(records);
    expect(first?.bytes).toBe(123);
    expect(first?.end).toEqual({ state: 'completed', error: null, endedAt: info.startedAt + 400 });
    expect(second?.end).toBeNull();
    expect(second?.records).toEqual([]);
    // Written only when a limit left something out.
    expect(first?.recordsNotKept).toBeUndefined();
    expect(second?.recordsNotKept).toBe(12);
  });

  it('reads back the chunks the page read and the protocol', () => {
    const chunks = [
      { seq: 1, time: info.startedAt + 150.5, text: ': ping\n' },
      { seq: 2, time: info.startedAt + 200.25, text: 'data: x\n\n' },
    ];
    const file = buildExportFile(
      [{ info: { ...info, nextHopProtocol: 'h2' }, records, bytes: 1, end: null, chunks }],
      { tool },
    );
    const result = read(file);
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    expect(result.connections[0]?.chunks).toEqual(chunks);
    expect(result.connections[0]?.info.nextHopProtocol).toBe('h2');
  });

  it("reads times outside the Date range from the event's ISO time, so that the import exports again", () => {
    const file = exported();
    const [first] = file.connections;
    if (!first?.events[0] || !first.events[1]) throw new Error('fixture');
    first.events[0].elapsedMs = 1e300;
    first.events[1].elapsedMs = -8.7e15;
    const result = read(file);
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    const again = buildExportFile(result.connections, { tool });
    expect(again.connections[0]?.events[0]?.time).toBe(file.connections[0]?.events[0]?.time);
    expect(again.connections[0]?.events[1]?.time).toBe(file.connections[0]?.events[1]?.time);
  });

  it('reads back an EventSource connection: open and error records and attempt numbers', () => {
    const esInfo: ConnectionInfo = {
      ...info,
      id: 'abc:3',
      transport: 'eventsource',
      method: 'GET',
      requestHeaders: {},
      requestBody: null,
      status: 0,
      statusText: '',
      responseHeaders: {},
    };
    const t = info.startedAt;
    const esRecords: StreamRecord[] = [
      { seq: 1, kind: 'open', id: '', type: '', data: '', time: t + 1, attempt: 1 },
      { seq: 2, kind: 'event', id: '1', type: 'tick', data: 'a', time: t + 2, attempt: 1 },
      { seq: 3, kind: 'error', id: '1', type: '', data: 'reconnecting', time: t + 3, attempt: 1 },
      { seq: 4, kind: 'open', id: '1', type: '', data: '', time: t + 4, attempt: 2 },
    ];
    const file = buildExportFile([{ info: esInfo, records: esRecords, bytes: 0, end: null }], { tool });
    expect(file.connections[0]?.events.map((e) => [e.kind, e.attempt])).toEqual([
      ['open', 1],
      [undefined, 1],
      ['error', 1],
      ['open', 2],
    ]);
    const result = read(file);
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    expect(result.connections[0]?.records).toEqual(esRecords);
  });

  it('ignores fields it does not know (later minor versions add optional fields)', () => {
    const file = exported() as unknown as Record<string, unknown> & {
      connections: Record<string, unknown>[];
    };
    file.comment = 'from the future';
    const first = file.connections[0];
    if (first) first.llm = { text: 'hello' };
    const result = read(file);
    expect(result.ok).toBe(true);
  });

  it('refuses a file larger than the limit before parsing it', () => {
    expect(problemOf(readExportText('not even json', IMPORT_LIMITS.maxBytes + 1))).toEqual({
      reason: 'too-large',
      size: IMPORT_LIMITS.maxBytes + 1,
      limit: IMPORT_LIMITS.maxBytes,
    });
  });

  it('refuses text that is not JSON', () => {
    expect(problemOf(read('{"version": 1, "connections": ['))).toMatchObject({ reason: 'not-json' });
    expect(problemOf(read(''))).toMatchObject({ reason: 'not-json' });
  });

  it('refuses JSON of another tool or shape as foreign', () => {
    for (const foreign of [
      { log: { version: '1.2' } }, // HAR-like, without entries
      [],
      42,
      null,
      { version: 1 },
      { connections: [] },
    ]) {
      expect(problemOf(read(foreign)), JSON.stringify(foreign)).toEqual({ reason: 'foreign' });
    }
  });

  it('refuses an export version it does not know', () => {
    expect(problemOf(read({ ...exported(), version: 2 }))).toEqual({
      reason: 'unsupported-version',
      version: '2',
    });
    expect(problemOf(read({ ...exported(), version: '1' }))).toMatchObject({ reason: 'unsupported-version' });
  });

  it('refuses more connections or records than the limits allow, before validating them', () => {
    const manyConnections = { version: 1, connections: new Array(IMPORT_LIMITS.maxConnections + 1).fill(0) };
    expect(problemOf(read(manyConnections))).toEqual({
      reason: 'too-many',
      what: 'connections',
      count: IMPORT_LIMITS.maxConnections + 1,
      limit: IMPORT_LIMITS.maxConnections,
    });
    const half = Math.ceil((IMPORT_LIMITS.maxRecords + 1) / 2);
    const manyRecords = {
      version: 1,
      connections: [{ events: new Array(half).fill(0) }, { events: new Array(half).fill(0) }],
    };
    expect(problemOf(read(manyRecords))).toMatchObject({ reason: 'too-many', what: 'records' });
  });

  it('names the first wrong field of a malformed export', () => {
    const missing = exported() as unknown as { connections: Record<string, unknown>[] };
    delete missing.connections[0]?.url;
    expect(problemOf(read(missing))).toEqual({
      reason: 'invalid',
      format: 'export',
      detail: expect.stringMatching(/^connections\.0\.url: /),
    });

    const badTime = exported();
    const event = badTime.connections[0]?.events[1];
    if (event) event.time = 'yesterday';
    expect(problemOf(read(badTime))).toEqual({
      reason: 'invalid',
      format: 'export',
      detail: expect.stringMatching(/^connections\.0\.events\.1\.time: /),
    });

    const badState = exported() as unknown as { connections: Record<string, unknown>[] };
    if (badState.connections[1]) badState.connections[1].state = 'exploded';
    expect(problemOf(read(badState))).toMatchObject({ reason: 'invalid' });
  });

  it('refuses two connections with the same id', () => {
    const file = exported();
    const second = file.connections[1];
    if (second) second.id = 'abc:1';
    expect(problemOf(read(file))).toEqual({
      reason: 'invalid',
      format: 'export',
      detail: 'connections.1.id: duplicate id abc:1',
    });
  });
});
