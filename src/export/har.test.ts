import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import addFormats from 'ajv-formats';
import type { Har } from 'har-format';
import { describe, expect, it } from 'vitest';
import { IMPORT_LIMITS } from '../limits';
import { buildHar, HAR_EXTENSION, type HarEntry } from './har';
import { type ImportResult, readExportText } from './read-export';
import { sampleConnections } from './test-connections';
import { buildExportFile, type ExportableConnection } from './write-export';

const tool = { name: 'SSE DevTools', version: '0.1.0' };

/**
 * The HAR 1.2 JSON Schema of `har-schema` (the schema behind `har-validator`, which is no longer
 * maintained and pins Ajv 6), compiled with current Ajv. `strict: false` because the schema uses
 * `min` and `optional`, which are not JSON Schema keywords (so the tests check those rules below).
 */
function harValidator() {
  const schemas = createRequire(import.meta.url)('har-schema') as Record<string, { $id: string }>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addMetaSchema(draft06);
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  const validate = ajv.getSchema('har.json#');
  if (!validate) throw new Error('har-schema has no har.json');
  return (value: unknown) => {
    const valid = validate(value);
    return { valid, errors: ajv.errorsText(validate.errors) };
  };
}

const validateHar = harValidator();
const read = (value: unknown): ImportResult => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return readExportText(text, text.length);
};
const entriesOf = (har: Har) => har.log.entries as HarEntry[];

function imported(value: unknown): ExportableConnection[] {
  const result = read(value);
  if (!result.ok) throw new Error(JSON.stringify(result.problem));
  expect(result.format).toBe('har');
  return result.connections;
}

/** The export file's connections: the canonical form two captures are compared in. */
const asExported = (connections: readonly ExportableConnection[]) =>
  buildExportFile(connections, { tool, includeSecrets: true }).connections;

describe('HAR out', () => {
  it('is valid HAR 1.2 (har-schema, Ajv) with the rules the schema cannot say', () => {
    const har = buildHar(sampleConnections(), { tool });
    const { valid, errors } = validateHar(har);
    expect(errors).toBe('No errors');
    expect(valid).toBe(true);
    for (const entry of har.log.entries) {
      // HAR 1.2: send, wait and receive are never -1; time is the sum of the timings.
      const { send, wait, receive } = entry.timings;
      for (const value of [send, wait, receive]) expect(value).toBeGreaterThanOrEqual(0);
      expect(entry.time).toBeCloseTo((send ?? 0) + wait + receive, 6);
    }
  });

  it('has one entry per connection with the request, response headers and the exact body', () => {
    const connections = sampleConnections();
    const entries = entriesOf(buildHar(connections, { tool, includeSecrets: true }));
    expect(entries).toHaveLength(connections.length);
    const [sse, ndjson, es] = entries;
    expect(sse?.request).toMatchObject({
      method: 'POST',
      url: 'https://api.example.com/v1/chat/completions?stream=true',
      queryString: [{ name: 'stream', value: 'true' }],
      postData: { mimeType: 'application/json', text: connections[0]?.info.requestBody },
    });
    expect(sse?.response.headers).toContainEqual({
      name: 'content-type',
      value: 'text/event-stream; charset=utf-8',
    });
    // The chunks joined: the text the page read, CRLF, split characters and all.
    expect(sse?.response.content.text).toBe(connections[0]?.chunks?.map((c) => c.text).join(''));
    expect(sse?.response.content.mimeType).toBe('text/event-stream; charset=utf-8');
    expect(sse?._resourceType).toBe('fetch');
    expect(ndjson?.response.content.text).toBe('{"a":1}\n{"b":2}\n{"c":3}');
    expect(ndjson?.response).toHaveProperty('_error', 'TypeError: network error');
    // Without chunks (a native EventSource), the body is its events written as stream text.
    expect(es?.response.content.text).toBe('id: 5\nevent: tick\ndata: {"n":1}\n\nid: 6\ndata: plain\n\n');
  });

  it('writes the events in _eventSourceMessages with time in seconds since the epoch', () => {
    const connections = sampleConnections();
    const [sse] = entriesOf(buildHar(connections, { tool }));
    const events = connections[0]?.records.filter((r) => r.kind === 'event') ?? [];
    expect(sse?._eventSourceMessages).toEqual(
      events.map((r) => ({ type: r.type, time: r.time / 1000, eventId: r.id, data: r.data })),
    );
    expect(sse?._eventSourceMessages.map((m) => m.data)).toEqual([
      '{"choices":[{"delta":{"content":"Hel"}}]}',
      '{"choices":[{"delta":{"content":"lo é"}}]}',
      'two\nlines',
      '[DONE]',
    ]);
    // Seconds, not milliseconds: within a second of the connection's start (as a date, 2026).
    const first = sse?._eventSourceMessages[0]?.time ?? 0;
    expect(new Date(first * 1000).getUTCFullYear()).toBe(2026);
  });

  it('redacts secret headers unless Include secrets is ticked', () => {
    const [redacted] = entriesOf(buildHar(sampleConnections(), { tool }));
    expect(redacted?.request.headers).toContainEqual({ name: 'authorization', value: '[redacted]' });
    expect(redacted?.response.headers).toContainEqual({ name: 'set-cookie', value: '[redacted]' });
    expect(JSON.stringify(redacted)).not.toContain('sk-secret');
    const [kept] = entriesOf(buildHar(sampleConnections(), { tool, includeSecrets: true }));
    expect(kept?.request.headers).toContainEqual({ name: 'authorization', value: 'Bearer sk-secret' });
  });
});

