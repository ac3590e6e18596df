import { describe, expect, it } from 'vitest';
import type { ConnectionInfo, StreamRecord } from '../model';
import { createEventStreamParser } from '../sse/event-stream-parser';
import { createNdjsonParser } from '../sse/ndjson-parser';
import { connectionsToStreamText, connectionToStreamText } from './sse-text';

const info: ConnectionInfo = {
  id: 'c:1',
  transport: 'fetch',
  format: 'sse',
  url: 'https://api.example.com/stream',
  method: 'GET',
  requestHeaders: {},
  requestBody: null,
  status: 200,
  statusText: 'OK',
  responseHeaders: {},
  frameUrl: 'https://app.example.com/',
  startedAt: 0,
  headersAt: 0,
};

type Shape = Pick<StreamRecord, 'kind' | 'id' | 'type' | 'data'>;
const shape = (records: readonly StreamRecord[]): Shape[] =>
  records.map(({ kind, id, type, data }) => ({ kind, id, type, data }));

function records(shapes: Shape[]): StreamRecord[] {
  return shapes.map((s, i) => ({
    ...s,
    seq: i + 1,
    time: i,
    ...(s.kind === 'retry' ? { retry: Number(s.data) } : {}),
  }));
}

describe('connectionToStreamText', () => {
  it('writes SSE that parses back to the same events, comments and retry values', () => {
    const timeline = records([
      { kind: 'comment', id: '', type: '', data: 'hello' },
      { kind: 'event', id: '', type: 'message', data: 'first' },
      { kind: 'retry', id: '', type: '', data: '2500' },
      { kind: 'event', id: '41', type: 'update', data: ' leading space\nsecond line\n' },
      { kind: 'event', id: '41', type: 'message', data: '' },
      // The id changed in a block without data: the comment already shows it.
      { kind: 'comment', id: '42', type: '', data: '' },
      { kind: 'event', id: '42', type: 'message', data: '{"json":"€"}' },
      { kind: 'retry', id: '', type: '', data: '10' },
      { kind: 'event', id: '', type: 'message', data: 'id reset' },
    ]);
    const text = connectionToStreamText({ info, records: timeline });
    const parsed = createEventStreamParser().feed(text, 0);
    expect(shape(parsed)).toEqual(shape(timeline));
  });

  it('is the chunks the page read, exactly, when the capture kept them', () => {
    const chunks = [
      { seq: 1, time: 5, text: ': hi\r\n\r\nda' },
      { seq: 2, time: 9, text: 'ta: x\n\n' },
    ];
    const timeline = records([{ kind: 'event', id: '', type: 'message', data: 'x' }]);
    expect(connectionToStreamText({ info, records: timeline, chunks })).toBe(': hi\r\n\r\ndata: x\n\n');
    expect(connectionToStreamText({ info, records: timeline, chunks: [] })).toBe('data: x\n\n');
  });

  it('writes one line per event for NDJSON', () => {
    const timeline = records([
      { kind: 'event', id: '', type: 'message', data: '{"a":1}' },
      { kind: 'event', id: '', type: 'message', data: '{"b":2}' },
    ]);
    const text = connectionToStreamText({ info: { ...info, format: 'ndjson' }, records: timeline });
    expect(text).toBe('{"a":1}\n{"b":2}\n');
    expect(shape(createNdjsonParser().feed(text, 0))).toEqual(shape(timeline));
  });
});

describe('connectionsToStreamText', () => {
  it('introduces each connection with a comment naming it, and stays a valid stream', () => {
    const a = { info, records: records([{ kind: 'event', id: '', type: 'message', data: 'a' }]) };
    const b = {
      info: { ...info, id: 'c:2', method: 'POST', url: 'https://api.example.com/other' },
      records: records([{ kind: 'event', id: '', type: 'message', data: 'b' }]),
    };
    const text = connectionsToStreamText([a, b]);
    expect(text).toBe(
      ': GET https://api.example.com/stream (c:1)\n\ndata: a\n\n\n: POST https://api.example.com/other (c:2)\n\ndata: b\n\n',
    );
    const parsed = createEventStreamParser()
      .feed(text, 0)
      .filter((r) => r.kind === 'event');
    expect(parsed.map((r) => r.data)).toEqual(['a', 'b']);
    expect(connectionsToStreamText([a])).toBe(connectionToStreamText(a));
  });

  it('redacts secret URL parameters in those comments unless asked to include them', () => {
    const one = { info: { ...info, url: 'https://x.test/s?token=t1&a=1' }, records: [] };
    const two = { info: { ...info, id: 'c:2', url: 'https://x.test/s?sig=s2' }, records: [] };
    const text = connectionsToStreamText([one, two]);
    expect(text).toContain('https://x.test/s?token=[redacted]&a=1');
    expect(text).toContain('https://x.test/s?sig=[redacted]');
    expect(connectionsToStreamText([one, two], true)).toContain('token=t1');
  });
});
