import { describe, expect, it } from 'vitest';
import {
  clampSpeed,
  createOverride,
  isOverride,
  matchesRequest,
  type OverrideMatch,
  patchOverride,
  replayChunksOf,
  withFault,
  withoutFault,
} from './override';
import { createEventStreamParser } from './sse/event-stream-parser';
import { testInfo, testRecords } from './test-records';

const match = (patch: Partial<OverrideMatch>): OverrideMatch => ({
  method: 'POST',
  url: 'https://api.example.com/v1/chat?model=a&x=1',
  mode: 'exact',
  pattern: '',
  ...patch,
});

describe('matchesRequest', () => {
  it('exact: the same method (any case) and the same URL only', () => {
    const m = match({});
    expect(matchesRequest(m, 'post', 'https://api.example.com/v1/chat?model=a&x=1')).toBe(true);
    expect(matchesRequest(m, 'GET', 'https://api.example.com/v1/chat?model=a&x=1')).toBe(false);
    expect(matchesRequest(m, 'POST', 'https://api.example.com/v1/chat?model=b&x=1')).toBe(false);
    expect(matchesRequest(m, 'POST', 'https://api.example.com/v1/chat')).toBe(false);
    // Characters special to regular expressions are themselves.
    expect(matchesRequest(m, 'POST', 'https://apiXexample.com/v1/chat?model=a&x=1')).toBe(false);
  });

  it('ignore-query: any query string (or none) on the same path', () => {
    const m = match({ mode: 'ignore-query' });
    expect(matchesRequest(m, 'POST', 'https://api.example.com/v1/chat')).toBe(true);
    expect(matchesRequest(m, 'POST', 'https://api.example.com/v1/chat?model=z')).toBe(true);
    expect(matchesRequest(m, 'POST', 'https://api.example.com/v1/chat#x')).toBe(true);
    expect(matchesRequest(m, 'POST', 'https://api.example.com/v1/chats')).toBe(false);
    expect(matchesRequest(m, 'POST', 'https://api.example.com/v1/chat/x')).toBe(false);
  });

  it('pattern: * for any characters, the rest literal', () => {
    const m = match({ mode: 'pattern', pattern: 'https://*.example.com/v1/*' });
    expect(matchesRequest(m, 'POST', 'https://api.example.com/v1/chat?model=a')).toBe(true);
    expect(matchesRequest(m, 'POST', 'https://eu.example.com/v1/embeddings')).toBe(true);
    expect(matchesRequest(m, 'POST', 'https://api.example.org/v1/chat')).toBe(false);
    expect(matchesRequest(m, 'GET', 'https://api.example.com/v1/chat')).toBe(false);
    expect(
      matchesRequest(match({ mode: 'pattern', pattern: 'https://a.com/(x)' }), 'POST', 'https://a.com/(x)'),
    ).toBe(true);
  });
});

describe('createOverride', () => {
  const info = testInfo('c1', {
    url: 'http://127.0.0.1/sse?a=1',
    method: 'POST',
    startedAt: 1000,
    headersAt: 1020,
  });

  it('arms the defaults: same method and URL, recorded timing, no fault, this tab only, enabled', () => {
    const chunks = [
      { seq: 1, time: 1030, text: 'data: a\n\nda' },
      { seq: 2, time: 1090, text: 'ta: b\n\n' },
    ];
    const override = createOverride('o1', { info, records: [], chunks }, 'http://127.0.0.1/page');
    expect(override).toMatchObject({
      id: 'o1',
      match: { method: 'POST', url: 'http://127.0.0.1/sse?a=1', mode: 'exact' },
      timing: { speed: 1 },
      faults: [],
      enabled: true,
      pinned: false,
      served: 0,
      origin: 'http://127.0.0.1',
      response: { status: 200, headersMs: 20, format: 'sse' },
    });
    // The capture's raw chunks, exact text and boundaries.
    expect(override.response.chunks).toEqual([
      { elapsedMs: 30, text: 'data: a\n\nda' },
      { elapsedMs: 90, text: 'ta: b\n\n' },
    ]);
    expect(isOverride(override)).toBe(true);
  });

  it('an EventSource capture (records, no chunks) replays its records as blocks that parse back to the same events', () => {
    const es = testInfo('e1', { transport: 'eventsource', status: 0, statusText: '', responseHeaders: {} });
    const records = testRecords([
      ['open', '', ''],
      ['event', 'message', 'one', '1'],
      ['event', 'tick', 'two\nlines', '1'],
      ['event', 'message', 'three', '3'],
      ['error', '', 'closed'],
    ]);
    const override = createOverride('o2', { info: es, records }, 'http://127.0.0.1/');
    expect(override.response).toMatchObject({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
    });
    const chunks = replayChunksOf({ info: es, records });
    expect(chunks.map((c) => c.elapsedMs)).toEqual([20, 30, 40]);
    const parsed = createEventStreamParser().feed(chunks.map((c) => c.text).join(''), 0);
    expect(parsed.map((r) => [r.id, r.type, r.data])).toEqual([
      ['1', 'message', 'one'],
      ['1', 'tick', 'two\nlines'],
      ['3', 'message', 'three'],
    ]);
  });
});

describe('patches', () => {
  const base = createOverride('o', { info: testInfo('c'), records: [] }, 'http://127.0.0.1/');

  it('keeps one fault of each kind', () => {
    let faults = withFault([], { kind: 'stall', beforeEvent: 2, seconds: 1 });
    faults = withFault(faults, { kind: 'stall', beforeEvent: 3, seconds: 5 });
    faults = withFault(faults, { kind: 'drop-end-marker' });
    expect(faults).toEqual([{ kind: 'stall', beforeEvent: 3, seconds: 5 }, { kind: 'drop-end-marker' }]);
    expect(withoutFault(faults, 'stall')).toEqual([{ kind: 'drop-end-marker' }]);
  });

  it('clamps the speed to 0.25×–10×', () => {
    expect(clampSpeed(100)).toBe(10);
    expect(clampSpeed(0.01)).toBe(0.25);
    expect(clampSpeed(null)).toBeNull();
    expect(patchOverride(base, { timing: { speed: 50 } }).timing.speed).toBe(10);
    expect(patchOverride(base, { enabled: false })).toMatchObject({ enabled: false, id: 'o' });
  });

  it('refuses malformed overrides', () => {
    expect(isOverride({ ...base, faults: [{ kind: 'status', status: 418, retryAfter: 0, body: '' }] })).toBe(
      false,
    );
    expect(isOverride({ ...base, match: { ...base.match, mode: 'regex' } })).toBe(false);
    expect(isOverride({ ...base, served: -1 })).toBe(false);
    expect(isOverride(null)).toBe(false);
  });
});
