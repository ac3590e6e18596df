/**
 * Timing analysis of one connection: latencies, rates, inter-event gaps, stalls and an arrival
 * histogram. Pure: every time comes from the connection's own records (when the page read each
 * chunk), never from when a message reached the panel.
 */
import type { StreamRecord } from '../model';

/** A gap between two consecutive events at least this long (ms) is a stall. */
export const STALL_MS = 1000;

/** What the analysis needs of a connection. Times are epoch ms, as in {@link StreamRecord.time}. */
export interface TimingInput {
  /** When the request was made. */
  startedAt: number;
  /** When the response headers arrived. */
  headersAt: number;
  /** The connection's timeline in seq order; only `kind: 'event'` records are counted. */
  records: readonly StreamRecord[];
  /** When the connection ended; `null` while it is open. */
  endedAt: number | null;
  /** Time of the first content token (`LlmMessage.firstContentTime`), when the stream's shape is known. */
  firstContentTime?: number | null;
  /** Output tokens the provider reported (`LlmMessage.usage.outputTokens`), when it did. */
  outputTokens?: number | null;
}

/** A gap of at least {@link STALL_MS} between two consecutive events. */
export interface Stall {
  /** `seq` of the event before the gap. */
  fromSeq: number;
  /** `seq` of the event that ended the gap. */
  seq: number;
  /** Time of the event before the gap. */
  start: number;
  /** Time of the event that ended the gap. */
  end: number;
  /** `end - start`. */
  gapMs: number;
}

/** Distribution of the gaps between consecutive events (nearest-rank percentiles, in ms). */
export interface GapStats {
  /** Number of gaps (events − 1). */
  count: number;
  p50: number;
  p95: number;
  max: number;
}

/** The timing figures of a connection. Durations are in ms, relative to `startedAt` where they are times. */
export interface TimingStats {
  /** `headersAt - startedAt`. */
  timeToHeadersMs: number;
  /** First event's time − `startedAt`; `null` before the first event. */
  timeToFirstEventMs: number | null;
  /** First content token's time − `startedAt`; `null` when unknown (no shape, or no content yet). */
  timeToFirstContentMs: number | null;
  /**
   * End − `startedAt`. While the connection is open, "end" is the last record's time (or `headersAt`),
   * so the figure only grows when the page reads something.
   */
  durationMs: number;
  /** Whether the connection has ended (else `durationMs` is "so far"). */
  ended: boolean;
  /** Dispatched events (`kind: 'event'`). */
  eventCount: number;
  /** Time of the first and last event; `null` without events. */
  firstEventTime: number | null;
  lastEventTime: number | null;
  /**
   * Arrival rate while events flowed: (events − 1) ÷ (last − first event time), per second.
   * `null` with fewer than two events or when they all arrived at once.
   */
  eventsPerSecond: number | null;
  /**
   * Output tokens ÷ (last event − first content token, or first event when no content time is known),
   * per second. `null` without a token count or a positive span.
   */
  tokensPerSecond: number | null;
  /** `null` with fewer than two events. */
  gaps: GapStats | null;
  /** Every gap of at least {@link STALL_MS}, in stream order. */
  stalls: Stall[];
}

