import {
  AGENT_FLUSH_BYTES,
  AGENT_FLUSH_DELAY_MS,
  AGENT_LARGE_BATCH_BYTES,
  AGENT_LARGE_BATCH_RECORDS,
  AGENT_MAX_SLAB_BYTES,
  AGENT_MIN_SLAB_BYTES,
  AGENT_QUICK_FLUSH_DELAY_MS,
  AGENT_SLAB_POOL_BYTES,
} from '../../src/limits';
import {
  AGENT_END,
  AGENT_PIECES,
  AGENT_READY_EVENT,
  AGENT_START,
  type AgentEndState,
  type AgentEvent,
  type AgentPiece,
  type AgentStart,
  type PageToRelay,
  type PageToRelayReplay,
  RELAY_PORT_EVENT,
  type RelaySlabsMessage,
  type RelayToPage,
} from '../../src/protocol';
import {
  dispatch,
  eventProto,
  getMessageData,
  getterOf,
  listen,
  messageEventProto,
  ObjectCtor,
  setBytes,
  Uint8ArrayCtor,
  uncurry,
} from './natives';
import { nowMs } from './request-info';

/**
 * The agent's outgoing side: what the taps saw in, messages to the relay out (src/protocol.ts,
 * PageToRelay). Starts and ends are posted at once; body pieces in batches.
 */
export interface AgentChannel {
  /** A connection starts, in this frame at its URL now (`pushState` changes it). */
  startConnection(start: AgentStart): void;
  /** Bytes of a fetch body the page read now: copied now, sent transferred; the relay decodes them. */
  pushBytes(connectionId: string, bytes: Uint8Array): void;
  /** Text of a body the browser already decoded that the page can read now (XHR `responseText` grew by it). */
  pushText(connectionId: string, text: string): void;
  /** An event an EventSource dispatched at `time`, a few per second (the relay makes it a record). */
  pushEvent(connectionId: string, event: AgentEvent, time: number): void;
  /** The connection ended now; after a body's last piece (`completed`: read to its end). */
  endConnection(connectionId: string, state: AgentEndState, error: string | null): void;
  /** A fresh id, unique across documents and frames. */
  nextConnectionId(): string;
  /** Posts a replay message to the relay at once (content-scripts/agent/replay-hook.ts). */
  sendReplay(message: PageToRelayReplay): void;
  /** Calls `listener` with every message the relay posts on the agent's port (replay only). */
  listenToRelay(listener: (message: unknown) => void): void;
}

