import { describe, expect, it } from 'vitest';
import type { Override, OverrideFault, ReplayChunk } from '../src/override';
import { createEventStreamParser } from '../src/sse/event-stream-parser';
import { createNdjsonParser } from '../src/sse/ndjson-parser';
import { eventsOf, planReplay, ReplaySchedule, type ReplayStep } from './replay-schedule';

const CHUNKS: ReplayChunk[] = [
  { elapsedMs: 100, text: ': hello\n\nid: 1\ndata: one\n\nda' },
  { elapsedMs: 300, text: 'ta: two\r\n\r\nevent: tick\ndata: three\ndata: more\n\n' },
  { elapsedMs: 700, text: 'data: [DONE]\n\n' },
];

function plan(
  faults: OverrideFault[] = [],
  speed: number | null = 1,
  chunks = CHUNKS,
  format: 'sse' | 'ndjson' = 'sse',
) {
  const override: Pick<Override, 'response' | 'timing' | 'faults'> = {
    response: {
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'text/event-stream' },
      format,
      headersMs: 50,
      chunks,
    },
    timing: { speed },
    faults,
  };
  return planReplay(override);
}

const chunkSteps = (steps: ReplayStep[]) =>
  steps.flatMap((s) => (s.kind === 'chunk' ? [{ atMs: s.atMs, text: s.text }] : []));
const bodyOf = (steps: ReplayStep[]) =>
  chunkSteps(steps)
    .map((s) => s.text)
    .join('');
const endOf = (steps: ReplayStep[]) => steps.find((s) => s.kind === 'end');

/** What a page's EventSource (or any parser) would make of the planned body. */
function parsedData(steps: ReplayStep[]): string[] {
  const parser = createEventStreamParser();
  return chunkSteps(steps)
    .flatMap((s) => parser.feed(s.text, 0))
    .filter((r) => r.kind === 'event')
    .map((r) => r.data);
}

