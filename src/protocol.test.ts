import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { ConnectionEnd, ConnectionInfo, HeaderMap, Transport } from './model';
import {
  AGENT_END,
  AGENT_PIECES,
  AGENT_START,
  type AgentBodyStart,
  type AgentChunk,
  type AgentEndState,
  type AgentItem,
  agentEndOf,
  type ChunksItem,
  charsOf,
  chunksOf,
  createAgentBatch,
  createAgentChunks,
  createPanelAttached,
  createPanelHello,
  createRelayCapture,
  createSettingsChange,
  createSettingsMessage,
  createSettingsRequest,
  createTabStats,
  createTabStatsRequest,
  END_ABORTED,
  END_COMPLETED,
  EVENTSOURCE_FAILED,
  headerMapOf,
  isAgentBatch,
  isAgentChunk,
  isPanelAttached,
  isPanelHello,
  isRelayCapture,
  isSettingsChangeMessage,
  isSettingsMessage,
  isSettingsRequest,
  isTabStats,
  isTabStatsRequest,
  isWireItem,
  type PageToRelay,
  PROTOCOL_VERSION,
  relayFormsOf,
  requestHeaderMapOf,
  TRANSPORT_EVENTSOURCE,
  TRANSPORT_FETCH,
  TRANSPORT_XHR,
  type WireItem,
  xhrMethodOf,
} from './protocol';
import type { SettingsChange } from './settings';

const connection: ConnectionInfo = {
  id: 't:1',
  transport: 'fetch',
  format: 'sse',
  url: 'http://a/',
  method: 'GET',
  requestHeaders: { accept: 'text/event-stream' },
  requestBody: null,
  status: 200,
  statusText: 'OK',
  responseHeaders: {},
  frameUrl: 'http://a/',
  startedAt: 1,
  headersAt: 2,
};

