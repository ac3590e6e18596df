import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ChunkParsers } from '../../panel/chunk-parsers';
import { DEFAULT_PARSER_LIMITS, MAX_REQUEST_BODY_CHARS } from '../../src/limits';
import type { ConnectionEnd, ConnectionInfo, StreamChunk, StreamRecord } from '../../src/model';
import {
  AGENT_END,
  AGENT_PIECES,
  END_ABORTED,
  END_COMPLETED,
  frameUrlOf,
  type PageToRelay,
  relayFormsOf,
  requestBodyText,
} from '../../src/protocol';
import { type RelayItem, toWireItems } from '../relay-body';
import { RelayDecoders } from '../relay-decoders';
import type { AgentChannel } from './channel';
import { requestBodyOf } from './request-info';
import { createStreamCapture } from './stream-capture';

const CONNECTION: ConnectionInfo = {
  id: 't:1',
  transport: 'fetch',
  format: 'sse',
  url: 'https://a.example/s',
  method: 'GET',
  requestHeaders: {},
  requestBody: null,
  status: 200,
  statusText: 'OK',
  responseHeaders: {},
  frameUrl: 'https://a.example/',
  startedAt: 1,
  headersAt: 2,
};

/**
 * A channel wired, as the ports would, through the relay's reading of the agent's messages, its
 * decoders and the panel's parsers: the whole body path in one process (docs/architecture.md
 * principle 2).
 */
function recordingChannel(format: 'sse' | 'ndjson' = 'sse', connection: Partial<ConnectionInfo> = {}) {
  const records: StreamRecord[] = [];
  const chunks: StreamChunk[] = [];
  const ends: [ConnectionEnd, number][] = [];
  const decoders = new RelayDecoders();
  const parsers = new ChunkParsers(() => DEFAULT_PARSER_LIMITS);
  const toPanel = (relayItems: RelayItem[]) => {
    const items = toWireItems(relayItems);
    for (const item of parsers.toCaptureItems(items)) {
      if (item.type === 'records') records.push(...item.records);
      if (item.type === 'chunks') chunks.push(...item.chunks);
      if (item.type === 'connection-end') ends.push([item.end, item.bytes]);
    }
  };
  toPanel(
    decoders.track([{ type: 'connection-start', connection: { ...CONNECTION, ...connection, format } }]),
  );
  const relay = (message: PageToRelay) => {
    for (const part of relayFormsOf(message, 'https://a.example')) {
      toPanel(part.type === 'agent-chunks' ? decoders.decode(part.chunks) : decoders.track(part.items));
    }
  };
  let time = 10;
  const channel: AgentChannel = {
    startConnection: () => {},
    pushBytes: (connectionId, bytes) => {
      // As the agent does: several reads share one buffer.
      const shared = new Uint8Array(bytes.byteLength + 4);
      shared.set(bytes, 2);
      relay([AGENT_PIECES, [[connectionId, time++, shared.buffer, 2, bytes.byteLength]]]);
    },
    pushText: (connectionId, text) => relay([AGENT_PIECES, [[connectionId, time++, text]]]),
    pushEvent: (connectionId, event, at) => relay([AGENT_PIECES, [[connectionId, at, event]]]),
    endConnection: (connectionId, state, error) => relay([AGENT_END, connectionId, state, error, time++]),
    nextConnectionId: () => 't:1',
    sendReplay: () => {},
    listenToRelay: () => {},
  };
  return { channel, records, chunks, ends };
}

