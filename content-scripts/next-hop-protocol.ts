/**
 * The protocol the browser uses to a stream's origin (`h2`, `http/1.1`…), from the document's
 * Resource Timing, stamped on each connection's start and end by the relay (so the page can neither
 * forge nor hide it). The diagnosis needs it for the six-connections-per-origin limit of HTTP/1.1.
 *
 * A request's own entry appears only when its body ends, so at the start the latest entry of the
 * same origin (the document itself, an earlier request) answers, and at the end the request's own.
 * The relay reads the document's `performance` from its isolated world: the entries are the frame's.
 */
import type { RelayItem } from './relay-body';

/** What is read of a Resource Timing entry. */
export interface TimingEntry {
  name: string;
  nextHopProtocol?: string;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The protocol of `url`'s own entry, else of the latest entry of its origin; undefined when none tells. */
export function protocolFor(url: string, entries: readonly TimingEntry[]): string | undefined {
  const origin = originOf(url);
  let sameOrigin: string | undefined;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    const protocol = entry?.nextHopProtocol;
    if (!entry || !protocol) continue;
    if (entry.name === url) return protocol;
    if (sameOrigin === undefined && origin !== null && originOf(entry.name) === origin) sameOrigin = protocol;
  }
  return sameOrigin;
}

/** The document's navigation and resource entries, oldest first; none where Resource Timing is absent. */
function documentEntries(): TimingEntry[] {
  try {
    return [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  } catch {
    return [];
  }
}

/** Stamps `nextHopProtocol` on the connection starts and ends among a batch of items, in place. */
export class NextHopProtocols {
  /** URLs of the connections started and not yet ended, for their end. */
  private readonly urls = new Map<string, string>();

  constructor(private readonly entries: () => readonly TimingEntry[] = documentEntries) {}

  stamp(items: readonly RelayItem[]): void {
    for (const item of items) {
      if (item.type === 'connection-start') {
        const { connection } = item;
        // Whatever the page put there is not ours.
        delete connection.nextHopProtocol;
        const protocol = protocolFor(connection.url, this.entries());
        if (protocol) connection.nextHopProtocol = protocol;
        this.urls.set(connection.id, connection.url);
      } else if (item.type === 'connection-end') {
        delete item.end.nextHopProtocol;
        const url = this.urls.get(item.connectionId);
        if (url === undefined) continue;
        this.urls.delete(item.connectionId);
        const protocol = protocolFor(url, this.entries());
        if (protocol) item.end.nextHopProtocol = protocol;
      }
    }
  }
}
