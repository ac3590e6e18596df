import { afterEach, describe, expect, it } from 'vitest';
import {
  AGENT_FLUSH_BYTES,
  AGENT_FLUSH_DELAY_MS,
  AGENT_MAX_SLAB_BYTES,
  AGENT_SLAB_POOL_BYTES,
} from '../../src/limits';
import type { ConnectionInfo } from '../../src/model';
import {
  AGENT_PIECES,
  createRelaySlabs,
  END_COMPLETED,
  isAgentBatch,
  isAgentChunks,
  RELAY_PORT_EVENT,
  relayFormsOf,
  TRANSPORT_FETCH,
  type WireItem,
} from '../../src/protocol';
import { discardCells, type RelayItem, SlabUses, toWireItems } from '../relay-body';
import { RelayDecoders } from '../relay-decoders';
import { type AgentChannel, createAgentChannel } from './channel';

const CONNECTION: Omit<ConnectionInfo, 'frameUrl'> = {
  id: 't:1',
  transport: 'fetch',
  format: 'sse',
  url: 'https://a.example/s',
  method: 'GET',
  requestHeaders: {},
  requestBody: null,
  status: 200,
  statusText: 'OK',
  responseHeaders: { 'content-type': 'text/event-stream' },
  startedAt: 1,
  headersAt: 2,
};

const start = (channel: AgentChannel, c: Omit<ConnectionInfo, 'frameUrl'>) =>
  channel.startConnection([
    c.id,
    TRANSPORT_FETCH,
    c.url,
    c.startedAt,
    c.headersAt,
    c.method,
    c.requestHeaders,
    c.requestBody,
    c.status,
    c.statusText,
    c.responseHeaders,
  ]);

const NativeArrayBuffer = globalThis.ArrayBuffer;
const ports: MessagePort[] = [];
afterEach(() => {
  globalThis.ArrayBuffer = NativeArrayBuffer;
  for (const port of ports.splice(0)) port.close();
});

const nextTask = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The agent's channel over a real MessageChannel to a relay that decodes as content-scripts/relay-main.ts
 * does and gives the slabs back; `allocated` counts the slabs the agent had to allocate.
 */
function channelToRelay(watched = true, keeps = true) {
  const allocations = { count: 0, bytes: 0 };
  globalThis.ArrayBuffer = class CountingArrayBuffer extends NativeArrayBuffer {
    constructor(size: number) {
      super(size);
      allocations.count++;
      allocations.bytes += size;
    }
  } as ArrayBufferConstructor;
  const doc = new EventTarget();
  const win = {
    document: doc,
    location: { href: 'https://a.example/' },
    origin: 'https://a.example',
  } as unknown as Window & typeof globalThis;
  const channel = createAgentChannel(win);
  globalThis.ArrayBuffer = NativeArrayBuffer;

  const { port1: agentPort, port2: relayPort } = new MessageChannel();
  ports.push(agentPort, relayPort);
  const released: ArrayBuffer[] = [];
  const decoders = new RelayDecoders(undefined, undefined, new SlabUses((slab) => released.push(slab)));
  const items: WireItem[] = [];
  /** Body cells not yet decoded (no panel watches): decoded by `decodeHeld`. */
  const held: RelayItem[] = [];
  const relayed = { messages: 0 };
  relayPort.onmessage = ({ data }) => {
    for (const part of relayFormsOf(data, 'https://a.example')) {
      if (isAgentBatch(part)) items.push(...toWireItems(decoders.track(part.items)));
      if (!isAgentChunks(part)) continue;
      const cells = decoders.decode(part.chunks);
      // A panel watching: the relay decodes each message when it posts it.
      if (watched) items.push(...toWireItems(cells, decoders.slabs));
      else if (keeps) held.push(...cells);
      // No panel, and the buffer full: the relay lets go of what it does not keep.
      else for (const item of cells) if (item.type === 'body') discardCells(item, decoders.slabs);
    }
    if (data[0] !== AGENT_PIECES) return;
    const slabs = released.splice(0);
    relayPort.postMessage(createRelaySlabs(slabs), slabs);
    relayed.messages++;
  };
  const decodeHeld = () => items.push(...toWireItems(held.splice(0), decoders.slabs));
  doc.dispatchEvent(new MessageEvent(RELAY_PORT_EVENT, { ports: [agentPort], cancelable: true }));
  const text = () => items.flatMap((item) => (item.type === 'chunks' ? [item.text] : [])).join('');
  /** Waits until the relay has handled `count` messages of chunks, and their slabs are back. */
  const relayedChunks = async (count: number) => {
    while (relayed.messages < count) await nextTask(1);
    await nextTask(1);
  };
  return { channel, items, text, allocations, relayedChunks, decodeHeld };
}

