/**
 * The relay's side of tapped response bodies: the agent sends the bytes the page read
 * (src/agent-chunks.ts); here they are decoded and parsed, one tap per open fetch/XHR connection,
 * into the same packed records the relay buffers and forwards.
 */

import { isAgentChunk } from '../src/agent-chunks';
import { DEFAULT_PARSER_LIMITS, DEFAULT_RELAY_LIMITS } from '../src/limits';
import type { ConnectionInfo } from '../src/model';
import { PackedRecordsBuilder } from '../src/packed-records';
import type { WireItem } from '../src/protocol';
import { createStreamTap, type StreamTap } from '../src/sse/stream-tap';
import { utf8Length } from '../src/sse/utf8-length';

interface OpenTap {
  /** The body's parser; null for an EventSource connection, whose records arrive parsed. */
  tap: StreamTap | null;
  builder: PackedRecordsBuilder;
}

/** Taps of the document's open connections; at most as many as the relay keeps open. */
export class RelayTaps {
  private readonly taps = new Map<string, OpenTap>();

  constructor(private readonly maxOpen = DEFAULT_RELAY_LIMITS.maxOpenConnections) {}

  /**
   * Follows the agent's items: a connection that starts gets a tap (a fetch or XHR one a parser), one
   * that ends loses it. EventSource connections' records arrive parsed (the browser parsed them).
   * A fetch or XHR connection's end gets the body bytes counted here: the agent does not count them.
   */
  track(items: readonly WireItem[]): void {
    for (const item of items) {
      if (item.type === 'connection-start') this.open(item.connection);
      else if (item.type === 'connection-end') {
        const tap = this.taps.get(item.connectionId)?.tap;
        if (tap) item.bytes = tap.bytes;
        this.taps.delete(item.connectionId);
      }
    }
  }

  private open(info: ConnectionInfo): void {
    if (this.taps.has(info.id) || this.taps.size >= this.maxOpen) return;
    const builder = new PackedRecordsBuilder();
    const tap =
      info.transport === 'eventsource' ? null : createStreamTap(info.format, DEFAULT_PARSER_LIMITS, builder);
    this.taps.set(info.id, { tap, builder });
  }

  /** The records the chunks complete, one item per connection that has new records. */
  parse(chunks: readonly unknown[]): WireItem[] {
    const touched: string[] = [];
    for (const chunk of chunks) {
      if (!isAgentChunk(chunk)) continue;
      const open = this.taps.get(chunk.connectionId);
      if (!open) continue;
      const tap = open.tap;
      // Records only of an EventSource connection, bodies only of the others.
      if ('record' in chunk) {
        if (!tap) open.builder.addRecord(chunk.record);
      } else if (!tap) continue;
      else if ('bytes' in chunk) tap.push(new Uint8Array(chunk.bytes), chunk.time);
      else if ('text' in chunk) tap.pushText(chunk.text, utf8Length(chunk.text), chunk.time);
      else tap.finish(chunk.time, chunk.completed);
      if (open.builder.count > 0 && !touched.includes(chunk.connectionId)) touched.push(chunk.connectionId);
    }
    const items: WireItem[] = [];
    for (const connectionId of touched) {
      const open = this.taps.get(connectionId);
      if (!open || open.builder.count === 0) continue;
      items.push({
        type: 'packed-records',
        connectionId,
        records: open.builder.take(),
        bytes: open.tap?.bytes ?? 0,
      });
    }
    return items;
  }
}
