/**
 * The relay's side of tapped response bodies: the agent sends the bytes the page read; here they
 * become body cells (content-scripts/relay-body.ts), one per read, kept undecoded until a panel needs
 * their text. Nothing is decoded or parsed here: the page's thread pays for neither while no panel
 * watches, and never parses (docs/performance.md, "Where the parse runs").
 */

import { DEFAULT_RELAY_LIMITS } from '../src/limits';
import type { StreamRecord, Transport } from '../src/model';
import {
  type AgentEvent,
  type AgentItem,
  agentEndOf,
  headerMapOf,
  isAgentChunk,
  type RecordsItem,
  xhrMethodOf,
} from '../src/protocol';
import { utf8Length } from '../src/sse/utf8-length';
import { type BodyItem, type BodyText, endsInsideSequence, type RelayItem, SlabUses } from './relay-body';

interface OpenBody {
  /** Null for an EventSource connection, whose records arrive parsed. */
  text: BodyText | null;
  nextSeq: number;
  bytes: number;
  completed: boolean;
  /** The body's last bytes (at most 3): whether it ends inside a UTF-8 sequence. */
  tail: number[];
  transport: Transport;
  status: number;
  statusText: string;
  /** An EventSource's: the last event ID in force, and the attempt (1-based) its records belong to. */
  lastEventId: string;
  attempt: number;
}

/** The open connections' bodies; at most as many as the relay keeps open. */
export class RelayDecoders {
  private readonly open = new Map<string, OpenBody>();

  constructor(
    private readonly maxOpen = DEFAULT_RELAY_LIMITS.maxOpenConnections,
    private readonly maxChunkChars = DEFAULT_RELAY_LIMITS.maxChunkChars,
    /** Counts the cells that view the agent's slabs, which go back to it once decoded. */
    readonly slabs = new SlabUses(),
  ) {}

  /**
   * The agent's starts and ends as relay items: a connection that starts gets a body (none for an
   * EventSource), one that ends loses it, and its end gets the body bytes counted here. A body read
   * to its end with an HTTP error status ends as an `error`, `HTTP <status> <text>` (the agent tells
   * only how the read ended). An XHR's response headers sent as their block become a map, and its
   * method is normalised (a fetch's upper-cased); an end is read as `agentEndOf` says.
   */
  track(items: readonly AgentItem[]): RelayItem[] {
    const out: RelayItem[] = [];
    for (const item of items) {
      if (item.type === 'connection-start') {
        const info = item.connection;
        const { id, transport, method, status, statusText, responseHeaders } = info;
        if (!this.open.has(id) && this.open.size < this.maxOpen) {
          const text = transport === 'eventsource' ? null : { decoder: null, nextSeq: 1 };
          this.open.set(id, {
            text,
            nextSeq: 1,
            bytes: 0,
            completed: false,
            tail: [],
            transport,
            status,
            statusText,
            lastEventId: '',
            attempt: 1,
          });
        }
        const connection = {
          ...info,
          method:
            transport === 'xhr' ? xhrMethodOf(method) : transport === 'fetch' ? method.toUpperCase() : method,
          responseHeaders:
            typeof responseHeaders === 'string' ? headerMapOf(responseHeaders) : responseHeaders,
        };
        out.push({ type: 'connection-start', connection });
      } else {
        const body = this.open.get(item.connectionId);
        this.open.delete(item.connectionId);
        let end = item.end;
        if (body) {
          const read = agentEndOf(body.transport, end);
          if (read !== end) end = { ...end, ...read };
        }
        if (body && end.state === 'completed' && body.status >= 400) {
          const { status, statusText } = body;
          end = { ...end, state: 'error', error: `HTTP ${status}${statusText ? ` ${statusText}` : ''}` };
        }
        out.push({ ...item, end, bytes: body?.bytes ?? 0, ...(body?.completed && { bodyCompleted: true }) });
      }
    }
    return out;
  }

