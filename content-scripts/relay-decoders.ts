/**
 * The relay's side of tapped response bodies: the agent sends the bytes the page read; here they
 * become the text the page read, chunk by chunk, with one streaming UTF-8 decoder per connection.
 * Nothing is parsed here: events are derived from the chunks in the panel, in its own process
 * (docs/performance.md, "Where the parse runs"), so the page's thread never parses at all.
 */

import { DEFAULT_RELAY_LIMITS } from '../src/limits';
import type { StreamRecord } from '../src/model';
import {
  type AgentItem,
  type ChunksItem,
  isAgentChunk,
  type RecordsItem,
  type WireItem,
} from '../src/protocol';
import { utf8Length } from '../src/sse/utf8-length';

interface OpenBody {
  /** Null for an EventSource connection, whose records arrive parsed. */
  decoder: TextDecoder | null;
  nextSeq: number;
  bytes: number;
  completed: boolean;
}

/** Decoders of the document's open connections; at most as many as the relay keeps open. */
export class RelayDecoders {
  private readonly open = new Map<string, OpenBody>();

  constructor(
    private readonly maxOpen = DEFAULT_RELAY_LIMITS.maxOpenConnections,
    private readonly maxChunkChars = DEFAULT_RELAY_LIMITS.maxChunkChars,
  ) {}

  /**
   * The agent's starts and ends as wire items: a connection that starts gets a decoder (none for an
   * EventSource), one that ends loses it, and its end gets the body bytes counted here.
   */
  track(items: readonly AgentItem[]): WireItem[] {
    const out: WireItem[] = [];
    for (const item of items) {
      if (item.type === 'connection-start') {
        const { id, transport } = item.connection;
        if (!this.open.has(id) && this.open.size < this.maxOpen) {
          const decoder = transport === 'eventsource' ? null : new TextDecoder('utf-8');
          this.open.set(id, { decoder, nextSeq: 1, bytes: 0, completed: false });
        }
        out.push(item);
      } else {
        const body = this.open.get(item.connectionId);
        this.open.delete(item.connectionId);
        out.push({ ...item, bytes: body?.bytes ?? 0, ...(body?.completed && { bodyCompleted: true }) });
      }
    }
    return out;
  }

  /**
   * The agent's body pieces as one chunk or records item per connection (in order per connection).
   * The buffers decoded, once each, are added to `decoded`: nothing here holds them afterwards.
   */
  decode(pieces: readonly unknown[], decoded: ArrayBuffer[] = []): WireItem[] {
    const items = new Map<string, ChunksItem | RecordsItem>();
    const chunksOf = (id: string, body: OpenBody): ChunksItem => {
      let item = items.get(id);
      if (item?.type !== 'chunks') {
        item = {
          type: 'chunks',
          connectionId: id,
          firstSeq: body.nextSeq,
          text: '',
          length: [],
          time: [],
          bytes: 0,
        };
        items.set(id, item);
      }
      return item;
    };
    const add = (id: string, body: OpenBody, text: string, time: number) => {
      const item = chunksOf(id, body);
      // A single read beyond the message budget becomes several chunks read at the same time.
      for (let at = 0; at === 0 || at < text.length; at += this.maxChunkChars) {
        const part =
          at === 0 && text.length <= this.maxChunkChars ? text : text.slice(at, at + this.maxChunkChars);
        item.text += part;
        item.length.push(part.length);
        item.time.push(time);
        body.nextSeq++;
      }
      item.bytes = body.bytes;
    };
    for (const piece of pieces) {
      if (!isAgentChunk(piece)) continue;
      const id = piece.connectionId;
      const body = this.open.get(id);
      if (!body) continue;
      const decoder = body.decoder;
      if ('record' in piece) {
        // Records only of an EventSource connection, bodies only of the others.
        if (decoder) continue;
        let item = items.get(id);
        if (item?.type !== 'records') {
          item = { type: 'records', connectionId: id, records: [] as StreamRecord[], bytes: 0 };
          items.set(id, item);
        }
        item.records.push(piece.record);
        continue;
      }
      if (!decoder) continue;
      if ('bytes' in piece) {
        // A slab's pieces are consecutive: the agent fills one slab at a time.
        if (decoded[decoded.length - 1] !== piece.bytes) decoded.push(piece.bytes);
        body.bytes += piece.length;
        add(
          id,
          body,
          decoder.decode(new Uint8Array(piece.bytes, piece.offset, piece.length), { stream: true }),
          piece.time,
        );
      } else if ('text' in piece) {
        body.bytes += utf8Length(piece.text);
        add(id, body, piece.text, piece.time);
      } else {
        // An incomplete UTF-8 sequence at the end becomes U+FFFD, as the spec's decoder does.
        const tail = decoder.decode();
        if (tail) add(id, body, tail, piece.time);
        body.completed = piece.completed;
      }
    }
    return [...items.values()];
  }
}
