import { describe, expect, it } from 'vitest';
import { MAX_RUNNING_REPLAYS } from '../src/limits';
import { createOverride, type Override, patchOverride } from '../src/override';
import {
  type AgentBatchMessage,
  type AgentChunksMessage,
  createReplayCancel,
  createReplayStart,
  type ReplayResponseMessage,
  type ReplayToPage,
} from '../src/protocol';
import { testInfo } from '../src/test-records';
import { RelayReplay } from './relay-replay';

/** Lets the streams' queued reads settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function harness() {
  const posted: ReplayToPage[] = [];
  const served: string[] = [];
  const captured: (AgentBatchMessage | AgentChunksMessage)[] = [];
  let now = 0;
  const timers: { at: number; run: () => void }[] = [];
  const replay = new RelayReplay({
    post: (m) => posted.push(m),
    capture: (m) => captured.push(m),
    served: (id) => served.push(id),
    frameUrl: () => 'http://127.0.0.1/page',
    now: () => now,
    setTimer: (run, ms) => {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      timers.splice(timers.indexOf(timer as (typeof timers)[number]), 1);
    },
  });
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > until) break;
      timers.shift();
      now = next.at;
      next.run();
      await settle();
    }
    now = until;
    await settle();
  };
  /** What the agent would read from a replay's body, with the (fake) time each piece came. */
  const read = (message: ReplayToPage | undefined) => {
    const pieces: { at: number; value: unknown }[] = [];
    const outcome = { ended: null as null | 'closed' | string };
    const body = (message as ReplayResponseMessage).body;
    if (!body) throw new Error('no body');
    const reader = body.getReader();
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          pieces.push({
            at: now,
            value: value instanceof Uint8Array ? new TextDecoder().decode(value) : value,
          });
        }
        outcome.ended = 'closed';
      } catch (error) {
        outcome.ended = String(error);
      }
    })();
    return { pieces, outcome, reader };
  };
  return { replay, posted, served, captured, advance, read };
}

const REQUEST = {
  method: 'GET',
  url: 'http://127.0.0.1/c1',
  headers: { accept: 'text/event-stream' },
  body: null,
};

const CHUNKS = [
  { seq: 1, time: 1100, text: 'data: one\n\nda' },
  { seq: 2, time: 1300, text: 'ta: two\n\n' },
];
const override = (patch: Partial<Override> = {}): Override => ({
  ...createOverride(
    'o1',
    { info: testInfo('c1', { startedAt: 1000, headersAt: 1050 }), records: [], chunks: CHUNKS },
    'http://127.0.0.1/',
  ),
  ...patch,
});

