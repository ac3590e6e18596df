import type { ConnectionInfo, StreamRecord } from './model';

/** A connection's info for unit tests. */
export function testInfo(id: string, patch: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return {
    id,
    transport: 'fetch',
    format: 'sse',
    url: `http://127.0.0.1/${id}`,
    method: 'GET',
    requestHeaders: {},
    requestBody: null,
    status: 200,
    statusText: 'OK',
    responseHeaders: { 'content-type': 'text/event-stream' },
    frameUrl: 'http://127.0.0.1/',
    startedAt: 1000,
    headersAt: 1010,
    ...patch,
  };
}

/** Timeline records numbered from `firstSeq`, built from `[kind, type, data, id?]` rows. */
export function testRecords(
  rows: [kind: StreamRecord['kind'], type: string, data: string, id?: string][],
  firstSeq = 1,
): StreamRecord[] {
  return rows.map(([kind, type, data, id = ''], i) => ({
    seq: firstSeq + i,
    kind,
    id,
    type,
    data,
    time: 1000 + (firstSeq + i) * 10,
  }));
}
