import { describe, expect, it } from 'vitest';
import { IMPORT_LIMITS } from '../limits';
import { type ImportResult, readExportText } from './read-export';
import { capturedConnection, sampleConnections } from './test-connections';
import { buildTimedStream, readTimedStream } from './timed-stream';
import { buildExportFile, type ExportableConnection } from './write-export';

const tool = { name: 'SSE DevTools', version: '0.1.0' };
const read = (text: string): ImportResult => readExportText(text, text.length);
const asExported = (connections: readonly ExportableConnection[]) =>
  buildExportFile(connections, { tool, includeSecrets: true }).connections;
const lines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('timed stream', () => {
  it('writes one connection line, one line per chunk with its elapsed ms and exact text, and an end', () => {
    const connection = capturedConnection({ id: 'k3:1' }, ['data: a\n\nda', 'ta: b\r\n\r\n'], 40);
    const written = lines(buildTimedStream([connection]));
    expect(written.map((line) => line.type)).toEqual(['connection', 'chunk', 'chunk', 'end']);
    expect(written[0]).toMatchObject({
      timedStream: 1,
      id: 'k3:1',
      method: 'POST',
      url: 'https://api.example.com/v1/chat/completions?stream=true',
      status: 200,
      body: 'chunks',
      bytes: 20,
      // Redacted unless Include secrets is ticked.
      requestHeaders: { authorization: '[redacted]' },
    });
    expect(written.slice(1, 3)).toEqual([
      { type: 'chunk', elapsedMs: 20, text: 'data: a\n\nda' },
      { type: 'chunk', elapsedMs: 60.125, text: 'ta: b\r\n\r\n' },
    ]);
    expect(written[3]).toEqual({
      type: 'end',
      elapsedMs: 65.125,
      state: 'completed',
      error: null,
    });
  });

  it('imports back equal: events rebuilt from the chunks at their times', () => {
    const connections = sampleConnections();
    const result = read(buildTimedStream(connections, true));
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    expect(result.format).toBe('timed-stream');
    const [sse, ndjson, es, open] = result.connections;
    const [sseIn, ndjsonIn, , openIn] = asExported(connections);
    expect(asExported([sse, ndjson, open].flatMap((c) => (c ? [c] : [])))).toEqual([sseIn, ndjsonIn, openIn]);
    // A native EventSource has no chunks: its events were written as stream text at their read times,
    // so the events come back; its own open and error records are not bytes of any stream.
    expect(es?.records.map(({ kind, id, type, data }) => ({ kind, id, type, data }))).toEqual([
      { kind: 'event', id: '5', type: 'tick', data: '{"n":1}' },
      { kind: 'event', id: '6', type: 'message', data: 'plain' },
    ]);
    expect(es?.chunks).toBeUndefined();
  });

  it('refuses a broken line with its number and field', () => {
    const good = buildTimedStream([capturedConnection({ id: 'k3:1' }, ['data: a\n\n'])]);
    const [head, chunk, end] = good.trimEnd().split('\n');
    expect(read(`${head}\n${chunk?.replace('"elapsedMs":20', '"elapsedMs":"soon"')}\n${end}`)).toEqual({
      ok: false,
      problem: {
        reason: 'invalid',
        format: 'timed-stream',
        detail: 'line 2: elapsedMs: Invalid input: expected number, received string',
      },
    });
    expect(readTimedStream(`${head}\n${end}\n${chunk}`)).toEqual({
      ok: false,
      line: 3,
      detail: 'after the end of its connection',
    });
    expect(read(`${head}\n{not json`)).toMatchObject({
      ok: false,
      problem: { reason: 'invalid', format: 'timed-stream', detail: expect.stringMatching(/^line 2: /) },
    });
  });

  it('holds a timed stream to the import limits', () => {
    const body = 'data: x\n\n'.repeat(IMPORT_LIMITS.maxRecords + 1);
    const [head] = buildTimedStream([capturedConnection({ id: 'big:1' }, ['data: x\n\n'])]).split('\n');
    const chunk = JSON.stringify({ type: 'chunk', elapsedMs: 1, text: body });
    expect(read(`${head}\n${chunk}\n`)).toEqual({
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
