import { type CaptureBufferLimits, DEFAULT_BUFFER_LIMITS } from '../src/limits';
import type { ConnectionEnd, ConnectionInfo } from '../src/model';
import type { PackedRecords } from '../src/packed-records';
import type { WireItem } from '../src/protocol';

interface BufferedConnection {
  info: ConnectionInfo;
  /** Batches of records as they arrived, still in columns: the relay never unpacks them. */
  chunks: PackedRecords[];
  records: number;
  chars: number;
  bytes: number;
  /** Highest seq of the connection seen, kept or not. */
  lastSeq: number;
  /** Highest seq kept in `chunks`. */
  lastKeptSeq: number;
  end: ConnectionEnd | null;
}

/**
 * The current document's captures, so that a panel opened after a stream began still shows it
 * from its first event. When full, the oldest ended connections are evicted first; if that is not
 * enough, new batches are not buffered (they still reach an attached panel live) and are counted.
 */
export class CaptureBuffer {
  private readonly connections = new Map<string, BufferedConnection>();
  private records = 0;
  private chars = 0;
  /** Records that were not kept because the buffer was full. */
  dropped = 0;

  constructor(private readonly limits: CaptureBufferLimits = DEFAULT_BUFFER_LIMITS) {}

  add(item: WireItem): void {
    switch (item.type) {
      case 'connection-start':
        if (!this.connections.has(item.connection.id)) {
          this.connections.set(item.connection.id, {
            info: item.connection,
            chunks: [],
            records: 0,
            chars: 0,
            bytes: 0,
            lastSeq: 0,
            lastKeptSeq: 0,
            end: null,
          });
        }
        return;
      case 'packed-records': {
        const connection = this.connections.get(item.connectionId);
        if (!connection) return;
        connection.bytes = item.bytes;
        const count = item.records.seq.length;
        const chars = item.records.text.length;
        const lastSeq = item.records.seq[count - 1] ?? 0;
        connection.lastSeq = Math.max(connection.lastSeq, lastSeq);
        if (!this.makeRoom(count, chars)) {
          this.dropped += count;
          return;
        }
        connection.lastKeptSeq = Math.max(connection.lastKeptSeq, lastSeq);
        connection.chunks.push(item.records);
        connection.records += count;
        connection.chars += chars;
        this.records += count;
        this.chars += chars;
        return;
      }
      case 'records-not-kept': {
        const connection = this.connections.get(item.connectionId);
        if (!connection) return;
        connection.lastSeq = Math.max(connection.lastSeq, item.lastSeq);
        connection.bytes = item.bytes;
        return;
      }
      case 'connection-end': {
        const connection = this.connections.get(item.connectionId);
        if (!connection) return;
        connection.end = item.end;
        connection.bytes = item.bytes;
        return;
      }
    }
  }

  private makeRoom(records: number, chars: number): boolean {
    const fits = () =>
      this.records + records <= this.limits.maxRecords && this.chars + chars <= this.limits.maxChars;
    if (fits()) return true;
    for (const [id, connection] of this.connections) {
      if (fits()) break;
      if (!connection.end) continue;
      this.connections.delete(id);
      this.records -= connection.records;
      this.chars -= connection.chars;
    }
    return fits();
  }

  /**
   * Everything kept, as items that rebuild it in order; replaying them into a store is idempotent.
   * A connection whose last records were not kept says up to which seq they went.
   */
  snapshot(): WireItem[] {
    const items: WireItem[] = [];
    for (const connection of this.connections.values()) {
      const connectionId = connection.info.id;
      items.push({ type: 'connection-start', connection: connection.info });
      for (const records of connection.chunks) {
        items.push({ type: 'packed-records', connectionId, records, bytes: connection.bytes });
      }
      if (connection.lastSeq > connection.lastKeptSeq) {
        items.push({
          type: 'records-not-kept',
          connectionId,
          lastSeq: connection.lastSeq,
          bytes: connection.bytes,
        });
      }
      if (connection.end) {
        items.push({ type: 'connection-end', connectionId, end: connection.end, bytes: connection.bytes });
      }
    }
    return items;
  }

  get size(): { connections: number; records: number; chars: number } {
    return { connections: this.connections.size, records: this.records, chars: this.chars };
  }
}