describe('HAR in', () => {
  it('imports our own HAR back equal: request, response, events at their times, chunks, ends', () => {
    const connections = sampleConnections();
    const back = imported(buildHar(connections, { tool, includeSecrets: true }));
    expect(asExported(back)).toEqual(asExported(connections));
    // The EventSource's own open and error records come back too (from _sseDevtools).
    expect(back[2]?.records.map((r) => r.kind)).toEqual(['open', 'event', 'error', 'open', 'event']);
    expect(back.every((c) => !c.info.timesUnknown)).toBe(true);
  });

  it('reads a HAR of another tool: stream entries only, events parsed from the body, times unknown', () => {
    const startedDateTime = '2026-11-24T18:20:14.938Z';
    const entry = (mimeType: string, text: string, extra: Record<string, unknown> = {}) => ({
      startedDateTime,
      time: 250,
      request: { method: 'GET', url: 'http://127.0.0.1:8080/sse', httpVersion: 'HTTP/1.1', headers: [] },
      response: {
        status: 200,
        statusText: 'OK',
        httpVersion: 'HTTP/1.1',
        headers: [
          { name: 'Content-Type', value: mimeType },
          { name: ':status', value: '200' },
        ],
        content: { size: text.length, mimeType, text },
      },
      cache: {},
      timings: { send: 0, wait: 10, receive: 240 },
      ...extra,
    });
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'Playwright', version: '1.65' },
        entries: [
          entry('text/html', '<p>page</p>'),
          // Not a stream, and not even a whole entry: skipped unread, not a reason to refuse the file.
          { comment: 'an entry without request or response' },
          entry('Text/Event-Stream; charset=UTF-8', 'id: 1\ndata: a\n\n: hb\n\ndata: b\n\n'),
          entry('application/x-ndjson', btoa('{"x":1}\n{"x":2}\n'), {}),
        ],
      },
    };
    // A binary-safe HAR writer gives the body in base64.
    Object.assign((har.log.entries[3] as ReturnType<typeof entry>).response.content, { encoding: 'base64' });
    const [sse, ndjson, ...rest] = imported(har);
    expect(rest).toEqual([]);
    expect(sse?.info).toMatchObject({
      id: 'har:2',
      transport: 'fetch',
      format: 'sse',
      url: 'http://127.0.0.1:8080/sse',
      responseHeaders: { 'content-type': 'Text/Event-Stream; charset=UTF-8' },
      timesUnknown: true,
    });
    expect(sse?.records.map(({ kind, id, data }) => ({ kind, id, data }))).toEqual([
      { kind: 'event', id: '1', data: 'a' },
      { kind: 'comment', id: '1', data: 'hb' },
      { kind: 'event', id: '1', data: 'b' },
    ]);
    // Not invented: every record is at the placeholder the views show as unknown.
    expect(new Set(sse?.records.map((r) => r.time))).toEqual(new Set([Date.parse(startedDateTime)]));
    expect(sse?.end).toEqual({ state: 'completed', error: null, endedAt: Date.parse(startedDateTime) + 250 });
    expect(ndjson?.records.map((r) => r.data)).toEqual(['{"x":1}', '{"x":2}']);

    // Through our JSON file and back, the times stay unknown (not turned into read times).
    const file = buildExportFile([sse as ExportableConnection], { tool });
    expect(file.connections[0]).toMatchObject({ timesUnknown: true });
    expect(file.connections[0]?.events.map((e) => e.elapsedMs)).toEqual([0, 0, 0]);
    const again = read(file);
    if (!again.ok) throw new Error(JSON.stringify(again.problem));
    expect(again.connections[0]?.info.timesUnknown).toBe(true);
    // And out as HAR again: no time is written for an event whose time is not known.
    const [reexported] = entriesOf(buildHar(again.connections, { tool }));
    expect(reexported?._eventSourceMessages.map((m) => 'time' in m)).toEqual([false, false]);
  });

  it('takes the times of another tool\u2019s _eventSourceMessages when the entry has no body', () => {
    const har = {
      log: {
        entries: [
          {
            startedDateTime: '2026-01-01T00:00:00.000Z',
            time: 3000,
            _resourceType: 'eventsource',
            request: { method: 'GET', url: 'https://x.test/es', headers: [] },
            response: {
              status: 200,
              statusText: 'OK',
              headers: [{ name: 'content-type', value: 'text/event-stream' }],
              content: { size: 0, mimeType: 'text/event-stream' },
            },
            _eventSourceMessages: [
              { eventName: 'tick', eventId: '1', data: 'a', time: Date.UTC(2026, 0, 1, 0, 0, 1) / 1000 },
              { type: 'message', eventId: '2', data: 'b', time: Date.UTC(2026, 0, 1, 0, 0, 2) / 1000 },
            ],
          },
        ],
      },
    };
    const [connection] = imported(har);
    expect(connection?.info.transport).toBe('eventsource');
    expect(connection?.info.timesUnknown).toBeUndefined();
    expect(connection?.records.map(({ type, data, time }) => ({ type, data, time }))).toEqual([
      { type: 'tick', data: 'a', time: Date.UTC(2026, 0, 1, 0, 0, 1) },
      { type: 'message', data: 'b', time: Date.UTC(2026, 0, 1, 0, 0, 2) },
    ]);
  });

  it('refuses a HAR without stream entries, or with a broken stream entry, with the reason', () => {
    const page = {
      startedDateTime: '2026-01-01T00:00:00.000Z',
      time: 1,
      request: { method: 'GET', url: 'https://x.test/', headers: [] },
      response: { status: 200, statusText: 'OK', headers: [], content: { size: 1, mimeType: 'text/html' } },
    };
    expect(read({ log: { entries: [page, page] } })).toEqual({
      ok: false,
      problem: { reason: 'no-streams', entries: 2 },
    });
    const [good] = entriesOf(buildHar(sampleConnections(), { tool }));
    const broken = { ...good, response: { ...good?.response, status: 'two hundred' } };
    expect(read({ log: { entries: [page, broken] } })).toEqual({
      ok: false,
      problem: {
        reason: 'invalid',
        format: 'har',
        detail: 'log.entries.1.response.status: Invalid input: expected number, received string',
      },
    });
    const badExtension = { ...good, [HAR_EXTENSION]: { ...good?.[HAR_EXTENSION], state: 'exploded' } };
    const result = read({ log: { entries: [badExtension] } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatchObject({ reason: 'invalid', format: 'har' });
    if (!result.ok && result.problem.reason === 'invalid') {
      expect(result.problem.detail).toMatch(/^log\.entries\.0\._sseDevtools\.state: /);
    }
  });

  it('holds a HAR to the import limits: more records than allowed are refused, counted', () => {
    const body = 'data: x\n\n'.repeat(IMPORT_LIMITS.maxRecords + 1);
    // Another tool's entry: the body alone, parsed (and counted past the limit) on import.
    const entry = {
      startedDateTime: '2026-01-01T00:00:00.000Z',
      time: 1,
      request: { method: 'GET', url: 'https://x.test/sse', headers: [] },
      response: {
        status: 200,
        statusText: 'OK',
        headers: [],
        content: { mimeType: 'text/event-stream', text: body },
      },
    };
    expect(read({ log: { entries: [entry] } })).toEqual({
      ok: false,
      problem: {
        reason: 'too-many',
        what: 'records',
        count: IMPORT_LIMITS.maxRecords + 1,
        limit: IMPORT_LIMITS.maxRecords,
      },
    });
  }, 30_000);
});
