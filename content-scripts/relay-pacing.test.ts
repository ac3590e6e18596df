import { describe, expect, it } from 'vitest';
import { RELAY_POST_LIMITS } from '../src/limits';
import { PostPacer } from './relay-pacing';

const { readingWindowMs, burstGraceMs, atOnceChars, shareWhileReading } = RELAY_POST_LIMITS;
const LARGE = atOnceChars + 1;

/** The agent sends something every `everyMs` from `from` to `to` (inclusive). */
function readFor(pacer: PostPacer, from: number, to: number, everyMs = 5): void {
  for (let t = from; t <= to; t += everyMs) pacer.agentActive(t);
}

describe('PostPacer', () => {
  it('posts anything at once while the page is not reading', () => {
    const pacer = new PostPacer();
    expect(pacer.waitFor(LARGE, 1000)).toBe(0);
    expect(pacer.waitFor(10, 1000)).toBe(0);
    pacer.agentActive(1000);
    expect(pacer.waitFor(LARGE, 1000 + readingWindowMs)).toBe(0);
    expect(pacer.posted(1000 + readingWindowMs, 1000 + readingWindowMs + 30)).toBe(0);
  });

  it('holds a large message in a burst’s first burstGraceMs until the burst pauses, never a small one', () => {
    const pacer = new PostPacer();
    readFor(pacer, 1000, 1080);
    // Reading: wait for the burst's pause (the last read + the reading window) …
    expect(pacer.waitFor(LARGE, 1080)).toBe(readingWindowMs);
    expect(pacer.waitFor(atOnceChars, 1080)).toBe(0);
    // … and once it paused, post.
    expect(pacer.waitFor(LARGE, 1080 + readingWindowMs)).toBe(0);
  });

  it('lets a burst that goes on past its grace post within the share', () => {
    const pacer = new PostPacer();
    readFor(pacer, 1000, 1000 + burstGraceMs - 10);
    // The grace ends before the burst's pause would: the wait is cut at the grace's end.
    const now = 1000 + burstGraceMs - 10;
    expect(pacer.waitFor(LARGE, now)).toBe(10);
    readFor(pacer, now, 1000 + burstGraceMs + 100);
    const later = 1000 + burstGraceMs + 100;
    expect(pacer.waitFor(LARGE, later)).toBe(0);
    // A 20 ms post while reading pauses posting so that it takes `shareWhileReading` of the thread.
    const pause = pacer.posted(later, later + 20);
    expect(pause).toBeCloseTo((20 * (1 - shareWhileReading)) / shareWhileReading);
    expect(pacer.waitFor(10, later + 20)).toBeCloseTo(pause);
    expect(pacer.waitFor(10, later + 20 + pause)).toBe(0);
  });

  it('starts a new grace after the page paused reading', () => {
    const pacer = new PostPacer();
    readFor(pacer, 1000, 1000 + burstGraceMs + 100);
    expect(pacer.waitFor(LARGE, 1000 + burstGraceMs + 100)).toBe(0);
    // A pause of the reading window, then a new burst: held again.
    const next = 1000 + burstGraceMs + 100 + readingWindowMs;
    pacer.agentActive(next);
    expect(pacer.waitFor(LARGE, next)).toBe(readingWindowMs);
  });
});
