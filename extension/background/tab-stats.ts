/**
 * Stream counts per tab, for the badge and the popup: each relay (one per frame document) reports
 * its own document's counts; a tab's counts are the sum over its relays. Kept in memory only: after a
 * service-worker restart every relay reconnects and reports again.
 */

/** Streams captured so far, and those still open. */
export interface StreamCounts {
  total: number;
  live: number;
}

export class TabStats<Relay> {
  private readonly byTab = new Map<number, Map<Relay, StreamCounts>>();

  /** Records a relay's latest counts; true when the tab's sum changed. */
  report(tabId: number, relay: Relay, counts: StreamCounts): boolean {
    const before = this.of(tabId);
    let relays = this.byTab.get(tabId);
    if (!relays) {
      relays = new Map();
      this.byTab.set(tabId, relays);
    }
    relays.set(relay, { total: counts.total, live: counts.live });
    return !sameCounts(before, this.of(tabId));
  }

  /** Forgets a relay whose document went away; true when the tab's sum changed. */
  forget(tabId: number, relay: Relay): boolean {
    const relays = this.byTab.get(tabId);
    if (!relays?.has(relay)) return false;
    const before = this.of(tabId);
    relays.delete(relay);
    if (relays.size === 0) this.byTab.delete(tabId);
    return !sameCounts(before, this.of(tabId));
  }

  /** Forgets the whole tab (a new document, or the tab closed); true when it had counts. */
  clear(tabId: number): boolean {
    const had = this.of(tabId);
    this.byTab.delete(tabId);
    return had.total > 0 || had.live > 0;
  }

  of(tabId: number): StreamCounts {
    const sum = { total: 0, live: 0 };
    for (const counts of this.byTab.get(tabId)?.values() ?? []) {
      sum.total += counts.total;
      sum.live += counts.live;
    }
    return sum;
  }
}

function sameCounts(a: StreamCounts, b: StreamCounts): boolean {
  return a.total === b.total && a.live === b.live;
}

/** The most the badge shows; it has room for about four characters. */
const BADGE_MAX = 999;

/** The action badge for a tab: its live streams, nothing when none. */
export function badgeText(live: number): string {
  if (live <= 0) return '';
  return live > BADGE_MAX ? `${BADGE_MAX}+` : String(live);
}

/** How long status changes of a tab gather before the badge and the panels hear of them (ms). */
export const STATS_COALESCE_MS = 100;

/**
 * Coalesces a tab's count changes: a page that opens and closes hundreds of streams in a burst sets
 * the badge and tells the panels and popups once per `STATS_COALESCE_MS` at most, and only with what
 * changed since they last heard (the badge only when its text changed).
 */
export class StatsPublisher {
  private readonly pending = new Set<number>();
  private scheduled = false;
  private readonly badges = new Map<number, string>();
  private readonly told = new Map<number, StreamCounts>();

  constructor(
    private readonly countsOf: (tabId: number) => StreamCounts,
    private readonly out: {
      setBadge(tabId: number, text: string): void;
      broadcast(tabId: number, counts: StreamCounts): void;
      schedule(run: () => void, ms: number): void;
    },
  ) {}

  changed(tabId: number): void {
    this.pending.add(tabId);
    if (this.scheduled) return;
    this.scheduled = true;
    this.out.schedule(() => this.flush(), STATS_COALESCE_MS);
  }

  /** The tab closed: forget what it was last told. */
  forget(tabId: number): void {
    this.badges.delete(tabId);
    this.told.delete(tabId);
  }

  private flush(): void {
    this.scheduled = false;
    const tabs = [...this.pending];
    this.pending.clear();
    for (const tabId of tabs) {
      const counts = this.countsOf(tabId);
      const text = badgeText(counts.live);
      if (this.badges.get(tabId) !== text) {
        this.badges.set(tabId, text);
        this.out.setBadge(tabId, text);
      }
      const before = this.told.get(tabId);
      if (before && sameCounts(before, counts)) continue;
      this.told.set(tabId, { ...counts });
      this.out.broadcast(tabId, counts);
    }
  }
}
