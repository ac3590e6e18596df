import { AGENT_BATCH_LIMITS } from '../../src/limits';
import type { ConnectionEnd, ConnectionInfo, StreamRecord } from '../../src/model';
import {
  AGENT_READY_EVENT,
  type AgentChunk,
  type AgentItem,
  createAgentBatch,
  createAgentChunks,
  type PageToRelayReplay,
  RELAY_PORT_EVENT,
} from '../../src/protocol';
import { apply, getterOf } from './natives';
import { frameUrlOf, nowMs } from './request-info';

/** The agent's outgoing side: capture items in, batched messages to the relay out. */
export interface AgentChannel {
  /** A connection starts; its `frameUrl` is this frame's URL now (`pushState` changes it), as `frameUrlOf` labels it. */
  start(connection: Omit<ConnectionInfo, 'frameUrl'>): void;
  /** Bytes of a fetch body the page read at `time`: copied now, sent transferred; the relay decodes them. */
  chunk(connectionId: string, bytes: Uint8Array, time: number): void;
  /** Text of a body the browser already decoded (XHR `responseText` grew by it). */
  text(connectionId: string, text: string, time: number): void;
  /** The body ended at `time`; `completed`: normally (the relay flushes its decoder). */
  finish(connectionId: string, time: number, completed: boolean): void;
  /** A whole record (EventSource: the browser parsed it), a few per second. */
  record(connectionId: string, record: StreamRecord): void;
  end(connectionId: string, end: ConnectionEnd): void;
  /** A fresh id, unique across documents and frames. */
  nextConnectionId(): string;
  /** Posts a replay message to the relay at once (content-scripts/agent/replay-hook.ts). */
  send(message: PageToRelayReplay): void;
  /** Calls `listener` with every message the relay posts on the agent's port (replay only). */
  onRelayMessage(listener: (message: unknown) => void): void;
}

/** A piece of a body, sent in an `agent-chunks` message; `size`: its bytes, or characters of text. */
interface QueuedChunk {
  type: 'chunk';
  chunk: AgentChunk;
  size: number;
}
type QueuedItem = AgentItem | QueuedChunk;

const { flushDelayMs, quickFlushDelayMs, largeBatchRecords, largeBatchBytes } = AGENT_BATCH_LIMITS;