describe('protocol guards', () => {
  const end = {
    type: 'connection-end',
    connectionId: 't:1',
    end: { state: 'completed', error: null, endedAt: 6 },
  };
  const chunks: WireItem = {
    type: 'chunks',
    connectionId: 't:1',
    firstSeq: 3,
    text: 'data: a\n\nxy',
    length: [9, 0, 2],
    time: [5, 6, 7],
    bytes: 12,
  };

  it('accept what the factories make', () => {
    const items: WireItem[] = [
      { type: 'connection-start', connection },
      chunks,
      { ...end, bytes: 3 } as WireItem,
    ];
    expect(isAgentBatch(createAgentBatch([{ type: 'connection-start', connection }, end as AgentItem]))).toBe(
      true,
    );
    expect(isRelayCapture(createRelayCapture(items, true))).toBe(true);
    expect(items.every(isWireItem)).toBe(true);
    expect(isPanelAttached(createPanelAttached(true))).toBe(true);
    expect(isPanelHello(createPanelHello(7))).toBe(true);
  });

  it("accept an agent's XHR response headers as their block, and nothing else in their place", () => {
    const block = { ...connection, transport: 'xhr', responseHeaders: 'content-type: text/event-stream\r\n' };
    expect(
      isAgentBatch(createAgentBatch([{ type: 'connection-start', connection: block } as AgentItem])),
    ).toBe(true);
    for (const responseHeaders of [7, null, ['a: b'], { a: 1 }]) {
      const forged = { type: 'connection-start', connection: { ...connection, responseHeaders } };
      expect(isAgentBatch({ type: 'agent-batch', v: PROTOCOL_VERSION, items: [forged] })).toBe(false);
    }
    // A wire item carries a map only.
    expect(isWireItem({ type: 'connection-start', connection: block })).toBe(false);
  });

  it("normalise an XHR's method as open() does: the six it knows upper-cased, any other as given", () => {
    expect(['get', 'Post', 'delete', 'OPTIONS', 'head', 'pUt'].map(xhrMethodOf)).toEqual([
      'GET',
      'POST',
      'DELETE',
      'OPTIONS',
      'HEAD',
      'PUT',
    ]);
    expect(['patch', 'Query', 'CONNECT'].map(xhrMethodOf)).toEqual(['patch', 'Query', 'CONNECT']);
  });

  it("put an XHR end's cause and an EventSource's failure in words, make a fetch's AbortError an abort, and leave every other end as it is", () => {
    const error = (transport: Transport, state: ConnectionEnd['state'], error: string | null) =>
      agentEndOf(transport, { state, error }).error;
    expect(error('xhr', 'aborted', 'abort')).toBe('AbortError: abort() was called');
    expect(error('xhr', 'aborted', 'open')).toBe('AbortError: open() was called again');
    expect(error('xhr', 'error', 'error')).toBe('NetworkError: network error');
    expect(error('xhr', 'error', 'timeout')).toBe('TimeoutError: the request timed out');
    expect(error('eventsource', 'error', null)).toBe(EVENTSOURCE_FAILED);
    expect(error('xhr', 'error', 'toString')).toBe('toString');
    expect(error('xhr', 'completed', null)).toBe(null);
    expect(agentEndOf('xhr', { state: 'completed', error: 'load' })).toEqual({
      state: 'completed',
      error: null,
    });
    expect(error('fetch', 'aborted', 'abort')).toBe('abort');
    expect(error('eventsource', 'cancelled', null)).toBe(null);
    expect(error('eventsource', 'error', 'x')).toBe('x');
    // A fetch's failed read: aborted by its name, whether or not the signal said so.
    expect(agentEndOf('fetch', { state: 'error', error: 'AbortError: The user aborted a request.' })).toEqual(
      {
        state: 'aborted',
        error: 'AbortError: The user aborted a request.',
      },
    );
    expect(agentEndOf('fetch', { state: 'aborted', error: 'Error: my reason' })).toEqual({
      state: 'aborted',
      error: 'Error: my reason',
    });
    for (const end of [
      { state: 'error', error: 'TypeError: network error' },
      { state: 'error', error: 'Error: AbortError: a string reason' },
    ] as const) {
      expect(agentEndOf('fetch', end)).toBe(end);
    }
    expect(agentEndOf('xhr', { state: 'error', error: 'AbortError: x' }).state).toBe('error');
  });

  it("read an XHR's setRequestHeader() calls into the map the browser stores", () => {
    const map = requestHeaderMapOf('X-A\0 1 \0accept\0text/event-stream\0x-a\0\t2\0__proto__\0p\0');
    expect(Object.getPrototypeOf(map)).toBe(null);
    expect({ ...map }).toEqual({ 'x-a': '1, 2', accept: 'text/event-stream', ['__proto__']: 'p' });
    expect(Object.keys(requestHeaderMapOf(''))).toEqual([]);
    // A value of white space only is stored empty, and a torn list loses only its last name.
    expect({ ...requestHeaderMapOf('a\0\r\n\0b') }).toEqual({ a: '' });
  });

  it('read a getAllResponseHeaders() block into a map with no prototype', () => {
    const map = headerMapOf('content-type: text/event-stream\r\nx-a: 1: 2\r\n__proto__: p\r\nbroken\r\n');
    expect(Object.getPrototypeOf(map)).toBe(null);
    expect({ ...map }).toEqual({ 'content-type': 'text/event-stream', 'x-a': '1: 2', ['__proto__']: 'p' });
    expect(Object.keys(headerMapOf(''))).toEqual([]);
  });

  it('cut a chunk item back into its chunks, seq by seq', () => {
    expect(chunksOf(chunks as ChunksItem)).toEqual([
      { seq: 3, time: 5, text: 'data: a\n\n' },
      { seq: 4, time: 6, text: '' },
      { seq: 5, time: 7, text: 'xy' },
    ]);
  });

  it('reject chunk items whose columns disagree', () => {
    const bad: unknown[] = [
      { ...chunks, length: [9, 0, 3] },
      { ...chunks, length: [9, 2] },
      { ...chunks, length: [9, -1, 3] },
      { ...chunks, time: [5, 6, Number.NaN] },
      { ...chunks, firstSeq: 0 },
      { ...chunks, length: [], time: [], text: '' },
    ];
    for (const item of bad) expect(isWireItem(item)).toBe(false);
  });

  it('reject forged or malformed page messages', () => {
    const forged: unknown[] = [
      null,
      'agent-batch',
      { type: 'agent-batch', v: PROTOCOL_VERSION + 1, items: [] },
      { type: 'agent-batch', v: PROTOCOL_VERSION, items: [{ type: 'connection-start', connection: {} }] },
      // Only the relay makes chunks, records and what it did not keep.
      { type: 'agent-batch', v: PROTOCOL_VERSION, items: [chunks] },
      {
        type: 'agent-batch',
        v: PROTOCOL_VERSION,
        items: [{ type: 'records-not-kept', connectionId: 't:1', lastSeq: 9, bytes: 0 }],
      },
      {
        type: 'agent-batch',
        v: PROTOCOL_VERSION,
        items: [{ type: 'connection-start', connection: { ...connection, requestHeaders: { a: 1 } } }],
      },
      {
        type: 'agent-batch',
        v: PROTOCOL_VERSION,
        items: [{ type: 'connection-end', connectionId: 'x', end: { state: 'exploded' } }],
      },
    ];
    for (const message of forged) expect(isAgentBatch(message)).toBe(false);
    expect(isWireItem({ type: 'records', connectionId: 'x', bytes: Number.NaN, records: [] })).toBe(false);
    expect(isPanelHello({ type: 'panel-hello', v: PROTOCOL_VERSION, tabId: 1.5 })).toBe(false);
  });

  it('accept body pieces only with a byte range inside their buffer', () => {
    const bytes = new ArrayBuffer(8);
    expect(isAgentChunk({ connectionId: 'a', time: 1, bytes, offset: 2, length: 6 })).toBe(true);
    expect(isAgentChunk({ connectionId: 'a', time: 1, bytes, offset: 2, length: 7 })).toBe(false);
    expect(isAgentChunk({ connectionId: 'a', time: 1, bytes, offset: -1, length: 1 })).toBe(false);
    expect(isAgentChunk({ connectionId: 'a', time: 1, text: 'x' })).toBe(true);
    expect(isAgentChunk({ connectionId: 'a', time: Number.POSITIVE_INFINITY, text: 'x' })).toBe(false);
  });

  // Firefox's content scripts see the page's buffers through Xray wrappers, where `instanceof
  // ArrayBuffer` is false: every fetch and XHR body was dropped there before this check.
  it('accept a body buffer from another realm, and nothing that only looks like one', () => {
    const foreign: unknown = runInNewContext('new ArrayBuffer(8)');
    expect(foreign instanceof ArrayBuffer).toBe(false);
    expect(isAgentChunk({ connectionId: 'a', time: 1, bytes: foreign, offset: 0, length: 8 })).toBe(true);
    expect(isAgentChunk({ connectionId: 'a', time: 1, bytes: foreign, offset: 0, length: 9 })).toBe(false);
    for (const bytes of [
      new Uint8Array(8),
      new SharedArrayBuffer(8),
      { byteLength: 8 },
      Object.create(ArrayBuffer.prototype),
    ]) {
      expect(isAgentChunk({ connectionId: 'a', time: 1, bytes, offset: 0, length: 1 })).toBe(false);
    }
  });

  it('count every character a page controls in an item', () => {
    const record = { seq: 1, kind: 'event', id: 'i'.repeat(5), type: 'tt', data: 'ddd', time: 1 } as const;
    expect(charsOf({ type: 'records', connectionId: 'a', bytes: 0, records: [record] })).toBe(10);
    expect(charsOf(chunks)).toBe(11);
    expect(charsOf({ type: 'connection-start', connection })).toBe(
      'http://a/'.length * 2 + 'GET'.length + 'OK'.length + 'accept'.length + 'text/event-stream'.length,
    );
  });
});

