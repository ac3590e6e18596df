/**
 * The connections each relay (one per frame document) has forwarded a start of and no end yet, so
 * that when its port disconnects (the document unloaded or went into the back/forward cache) the
 * panels can stop showing them as live. Kept in memory only: after a service-worker restart a relay
 * replays its whole buffer as soon as a panel watches, and the starts and ends in it rebuild this.
 */
import { DEFAULT_RELAY_LIMITS } from '../../src/limits';
import type { WireItem } from '../../src/protocol';

export class OpenConnections<Relay> {
  private readonly byRelay = new Map<Relay, Set<string>>();

  /** `maxPerRelay`: the relay forwards no more open connections than this either. */
  constructor(private readonly maxPerRelay = DEFAULT_RELAY_LIMITS.maxOpenConnections) {}

  /** Notes the starts and ends among items a relay forwarded. */
  note(relay: Relay, items: readonly WireItem[]): void {
    for (const item of items) {
      if (item.type === 'connection-start') {
        let open = this.byRelay.get(relay);
        if (!open) {
          open = new Set();
          this.byRelay.set(relay, open);
        }
        if (open.size < this.maxPerRelay) open.add(item.connection.id);
      } else if (item.type === 'connection-end') {
        this.byRelay.get(relay)?.delete(item.connectionId);
      }
    }
  }

  /** The relay's document went away: the ids of its connections still open, forgotten here. */
  take(relay: Relay): string[] {
    const open = this.byRelay.get(relay);
    this.byRelay.delete(relay);
    return open ? [...open] : [];
  }
}