  /** The agent's body pieces as one body or records item per connection (in order per connection). */
  decode(pieces: readonly unknown[]): RelayItem[] {
    const items = new Map<string, BodyItem | RecordsItem>();
    // A cell keeps a view of the agent's slab only where this message's reads fill at least half of
    // it; the others are copied, and their slab goes back at once. A kept view keeps its whole slab
    // alive, and the buffer counts only the bytes read: a slab that a few small reads left mostly
    // empty would hold far more memory than the bound says.
    const filled = new Map<ArrayBuffer, number>();
    for (const piece of pieces) {
      if (isAgentChunk(piece) && 'bytes' in piece) {
        filled.set(piece.bytes, (filled.get(piece.bytes) ?? 0) + piece.length);
      }
    }
    const bodyOf = (id: string, text: BodyText): BodyItem => {
      let item = items.get(id);
      if (item?.type !== 'body') {
        item = { type: 'body', connectionId: id, cells: [], bytes: 0, text };
        items.set(id, item);
      }
      return item;
    };
    const add = (id: string, body: OpenBody, text: BodyText, data: string, time: number) => {
      const item = bodyOf(id, text);
      // A single read beyond the message budget becomes several chunks read at the same time.
      const max = this.maxChunkChars;
      for (let at = 0; at === 0 || at < data.length; at += max) {
        const part = at === 0 && data.length <= max ? data : data.slice(at, at + max);
        item.cells.push({ seq: body.nextSeq++, time, data: part });
      }
      item.bytes = body.bytes;
    };
    for (const piece of pieces) {
      if (!isAgentChunk(piece)) continue;
      const id = piece.connectionId;
      const body = this.open.get(id);
      if (!body) continue;
      const text = body.text;
      if ('record' in piece || 'event' in piece) {
        // Records only of an EventSource connection, bodies only of the others.
        if (text) continue;
        const record = 'record' in piece ? piece.record : recordOf(body, piece.event, piece.time);
        if (!record) continue;
        let item = items.get(id);
        if (item?.type !== 'records') {
          item = { type: 'records', connectionId: id, records: [] as StreamRecord[], bytes: 0 };
          items.set(id, item);
        }
        item.records.push(record);
        continue;
      }
      if (!text) continue;
      if ('bytes' in piece) {
        body.bytes += piece.length;
        const { bytes: slab, offset, length } = piece;
        // Views are made with the constructor, never `subarray` or `slice`: in a Firefox content
        // script the slab is the page's, seen through an Xray, and those methods' species lookup
        // (its `constructor`) is denied there.
        const keep = (filled.get(slab) ?? 0) * 2 >= slab.byteLength;
        const item = bodyOf(id, text);
        // A single read beyond the message budget becomes several chunks read at the same time
        // (counted in bytes, which a body's text never has fewer of than characters).
        const max = this.maxChunkChars;
        for (let at = 0; at === 0 || at < length; at += max) {
          const size = Math.min(max, length - at);
          const view = new Uint8Array(slab, offset + at, size);
          if (keep) {
            this.slabs.add(slab);
            item.cells.push({ seq: body.nextSeq++, time: piece.time, data: view, slab });
          } else {
            const copy = new Uint8Array(size);
            copy.set(view);
            item.cells.push({ seq: body.nextSeq++, time: piece.time, data: copy });
          }
        }
        item.bytes = body.bytes;
        const tail = body.tail;
        const bytes = new Uint8Array(slab, offset, length);
        for (let i = Math.max(0, length - 3); i < length; i++) tail.push(bytes[i] as number);
        if (tail.length > 3) tail.splice(0, tail.length - 3);
      } else if ('text' in piece) {
        body.bytes += utf8Length(piece.text);
        add(id, body, text, piece.text, piece.time);
      } else {
        // An incomplete UTF-8 sequence at the end becomes U+FFFD, as the spec's decoder does.
        if (endsInsideSequence(body.tail)) {
          bodyOf(id, text).cells.push({ seq: body.nextSeq++, time: piece.time, data: '', flush: true });
        }
        body.tail = [];
        body.completed = piece.completed;
      }
    }
    for (const slab of filled.keys()) this.slabs.unused(slab);
    return [...items.values()];
  }
}

/**
 * The record of an event an EventSource dispatched (src/protocol.ts, AgentEvent): a server's event
 * sets the last event ID in force; an error that does not close the source starts the next attempt.
 * Null for a plain event of another type (an EventSource dispatches none).
 */
function recordOf(body: OpenBody, event: AgentEvent, time: number): StreamRecord | null {
  // Indexed, not destructured: in Firefox the tuple is the page's, seen through an Xray.
  const type = event[0];
  const data = event[1];
  let kind: StreamRecord['kind'] = 'event';
  let text = '';
  if (typeof data === 'string') {
    body.lastEventId = event[2];
    text = data;
  } else if (type === 'open') kind = 'open';
  else if (type === 'error') {
    kind = 'error';
    text = data ? 'closed' : 'reconnecting';
  } else return null;
  const record: StreamRecord = {
    seq: body.nextSeq++,
    kind,
    id: body.lastEventId,
    type: kind === 'event' ? type : '',
    data: text,
    time,
    attempt: body.attempt,
  };
  if (data === false && kind === 'error') body.attempt++;
  return record;
}