describe('records of every transport', () => {
  const records = (record: Record<string, unknown>) => ({
    type: 'records',
    connectionId: 't:1',
    bytes: 0,
    records: [{ seq: 1, id: '', type: '', data: '', time: 5, ...record }],
  });

  it('accept EventSource open and error records with an attempt number', () => {
    expect(isWireItem({ type: 'connection-start', connection: { ...connection, transport: 'xhr' } })).toBe(
      true,
    );
    expect(isWireItem(records({ kind: 'open', attempt: 1 }))).toBe(true);
    expect(isWireItem(records({ kind: 'error', data: 'reconnecting', attempt: 2 }))).toBe(true);
  });

  it('reject unknown kinds, transports and non-numeric attempts', () => {
    expect(isWireItem(records({ kind: 'reconnect' }))).toBe(false);
    expect(isWireItem(records({ kind: 'open', attempt: '1' }))).toBe(false);
    expect(
      isWireItem({ type: 'connection-start', connection: { ...connection, transport: 'websocket' } }),
    ).toBe(false);
  });
});

describe('popup ⇄ background guards', () => {
  it('accept what the factories make', () => {
    expect(isTabStatsRequest(createTabStatsRequest(3))).toBe(true);
    expect(isSettingsRequest(createSettingsRequest())).toBe(true);
    expect(isSettingsChangeMessage(createSettingsChange({ kind: 'set-mode', mode: 'only-listed' }))).toBe(
      true,
    );
    expect(
      isSettingsChangeMessage(
        createSettingsChange({ kind: 'set-site', origin: 'http://localhost:3000', on: false }),
      ),
    ).toBe(true);
    expect(isTabStats(createTabStats(3, 2, 1))).toBe(true);
    expect(
      isSettingsMessage(createSettingsMessage({ mode: 'all-except', sites: { 'https://a.example': false } })),
    ).toBe(true);
  });

  it('reject malformed ones', () => {
    expect(isTabStatsRequest({ type: 'tab-stats-request', v: PROTOCOL_VERSION, tabId: '3' })).toBe(false);
    expect(isSettingsRequest({ type: 'settings-request', v: PROTOCOL_VERSION + 1 })).toBe(false);
    expect(
      isSettingsChangeMessage(
        createSettingsChange({
          kind: 'set-site',
          origin: 'https://a.example/path',
          on: false,
        } as SettingsChange),
      ),
    ).toBe(false);
    expect(isTabStats({ type: 'tab-stats', tabId: 3, total: -1, live: 0 })).toBe(false);
    expect(isSettingsMessage({ type: 'settings', settings: { mode: 'some', sites: {} } })).toBe(false);
  });
});

