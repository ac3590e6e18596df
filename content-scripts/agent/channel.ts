import type { ConnectionEnd, ConnectionInfo, StreamRecord } from '../../src/model';
import { PackedRecordsBuilder } from '../../src/packed-records';
import {
  AGENT_HANDSHAKE_EVENT,
  type ConnectionEndItem,
  type ConnectionStartItem,
  createAgentBatch,
  RELAY_READY_EVENT,
  type WireItem,
} from '../../src/protocol';
import { frameUrlOf, nowMs } from './request-info';

/** The agent's outgoing side: capture items in, batched messages to the relay out. */
export interface AgentChannel {
  start(connection: ConnectionInfo): void;
  /**
   * The connection's record columns. A tap's parser writes into them directly (no object per
   * record); after adding, call `added` so they are sent.
   */
  batch(connectionId: string): PackedRecordsBuilder;
  /** Records were added to `batch(connectionId)`; `bytes` is the body bytes read so far. */
  added(connectionId: string, bytes: number): void;
  /** Adds whole records (EventSource, a few per second) and sends them. */
  records(connectionId: string, records: StreamRecord[], bytes: number): void;
  end(connectionId: string, end: ConnectionEnd, bytes: number): void;
  /** A fresh id, unique across documents and frames. */
  nextConnectionId(): string;
  /** This frame's URL now, labelled as `frameUrlOf` does (read per connection: `pushState` changes it). */
  frameUrl(): string;
}

/**
 * Messages are posted at most this often while a stream is fast: one message per token is slow
 * (design.md pitfalls), and a fast stream's records travel in large batches. The first item after a
 * quiet spell is posted at once (in the next task).
 */
const FLUSH_DELAY_MS = 20;
/**
 * After a small batch (fewer than LARGE_BATCH_RECORDS records), the next one may follow this soon:
 * a slow stream (an LLM's tokens, 1 000 events/s) reaches the panel sooner, and its messages stay
 * few enough for the relay, the service worker and the panel (docs/performance.md, figure 4).
 */
const QUICK_FLUSH_DELAY_MS = 8;
const LARGE_BATCH_RECORDS = 100;
/**
 * Items, and records of one connection, kept while no relay has answered yet (a frame where the
 * relay is not injected): without a relay they could never be shown.
 */
const MAX_UNSENT_ITEMS = 5000;

/** A connection's records waiting in the queue, taken from its builder when the batch is posted. */
interface PendingRecords {
  type: 'pending-records';
  connectionId: string;
  builder: PackedRecordsBuilder;
  bytes: number;
}
type QueuedItem = ConnectionStartItem | PendingRecords | ConnectionEndItem;
/**
 * Ports handed over at most. Both content scripts start before any page script, so the relay has
 * taken a port after two (ours at start, then one when it announces itself); a page that fires
 * RELAY_READY itself gets no more than the rest, never the relay's port.
 */
const MAX_HAND_OVERS = 3;