describe('RelayReplay', () => {
  it('tells the agent nothing while no override was ever armed', () => {
    const { replay, posted } = harness();
    replay.agentConnected();
    replay.setOverrides([]);
    expect(posted).toEqual([]);
  });

  it('gives the agent the enabled overrides’ rules, and an empty list once none is left', () => {
    const { replay, posted } = harness();
    replay.setOverrides([override(), override({ id: 'o2', enabled: false })]);
    expect(posted).toEqual([
      { type: 'replay-rules', rules: [{ id: 'o1', source: '^GET http://127\\.0\\.0\\.1/c1$' }] },
    ]);
    replay.setOverrides([]);
    expect(posted[1]).toEqual({ type: 'replay-rules', rules: [] });
  });

  it('serves a replay on its schedule: the head with a body that gets the recorded chunks at their times; and counts it', async () => {
    const { replay, posted, served, advance, read } = harness();
    replay.setOverrides([override()]);
    posted.length = 0;
    expect(replay.onAgentMessage(createReplayStart('r1', 'o1', 'fetch', REQUEST))).toBe(true);
    expect(served).toEqual(['o1']);
    expect(posted).toEqual([]);
    await advance(50);
    expect(posted[0]).toMatchObject({
      type: 'replay-response',
      replayId: 'r1',
      status: 200,
      statusText: 'OK',
    });
    const body = read(posted[0]);
    await advance(250);
    expect(body.pieces).toEqual([
      { at: 100, value: 'data: one\n\nda' },
      { at: 300, value: 'ta: two\n\n' },
    ]);
    expect(body.outcome.ended).toBe('closed');
  });

  it('a network-error cut errors the body with the browser’s TypeError', async () => {
    const { replay, posted, advance, read } = harness();
    replay.setOverrides([
      patchOverride(override(), { faults: [{ kind: 'cut', afterEvent: 1, as: 'network-error' }] }),
    ]);
    replay.onAgentMessage(createReplayStart('r1', 'o1', 'fetch', REQUEST));
    await advance(50);
    const body = read(posted[1]);
    await advance(1000);
    expect(body.pieces.map((p) => p.value)).toEqual(['data: one\n\n']);
    expect(body.outcome.ended).toBe('TypeError: network error');
  });

  it('an EventSource gets the events the text makes, when the chunk that completes each arrives', async () => {
    const { replay, posted, advance, read } = harness();
    replay.setOverrides([override()]);
    replay.onAgentMessage(createReplayStart('r1', 'o1', 'eventsource', REQUEST));
    await advance(50);
    const body = read(posted[1]);
    await advance(250);
    expect(body.pieces).toEqual([
      { at: 100, value: { type: 'message', data: 'one', lastEventId: '' } },
      { at: 300, value: { type: 'message', data: 'two', lastEventId: '' } },
    ]);
    expect(body.outcome.ended).toBe('closed');
  });

  it('an EventSource gets no body for another status; fetch gets the status and its body', async () => {
    const { replay, posted, advance, read } = harness();
    const faulted = patchOverride(override(), {
      faults: [{ kind: 'status', status: 503, retryAfter: 0, body: 'x' }],
    });
    replay.setOverrides([faulted]);
    posted.length = 0;
    replay.onAgentMessage(createReplayStart('es', 'o1', 'eventsource', REQUEST));
    replay.onAgentMessage(createReplayStart('f', 'o1', 'fetch', REQUEST));
    await advance(50);
    expect(posted[0]).toMatchObject({ replayId: 'es', status: 503, body: null });
    expect(posted[1]).toMatchObject({ replayId: 'f', status: 503, statusText: 'Service Unavailable' });
    const body = read(posted[1]);
    await advance(10);
    expect(body.pieces.map((p) => p.value)).toEqual(['x']);
  });

  it('a body the page cancels, or a replay it aborts, sends nothing more; an unknown rule fails at once', async () => {
    const { replay, posted, advance, read } = harness();
    replay.setOverrides([override()]);
    posted.length = 0;
    replay.onAgentMessage(createReplayStart('r1', 'o1', 'fetch', REQUEST));
    await advance(100);
    const first = read(posted[0]);
    await settle();
    await first.reader.cancel();
    await advance(10_000);
    expect(first.pieces).toHaveLength(1);

    replay.onAgentMessage(createReplayStart('r2', 'o1', 'fetch', REQUEST));
    await advance(100);
    const second = read(posted[1]);
    replay.onAgentMessage(createReplayCancel('r2', new DOMException('stop', 'AbortError')));
    await advance(10_000);
    expect(second.pieces).toHaveLength(1);
    expect(second.outcome.ended).toBe('AbortError: stop');

    replay.onAgentMessage(createReplayStart('r3', 'gone', 'fetch', REQUEST));
    expect(posted[2]).toEqual({
      type: 'replay-response',
      replayId: 'r3',
      status: 0,
      statusText: '',
      headers: {},
      body: null,
    });
    expect(replay.onAgentMessage({ type: 'agent-batch' })).toBe(false);
  });

  it('captures what it serves, as the agent captures a network response, marked with the override', async () => {
    const { replay, posted, captured, advance, read } = harness();
    replay.setOverrides([override()]);
    replay.onAgentMessage(createReplayStart('r1', 'o1', 'fetch', REQUEST));
    await advance(50);
    read(posted[1]);
    await advance(1000);
    const [start, ...rest] = captured;
    expect(start).toMatchObject({
      type: 'agent-batch',
      items: [
        {
          type: 'connection-start',
          connection: {
            id: 'r1',
            transport: 'fetch',
            format: 'sse',
            url: 'http://127.0.0.1/c1',
            requestHeaders: { accept: 'text/event-stream' },
            status: 200,
            frameUrl: 'http://127.0.0.1/page',
            startedAt: 0,
            headersAt: 50,
            replayOf: 'o1',
          },
        },
      ],
    });
    expect(rest.flatMap((m): unknown[] => ('chunks' in m ? m.chunks : m.items))).toEqual([
      { connectionId: 'r1', time: 100, text: 'data: one\n\nda' },
      { connectionId: 'r1', time: 300, text: 'ta: two\n\n' },
      { connectionId: 'r1', time: 300, completed: true },
      {
        type: 'connection-end',
        connectionId: 'r1',
        end: { state: 'completed', error: null, endedAt: 300 },
      },
    ]);
  });

  it('an EventSource replay is captured as records: open, the events with their ids, and the error of its reconnect', async () => {
    const { replay, posted, captured, advance, read } = harness();
    replay.setOverrides([override()]);
    replay.onAgentMessage(createReplayStart('r1', 'o1', 'eventsource', REQUEST));
    await advance(50);
    read(posted[1]);
    await advance(1000);
    const records = captured
      .flatMap((m) => ('chunks' in m ? m.chunks : []))
      .map((c) => ('record' in c ? c.record : null));
    expect(records.map((r) => r && [r.kind, r.type, r.data])).toEqual([
      ['open', '', ''],
      ['event', 'message', 'one'],
      ['event', 'message', 'two'],
      ['error', '', 'reconnecting'],
    ]);
    expect(captured[0]).toMatchObject({
      items: [{ connection: { transport: 'eventsource', status: 0, responseHeaders: {} } }],
    });
  });

  it('an aborted fetch replay ends its capture as aborted; another status that completes, as an HTTP error', async () => {
    const { replay, posted, captured, advance } = harness();
    replay.setOverrides([override()]);
    replay.onAgentMessage(createReplayStart('r1', 'o1', 'fetch', REQUEST));
    await advance(60);
    replay.onAgentMessage(createReplayCancel('r1', new DOMException('stop', 'AbortError')));
    const ends = () =>
      captured.flatMap((m) => ('items' in m ? m.items : [])).filter((i) => i.type === 'connection-end');
    expect(ends()).toMatchObject([{ end: { state: 'aborted', error: 'AbortError: stop' } }]);
    replay.setOverrides([
      patchOverride(override(), { faults: [{ kind: 'status', status: 429, retryAfter: 3, body: '{}' }] }),
    ]);
    replay.onAgentMessage(createReplayStart('r2', 'o1', 'fetch', REQUEST));
    await advance(60);
    expect(posted.at(-1)).toMatchObject({ status: 429, headers: { 'retry-after': '3' } });
    expect(ends()[1]).toMatchObject({ end: { state: 'error', error: 'HTTP 429 Too Many Requests' } });
  });

  it(`serves at most ${MAX_RUNNING_REPLAYS} replays at once; one beyond fails as a network error`, async () => {
    const { replay, posted, served } = harness();
    replay.setOverrides([override()]);
    posted.length = 0;
    for (let i = 0; i <= MAX_RUNNING_REPLAYS; i++)
      replay.onAgentMessage(createReplayStart(`r${i}`, 'o1', 'fetch', REQUEST));
    expect(served).toHaveLength(MAX_RUNNING_REPLAYS);
    expect(posted).toEqual([
      {
        type: 'replay-response',
        replayId: `r${MAX_RUNNING_REPLAYS}`,
        status: 0,
        statusText: '',
        headers: {},
        body: null,
      },
    ]);
  });
});