export const createAgentChannel = (win: Window & typeof globalThis): AgentChannel => {
  // Natives, taken before page scripts run, so a page that replaces them later cannot break us.
  const doc = win.document;
  const preventDefault = uncurry(eventProto.preventDefault);
  const postMessage = uncurry(
    MessagePort.prototype.postMessage as (message: unknown, transfer?: Transferable[]) => void,
  );
  const EventCtor = Event;
  const getPorts = getterOf<readonly MessagePort[]>(messageEventProto, 'ports');
  const ArrayBufferCtor = ArrayBuffer;
  const getByteLength = getterOf<number>(ObjectCtor.getPrototypeOf(Uint8ArrayCtor.prototype), 'byteLength');
  const { max, min, ceil } = Math;
  const setTimer = setTimeout;
  const clearTimer = clearTimeout;
  const location = win.location;

  const token = crypto.getRandomValues(new Uint32Array(2)).join('');
  let counter = 0;
  /** The relay's port; null until the relay offered it. */
  let port: MessagePort | null = null;
  let relayListener: ((message: unknown) => void) | null = null;
  let queue: AgentPiece[] = [];
  /** The queued pieces' slabs, each once. */
  let transfer: ArrayBuffer[] = [];
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let lastFlush = Number.NEGATIVE_INFINITY;
  let lastBatchRecords = 0;
  let lastBatchBytes = 0;
  /** Records, and bytes or characters of text, queued since the last flush (`lastBatch…` once posted). */
  let queuedRecords = 0;
  let queuedSize = 0;
  /** Body bytes queued since the last flush; `flushBytes` of them post at once. */
  let queuedBytes = 0;
  /**
   * Reads are copied into a shared buffer (a slab) rather than each into a fresh zero-filled one: one
   * allocation per message instead of per read. Slabs are transferred with the message, so each is
   * used by one message only; the relay gives them back once it has decoded them, and they are
   * reused while a stream is open: writing into fresh memory was most of the copy's cost (a page
   * fault per 4 KiB; docs/performance.md, figure 1).
   */
  let slab: ArrayBuffer | null = null;
  let slabSize = 0;
  let slabUsed = 0;
  let pool: ArrayBuffer[] = [];
  /** The pooled slabs' bytes together. */
  let poolBytes = 0;
  /** Connections started and not ended: the pool is emptied when none is left. */
  let open = 0;
  // Pairing (src/protocol.ts, PageToRelay): the first port offered is the relay's, since both content
  // scripts run before any page script and events dispatch synchronously; cancelling tells the relay.
  // So by the time a page script can start a stream, there is a port or there will never be one (a
  // frame where the relay is not injected): then nothing is captured, and nothing is held for it.
  listen(doc, RELAY_PORT_EVENT, (event: Event) => {
    let offered: MessagePort | undefined;
    try {
      offered = port ? undefined : getPorts(event)[0];
    } catch {
      // Not a MessageEvent: not the relay's.
    }
    if (!offered) return;
    preventDefault(event);
    port = offered;
    // The relay posts on it the buffers it is done with, and to replay (an override armed in this tab).
    port.onmessage = (message) => {
      const data = getMessageData(message) as RelayToPage | null;
      // Told apart by its field: only the relay's slabs message has `slabs`.
      const slabs = (data as RelaySlabsMessage | null)?.slabs;
      if (slabs) reuse(slabs);
      else relayListener?.(data);
    };
  });
  dispatch(doc, new EventCtor(AGENT_READY_EVENT));

  const reuse = (slabs: ArrayBuffer[]): void => {
    for (let i = 0; i < slabs.length && open > 0; i++) {
      const buffer = slabs[i] as ArrayBuffer;
      const size = sizeOf(buffer);
      if (poolBytes + size > AGENT_SLAB_POOL_BYTES) return;
      pool[pool.length] = buffer;
      poolBytes += size;
    }
  };

  const sizeOf = (buffer: ArrayBuffer): number => {
    return getByteLength(new Uint8ArrayCtor(buffer));
  };

  const post = (message: PageToRelay | PageToRelayReplay, transfer: ArrayBuffer[] | null): void => {
    try {
      if (transfer) {
        try {
          postMessage(port, message, transfer);
          return;
        } catch {
          // The transfer list is read through the page's Array iterator, which a page may replace:
          // then clone the bytes instead.
        }
      }
      postMessage(port, message);
    } catch {
      // Nothing in a batch should fail to clone; if it does, it must not throw into the page.
    }
  };

  /**
   * Posts the queued body pieces as one message, their slabs transferred. Starts and ends are posted
   * at once (a few per connection): an end only after the pieces queued before it, which it must follow.
   */
  const flush = (): void => {
    clearTimer(timer);
    timer = 0;
    if (!port || queue.length === 0) return;
    lastFlush = nowMs();
    lastBatchRecords = queuedRecords;
    lastBatchBytes = queuedSize;
    queuedRecords = queuedSize = queuedBytes = 0;
    post([AGENT_PIECES, queue], transfer);
    queue = [];
    transfer = [];
    slab = null;
  };

  const schedule = (): void => {
    if (timer !== 0 || !port) return;
    // Leading edge: after a quiet spell, post in the next task (not now: the page's read is waiting).
    const large = lastBatchRecords >= AGENT_LARGE_BATCH_RECORDS || lastBatchBytes >= AGENT_LARGE_BATCH_BYTES;
    timer = setTimer(
      flush,
      max(0, lastFlush + (large ? AGENT_FLUSH_DELAY_MS : AGENT_QUICK_FLUSH_DELAY_MS) - nowMs()),
    );
  };

  const push = (piece: AgentPiece, size: number): void => {
    if (!port) return;
    queue[queue.length] = piece;
    queuedSize += size;
    schedule();
  };

  return {
    nextConnectionId: () => `${token}:${++counter}`,
    sendReplay: (message) => post(message, null),
    listenToRelay(listener) {
      relayListener = listener;
    },
    startConnection(start) {
      open++;
      if (port) post([AGENT_START, start, location.href], null);
    },
    pushBytes(connectionId, bytes) {
      if (!port) return;
      const time = nowMs();
      const length = getByteLength(bytes);
      if (!slab || slabUsed + length > slabSize) {
        // Not pop(): a page may replace Array methods.
        const pooled = pool.length - 1;
        slab = pool[pooled] ?? null;
        if (slab) {
          pool.length = pooled;
          slabSize = sizeOf(slab);
          poolBytes -= slabSize;
        }
        if (!slab || slabSize < length) {
          // Sized after the last message's bytes: a token stream gets small slabs, a fast one large.
          // A read larger than that gets whole multiples of maxSlabBytes, so that the slab, back in
          // the pool, holds the next large read too (their sizes vary).
          slabSize = max(min(2 * lastBatchBytes, AGENT_MAX_SLAB_BYTES), AGENT_MIN_SLAB_BYTES);
          if (length > slabSize) slabSize = ceil(length / AGENT_MAX_SLAB_BYTES) * AGENT_MAX_SLAB_BYTES;
          slab = new ArrayBufferCtor(slabSize);
        }
        slabUsed = 0;
        transfer[transfer.length] = slab;
      }
      setBytes(new Uint8ArrayCtor(slab, slabUsed, length), bytes);
      push([connectionId, time, slab, slabUsed, length], length);
      slabUsed += length;
      queuedBytes += length;
      if (queuedBytes >= AGENT_FLUSH_BYTES && timer !== 0) {
        // Post in the next task, so that the relay can give the slabs back while the page reads on.
        queuedBytes = -Infinity;
        clearTimer(timer);
        timer = setTimer(flush, 0);
      }
    },
    pushText(connectionId, text) {
      push([connectionId, nowMs(), text], text.length);
    },
    pushEvent(connectionId, event, time) {
      queuedRecords++;
      push([connectionId, time, event], 0);
    },
    endConnection(connectionId, state, error) {
      if (--open <= 0) {
        open = 0;
        pool = [];
        poolBytes = 0;
      }
      flush();
      if (port) post([AGENT_END, connectionId, state, error, nowMs()], null);
    },
  };
};