export function createAgentChannel(win: Window & typeof globalThis): AgentChannel {
  // Natives, taken before page scripts run, so a page that replaces them later cannot break us.
  const doc = win.document;
  const dispatchEvent = EventTarget.prototype.dispatchEvent;
  const addEventListener = EventTarget.prototype.addEventListener;
  const postMessage = MessagePort.prototype.postMessage;
  const MessageChannelCtor = MessageChannel;
  const MessageEventCtor = MessageEvent;
  const getData = Object.getOwnPropertyDescriptor(MessageEventCtor.prototype, 'data')?.get as () => unknown;
  const setTimer = setTimeout;
  const apply = Reflect.apply;
  const random = crypto.getRandomValues.bind(crypto);
  const location = win.location;
  // `origin` is a replaceable global: a page's `var origin` would shadow it later.
  const origin = win.origin;

  const token = Array.from(random(new Uint32Array(2)), (n) => n.toString(36)).join('');
  let counter = 0;
  /** The port the relay acknowledged; null until then. */
  let port: MessagePort | null = null;
  let handOvers = 0;
  let queue: QueuedItem[] = [];
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let lastFlush = Number.NEGATIVE_INFINITY;
  let lastBatchRecords = 0;
  /** Open connections' builders; `{ __proto__: null }`: no prototype a page could add keys to. */
  const builders = { __proto__: null } as unknown as Record<string, PackedRecordsBuilder>;
  /** Queue entries of connections whose records wait for the next post. */
  let pending = { __proto__: null } as unknown as Record<string, PendingRecords>;

  function handOver(): void {
    if (port || handOvers++ >= MAX_HAND_OVERS) return;
    const channel = new MessageChannelCtor();
    const ownPort = channel.port1;
    ownPort.onmessage = (event) => {
      // The first answer wins: the relay answers the port it took before any page script ran.
      if (!port && apply(getData, event, []) === 'ack') {
        port = ownPort;
        schedule();
      }
    };
    apply(dispatchEvent, doc, [new MessageEventCtor(AGENT_HANDSHAKE_EVENT, { ports: [channel.port2] })]);
  }

  // The relay may start before or after us: it fires RELAY_READY when it starts, and we hand over
  // again until it acknowledges a port.
  apply(addEventListener, doc, [RELAY_READY_EVENT, handOver]);
  handOver();

  function flush(): void {
    timer = 0;
    if (!port || queue.length === 0) return;
    lastFlush = nowMs();
    lastBatchRecords = 0;
    const items = queue;
    queue = [];
    pending = { __proto__: null } as unknown as Record<string, PendingRecords>;
    try {
      // Records travel in columns: far cheaper to clone than an array of objects (packed-records.ts).
      // Indexed loops, not `map` or `for…of`: a page may replace those after load.
      const wire: WireItem[] = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as QueuedItem;
        if (item.type === 'pending-records') lastBatchRecords += item.builder.count;
        wire[i] =
          item.type === 'pending-records'
            ? {
                type: 'packed-records',
                connectionId: item.connectionId,
                records: item.builder.take(),
                bytes: item.bytes,
              }
            : item;
      }
      apply(postMessage, port, [createAgentBatch(wire)]);
    } catch {
      // A record that cannot be cloned must not throw into the page; drop the batch.
    }
  }

  function schedule(): void {
    if (timer !== 0 || !port) return;
    // Leading edge: after a quiet spell, post in the next task (not now: the page's read is waiting).
    const delay = lastBatchRecords >= LARGE_BATCH_RECORDS ? FLUSH_DELAY_MS : QUICK_FLUSH_DELAY_MS;
    timer = setTimer(flush, Math.max(0, lastFlush + delay - nowMs()));
  }

  function push(item: QueuedItem): boolean {
    if (!port && queue.length >= MAX_UNSENT_ITEMS) return false;
    queue[queue.length] = item;
    schedule();
    return true;
  }

  function batch(connectionId: string): PackedRecordsBuilder {
    let builder = builders[connectionId];
    if (!builder) {
      builder = new PackedRecordsBuilder();
      builders[connectionId] = builder;
    }
    return builder;
  }

  function added(connectionId: string, bytes: number): void {
    const builder = batch(connectionId);
    const queued = pending[connectionId];
    if (queued) {
      queued.bytes = bytes;
      if (!port && builder.count > MAX_UNSENT_ITEMS) builder.take();
      return;
    }
    if (builder.count === 0) return;
    const item: PendingRecords = { type: 'pending-records', connectionId, builder, bytes };
    if (push(item)) pending[connectionId] = item;
    else builder.take();
  }

  return {
    nextConnectionId: () => `${token}:${++counter}`,
    frameUrl: () => frameUrlOf(location.href, origin),
    start(connection) {
      push({ type: 'connection-start', connection });
    },
    batch,
    added,
    records(connectionId, records, bytes) {
      const builder = batch(connectionId);
      for (let i = 0; i < records.length; i++) builder.addRecord(records[i] as StreamRecord);
      added(connectionId, bytes);
    },
    end(connectionId, end, bytes) {
      delete builders[connectionId];
      push({ type: 'connection-end', connectionId, end, bytes });
    },
  };
}
