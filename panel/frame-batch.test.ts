import { describe, expect, it } from 'vitest';
import { type FrameClock, frameBatch } from './frame-batch';

/** A clock the test advances: frames run when it says, timers when their time has come. */
function testClock(hidden = false) {
  let now = 0;
  let nextId = 1;
  const frames = new Map<number, () => void>();
  const timers = new Map<number, { at: number; run: () => void }>();
  const clock: FrameClock = {
    requestFrame(callback) {
      frames.set(nextId, callback);
      return nextId++;
    },
    cancelFrame: (handle) => void frames.delete(handle),
    setTimer(callback, ms) {
      timers.set(nextId, { at: now + ms, run: callback });
      return nextId++ as unknown as ReturnType<typeof setTimeout>;
    },
    clearTimer: (handle) => void timers.delete(handle as unknown as number),
    hidden: () => hidden,
  };
  return {
    clock,
    frame() {
      const due = [...frames.values()];
      frames.clear();
      for (const run of due) run();
    },
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at > now) continue;
        timers.delete(id);
        timer.run();
      }
    },
    pending: () => frames.size + timers.size,
  };
}

describe('frameBatch', () => {
  it('applies what came before a frame in that frame, once and in order', () => {
    const t = testClock();
    const applied: number[][] = [];
    const batch = frameBatch<number>((items) => applied.push(items), t.clock, 100);
    batch.add([1, 2]);
    batch.add([3]);
    batch.add([]);
    expect(applied).toEqual([]);
    t.frame();
    expect(applied).toEqual([[1, 2, 3]]);
    expect(t.pending()).toBe(0);
    batch.add([4]);
    t.frame();
    expect(applied).toEqual([[1, 2, 3], [4]]);
  });

  it('does not wait longer than its wait for a frame that does not come', () => {
    const t = testClock();
    const applied: number[][] = [];
    const batch = frameBatch<number>((items) => applied.push(items), t.clock, 100);
    batch.add([1]);
    t.advance(99);
    expect(applied).toEqual([]);
    t.advance(1);
    expect(applied).toEqual([[1]]);
    // The frame that comes late has nothing left to apply.
    t.frame();
    expect(applied).toEqual([[1]]);
    expect(t.pending()).toBe(0);
  });

  it('in a hidden document, applies in the next task', () => {
    const t = testClock(true);
    const applied: number[][] = [];
    const batch = frameBatch<number>((items) => applied.push(items), t.clock, 100);
    batch.add([1]);
    batch.add([2]);
    t.advance(0);
    expect(applied).toEqual([[1, 2]]);
  });

  it('flush applies what waits at once, and then nothing is left for the frame', () => {
    const t = testClock();
    const applied: number[][] = [];
    const batch = frameBatch<number>((items) => applied.push(items), t.clock, 100);
    batch.flush();
    expect(applied).toEqual([]);
    batch.add([1]);
    batch.flush();
    expect(applied).toEqual([[1]]);
    t.frame();
    t.advance(100);
    expect(applied).toEqual([[1]]);
    expect(t.pending()).toBe(0);
  });
});
