/**
 * When the relay posts capture messages to the panel (content-scripts/relay-main.ts). Posting decodes
 * and serialises on the page's thread, and the service worker and the panel then work on the message
 * on the same cores, so while the page reads, posting waits or keeps to a share of its thread
 * (src/limits.ts, `RELAY_POST_LIMITS`). Pure: times are `performance.now()` values passed in.
 */
import { RELAY_POST_LIMITS } from '../src/limits';

/** The relay's posting pace, from what the agent sent when and how long posts took. */
export class PostPacer {
  /** When the agent last sent something. */
  private activeAt = Number.NEGATIVE_INFINITY;
  /** When the agent's current run of messages began, after a pause of `readingWindowMs`. */
  private burstAt = Number.NEGATIVE_INFINITY;
  /** Posting pauses until then, to keep to its share of the thread while the page reads. */
  private resumeAt = 0;

  constructor(private readonly limits: typeof RELAY_POST_LIMITS = RELAY_POST_LIMITS) {}

  /** The agent sent something at `now`. */
  agentActive(now: number): void {
    if (!this.reading(now)) this.burstAt = now;
    this.activeAt = now;
  }

  /** Whether the page is reading at `now`: the agent sent something within `readingWindowMs`. */
  reading(now: number): boolean {
    return now - this.activeAt < this.limits.readingWindowMs;
  }

  /** Whether a message of `chars` characters may be posted in the task that made it. */
  small(chars: number): boolean {
    return chars <= this.limits.atOnceChars;
  }

  /**
   * How long (ms) a message of `chars` characters waits at `now`; 0: post it now. Any message waits
   * out the pause after the last post; a large one also waits, in the first `burstGraceMs` of a burst
   * of reads, until the burst pauses (a short burst is then not slowed at all).
   */
  waitFor(chars: number, now: number): number {
    let until = this.resumeAt;
    if (!this.small(chars) && this.reading(now)) {
      const graceEnd = this.burstAt + this.limits.burstGraceMs;
      if (now < graceEnd)
        until = Math.max(until, Math.min(graceEnd, this.activeAt + this.limits.readingWindowMs));
    }
    return Math.max(0, until - now);
  }

  /**
   * A post ran from `started` to `now`. While the page reads, posting then pauses so that it takes at
   * most `shareWhileReading` of the thread: returns the pause (ms), 0 when the page is not reading.
   */
  posted(started: number, now: number): number {
    if (!this.reading(now)) return 0;
    const share = this.limits.shareWhileReading;
    const pause = ((now - started) * (1 - share)) / share;
    this.resumeAt = now + pause;
    return pause;
  }
}