export function createAgentChannel(win: Window & typeof globalThis): AgentChannel {
  // Natives, taken before page scripts run, so a page that replaces them later cannot break us.
  const doc = win.document;
  const dispatchEvent = EventTarget.prototype.dispatchEvent;
  const addEventListener = EventTarget.prototype.addEventListener;
  const preventDefault = Event.prototype.preventDefault;
  const postMessage = MessagePort.prototype.postMessage;
  const EventCtor = Event;
  const getPorts = getterOf<readonly MessagePort[]>(MessageEvent.prototype, 'ports');
  const getData = getterOf<unknown>(MessageEvent.prototype, 'data');
  const ArrayBufferCtor = ArrayBuffer;
  const Uint8ArrayCtor = Uint8Array;
  const setBytes = Uint8Array.prototype.set;
  const getByteLength = getterOf<number>(Object.getPrototypeOf(Uint8Array.prototype), 'byteLength');
  const max = Math.max;
  const min = Math.min;
  const setTimer = setTimeout;
  const random = crypto.getRandomValues.bind(crypto);
  const location = win.location;
  // `origin` is a replaceable global: a page's `var origin` would shadow it later.
  const origin = win.origin;

  const token = Array.from(random(new Uint32Array(2)), (n) => n.toString(36)).join('');
  let counter = 0;
  /** The relay's port; null until the relay offered it. */
  let port: MessagePort | null = null;
  let relayListener: ((message: unknown) => void) | null = null;
  let queue: QueuedItem[] = [];
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let lastFlush = Number.NEGATIVE_INFINITY;
  let lastBatchRecords = 0;
  let lastBatchBytes = 0;
  /**
   * Reads are copied into a shared buffer (a slab) rather than each into a fresh zero-filled one: one
   * allocation per message instead of per read. Slabs are transferred with the message, so each is
   * used by one message only.
   */
  let slab: ArrayBuffer | null = null;
  let slabSize = 0;
  let slabUsed = 0;
  let slabs: ArrayBuffer[] = [];
  // Pairing (src/protocol.ts, PageToRelay): the first port offered is the relay's, since both content
  // scripts run before any page script and events dispatch synchronously; cancelling tells the relay.
  // So by the time a page script can start a stream, there is a port or there will never be one (a
  // frame where the relay is not injected): then nothing is captured, and nothing is held for it.
  apply(addEventListener, doc, [
    RELAY_PORT_EVENT,
    (event: Event) => {
      let offered: MessagePort | undefined;
      try {
        offered = port ? undefined : getPorts(event)[0];
      } catch {
        // Not a MessageEvent: not the relay's.
      }
      if (!offered) return;
      apply(preventDefault, event, []);
      port = offered;
      // The relay posts on it only to replay (an override armed in this tab).
      port.onmessage = (message) => relayListener?.(getData(message));
      schedule();
    },
  ]);
  apply(dispatchEvent, doc, [new EventCtor(AGENT_READY_EVENT)]);

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
   * Posts the queue in order: starts and ends as an `agent-batch`, body pieces as an `agent-chunks`
   * message (their slabs transferred with the first run of pieces), one message per run of either.
   */
  function flush(): void {
    timer = 0;
    if (!port || queue.length === 0) return;
    lastFlush = nowMs();
    lastBatchRecords = 0;
    lastBatchBytes = 0;
    const items = queue;
    let transfer: ArrayBuffer[] | null = slabs;
    queue = [];
    slabs = [];
    slab = null;
    // Indexed loops, not `map` or `for…of`: a page may replace those after load.
    let batch: AgentItem[] = [];
    let chunks: AgentChunk[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as QueuedItem;
      if (item.type === 'chunk') {
        if (batch.length > 0) {
          post(createAgentBatch(batch), null);
          batch = [];
        }
        chunks[chunks.length] = item.chunk;
        if ('record' in item.chunk) lastBatchRecords++;
        lastBatchBytes += item.size;
        continue;
      }
      if (chunks.length > 0) {
        post(createAgentChunks(chunks), transfer);
        chunks = [];
        transfer = null;
      }
      batch[batch.length] = item;
    }
    if (chunks.length > 0) post(createAgentChunks(chunks), transfer);
    if (batch.length > 0) post(createAgentBatch(batch), null);
  }

  function schedule(): void {
    if (timer !== 0 || !port) return;
    // Leading edge: after a quiet spell, post in the next task (not now: the page's read is waiting).
    const large = lastBatchRecords >= largeBatchRecords || lastBatchBytes >= largeBatchBytes;
    timer = setTimer(flush, max(0, lastFlush + (large ? flushDelayMs : quickFlushDelayMs) - nowMs()));
  }

  function push(item: QueuedItem): void {
    if (!port) return;
    queue[queue.length] = item;
    schedule();
  }

  const pushChunk = (chunk: AgentChunk, size: number) => push({ type: 'chunk', chunk, size });

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
      if (!port) return;
      const length = getByteLength(bytes);
      if (!slab || slabUsed + length > slabSize) {
        // Sized after the last message's bytes: a token stream gets small slabs, a fast one large.
        slabSize = max(length, min(2 * lastBatchBytes, 1 << 20), 1 << 12);
        slab = new ArrayBufferCtor(slabSize);
        slabs[slabs.length] = slab;
        slabUsed = 0;
      }
      apply(setBytes, new Uint8ArrayCtor(slab, slabUsed, length), [bytes]);
      pushChunk({ connectionId, time, bytes: slab, offset: slabUsed, length }, length);
      slabUsed += length;
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
    end(connectionId, end) {
      push({ type: 'connection-end', connectionId, end });
    },
  };
}