describe('stream capture', () => {
  it('taps text and bytes alike and counts what it was given', () => {
    const { channel, records, ends } = recordingChannel();
    const capture = createStreamCapture(channel, 't:1');
    capture.pushText('data: é\n');
    capture.pushBytes(new TextEncoder().encode('\n'));
    capture.finishBody(END_COMPLETED, null);
    capture.finishBody(END_ABORTED, 'ignored: only the first end counts');
    expect(records.map((r) => r.data)).toEqual(['é']);
    expect(ends.map(([end, bytes]) => [end.state, end.error, bytes])).toEqual([['completed', null, 10]]);
    expect(capture.isEnded).toBe(true);
  });

  it("keeps each chunk's read time, and ends a line-delimited body as it ended", () => {
    for (const [state, expected] of [
      [END_COMPLETED, ['{"a":1}', '{"b":2}']],
      [END_ABORTED, ['{"a":1}']],
    ] as const) {
      const { channel, records } = recordingChannel('ndjson');
      const capture = createStreamCapture(channel, 't:1');
      capture.pushBytes(new TextEncoder().encode('{"a":1}\n{"b"'));
      capture.pushBytes(new TextEncoder().encode(':2}'));
      capture.finishBody(state, null);
      expect(records.map((r) => r.data)).toEqual(expected);
      expect(records[0]?.time).toBeLessThanOrEqual(records[1]?.time ?? Number.POSITIVE_INFINITY);
    }
  });

  it('keeps the text of each read as a chunk, a character split across reads with the read that completed it', () => {
    const { channel, chunks } = recordingChannel();
    const capture = createStreamCapture(channel, 't:1');
    const bytes = new TextEncoder().encode('data: é\n\n');
    capture.pushBytes(bytes.slice(0, 7)); // ends inside the two bytes of é
    capture.pushBytes(bytes.slice(7));
    capture.finishBody(END_COMPLETED, null);
    expect(chunks.map((c) => [c.seq, c.text])).toEqual([
      [1, 'data: '],
      [2, 'é\n\n'],
    ]);
  });

  it('the relay ignores pieces it cannot check or of connections it does not know', () => {
    const decoders = new RelayDecoders();
    decoders.track([{ type: 'connection-start', connection: CONNECTION }]);
    const data = new TextEncoder().encode('data: x\n\n').buffer;
    const forged = [
      null,
      { connectionId: 't:1', time: Number.NaN, bytes: data, offset: 0, length: 9 },
      { connectionId: 't:1', time: 1, bytes: 'data: x\n\n', offset: 0, length: 9 },
      { connectionId: 't:1', time: 1, bytes: data, offset: 4, length: 9 },
      { connectionId: 't:1', time: 1, text: 7 },
      { connectionId: 't:2', time: 1, bytes: data, offset: 0, length: 9 },
    ];
    expect(decoders.decode(forged)).toEqual([]);
    expect(
      decoders.decode([{ connectionId: 't:1', time: 1, bytes: data, offset: 0, length: 9 }]),
    ).toHaveLength(1);
    decoders.track([
      { type: 'connection-end', connectionId: 't:1', end: { state: 'completed', error: null, endedAt: 2 } },
    ]);
    expect(decoders.decode([{ connectionId: 't:1', time: 3, bytes: data, offset: 0, length: 9 }])).toEqual(
      [],
    );
  });

  it("the relay passes an EventSource connection's records on, and takes no records for a body", () => {
    const decoders = new RelayDecoders();
    const source: ConnectionInfo = { ...CONNECTION, id: 't:2', transport: 'eventsource' };
    decoders.track([
      { type: 'connection-start', connection: CONNECTION },
      { type: 'connection-start', connection: source },
    ]);
    const record: StreamRecord = {
      seq: 1,
      kind: 'event',
      id: '',
      type: 'message',
      data: 'x',
      time: 5,
      attempt: 1,
    };
    const data = new TextEncoder().encode('data: y\n\n').buffer;
    const items = decoders.decode([
      { connectionId: 't:2', time: 5, record },
      { connectionId: 't:2', time: 5, record: { ...record, seq: 'two' } },
      { connectionId: 't:2', time: 6, bytes: data, offset: 0, length: 9 },
      { connectionId: 't:1', time: 5, record },
    ]);
    expect(items).toEqual([{ type: 'records', connectionId: 't:2', records: [record], bytes: 0 }]);
  });

  it('cuts a read larger than maxChunkChars into chunks of the same read time', () => {
    const decoders = new RelayDecoders(10, 4);
    decoders.track([{ type: 'connection-start', connection: CONNECTION }]);
    const [item] = toWireItems(decoders.decode([{ connectionId: 't:1', time: 7, text: 'abcdefghij' }]));
    expect(item).toEqual({
      type: 'chunks',
      connectionId: 't:1',
      firstSeq: 1,
      text: 'abcdefghij',
      length: [4, 4, 2],
      time: [7, 7, 7],
      bytes: 10,
    });
  });

  it('classifies a completed body with an HTTP error status as an error', () => {
    const { channel, ends } = recordingChannel('sse', { status: 503, statusText: 'Service Unavailable' });
    createStreamCapture(channel, 't:1').finishBody(END_COMPLETED, null);
    expect(ends[0]?.[0]).toMatchObject({ state: 'error', error: 'HTTP 503 Service Unavailable' });
  });

  it('keeps an HTTP error status out of a body that did not complete, and out of one with no status text', () => {
    const aborted = recordingChannel('sse', { status: 500, statusText: 'Internal Server Error' });
    createStreamCapture(aborted.channel, 't:1').finishBody(END_ABORTED, 'AbortError: x');
    expect(aborted.ends[0]?.[0]).toMatchObject({ state: 'aborted', error: 'AbortError: x' });
    const bare = recordingChannel('sse', { status: 404, statusText: '' });
    createStreamCapture(bare.channel, 't:1').finishBody(END_COMPLETED, null);
    expect(bare.ends[0]?.[0]).toMatchObject({ state: 'error', error: 'HTTP 404' });
  });
});

