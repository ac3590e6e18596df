/**
 * Connection ids hidden by Clear or a navigation, in memory that does not grow with the number of
 * connections: the agent numbers a document's connections in order (`<document token>:<n>`), so the
 * highest number cleared per document stands for all of them (a lower one was started, and shown,
 * before it). Ids of another form are kept one by one. Both are bounded: the oldest documents (whose
 * relays are long gone and replay nothing) are forgotten first.
 */
const AGENT_ID = /^(.+):(\d+)$/;

/** Documents (and other ids) remembered at most; each costs a few hundred bytes. */
const MAX_REMEMBERED = 10_000;

export class ClearedConnections {
  /** Highest cleared number per document token, oldest document first. */
  private readonly highest: ReadonlyMap<string, number>;
  private readonly others: ReadonlySet<string>;

  constructor(highest: ReadonlyMap<string, number> = new Map(), others: ReadonlySet<string> = new Set()) {
    this.highest = highest;
    this.others = others;
  }

  /** Documents and other ids remembered. */
  get size(): number {
    return this.highest.size + this.others.size;
  }

  has(id: string): boolean {
    const match = AGENT_ID.exec(id);
    if (!match) return this.others.has(id);
    const highest = this.highest.get(match[1] as string);
    return highest !== undefined && Number(match[2]) <= highest;
  }

  /** A copy that also hides `ids`. */
  with(ids: readonly string[]): ClearedConnections {
    if (ids.length === 0) return this;
    const highest = new Map(this.highest);
    const others = new Set(this.others);
    for (const id of ids) {
      const match = AGENT_ID.exec(id);
      if (!match) {
        others.add(id);
        continue;
      }
      const token = match[1] as string;
      const n = Number(match[2]);
      const before = highest.get(token);
      highest.delete(token);
      highest.set(token, before === undefined ? n : Math.max(before, n));
    }
    forgetOldest(highest, MAX_REMEMBERED);
    forgetOldest(others, MAX_REMEMBERED);
    return new ClearedConnections(highest, others);
  }
}

function forgetOldest(entries: Map<string, number> | Set<string>, max: number): void {
  for (const key of entries.keys()) {
    if (entries.size <= max) return;
    entries.delete(key);
  }
}
