/**
 * Captured connections for the export tests: the records of each are what the relay derives from its
 * chunks (same parser), as in a real capture, so files rebuilt from chunks can be compared with them.
 */
import type { ConnectionInfo, StreamChunk, StreamRecord } from '../model';
import { recordsOfChunks } from '../sse/parse-chunks';
import type { ExportableConnection } from './write-export';

const STARTED_AT = Date.UTC(2026, 10, 24, 18, 20, 14, 938) + 0.25;

function info(patch: Partial<ConnectionInfo> & Pick<ConnectionInfo, 'id'>): ConnectionInfo {
  return {
    transport: 'fetch',
    format: 'sse',
    url: 'https://api.example.com/v1/chat/completions?stream=true',
    method: 'POST',
    requestHeaders: { authorization: 'Bearer sk-secret', 'content-type': 'application/json' },
    requestBody: '{"stream":true,"messages":[{"role":"user","content":"it\'s"}]}',
    status: 200,
    statusText: 'OK',
    responseHeaders: { 'content-type': 'text/event-stream; charset=utf-8', 'set-cookie': 'session=abc' },
    frameUrl: 'https://app.example.com/chat',
    startedAt: STARTED_AT,
    headersAt: STARTED_AT + 12.5,
    ...patch,
  };
}

/** A connection whose records are parsed from `texts`, read `gapMs` apart from 20 ms on. */
export function capturedConnection(
  patch: Partial<ConnectionInfo> & Pick<ConnectionInfo, 'id'>,
  texts: string[],
  gapMs = 40,
  state: 'completed' | 'error' | 'open' = 'completed',
): ExportableConnection & { chunks: StreamChunk[] } {
  const connectionInfo = info(patch);
  const chunks = texts.map((text, index) => ({
    seq: index + 1,
    time: connectionInfo.startedAt + 20 + index * gapMs + index * 0.125,
    text,
  }));
  const endedAt = (chunks.at(-1)?.time ?? connectionInfo.startedAt) + 5;
  const { records } = recordsOfChunks(connectionInfo.format, chunks, state === 'completed', endedAt);
  return {
    info: connectionInfo,
    records,
    chunks,
    bytes: new TextEncoder().encode(texts.join('')).length,
    end:
      state === 'open'
        ? null
        : {
            state,
            error: state === 'error' ? 'TypeError: network error' : null,
            endedAt,
          },
  };
}

/** An OpenAI-style stream split mid-line and mid-character, with a comment and a retry. */
export const openAiChunks = [
  ': ping\n\nretry: 2500\n\nid: 1\ndata: {"choices":[{"delta":{"content":"Hel"}}]}\n\n',
  'id: 2\ndata: {"choices":[{"delta":{"content":"lo é',
  '"}}]}\r\n\r\nevent: note\ndata: two\ndata: lines\n\n',
  'data: [DONE]\n\n',
];

/** A native EventSource's records (it has no chunks: the page never sees its bytes). */
export function eventSourceConnection(): ExportableConnection {
  const esInfo = info({
    id: 'es:1',
    transport: 'eventsource',
    method: 'GET',
    url: 'https://app.example.com/events',
    requestHeaders: {},
    requestBody: null,
    status: 0,
    statusText: '',
    responseHeaders: {},
  });
  const at = (ms: number) => esInfo.startedAt + ms;
  const records: StreamRecord[] = [
    { seq: 1, kind: 'open', id: '', type: '', data: '', time: at(10), attempt: 1 },
    { seq: 2, kind: 'event', id: '5', type: 'tick', data: '{"n":1}', time: at(30), attempt: 1 },
    { seq: 3, kind: 'error', id: '5', type: '', data: 'reconnecting', time: at(60), attempt: 1 },
    { seq: 4, kind: 'open', id: '5', type: '', data: '', time: at(90), attempt: 2 },
    { seq: 5, kind: 'event', id: '6', type: 'message', data: 'plain', time: at(120), attempt: 2 },
  ];
  return {
    info: esInfo,
    records,
    bytes: 0,
    end: { state: 'cancelled', error: null, endedAt: at(200) },
  };
}

/** A fetch SSE, an XHR NDJSON stream cut by a network error, an EventSource and one still open. */
export function sampleConnections(): ExportableConnection[] {
  return [
    capturedConnection({ id: 'k3:1' }, openAiChunks),
    capturedConnection(
      {
        id: 'k3:2',
        transport: 'xhr',
        format: 'ndjson',
        method: 'GET',
        url: 'https://api.example.com/ollama/api/chat',
        requestHeaders: {},
        requestBody: null,
        responseHeaders: { 'content-type': 'application/x-ndjson' },
      },
      ['{"a":1}\n{"b"', ':2}\n', '{"c":3}'],
      25,
      'error',
    ),
    eventSourceConnection(),
    capturedConnection({ id: 'k3:4' }, ['data: first\n\n', 'data: partial'], 10, 'open'),
  ];
}