describe('agent channel', () => {
  it('reuses the slabs the relay gives back, and every byte arrives as the page read it', async () => {
    const { channel, items, text, allocations, relayedChunks } = channelToRelay();
    start(channel, CONNECTION);
    const read = 64 * 1024;
    const rounds = 24;
    const readsPerRound = AGENT_FLUSH_BYTES / read;
    let expected = '';
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < readsPerRound; i++) {
        const letter = String.fromCharCode(97 + ((round * readsPerRound + i) % 26));
        const bytes = new TextEncoder().encode(letter.repeat(read));
        expected += letter.repeat(read);
        channel.pushBytes(CONNECTION.id, bytes);
        // The page may reuse or change its buffer once the read is handed over.
        bytes.fill(0x21);
      }
      // The page reads on while the relay decodes and gives the slabs back.
      await relayedChunks(round + 1);
    }
    channel.endConnection(CONNECTION.id, END_COMPLETED, null);
    await nextTask(AGENT_FLUSH_DELAY_MS + 10);

    expect(text().length).toBe(expected.length);
    // Not toBe: a 48 MiB diff would be unreadable.
    expect(text() === expected).toBe(true);
    expect(items.at(-1)).toMatchObject({
      type: 'connection-end',
      bytes: expected.length,
      bodyCompleted: true,
    });
    // 48 MiB read: without reuse, 48 MiB of slabs; with it, what one message holds.
    expect(allocations.bytes).toBeLessThanOrEqual(AGENT_FLUSH_BYTES + AGENT_MAX_SLAB_BYTES);
  });

  it('holds no slab once no stream is open, and never more than its pool allows', async () => {
    const { channel, allocations, relayedChunks } = channelToRelay();
    start(channel, CONNECTION);
    const bytes = new Uint8Array(AGENT_MAX_SLAB_BYTES);
    for (let i = 0; i < 8; i++) channel.pushBytes(CONNECTION.id, bytes);
    await relayedChunks(1);
    const before = allocations.count;
    // 8 slabs came back; the pool keeps slabPoolBytes of them, and the rest of the next 8 reads need fresh ones.
    for (let i = 0; i < 8; i++) channel.pushBytes(CONNECTION.id, bytes);
    expect(allocations.count - before).toBe(8 - AGENT_SLAB_POOL_BYTES / AGENT_MAX_SLAB_BYTES);
    channel.endConnection(CONNECTION.id, END_COMPLETED, null);
    await relayedChunks(2);
    // The stream ended: the slabs that came back after it are not kept.
    start(channel, { ...CONNECTION, id: 't:2' });
    const fresh = allocations.count;
    channel.pushBytes('t:2', bytes);
    expect(allocations.count).toBe(fresh + 1);
  });

  it('while the relay keeps the reads undecoded, their slabs stay its own, and decode intact later', async () => {
    const { channel, text, allocations, relayedChunks, decodeHeld } = channelToRelay(false);
    start(channel, CONNECTION);
    const read = 256 * 1024;
    let expected = '';
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < AGENT_FLUSH_BYTES / read; i++) {
        const letter = String.fromCharCode(97 + ((round * 8 + i) % 26));
        channel.pushBytes(CONNECTION.id, new TextEncoder().encode(letter.repeat(read)));
        expected += letter.repeat(read);
      }
      await relayedChunks(round + 1);
    }
    // Every read went into a fresh slab: none came back while views of it were kept.
    expect(allocations.bytes).toBeGreaterThanOrEqual(expected.length);
    decodeHeld();
    expect(text().length).toBe(expected.length);
    expect(text() === expected).toBe(true);
  });

  it('copies a few small reads out of a mostly empty slab, and gives the slab back at once', async () => {
    const { channel, text, allocations, relayedChunks, decodeHeld } = channelToRelay(false);
    start(channel, CONNECTION);
    let expected = '';
    for (let round = 0; round < 20; round++) {
      channel.pushBytes(CONNECTION.id, new TextEncoder().encode(`data: ${round}\n\n`));
      expected += `data: ${round}\n\n`;
      await relayedChunks(round + 1);
    }
    // One slab, back in the pool after each message.
    expect(allocations.count).toBe(1);
    decodeHeld();
    expect(text()).toBe(expected);
  });

  it('gets back the slabs of reads the relay lets go of (no panel, buffer full), and allocates no more', async () => {
    const { channel, allocations, relayedChunks } = channelToRelay(false, false);
    start(channel, CONNECTION);
    const read = 256 * 1024;
    const perMessage = AGENT_FLUSH_BYTES / read;
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < perMessage; i++) channel.pushBytes(CONNECTION.id, new Uint8Array(read).fill(97));
      await relayedChunks(round + 1);
    }
    // 24 MiB read; the slabs of the first message come back and hold all the later ones.
    expect(allocations.bytes).toBeLessThanOrEqual(AGENT_FLUSH_BYTES);
    expect(allocations.count).toBeGreaterThan(0);
  });
});
