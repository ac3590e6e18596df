import { describe, expect, it } from 'vitest';
import type { AgentChunk } from '../../src/agent-chunks';
import type { ConnectionEnd, ConnectionInfo, StreamRecord } from '../../src/model';
import { unpackRecords } from '../../src/packed-records';
import type { WireItem } from '../../src/protocol';
import { RelayTaps } from '../relay-taps';
import type { AgentChannel } from './channel';
import { frameUrlOf } from './request-info';
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

/** A channel that hands every piece straight to the relay's taps, as the port would. */
function recordingChannel(format: 'sse' | 'ndjson' = 'sse') {
  const records: StreamRecord[] = [];
  const ends: [ConnectionEnd, number][] = [];
  const taps = new RelayTaps();
  const parse = (chunk: AgentChunk) => {
    for (const item of taps.parse([chunk])) {
      if (item.type === 'packed-records') records.push(...(unpackRecords(item.records) ?? []));
    }
  };
  taps.track([{ type: 'connection-start', connection: { ...CONNECTION, format } }]);
  const channel: AgentChannel = {
    start: () => {},
    chunk: (connectionId, bytes, time) => parse({ connectionId, time, bytes: bytes.slice().buffer }),
    text: (connectionId, text, time) => parse({ connectionId, time, text }),
    finish: (connectionId, time, completed) => parse({ connectionId, time, completed }),
    record: (_id, record) => records.push(record),
    end: (connectionId, end, bytes) => {
      const item: WireItem = { type: 'connection-end', connectionId, end, bytes };
      taps.track([item]);
      ends.push([end, item.bytes]);
    },
    nextConnectionId: () => 't:1',
    send: () => {},
    onRelayMessage: () => {},
  };
  return { channel, records, ends };
}

describe('stream capture', () => {
  it('taps text and bytes alike and counts what it was given', () => {
    const { channel, records, ends } = recordingChannel();
    const capture = createStreamCapture(channel, 't:1', 200, 'OK');
    capture.pushText('data: é\n');
    capture.push(new TextEncoder().encode('\n'));
    capture.finish('completed', null);
    capture.finish('aborted', 'ignored: only the first end counts');
    expect(records.map((r) => r.data)).toEqual(['é']);
    expect(ends.map(([end, bytes]) => [end.state, end.error, bytes])).toEqual([['completed', null, 10]]);
    expect(capture.ended).toBe(true);
  });

  it("keeps each chunk's read time, and ends a line-delimited body as it ended", () => {
    for (const [state, expected] of [
      ['completed', ['{"a":1}', '{"b":2}']],
      ['aborted', ['{"a":1}']],
    ] as const) {
      const { channel, records } = recordingChannel('ndjson');
      const capture = createStreamCapture(channel, 't:1', 200, 'OK');
      capture.push(new TextEncoder().encode('{"a":1}\n{"b"'));
      capture.push(new TextEncoder().encode(':2}'));
      capture.finish(state, null);
      expect(records.map((r) => r.data)).toEqual(expected);
      expect(records[0]?.time).toBeLessThanOrEqual(records[1]?.time ?? Number.POSITIVE_INFINITY);
    }
  });

  it('the relay ignores pieces it cannot check or of connections it does not know', () => {
    const taps = new RelayTaps();
    taps.track([{ type: 'connection-start', connection: CONNECTION }]);
    const data = new TextEncoder().encode('data: x\n\n').buffer;
    const forged = [
      null,
      { connectionId: 't:1', time: Number.NaN, bytes: data },
      { connectionId: 't:1', time: 1, bytes: 'data: x\n\n' },
      { connectionId: 't:1', time: 1, text: 7 },
      { connectionId: 't:2', time: 1, bytes: data },
    ];
    expect(taps.parse(forged)).toEqual([]);
    expect(taps.parse([{ connectionId: 't:1', time: 1, bytes: data }])).toHaveLength(1);
    taps.track([
      {
        type: 'connection-end',
        connectionId: 't:1',
        end: { state: 'completed', error: null, endedAt: 2 },
        bytes: 9,
      },
    ]);
    expect(taps.parse([{ connectionId: 't:1', time: 3, bytes: data }])).toEqual([]);
  });

  it("the relay packs an EventSource connection's records, and takes no records for a body", () => {
    const taps = new RelayTaps();
    const source: ConnectionInfo = { ...CONNECTION, id: 't:2', transport: 'eventsource' };
    taps.track([
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
    const items = taps.parse([
      { connectionId: 't:2', time: 5, record },
      { connectionId: 't:2', time: 5, record: { ...record, seq: 'two' } },
      { connectionId: 't:2', time: 6, bytes: data },
      { connectionId: 't:1', time: 5, record },
    ]);
    expect(items.map((item) => item.type === 'packed-records' && [item.connectionId, item.bytes])).toEqual([
      ['t:2', 0],
    ]);
    const [item] = items;
    expect(item?.type === 'packed-records' && unpackRecords(item.records)).toEqual([record]);
  });

  it('classifies a completed body with an HTTP error status as an error', () => {
    const { channel, ends } = recordingChannel();
    createStreamCapture(channel, 't:1', 503, 'Service Unavailable').finish('completed', null);
    expect(ends[0]?.[0]).toMatchObject({ state: 'error', error: 'HTTP 503 Service Unavailable' });
  });
});

describe('frameUrlOf', () => {
  it('adds the inherited origin to about:blank and about:srcdoc only', () => {
    expect(frameUrlOf('about:srcdoc', 'https://a.example')).toBe('about:srcdoc (https://a.example)');
    expect(frameUrlOf('about:blank', 'null')).toBe('about:blank (null)');
    expect(frameUrlOf('https://a.example/x', 'https://a.example')).toBe('https://a.example/x');
  });
});