/** The value at percentile `p` (0–100) of ascending `sorted`, nearest-rank; `NaN` when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** Computes the timing figures of a connection in O(n log n) over its events. */
export function computeTiming(input: TimingInput): TimingStats {
  const { startedAt, headersAt, records, endedAt } = input;
  const gaps: number[] = [];
  const stalls: Stall[] = [];
  let eventCount = 0;
  let first: StreamRecord | null = null;
  let previous: StreamRecord | null = null;
  for (const record of records) {
    if (record.kind !== 'event') continue;
    eventCount++;
    first ??= record;
    if (previous) {
      const gap = record.time - previous.time;
      gaps.push(gap);
      if (gap >= STALL_MS) {
        stalls.push({
          fromSeq: previous.seq,
          seq: record.seq,
          start: previous.time,
          end: record.time,
          gapMs: gap,
        });
      }
    }
    previous = record;
  }
  const last = previous;
  const lastRecordTime = records.at(-1)?.time;
  const end = endedAt ?? Math.max(headersAt, lastRecordTime ?? headersAt);

  let eventsPerSecond: number | null = null;
  if (first && last && eventCount > 1 && last.time > first.time) {
    eventsPerSecond = ((eventCount - 1) * 1000) / (last.time - first.time);
  }

  let tokensPerSecond: number | null = null;
  const tokens = input.outputTokens;
  const from = input.firstContentTime ?? first?.time;
  if (tokens !== null && tokens !== undefined && tokens > 0 && last && from !== undefined) {
    const span = last.time - from;
    if (span > 0) tokensPerSecond = (tokens * 1000) / span;
  }

  let gapStats: GapStats | null = null;
  if (gaps.length > 0) {
    gaps.sort((a, b) => a - b);
    gapStats = {
      count: gaps.length,
      p50: percentile(gaps, 50),
      p95: percentile(gaps, 95),
      max: gaps[gaps.length - 1] ?? 0,
    };
  }

  const firstContentTime = input.firstContentTime ?? null;
  return {
    timeToHeadersMs: headersAt - startedAt,
    timeToFirstEventMs: first ? first.time - startedAt : null,
    timeToFirstContentMs: firstContentTime === null ? null : firstContentTime - startedAt,
    durationMs: end - startedAt,
    ended: endedAt !== null,
    eventCount,
    firstEventTime: first?.time ?? null,
    lastEventTime: last?.time ?? null,
    eventsPerSecond,
    tokensPerSecond,
    gaps: gapStats,
    stalls,
  };
}

/**
 * The smallest "nice" step (1, 2 or 5 × a power of ten, at least 1 ms) not below `raw`:
 * bucket widths and axis ticks a person can read.
 */
export function niceStep(raw: number): number {
  if (!(raw > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) {
    const step = factor * power;
    // Tolerate float noise (log10 of an exact power can land just below it).
    if (step >= raw * (1 - 1e-9)) return step;
  }
  return 10 * power;
}

/** Event counts per time bucket, for a chart of arrivals over time. */
export interface ArrivalHistogram {
  /** Start of the first bucket (epoch ms). */
  from: number;
  /** Width of every bucket, a {@link niceStep}. */
  bucketMs: number;
  /** Events per bucket; bucket `i` covers `[from + i·bucketMs, from + (i+1)·bucketMs)`. */
  counts: number[];
  /** The largest count (0 when there are no events). */
  maxCount: number;
}

/**
 * Buckets the times of `kind: 'event'` records between `from` and `to` into at most `maxBuckets`
 * buckets of a nice width. Times outside the range are clamped into the first or last bucket.
 */
export function arrivalHistogram(
  records: readonly StreamRecord[],
  from: number,
  to: number,
  maxBuckets = 60,
): ArrivalHistogram {
  const limit = Math.max(1, Math.floor(maxBuckets));
  const span = Math.max(0, to - from);
  let bucketMs = niceStep(span / limit);
  // A nice step rounds up, so this only runs when float noise left one bucket too many.
  while (Math.ceil(span / bucketMs) > limit) bucketMs = niceStep(bucketMs * 1.01);
  const counts = new Array<number>(Math.max(1, Math.ceil(span / bucketMs))).fill(0);
  let maxCount = 0;
  for (const record of records) {
    if (record.kind !== 'event') continue;
    const index = Math.min(counts.length - 1, Math.max(0, Math.floor((record.time - from) / bucketMs)));
    const count = (counts[index] ?? 0) + 1;
    counts[index] = count;
    if (count > maxCount) maxCount = count;
  }
  return { from, bucketMs, counts, maxCount };
}

/** Axis tick offsets (ms from the start) for a span: 0, step, 2·step… with at most `maxTicks` + 1 ticks. */
export function axisTicks(spanMs: number, maxTicks = 6): number[] {
  const step = niceStep(Math.max(0, spanMs) / Math.max(1, maxTicks));
  const ticks: number[] = [];
  for (let at = 0; at <= spanMs + 1e-9; at += step) ticks.push(at);
  return ticks;
}