describe('planReplay', () => {
  it('gives the head, then the recorded chunks exactly (text and boundaries) at their recorded times, then a clean end', () => {
    const steps = plan();
    expect(steps[0]).toEqual({
      kind: 'head',
      atMs: 50,
      head: { status: 200, statusText: 'OK', headers: { 'content-type': 'text/event-stream' } },
    });
    expect(chunkSteps(steps)).toEqual(CHUNKS.map((c) => ({ atMs: c.elapsedMs, text: c.text })));
    expect(endOf(steps)).toEqual({ kind: 'end', atMs: 700, as: 'clean-end' });
  });

  it('scales every time by the speed, and all at once sends the whole body as one chunk with the head', () => {
    expect(chunkSteps(plan([], 2)).map((s) => s.atMs)).toEqual([50, 150, 350]);
    expect(chunkSteps(plan([], 0.25)).map((s) => s.atMs)).toEqual([400, 1200, 2800]);
    expect(plan([], 0.25)[0]?.atMs).toBe(200);
    const once = plan([], null);
    expect(chunkSteps(once)).toEqual([{ atMs: 0, text: CHUNKS.map((c) => c.text).join('') }]);
  });

  it('finds the events as the parser does', () => {
    expect(eventsOf(CHUNKS, 'sse')).toEqual([
      { type: 'message', data: 'one' },
      { type: 'message', data: 'two' },
      { type: 'tick', data: 'three\nmore' },
      { type: 'message', data: '[DONE]' },
    ]);
    expect(parsedData(plan())).toEqual(['one', 'two', 'three\nmore', '[DONE]']);
  });

  it('cuts after event N as a network error or a clean end, the text before byte for byte', () => {
    const steps = plan([{ kind: 'cut', afterEvent: 2, as: 'network-error' }]);
    expect(bodyOf(steps)).toBe(': hello\n\nid: 1\ndata: one\n\ndata: two\r\n\r\n');
    // The chunk boundary inside event 2 stays where it was.
    expect(chunkSteps(steps).map((s) => s.text)).toEqual([
      ': hello\n\nid: 1\ndata: one\n\nda',
      'ta: two\r\n\r\n',
    ]);
    expect(endOf(steps)).toMatchObject({ as: 'network-error', atMs: 300 });
    expect(endOf(plan([{ kind: 'cut', afterEvent: 1, as: 'clean-end' }]))).toMatchObject({
      as: 'clean-end',
      atMs: 100,
    });
    expect(parsedData(plan([{ kind: 'cut', afterEvent: 3, as: 'clean-end' }]))).toEqual([
      'one',
      'two',
      'three\nmore',
    ]);
    expect(bodyOf(plan([{ kind: 'cut', afterEvent: 0, as: 'network-error' }]))).toBe('');
  });

  it('cut beyond the last event sends the whole body and ends as asked', () => {
    const steps = plan([{ kind: 'cut', afterEvent: 9, as: 'network-error' }]);
    expect(bodyOf(steps)).toBe(CHUNKS.map((c) => c.text).join(''));
    expect(endOf(steps)).toMatchObject({ as: 'network-error' });
  });

  it('drops the end marker and nothing else', () => {
    const steps = plan([{ kind: 'drop-end-marker' }]);
    expect(parsedData(steps)).toEqual(['one', 'two', 'three\nmore']);
    expect(chunkSteps(steps).map((s) => s.text)).toEqual(CHUNKS.slice(0, 2).map((c) => c.text));
    const anthropic: ReplayChunk[] = [
      { elapsedMs: 10, text: 'event: content_block_delta\ndata: {"type":"content_block_delta"}\n\n' },
      { elapsedMs: 20, text: 'event: message_stop\ndata: {"type":"message_stop"}\n\n' },
    ];
    expect(bodyOf(plan([{ kind: 'drop-end-marker' }], 1, anthropic))).toBe(anthropic[0]?.text);
  });

  it('stalls S seconds before event N, whatever the speed, splitting the chunk it starts in', () => {
    const steps = plan([{ kind: 'stall', beforeEvent: 3, seconds: 2 }], 2);
    expect(chunkSteps(steps)).toEqual([
      { atMs: 50, text: CHUNKS[0]?.text },
      { atMs: 150, text: 'ta: two\r\n\r\n' },
      { atMs: 2150, text: 'event: tick\ndata: three\ndata: more\n\n' },
      { atMs: 2350, text: 'data: [DONE]\n\n' },
    ]);
    const once = chunkSteps(plan([{ kind: 'stall', beforeEvent: 2, seconds: 1 }], null));
    expect(once.map((s) => s.atMs)).toEqual([0, 1000]);
    expect(once[0]?.text).toBe(': hello\n\nid: 1\ndata: one\n\n');
    expect(once[1]?.text.startsWith('data: two\r\n')).toBe(true);
  });

  it('edits one event’s data, keeping its id, type and every other byte', () => {
    const steps = plan([{ kind: 'edit', event: 3, data: 'changed\nlines' }]);
    expect(parsedData(steps)).toEqual(['one', 'two', 'changed\nlines', '[DONE]']);
    expect(bodyOf(steps)).toBe(
      ': hello\n\nid: 1\ndata: one\n\ndata: two\r\n\r\nevent: tick\ndata: changed\ndata: lines\n\ndata: [DONE]\n\n',
    );
    // An event split across chunks arrives, edited, with its last piece.
    const split = chunkSteps(plan([{ kind: 'edit', event: 2, data: 'TWO' }]));
    expect(split[0]?.text).toBe(': hello\n\nid: 1\ndata: one\n\n');
    expect(split[1]?.text.startsWith('data: TWO\n\r\n')).toBe(true);
  });

  it('another status: the status, its text, Retry-After for 429 and the body, at once', () => {
    const steps = plan([{ kind: 'status', status: 429, retryAfter: 7, body: '{"error":"slow down"}' }]);
    expect(steps).toEqual([
      {
        kind: 'head',
        atMs: 50,
        head: {
          status: 429,
          statusText: 'Too Many Requests',
          headers: { 'content-type': 'application/json', 'retry-after': '7' },
        },
      },
      { kind: 'chunk', atMs: 50, text: '{"error":"slow down"}' },
      { kind: 'end', atMs: 50, as: 'clean-end' },
    ]);
    const head = plan([{ kind: 'status', status: 503, retryAfter: 0, body: '' }])[0];
    expect(head).toMatchObject({ head: { status: 503, statusText: 'Service Unavailable' } });
    expect(head?.kind === 'head' && 'retry-after' in head.head.headers).toBe(false);
  });

  it('NDJSON: one event per line; cut and edit work on lines', () => {
    const ndjson: ReplayChunk[] = [
      { elapsedMs: 5, text: '{"a":1}\n{"a"' },
      { elapsedMs: 9, text: ':2}\r\n\n{"a":3}\n' },
    ];
    expect(eventsOf(ndjson, 'ndjson').map((e) => e.data)).toEqual(['{"a":1}', '{"a":2}', '{"a":3}']);
    const edited = plan([{ kind: 'edit', event: 2, data: '{"a":"x"}' }], 1, ndjson, 'ndjson');
    const parser = createNdjsonParser();
    const data = chunkSteps(edited)
      .flatMap((s) => parser.feed(s.text, 0))
      .map((r) => r.data);
    expect(data).toEqual(['{"a":1}', '{"a":"x"}', '{"a":3}']);
    expect(bodyOf(plan([{ kind: 'cut', afterEvent: 1, as: 'clean-end' }], 1, ndjson, 'ndjson'))).toBe(
      '{"a":1}\n',
    );
  });

  it('times never go backwards, and no chunk comes before the head', () => {
    const steps = plan([], 1, [
      { elapsedMs: 0, text: 'data: a\n\n' },
      { elapsedMs: 80, text: 'data: b\n\n' },
      { elapsedMs: 60, text: 'data: c\n\n' },
    ]);
    expect(chunkSteps(steps).map((s) => s.atMs)).toEqual([50, 80, 80]);
  });
});

describe('ReplaySchedule', () => {
  it('gives each step once, in order, when its time has come, and nothing after cancel', () => {
    const steps = plan();
    const schedule = new ReplaySchedule(steps, 1000);
    expect(schedule.nextAt).toBe(1050);
    expect(schedule.due(1049)).toEqual([]);
    expect(schedule.due(1100).map((s) => s.kind)).toEqual(['head', 'chunk']);
    expect(schedule.due(1100)).toEqual([]);
    expect(schedule.nextAt).toBe(1300);
    expect(schedule.due(1300).map((s) => s.kind)).toEqual(['chunk']);
    schedule.cancel();
    expect(schedule.due(5000)).toEqual([]);
    expect(schedule.nextAt).toBeNull();
    expect(schedule.done).toBe(true);
  });

  it('is done after the end', () => {
    const schedule = new ReplaySchedule(plan([], null), 0);
    expect(schedule.due(0).map((s) => s.kind)).toEqual(['head', 'chunk', 'end']);
    expect(schedule.done).toBe(true);
  });
});
