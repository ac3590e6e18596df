import { type AgentChunk, createAgentChunks } from '../../src/agent-chunks';
import type { ConnectionEnd, ConnectionInfo, StreamRecord } from '../../src/model';
import {
  AGENT_HANDSHAKE_EVENT,
  type ConnectionEndItem,
  type ConnectionStartItem,
  createAgentBatch,
  type PageToRelayReplay,
  RELAY_READY_EVENT,
  type WireItem,
} from '../../src/protocol';
import { apply, getterOf } from './natives';
import { frameUrlOf, nowMs } from './request-info';

/** The agent's outgoing side: capture items in, batched messages to the relay out. */
export interface AgentChannel {
  /** A connection starts; its `frameUrl` is this frame's URL now (`pushState` changes it), as `frameUrlOf` labels it. */
  start(connection: Omit<ConnectionInfo, 'frameUrl'>): void;
  /**
   * Bytes of a fetch body the page read at `time`: a copy is sent (transferred), and the relay
   * parses and counts it (src/agent-chunks.ts).
   */
  chunk(connectionId: string, bytes: Uint8Array, time: number): void;
  /** Text of a body the browser already decoded (XHR `responseText` grew by it). */
  text(connectionId: string, text: string, time: number): void;
  /** The body ended at `time`; `completed`: normally (the relay flushes its decoder and last line). */
  finish(connectionId: string, time: number, completed: boolean): void;
  /** A whole record (EventSource: the browser parsed it), a few per second. */
  record(connectionId: string, record: StreamRecord): void;
  /** `bytes`: an EventSource's (0); a fetch or XHR body's are counted by the relay. */
  end(connectionId: string, end: ConnectionEnd, bytes: number): void;
  /** A fresh id, unique across documents and frames. */
  nextConnectionId(): string;
  /** Posts a replay message to the relay at once (content-scripts/agent/replay.ts). */
  send(message: PageToRelayReplay): void;
  /** Calls `listener` with every message the relay posts on the agent's port. */
  onRelayMessage(listener: (message: unknown) => void): void;
}

/**
 * Messages are posted at most this often while a stream is fast: one message per token is slow
 * (design.md pitfalls), and a fast stream's records travel in large batches. The first item after a
 * quiet spell is posted at once (in the next task).
 */
const FLUSH_DELAY_MS = 20;
/**
 * After a small batch (fewer than LARGE_BATCH_RECORDS records and LARGE_BATCH_BYTES body bytes),
 * the next one may follow this soon: a slow stream (an LLM's tokens, 1 000 events/s) reaches the
 * panel sooner, and its messages stay few enough for the relay, the service worker and the panel
 * (docs/performance.md, figure 4).
 */
const QUICK_FLUSH_DELAY_MS = 8;
const LARGE_BATCH_RECORDS = 100;
const LARGE_BATCH_BYTES = 16 * 1024;
/**
 * Items, and body bytes, kept while no relay has answered yet (a frame where the relay is not
 * injected): without a relay they could never be shown. A connection that loses a piece of its body
 * this way sends no more of it (the rest could not be parsed right).
 */
const MAX_UNSENT_ITEMS = 5000;
const MAX_UNSENT_BYTES = 8 * 1024 * 1024;

