/**
 * The relay's rules, without `chrome.*` or the DOM: which of the agent's items go on to the service
 * worker, cut to the bounds of src/limits.ts (RelayLimits), and in messages small enough for Chrome.
 * relay.ts wires it to the agent's port and the service worker's port.
 */

import {
  DEFAULT_PARSER_LIMITS,
  DEFAULT_RELAY_LIMITS,
  MAX_REQUEST_BODY_CHARS,
  type RelayLimits,
} from '../src/limits';
import type { ConnectionInfo, HeaderMap, StreamRecord } from '../src/model';
import { type RecordsItem, recordChars } from '../src/protocol';
import { CaptureBuffer } from './capture-buffer';
import { type BodyItem, type RelayItem, relayCharsOf } from './relay-body';

/** Marks text cut at a limit. */
export const CUT_MARK = '…';

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
    method: cutText(info.method, limits.maxUrlChars),
    statusText: cutText(info.statusText, limits.maxUrlChars),
    requestHeaders: cutHeaders(info.requestHeaders, limits.maxHeaderChars),
    responseHeaders: cutHeaders(info.responseHeaders, limits.maxHeaderChars),
    requestBody: info.requestBody === null ? null : cutText(info.requestBody, MAX_REQUEST_BODY_CHARS),
  };
}

/** An EventSource record within the bounds: its id and type (which the browser does not bound) cut. */
function boundedRecord(record: StreamRecord, limits: RelayLimits): StreamRecord {
  const max = limits.maxRecordFieldChars;
  if (
    record.id.length <= max &&
    record.type.length <= max &&
    record.data.length <= DEFAULT_PARSER_LIMITS.maxEventChars
  ) {
    return record;
  }
  const cut = { ...record, id: cutText(record.id, max), type: cutText(record.type, max) };
  if (record.data.length > DEFAULT_PARSER_LIMITS.maxEventChars) {
    cut.data = record.data.slice(0, DEFAULT_PARSER_LIMITS.maxEventChars);
    cut.truncatedFrom = record.truncatedFrom ?? record.data.length;
  }
  return cut;
}

/** `item`'s cells (or records) from index `start` to `end`, as an item of their own (sharing the cells). */
function sliceItem<T extends BodyItem | RecordsItem>(item: T, start: number, end: number): T {
  if (item.type === 'records') return { ...item, records: item.records.slice(start, end) };
  return { ...item, cells: item.cells.slice(start, end) };
}

/**
 * Items split into messages of at most `maxChars` characters a page controls each (see
 * RelayLimits.maxMessageChars). A chunk or records item larger than that is cut between its entries;
 * one entry (a chunk is at most maxChunkChars, a record is bounded by the parser) may take a message
 * past the budget only when it is the first thing in it.
 */
export function splitIntoMessages(items: readonly RelayItem[], maxChars: number): RelayItem[][] {
  const messages: RelayItem[][] = [];
  let current: RelayItem[] = [];
  let chars = 0;
  const add = (item: RelayItem, itemChars: number) => {
    if (current.length > 0 && chars + itemChars > maxChars) {
      messages.push(current);
      current = [];
      chars = 0;
    }
    current.push(item);
    chars += itemChars;
  };
  for (const item of items) {
    const itemChars = relayCharsOf(item);
    if ((item.type !== 'body' && item.type !== 'records') || chars + itemChars <= maxChars) {
      add(item, itemChars);
      continue;
    }
    const count = item.type === 'body' ? item.cells.length : item.records.length;
    const charsAt = (i: number) =>
      item.type === 'body' ? (item.cells[i]?.data.length ?? 0) : recordChars(item.records[i] as StreamRecord);
    let start = 0;
    let partChars = 0;
    for (let i = 0; i < count; i++) {
      const entryChars = charsAt(i);
      if (i > start && chars + partChars + entryChars > maxChars) {
        add(sliceItem(item, start, i), partChars);
        start = i;
        partChars = 0;
      }
      partChars += entryChars;
    }
    add(sliceItem(item, start, count), partChars);
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

/**
 * One document's relay state: the connections it forwards (at most `maxOpenConnections` open at
 * once) and the buffer for a panel that opens later.
 */
export class RelayCore {
  readonly buffer: CaptureBuffer;
  /** Connections that started beyond `maxOpenConnections` and were not forwarded. */
  private tooMany = 0;
  /** Names this relay in `connections-not-kept` items, so a panel adds up several frames' counts. */
  private readonly relayId = Math.random().toString(36).slice(2);
  /** Connections of this document that were forwarded. */
  total = 0;
  private readonly open = new Set<string>();

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

  /** Connections not forwarded (too many open at once) or not buffered (the buffer was full of open ones). */
  get droppedConnections(): number {
    return this.tooMany + this.buffer.droppedConnections;
  }

  /** Takes the decoders' items, buffers what is kept, and returns what to forward. */
  accept(items: readonly RelayItem[]): RelayItem[] {
    const dropped = this.droppedConnections;
    const out: RelayItem[] = [];
    const keep = (item: RelayItem) => {
      out.push(item);
      this.buffer.add(item);
    };
    for (const item of items) {
      if (item.type === 'connection-start') {
        const id = item.connection.id;
        if (this.open.has(id)) continue;
        if (this.open.size >= this.limits.maxOpenConnections) {
          this.tooMany++;
          continue;
        }
        this.open.add(id);
        this.total++;
        keep({ type: 'connection-start', connection: boundedInfo(item.connection, this.limits) });
      } else if (item.type === 'connection-end') {
        if (this.open.delete(item.connectionId)) keep(item);
      } else if (item.type === 'records') {
        if (!this.open.has(item.connectionId)) continue;
        keep({ ...item, records: item.records.map((record) => boundedRecord(record, this.limits)) });
      } else if ('connectionId' in item && this.open.has(item.connectionId)) {
        keep(item);
      }
    }
    if (this.droppedConnections !== dropped) out.push(this.connectionsNotKept());
    return out;
  }

  /** What the buffer keeps, and how many connections were not forwarded or kept at all. */
  snapshot(): RelayItem[] {
    const items = this.buffer.snapshot();
    if (this.droppedConnections > 0) items.push(this.connectionsNotKept());
    return items;
  }

  private connectionsNotKept(): RelayItem {
    return { type: 'connections-not-kept', relayId: this.relayId, count: this.droppedConnections };
  }

  /** Items as messages under Chrome's message cap. */
  messages(items: readonly RelayItem[]): RelayItem[][] {
    return splitIntoMessages(items, this.limits.maxMessageChars);
  }
}
