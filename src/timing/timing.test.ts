import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../model';
import { arrivalHistogram, axisTicks, computeTiming, niceStep, percentile, STALL_MS } from './index';

const T0 = 1_700_000_000_000;

/** Events at the given offsets from T0 (ms), seq from 1; `comment` offsets interleave as comments. */
function events(offsets: readonly number[], comments: readonly number[] = []): StreamRecord[] {
  const all = [
    ...offsets.map((at) => ({ at, kind: 'event' as const })),
    ...comments.map((at) => ({ at, kind: 'comment' as const })),
  ].sort((a, b) => a.at - b.at);
  return all.map(({ at, kind }, i) => ({
    seq: i + 1,
    kind,
    id: '',
    type: kind === 'event' ? 'message' : '',
    data: kind === 'event' ? `e${i}` : 'ping',
    time: T0 + at,
  }));
}

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([1, 2, 3], 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('computeTiming', () => {
  it('measures latencies from the request start and the records’ own times', () => {
    const stats = computeTiming({
      startedAt: T0,
      headersAt: T0 + 120,
      records: events([300, 310, 320, 330, 340]),
      endedAt: T0 + 400,
      firstContentTime: T0 + 310,
      outputTokens: 6,
    });
    expect(stats).toMatchObject({
      timeToHeadersMs: 120,
      timeToFirstEventMs: 300,
      timeToFirstContentMs: 310,
      durationMs: 400,
      ended: true,
      eventCount: 5,
      firstEventTime: T0 + 300,
      lastEventTime: T0 + 340,
      stalls: [],
    });
    // 4 gaps of 10 ms → 100 events/s; 6 tokens over the 30 ms from first content to last event.
    expect(stats.eventsPerSecond).toBeCloseTo(100);
    expect(stats.tokensPerSecond).toBeCloseTo(200);
    expect(stats.gaps).toEqual({ count: 4, p50: 10, p95: 10, max: 10 });
  });

  it('finds stalls (gaps of STALL_MS or more) with the events on either side', () => {
    const stats = computeTiming({
      startedAt: T0,
      headersAt: T0 + 5,
      records: events([10, 20, 20 + STALL_MS - 1, 30 + 2 * STALL_MS, 40 + 2 * STALL_MS, 40 + 3 * STALL_MS]),
      endedAt: null,
    });
    expect(stats.stalls).toEqual([
      { fromSeq: 3, seq: 4, start: T0 + 1019, end: T0 + 2030, gapMs: 1011 },
      { fromSeq: 5, seq: 6, start: T0 + 2040, end: T0 + 3040, gapMs: STALL_MS },
    ]);
    expect(stats.gaps).toEqual({ count: 5, p50: 999, p95: 1011, max: 1011 });
  });

  it('counts only dispatched events: a heartbeat comment neither fills a stall nor counts as an event', () => {
    const stats = computeTiming({
      startedAt: T0,
      headersAt: T0,
      records: events([0, 1500], [500, 1000]),
      endedAt: T0 + 1600,
    });
    expect(stats.eventCount).toBe(2);
    expect(stats.stalls).toEqual([{ fromSeq: 1, seq: 4, start: T0, end: T0 + 1500, gapMs: 1500 }]);
  });

  it('leaves figures empty that the stream cannot give yet', () => {
    const none = computeTiming({ startedAt: T0, headersAt: T0 + 50, records: [], endedAt: null });
    expect(none).toMatchObject({
      timeToHeadersMs: 50,
      timeToFirstEventMs: null,
      timeToFirstContentMs: null,
      durationMs: 50,
      ended: false,
      eventCount: 0,
      eventsPerSecond: null,
      tokensPerSecond: null,
      gaps: null,
      stalls: [],
    });
    const one = computeTiming({
      startedAt: T0,
      headersAt: T0,
      records: events([80]),
      endedAt: null,
      outputTokens: 10,
    });
    expect(one.eventsPerSecond).toBeNull();
    expect(one.tokensPerSecond).toBeNull();
    expect(one.gaps).toBeNull();
    expect(one.timeToFirstEventMs).toBe(80);
  });

  it('while open, the duration runs to the last record read, not to the panel’s clock', () => {
    const stats = computeTiming({
      startedAt: T0,
      headersAt: T0 + 10,
      records: events([100], [250]),
      endedAt: null,
    });
    expect(stats.durationMs).toBe(250);
    expect(stats.ended).toBe(false);
  });

  it('takes tokens per second from the first event when no content time is known', () => {
    const stats = computeTiming({
      startedAt: T0,
      headersAt: T0,
      records: events([0, 500, 1000]),
      endedAt: T0 + 1000,
      outputTokens: 50,
    });
    expect(stats.tokensPerSecond).toBeCloseTo(50);
    const zeroTokens = { startedAt: T0, headersAt: T0, records: events([0, 500]), endedAt: null };
    expect(computeTiming({ ...zeroTokens, outputTokens: 0 }).tokensPerSecond).toBeNull();
  });
});

describe('niceStep', () => {
  it('rounds up to 1, 2 or 5 times a power of ten, at least 1 ms', () => {
    expect([0, 0.3, 1, 1.5, 3, 7, 10, 11, 49, 51, 120, 999, 1001, 25_000].map(niceStep)).toEqual([
      1, 1, 1, 2, 5, 10, 10, 20, 50, 100, 200, 1000, 2000, 50_000,
    ]);
    expect(niceStep(Number.NaN)).toBe(1);
  });
});

describe('arrivalHistogram', () => {
  it('counts events per bucket of a nice width, at most maxBuckets', () => {
    const records = events([0, 5, 12, 150, 151, 152, 299], [100]);
    const histogram = arrivalHistogram(records, T0, T0 + 300, 30);
    expect(histogram.bucketMs).toBe(10);
    expect(histogram.counts).toHaveLength(30);
    expect(histogram.counts[0]).toBe(2);
    expect(histogram.counts[1]).toBe(1);
    expect(histogram.counts[15]).toBe(3);
    expect(histogram.counts[29]).toBe(1);
    expect(histogram.counts.reduce((a, b) => a + b, 0)).toBe(7);
    expect(histogram.maxCount).toBe(3);
  });

  it('never exceeds maxBuckets, clamps stray times and copes with an empty span', () => {
    for (const span of [1, 7, 999, 1000, 1001, 12_345, 3_600_000]) {
      const histogram = arrivalHistogram(events([0, span]), T0, T0 + span, 60);
      expect(histogram.counts.length, String(span)).toBeLessThanOrEqual(60);
      expect(histogram.counts.reduce((a, b) => a + b, 0)).toBe(2);
    }
    const clamped = arrivalHistogram(events([-5, 50]), T0, T0 + 10, 10);
    expect(clamped.counts[0]).toBe(1);
    expect(clamped.counts.at(-1)).toBe(1);
    const empty = arrivalHistogram([], T0, T0, 60);
    expect(empty).toEqual({ from: T0, bucketMs: 1, counts: [0], maxCount: 0 });
  });
});

describe('axisTicks', () => {
  it('gives nice ticks from 0 up to the span', () => {
    expect(axisTicks(1000, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(axisTicks(2500, 6)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(axisTicks(0)).toEqual([0]);
  });
});