describe("the relay's reading of the agent's messages", () => {
  const ORIGIN = 'https://a.example';
  const bodyStart = (
    headers: HeaderMap | string,
    transport: typeof TRANSPORT_FETCH | typeof TRANSPORT_XHR = TRANSPORT_FETCH,
  ): AgentBodyStart => [
    't:1',
    transport,
    'https://a.example/s',
    1,
    2,
    'post',
    { accept: 'text/event-stream' },
    '{}',
    200,
    'OK',
    headers,
  ];
  const startOf = (message: PageToRelay, origin = ORIGIN) => {
    const [batch] = relayFormsOf(message, origin);
    return batch?.type === 'agent-batch' && batch.items[0]?.type === 'connection-start'
      ? batch.items[0].connection
      : null;
  };

  it("reads a fetch's start, its format from the response's content-type", () => {
    const sse = startOf([
      AGENT_START,
      bodyStart({ 'content-type': 'Text/Event-Stream; charset=utf-8' }),
      ORIGIN,
    ]);
    expect(sse).toEqual({
      id: 't:1',
      transport: 'fetch',
      format: 'sse',
      url: 'https://a.example/s',
      method: 'post',
      requestHeaders: { accept: 'text/event-stream' },
      requestBody: '{}',
      status: 200,
      statusText: 'OK',
      responseHeaders: { 'content-type': 'Text/Event-Stream; charset=utf-8' },
      frameUrl: ORIGIN,
      startedAt: 1,
      headersAt: 2,
    });
    expect(
      isAgentBatch(
        relayFormsOf([AGENT_START, bodyStart({ 'content-type': 'text/event-stream' }), ORIGIN], ORIGIN)[0],
      ),
    ).toBe(true);
    expect(
      startOf([AGENT_START, bodyStart({ 'content-type': 'application/x-ndjson' }), ORIGIN])?.format,
    ).toBe('ndjson');
    // No stream format: no start (the agent taps only streams).
    expect(relayFormsOf([AGENT_START, bodyStart({ 'content-type': 'text/html' }), ORIGIN], ORIGIN)).toEqual(
      [],
    );
    expect(relayFormsOf([AGENT_START, bodyStart({}), ORIGIN], ORIGIN)).toEqual([]);
  });

  it("reads an XHR's header block into a map, and labels an about:srcdoc frame with the relay's origin", () => {
    const info = startOf(
      [
        AGENT_START,
        Object.assign(bodyStart('content-type: application/jsonl\r\nx-a: 1\r\n', TRANSPORT_XHR), {
          6: 'Accept\0*/*\0',
        }),
        'about:srcdoc',
      ],
      'https://b.example',
    );
    expect({ ...(info?.requestHeaders as HeaderMap) }).toEqual({ accept: '*/*' });
    expect(info?.format).toBe('ndjson');
    expect({ ...(info?.responseHeaders as HeaderMap) }).toEqual({
      'content-type': 'application/jsonl',
      'x-a': '1',
    });
    expect(info?.frameUrl).toBe('about:srcdoc (https://b.example)');
  });

  it("fills in what an EventSource's page cannot see", () => {
    expect(
      startOf([
        AGENT_START,
        ['t:2', TRANSPORT_EVENTSOURCE, 'https://a.example/e', 3, 4],
        'https://a.example/p',
      ]),
    ).toEqual({
      id: 't:2',
      transport: 'eventsource',
      format: 'sse',
      url: 'https://a.example/e',
      method: 'GET',
      requestHeaders: {},
      requestBody: null,
      status: 0,
      statusText: '',
      responseHeaders: {},
      frameUrl: 'https://a.example/p',
      startedAt: 3,
      headersAt: 4,
    });
  });

  it("reads an end as its body's last piece, then the end", () => {
    expect(relayFormsOf([AGENT_END, 't:1', END_COMPLETED, null, 9], ORIGIN)).toEqual([
      createAgentChunks([{ connectionId: 't:1', time: 9, completed: true }]),
      createAgentBatch([
        { type: 'connection-end', connectionId: 't:1', end: { state: 'completed', error: null, endedAt: 9 } },
      ]),
    ]);
    const [finish, end] = relayFormsOf([AGENT_END, 't:1', END_ABORTED, 'AbortError: x', 9], ORIGIN);
    expect(finish).toEqual(createAgentChunks([{ connectionId: 't:1', time: 9, completed: false }]));
    expect(isAgentBatch(end)).toBe(true);
    expect(end).toMatchObject({ items: [{ end: { state: 'aborted', error: 'AbortError: x', endedAt: 9 } }] });
    expect(isAgentBatch(relayFormsOf([AGENT_END, 't:1', 4 as AgentEndState, null, 9], ORIGIN)[1])).toBe(
      false,
    );
  });

  it('reads pieces: bytes of a slab, text, an EventSource event', () => {
    const slab = new ArrayBuffer(8);
    const [chunks] = relayFormsOf(
      [
        AGENT_PIECES,
        [
          ['t:1', 5, slab, 2, 4],
          ['t:1', 6, 'data: x\n'],
          ['t:2', 7, ['message', 'x', '7']],
          ['t:2', 8, ['error', false, '']],
        ],
      ],
      ORIGIN,
    );
    const expected: AgentChunk[] = [
      { connectionId: 't:1', time: 5, bytes: slab, offset: 2, length: 4 },
      { connectionId: 't:1', time: 6, text: 'data: x\n' },
      { connectionId: 't:2', time: 7, event: ['message', 'x', '7'] },
      { connectionId: 't:2', time: 8, event: ['error', false, ''] },
    ];
    expect(chunks).toEqual(createAgentChunks(expected));
    expect(expected.every(isAgentChunk)).toBe(true);
    for (const event of [
      ['message', 1, ''],
      ['open', null, ''],
      ['message', 'x'],
      [7, true, ''],
    ]) {
      expect(isAgentChunk({ connectionId: 't:2', time: 1, event })).toBe(false);
    }
  });

  it('reads nothing else', () => {
    for (const message of [
      null,
      {},
      { type: 'agent-batch', v: PROTOCOL_VERSION, items: [] },
      [],
      [9, []],
      [AGENT_START, 'x', ORIGIN],
      [AGENT_PIECES, 'x'],
      // No transport the agent names.
      [AGENT_START, ['t:3', 7, 'https://a.example/s', 1, 2], ORIGIN],
    ]) {
      expect(relayFormsOf(message, ORIGIN)).toEqual([]);
    }
    // Pieces that are no tuples are left out; what is left is checked by isAgentChunk.
    expect(relayFormsOf([AGENT_PIECES, [null, 'x']], ORIGIN)).toEqual([createAgentChunks([])]);
  });
});