/** A piece of a body, sent in an `agent-chunks` message; `size`: its bytes, or characters of text. */
interface QueuedChunk {
  type: 'chunk';
  chunk: AgentChunk;
  size: number;
}
type QueuedItem = ConnectionStartItem | ConnectionEndItem | QueuedChunk;
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
  const getData = getterOf<unknown>(MessageEventCtor.prototype, 'data');
  const ArrayBufferCtor = ArrayBuffer;
  const Uint8ArrayCtor = Uint8Array;
  const setBytes = Uint8Array.prototype.set;
  const getByteLength = getterOf<number>(Object.getPrototypeOf(Uint8Array.prototype), 'byteLength');
  const setTimer = setTimeout;
  const random = crypto.getRandomValues.bind(crypto);
  const location = win.location;
  // `origin` is a replaceable global: a page's `var origin` would shadow it later.
  const origin = win.origin;

  const token = Array.from(random(new Uint32Array(2)), (n) => n.toString(36)).join('');
  let counter = 0;
  /** The port the relay acknowledged; null until then. */
  let port: MessagePort | null = null;
  let handOvers = 0;
  let relayListener: ((message: unknown) => void) | null = null;
  let queue: QueuedItem[] = [];
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let lastFlush = Number.NEGATIVE_INFINITY;
  let lastBatchRecords = 0;
  let lastBatchBytes = 0;
  /** Body bytes queued while no relay has answered. */
  let unsentBytes = 0;
  // `{ __proto__: null }`: no prototype a page could add keys to.
  /** Connections that lost a piece of their body before a relay answered. */
  const lost = { __proto__: null } as unknown as Record<string, true>;

  function handOver(): void {
    if (port || handOvers++ >= MAX_HAND_OVERS) return;
    const channel = new MessageChannelCtor();
    const ownPort = channel.port1;
    ownPort.onmessage = (event) => {
      // The first answer wins: the relay answers the port it took before any page script ran.
      if (!port && getData(event) === 'ack') {
        port = ownPort;
        schedule();
      } else if (port === ownPort) relayListener?.(getData(event));
    };
    apply(dispatchEvent, doc, [new MessageEventCtor(AGENT_HANDSHAKE_EVENT, { ports: [channel.port2] })]);
  }

  // The relay may start before or after us: it fires RELAY_READY when it starts, and we hand over
  // again until it acknowledges a port.
  apply(addEventListener, doc, [RELAY_READY_EVENT, handOver]);
  handOver();

  function post(message: unknown, transfer: ArrayBuffer[] | null): void {
    try {
      if (transfer) {
        try {
          apply(postMessage, port, [message, transfer]);
          return;
        } catch {
          // The transfer list is read through the page's Array iterator, which a page may replace:
          // then clone the bytes instead.
        }
      }
      apply(postMessage, port, [message]);
    } catch {
      // Nothing in a batch should fail to clone; if it does, it must not throw into the page.
    }
  }

  /**
   * Posts the queue in order: capture items as an `agent-batch`, body pieces as an `agent-chunks`
   * message (their bytes transferred), one message per run of either.
   */
  function flush(): void {
    timer = 0;
    if (!port || queue.length === 0) return;
    lastFlush = nowMs();
    lastBatchRecords = 0;
    lastBatchBytes = 0;
    const items = queue;
    queue = [];
    unsentBytes = 0;
    // Indexed loops, not `map` or `for…of`: a page may replace those after load.
    let wire: WireItem[] = [];
    let chunks: AgentChunk[] = [];
    let transfer: ArrayBuffer[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as QueuedItem;
      if (item.type === 'chunk') {
        if (wire.length > 0) {
          post(createAgentBatch(wire), null);
          wire = [];
        }
        chunks[chunks.length] = item.chunk;
        if ('bytes' in item.chunk) transfer[transfer.length] = item.chunk.bytes;
        if ('record' in item.chunk) lastBatchRecords++;
        lastBatchBytes += item.size;
        continue;
      }
      if (chunks.length > 0) {
        post(createAgentChunks(chunks), transfer);
        chunks = [];
        transfer = [];
      }
      wire[wire.length] = item;
    }
    if (chunks.length > 0) post(createAgentChunks(chunks), transfer);
    if (wire.length > 0) post(createAgentBatch(wire), null);
  }

  function schedule(): void {
    if (timer !== 0 || !port) return;
    // Leading edge: after a quiet spell, post in the next task (not now: the page's read is waiting).
    const large = lastBatchRecords >= LARGE_BATCH_RECORDS || lastBatchBytes >= LARGE_BATCH_BYTES;
    const delay = large ? FLUSH_DELAY_MS : QUICK_FLUSH_DELAY_MS;
    timer = setTimer(flush, Math.max(0, lastFlush + delay - nowMs()));
  }

  function push(item: QueuedItem): boolean {
    if (!port && queue.length >= MAX_UNSENT_ITEMS) return false;
    queue[queue.length] = item;
    schedule();
    return true;
  }

  /** Queues a piece of a body, unless the connection already lost one (see MAX_UNSENT_BYTES). */
  function pushChunk(chunk: AgentChunk, size: number): void {
    const id = chunk.connectionId;
    if (lost[id]) return;
    if (!port && unsentBytes + size > MAX_UNSENT_BYTES) {
      lost[id] = true;
      return;
    }
    if (!push({ type: 'chunk', chunk, size })) {
      lost[id] = true;
      return;
    }
    if (!port) unsentBytes += size;
  }

  return {
    nextConnectionId: () => `${token}:${++counter}`,
    send: (message) => post(message, null),
    onRelayMessage(listener) {
      relayListener = listener;
    },
    start(connection) {
      push({
        type: 'connection-start',
        connection: { ...connection, frameUrl: frameUrlOf(location.href, origin) },
      });
    },
    chunk(connectionId, bytes, time) {
      const length = getByteLength(bytes);
      const copy = new ArrayBufferCtor(length);
      apply(setBytes, new Uint8ArrayCtor(copy), [bytes]);
      pushChunk({ connectionId, time, bytes: copy }, length);
    },
    text(connectionId, text, time) {
      pushChunk({ connectionId, time, text }, text.length);
    },
    finish(connectionId, time, completed) {
      pushChunk({ connectionId, time, completed }, 0);
    },
    record(connectionId, record) {
      pushChunk({ connectionId, time: record.time, record }, 0);
    },
    end(connectionId, end, bytes) {
      delete lost[connectionId];
      push({ type: 'connection-end', connectionId, end, bytes });
    },
  };
}