describe('frameUrlOf', () => {
  it('adds the inherited origin to about:blank and about:srcdoc only', () => {
    expect(frameUrlOf('about:srcdoc', 'https://a.example')).toBe('about:srcdoc (https://a.example)');
    expect(frameUrlOf('about:blank', 'null')).toBe('about:blank (null)');
    expect(frameUrlOf('https://a.example/x', 'https://a.example')).toBe('https://a.example/x');
  });
});

describe('request bodies, from the agent to the relay', () => {
  /** What the relay keeps of `body` after the agent sent it over a real port (a structured clone). */
  async function relayed(body: BodyInit | null | undefined): Promise<unknown> {
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<unknown>((resolve) => {
      port2.onmessage = ({ data }) => resolve(data);
    });
    port1.postMessage(requestBodyOf(body));
    const text = requestBodyText(await received);
    port1.close();
    port2.close();
    return text;
  }

  it('keeps text-like bodies as text, cut to MAX_REQUEST_BODY_CHARS', async () => {
    expect(await relayed(null)).toBe(null);
    expect(await relayed(undefined)).toBe(null);
    expect(await relayed('{"a":1}')).toBe('{"a":1}');
    expect(await relayed(new URLSearchParams({ q: 'x y', n: '1' }))).toBe('q=x+y&n=1');
    expect(await relayed('é'.repeat(MAX_REQUEST_BODY_CHARS + 5))).toBe('é'.repeat(MAX_REQUEST_BODY_CHARS));
    expect(await relayed({ toString: () => 'custom' } as unknown as BodyInit)).toBe('custom');
  });

  it('decodes binary bodies as UTF-8, only the bytes of a view, at most MAX_REQUEST_BODY_CHARS of them', async () => {
    const bytes = new TextEncoder().encode('xx{"é":1}yy');
    expect(await relayed(bytes.buffer)).toBe('xx{"é":1}yy');
    expect(await relayed(bytes.subarray(2, bytes.length - 2))).toBe('{"é":1}');
    expect(await relayed(new DataView(bytes.buffer, 2, 4))).toBe('{"é');
    const large = new Uint8Array(MAX_REQUEST_BODY_CHARS + 10).fill(97);
    expect(await relayed(large)).toBe('a'.repeat(MAX_REQUEST_BODY_CHARS));
  });

  it('describes a Blob by its size and type, a form and a stream by their kind', async () => {
    expect(await relayed(new Blob(['abc'], { type: 'text/plain' }))).toBe('[Blob, 3 bytes, text/plain]');
    expect(await relayed(new Blob([new Uint8Array(5)]))).toBe('[Blob, 5 bytes]');
    expect(await relayed(new FormData())).toBe('[FormData]');
    expect(await relayed(new ReadableStream())).toBe('[ReadableStream]');
  });

  it('the relay leaves anything else for its guards to refuse', () => {
    expect(requestBodyText(true)).toBe(true);
    // A kind of body the agent does not name.
    expect(requestBodyText(7)).toBe(undefined);
    const odd = { size: '3', type: 'x' };
    expect(requestBodyText(odd)).toBe(odd);
    // A buffer from another realm (Firefox's Xrays) is read all the same.
    expect(requestBodyText(runInNewContext('new Uint8Array([104, 195, 169]).buffer'))).toBe('hé');
  });
});
