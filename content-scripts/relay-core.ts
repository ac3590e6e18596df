/**
 * The relay's rules, without `chrome.*` or the DOM: which of the agent's items go on to the service
 * worker, cut to the bounds of src/limits.ts (RelayLimits), and in messages small enough for Chrome.
 * relay.ts wires it to the agent's port and the service worker's port.
 */

import { DEFAULT_RELAY_LIMITS, MAX_REQUEST_BODY_CHARS, type RelayLimits } from '../src/limits';
import type { ConnectionInfo, HeaderMap } from '../src/model';
import { slicePackedRecords } from '../src/packed-records';
import type { PackedRecordsItem, RecordsNotKeptItem, WireItem } from '../src/protocol';
import { CaptureBuffer } from './capture-buffer';

/** Marks text cut at a limit. */
export const CUT_MARK = '…';

/** What the relay knows of one open connection it forwards. */
interface OpenConnection {
  forwarded: number;
  lastSeq: number;
  bytes: number;
}

/** `text` cut to `max` characters, the last of them `…`, when longer. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}${CUT_MARK}`;
}

/**
 * `headers` with at most `maxChars` characters of names and values; the headers left out are
 * counted under the name `…` (never a valid header name), so nobody mistakes the map for complete.
 */
export function cutHeaders(headers: HeaderMap, maxChars: number): HeaderMap {
  let chars = 0;
  let left = 0;
  const kept: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (left === 0 && chars + name.length + value.length <= maxChars) {
      chars += name.length + value.length;
      kept[name] = value;
    } else {
      left++;
    }
  }
  if (left > 0) kept[CUT_MARK] = `${left} not kept`;
  return kept;
}

function boundedInfo(info: ConnectionInfo, limits: RelayLimits): ConnectionInfo {
  return {
    ...info,
    url: cutText(info.url, limits.maxUrlChars),
    frameUrl: cutText(info.frameUrl, limits.maxUrlChars),
    requestHeaders: cutHeaders(info.requestHeaders, limits.maxHeaderChars),
    responseHeaders: cutHeaders(info.responseHeaders, limits.maxHeaderChars),
    requestBody: info.requestBody === null ? null : cutText(info.requestBody, MAX_REQUEST_BODY_CHARS),
  };
}

/** Characters an item adds to a message (record text, and the long fields of a connection's info). */
function charsOf(item: WireItem): number {
  if (item.type === 'packed-records') return item.records.text.length;
  if (item.type !== 'connection-start') return 0;
  const { url, frameUrl, requestBody, requestHeaders, responseHeaders } = item.connection;
  let chars = url.length + frameUrl.length + (requestBody?.length ?? 0);
  for (const map of [requestHeaders, responseHeaders]) {
    for (const name in map) chars += name.length + (map[name]?.length ?? 0);
  }
  return chars;
}

/**
 * Items split into messages of at most `maxChars` characters each (see RelayLimits.maxMessageChars).
 * A batch of records larger than that is cut between records; one record (bounded by the parser)
 * may take a message past the budget only when it is the first thing in it.
 */
