import type { ConnectionEnd, ConnectionInfo, StreamRecord } from '../../src/model';
import { packRecords } from '../../src/packed-records';
import {
  AGENT_HANDSHAKE_EVENT,
  type CaptureItem,
  createAgentBatch,
  RELAY_READY_EVENT,
  type RecordsItem,
  type WireItem,
} from '../../src/protocol';
import { frameUrlOf } from './request-info';

/** The agent's outgoing side: capture items in, batched messages to the relay out. */
export interface AgentChannel {
  start(connection: ConnectionInfo): void;
  records(connectionId: string, records: StreamRecord[], bytes: number): void;
  end(connectionId: string, end: ConnectionEnd, bytes: number): void;
  /** A fresh id, unique across documents and frames. */
  nextConnectionId(): string;
  /** This frame's URL now, labelled as `frameUrlOf` does (read per connection: `pushState` changes it). */
  frameUrl(): string;
}

/** Items are sent at most this often: one message per token is slow (design.md pitfalls). */
const FLUSH_DELAY_MS = 20;
/** Items kept while no relay has answered yet (a frame where the relay is not injected). */
const MAX_UNSENT_ITEMS = 5000;

export function createAgentChannel(win: Window & typeof globalThis): AgentChannel {
  // Natives, taken before page scripts run, so a page that replaces them later cannot break us.
  const doc = win.document;
  const dispatchEvent = EventTarget.prototype.dispatchEvent;
  const addEventListener = EventTarget.prototype.addEventListener;
  const postMessage = MessagePort.prototype.postMessage;
  const MessageChannelCtor = MessageChannel;
  const MessageEventCtor = MessageEvent;
  const setTimer = setTimeout;
  const apply = Reflect.apply;
  const random = crypto.getRandomValues.bind(crypto);
  const location = win.location;
  // `origin` is a replaceable global: a page's `var origin` would shadow it later.
  const origin = win.origin;

  const token = Array.from(random(new Uint32Array(2)), (n) => n.toString(36)).join('');
  let counter = 0;
  let port: MessagePort | null = null;
  let acknowledged = false;
  let queue: CaptureItem[] = [];
  let timer: ReturnType<typeof setTimeout> | 0 = 0;

  function handOver(): void {
    const channel = new MessageChannelCtor();
    port = channel.port1;
    const ownPort = channel.port1;
    ownPort.onmessage = (event) => {
      if (event.data === 'ack' && port === ownPort && !acknowledged) {
        acknowledged = true;
        schedule();
      }
    };
    apply(dispatchEvent, doc, [new MessageEventCtor(AGENT_HANDSHAKE_EVENT, { ports: [channel.port2] })]);
  }

  // The relay may start before or after us: it fires RELAY_READY when it starts, and we hand over
  // again until it acknowledges a port.
  apply(addEventListener, doc, [
    RELAY_READY_EVENT,
    () => {
      if (!acknowledged) handOver();
    },
  ]);
  handOver();

  function flush(): void {
    timer = 0;
    if (!acknowledged || !port || queue.length === 0) return;
    const items = queue;
    queue = [];
    try {
      // Records travel in columns: far cheaper to clone than an array of objects (packed-records.ts).
      const wire: WireItem[] = items.map((item) =>
        item.type === 'records'
          ? {
              type: 'packed-records',
              connectionId: item.connectionId,
              records: packRecords(item.records),
              bytes: item.bytes,
            }
          : item,
      );
      apply(postMessage, port, [createAgentBatch(wire)]);
    } catch {
      // A record that cannot be cloned must not throw into the page; drop the batch.
    }
  }

  function schedule(): void {
    if (timer === 0 && acknowledged) timer = setTimer(flush, FLUSH_DELAY_MS);
  }

  function push(item: CaptureItem): void {
    if (!acknowledged && queue.length >= MAX_UNSENT_ITEMS) return;
    queue[queue.length] = item;
    schedule();
  }

  return {
    nextConnectionId: () => `${token}:${++counter}`,
    frameUrl: () => frameUrlOf(location.href, origin),
    start(connection) {
      push({ type: 'connection-start', connection });
    },
    records(connectionId, records, bytes) {
      // Merge into the last item when it is the same connection's, so a batch stays small.
      const last = queue[queue.length - 1] as RecordsItem | undefined;
      if (last && last.type === 'records' && last.connectionId === connectionId) {
        for (const record of records) last.records[last.records.length] = record;
        last.bytes = bytes;
        return;
      }
      push({ type: 'records', connectionId, records, bytes });
    },
    end(connectionId, end, bytes) {
      push({ type: 'connection-end', connectionId, end, bytes });
    },
  };
}
