import { describe, expect, it } from 'vitest';
import type { ConnectionEnd, StreamRecord } from '../../src/model';
import { PackedRecordsBuilder, unpackRecords } from '../../src/packed-records';
import type { AgentChannel } from './channel';
import { frameUrlOf } from './request-info';
import { createStreamCapture } from './stream-capture';

function recordingChannel() {
  const records: StreamRecord[] = [];
  const ends: [ConnectionEnd, number][] = [];
  const builder = new PackedRecordsBuilder();
  const channel: AgentChannel = {
    start: () => {},
    batch: () => builder,
    added: () => records.push(...(unpackRecords(builder.take()) ?? [])),
    records: (_id, batch) => records.push(...batch),
    end: (_id, end, bytes) => ends.push([end, bytes]),
    nextConnectionId: () => 't:1',
    frameUrl: () => 'https://a.example/',
  };
  return { channel, records, ends };
}

describe('stream capture', () => {
  it('taps text and bytes alike and counts what it was given', () => {
    const { channel, records, ends } = recordingChannel();
    const capture = createStreamCapture(channel, 't:1', 'sse', 200, 'OK');
    capture.pushText('data: é\n');
    capture.push(new TextEncoder().encode('\n'));
    capture.finish('completed', null);
    capture.finish('aborted', 'ignored: only the first end counts');
    expect(records.map((r) => r.data)).toEqual(['é']);
    expect(ends.map(([end, bytes]) => [end.state, end.error, bytes])).toEqual([['completed', null, 10]]);
    expect(capture.ended).toBe(true);
  });

  it('classifies a completed body with an HTTP error status as an error', () => {
    const { channel, ends } = recordingChannel();
    createStreamCapture(channel, 't:1', 'ndjson', 503, 'Service Unavailable').finish('completed', null);
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