export function splitIntoMessages(items: readonly WireItem[], maxChars: number): WireItem[][] {
  const messages: WireItem[][] = [];
  let current: WireItem[] = [];
  let chars = 0;
  const add = (item: WireItem, itemChars: number) => {
    if (current.length > 0 && chars + itemChars > maxChars) {
      messages.push(current);
      current = [];
      chars = 0;
    }
    current.push(item);
    chars += itemChars;
  };
  for (const item of items) {
    if (item.type !== 'packed-records' || chars + item.records.text.length <= maxChars) {
      add(item, charsOf(item));
      continue;
    }
    const { records } = item;
    let start = 0;
    let partChars = 0;
    for (let i = 0; i < records.seq.length; i++) {
      const length = records.length[i] ?? 0;
      if (i > start && chars + partChars + length > maxChars) {
        add({ ...item, records: slicePackedRecords(records, start, i) }, partChars);
        start = i;
        partChars = 0;
      }
      partChars += length;
    }
    add({ ...item, records: slicePackedRecords(records, start, records.seq.length) }, partChars);
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

/**
 * One document's relay state: the connections it forwards (at most `maxOpenConnections` open at
 * once, at most `maxRecordsPerConnection` records each) and the buffer for a panel that opens later.
 */
export class RelayCore {
  readonly buffer: CaptureBuffer;
  /** Connections that started beyond `maxOpenConnections` and were not forwarded. */
  droppedConnections = 0;
  /** Names this relay in `connections-not-kept` items, so a panel adds up several frames' counts. */
  private readonly relayId = Math.random().toString(36).slice(2);
  /** Connections of this document that were forwarded. */
  total = 0;
  private readonly open = new Map<string, OpenConnection>();

  constructor(
    private readonly limits: RelayLimits = DEFAULT_RELAY_LIMITS,
    buffer?: CaptureBuffer,
  ) {
    this.buffer = buffer ?? new CaptureBuffer();
  }

  /** Connections forwarded and not yet ended. */
  get live(): number {
    return this.open.size;
  }

  /**
   * Takes a batch of the agent's (checked) items, buffers what is kept, and returns what to forward.
   * Records beyond a connection's limit become one `records-not-kept` item per connection and batch.
   */
  accept(items: readonly WireItem[]): WireItem[] {
    const dropped = this.droppedConnections;
    const out: WireItem[] = [];
    const notKept = new Map<string, RecordsNotKeptItem>();
    const keep = (item: WireItem) => {
      out.push(item);
      this.buffer.add(item);
    };
    for (const item of items) {
      switch (item.type) {
        case 'connection-start': {
          const id = item.connection.id;
          if (this.open.has(id)) break;
          if (this.open.size >= this.limits.maxOpenConnections) {
            this.droppedConnections++;
            break;
          }
          this.open.set(id, { forwarded: 0, lastSeq: 0, bytes: 0 });
          this.total++;
          keep({ type: 'connection-start', connection: boundedInfo(item.connection, this.limits) });
          break;
        }
        case 'packed-records': {
          const connection = this.open.get(item.connectionId);
          if (!connection) break;
          const count = item.records.seq.length;
          if (count === 0) break;
          connection.lastSeq = Math.max(connection.lastSeq, item.records.seq[count - 1] ?? 0);
          connection.bytes = item.bytes;
          const room = this.limits.maxRecordsPerConnection - connection.forwarded;
          if (room >= count) {
            connection.forwarded += count;
            keep(item);
            break;
          }
          if (room > 0) {
            connection.forwarded += room;
            const kept: PackedRecordsItem = { ...item, records: slicePackedRecords(item.records, 0, room) };
            keep(kept);
          }
          notKept.set(item.connectionId, {
            type: 'records-not-kept',
            connectionId: item.connectionId,
            lastSeq: connection.lastSeq,
            bytes: connection.bytes,
          });
          break;
        }
        case 'connection-end': {
          if (!this.open.delete(item.connectionId)) break;
          const pending = notKept.get(item.connectionId);
          if (pending) {
            keep(pending);
            notKept.delete(item.connectionId);
          }
          keep(item);
          break;
        }
        // Only the relay says what it did not keep; from the agent (the page) such items are forged.
        case 'records-not-kept':
        case 'connections-not-kept':
          break;
      }
    }
    for (const item of notKept.values()) keep(item);
    if (this.droppedConnections !== dropped) out.push(this.connectionsNotKept());
    return out;
  }

  /** What the buffer keeps, and how many connections were not forwarded at all. */
  snapshot(): WireItem[] {
    const items = this.buffer.snapshot();
    if (this.droppedConnections > 0) items.push(this.connectionsNotKept());
    return items;
  }

  private connectionsNotKept(): WireItem {
    return { type: 'connections-not-kept', relayId: this.relayId, count: this.droppedConnections };
  }

  /** Items as messages under Chrome's message cap. */
  messages(items: readonly WireItem[]): WireItem[][] {
    return splitIntoMessages(items, this.limits.maxMessageChars);
  }
}
