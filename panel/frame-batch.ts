/** What a frame batch schedules with: the browser's frames and timers, or a test's. */
export interface FrameClock {
  requestFrame(callback: () => void): number;
  cancelFrame(handle: number): void;
  setTimer(callback: () => void, ms: number): ReturnType<typeof setTimeout>;
  clearTimer(handle: ReturnType<typeof setTimeout>): void;
  /** The document is hidden: it gets no frames. */
  hidden(): boolean;
}

/** The panel's own document. */
export const BROWSER_CLOCK: FrameClock = {
  requestFrame: (callback) => requestAnimationFrame(callback),
  cancelFrame: (handle) => cancelAnimationFrame(handle),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle),
  hidden: () => document.visibilityState === 'hidden',
};

/** Items added in one frame's time, applied together in the next frame. */
export interface FrameBatch<T> {
  add(items: readonly T[]): void;
  /** Applies what waits now (before something that must follow it). */
  flush(): void;
}

/**
 * Items added before the next frame are applied together in it, in the order added: at most one
 * update per frame, however many messages came. A frame that does not come within `waitMs` (a
 * busy renderer) or at all (a hidden document) is not waited for.
 */
export function frameBatch<T>(apply: (items: T[]) => void, clock: FrameClock, waitMs: number): FrameBatch<T> {
  let batches: (readonly T[])[] = [];
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  function flush(): void {
    if (timer === undefined) return;
    clock.cancelFrame(frame);
    clock.clearTimer(timer);
    timer = undefined;
    // One array at the end, not one per message: a backlog of thousands of messages is not copied
    // again with each.
    const items = batches.flat();
    batches = [];
    if (items.length > 0) apply(items);
  }
  return {
    add(items) {
      if (items.length === 0) return;
      batches.push(items);
      if (timer !== undefined) return;
      frame = clock.requestFrame(flush);
      timer = clock.setTimer(flush, clock.hidden() ? 0 : waitMs);
    },
    flush,
  };
}
