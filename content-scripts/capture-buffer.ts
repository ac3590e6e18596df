import { type CaptureBufferLimits, DEFAULT_BUFFER_LIMITS } from '../src/limits';
import type { ConnectionEnd, ConnectionInfo } from '../src/model';
import type { RecordsItem } from '../src/protocol';
import { type BodyItem, type RelayItem, relayCharsOf } from './relay-body';

interface BufferedConnection {
  info: ConnectionInfo;
  /** What the page read (body cells, or an EventSource's records), in the items it arrived in. */
  items: (BodyItem | RecordsItem)[];
  entries: number;
  /** Characters kept for this connection, its info included. */
  chars: number;
  bytes: number;
  /** Highest chunk (or record) seq of the connection seen, kept or not. */
  lastSeq: number;
  /**
   * Set from the first chunk that did not fit: later ones are not kept either, because events parsed
   * from a body with a hole would be wrong. A later panel is told up to which seq it lacks them.
   */
  lossy: boolean;
  end: ConnectionEnd | null;
  bodyCompleted: boolean;
}

const entriesOf = (item: BodyItem | RecordsItem) =>
  item.type === 'body' ? item.cells.length : item.records.length;
const lastSeqOf = (item: BodyItem | RecordsItem) =>
  (item.type === 'body' ? item.cells.at(-1)?.seq : item.records.at(-1)?.seq) ?? 0;

/**
 * The current document's captures, so that a panel opened after a stream began still shows it
 * from its first chunk. When full, the oldest ended connections are evicted first; if that is not
 * enough, a connection's new chunks are not kept (they still reach an attached panel live) and a new
 * connection is not kept at all; both are counted.
 */
export class CaptureBuffer {
  private readonly connections = new Map<string, BufferedConnection>();
  private entries = 0;
  private chars = 0;
  /** Chunks and records that were not kept because the buffer was full. */
  dropped = 0;
  /** Connections not kept at all because the buffer was full of open ones. */
  droppedConnections = 0;

  constructor(
    private readonly limits: CaptureBufferLimits = DEFAULT_BUFFER_LIMITS,
    /** Told of each body item the buffer does not keep, or no longer keeps (evicted). */
    private readonly discarded: (item: BodyItem) => void = () => {},
  ) {}

  add(item: RelayItem): void {
    switch (item.type) {
      case 'connection-start': {
        if (this.connections.has(item.connection.id)) return;
        const chars = relayCharsOf(item);
        if (!this.makeRoom(0, chars)) {
          this.droppedConnections++;
          return;
        }
        this.connections.set(item.connection.id, {
          info: item.connection,
          items: [],
          entries: 0,
          chars,
          bytes: 0,
          lastSeq: 0,
          lossy: false,
          end: null,
          bodyCompleted: false,
        });
        this.chars += chars;
        return;
      }
      case 'body':
      case 'records': {
        const connection = this.connections.get(item.connectionId);
        if (!connection) return;
        connection.bytes = item.bytes;
        const entries = entriesOf(item);
        const chars = relayCharsOf(item);
        connection.lastSeq = Math.max(connection.lastSeq, lastSeqOf(item));
        // Records of an EventSource are whole: one that does not fit leaves no hole in the others.
        if ((connection.lossy && item.type === 'body') || !this.makeRoom(entries, chars, connection)) {
          connection.lossy = true;
          this.dropped += entries;
          if (item.type === 'body') this.discarded(item);
          return;
        }
        connection.items.push(item);
        connection.entries += entries;
        connection.chars += chars;
        this.entries += entries;
        this.chars += chars;
        return;
      }
      case 'connection-end': {
        const connection = this.connections.get(item.connectionId);
        if (!connection) return;
        connection.end = item.end;
        connection.bytes = item.bytes;
        connection.bodyCompleted = item.bodyCompleted === true;
        return;
      }
    }
  }

  /** Evicts ended connections, oldest first, until `entries` and `chars` more fit (never `keep`). */
  private makeRoom(entries: number, chars: number, keep?: BufferedConnection): boolean {
    const fits = () =>
      this.entries + entries <= this.limits.maxEntries && this.chars + chars <= this.limits.maxChars;
    if (fits()) return true;
    for (const [id, connection] of this.connections) {
      if (fits()) break;
      if (!connection.end || connection === keep) continue;
      this.connections.delete(id);
      this.entries -= connection.entries;
      this.chars -= connection.chars;
      for (const item of connection.items) if (item.type === 'body') this.discarded(item);
    }
    return fits();
  }

  /**
   * Everything kept, as items that rebuild it in order; replaying them into a panel is idempotent.
   * A connection whose last chunks (or records) were not kept says up to which seq they went.
   */
  snapshot(): RelayItem[] {
    const out: RelayItem[] = [];
    for (const connection of this.connections.values()) {
      const { info, bytes, end, lastSeq } = connection;
      const connectionId = info.id;
      out.push({ type: 'connection-start', connection: info });
      out.push(...connection.items);
      const lastKept = connection.items.length > 0 ? lastSeqOf(connection.items.at(-1) as BodyItem) : 0;
      if (lastSeq > lastKept) {
        const type = info.transport === 'eventsource' ? 'records-not-kept' : 'chunks-not-kept';
        out.push({ type, connectionId, lastSeq, bytes });
      }
      if (end) {
        out.push({
          type: 'connection-end',
          connectionId,
          end,
          bytes,
          ...(connection.bodyCompleted && { bodyCompleted: true }),
        });
      }
    }
    return out;
  }

  get size(): { connections: number; entries: number; chars: number } {
    return { connections: this.connections.size, entries: this.entries, chars: this.chars };
  }
}
