/**
 * The relay proper, loaded by content-scripts/relay.ts when its document's agent first sends
 * something: it keeps the bytes the page read as body cells, checks and bounds everything (the page
 * can forge anything the agent can), keeps a bounded buffer of this document's captures, and, while a
 * panel watches this tab, decodes them into text chunks and forwards them to the service worker, in
 * tasks of their own that yield to the page's. It parses nothing.
 */

import { DEFAULT_BUFFER_LIMITS, RELAY_POST_LIMITS, UNANSWERED_BUFFER_SHARE } from '../src/limits';
import { PortLink } from '../src/port-link';
import {
  createRelayCapture,
  createRelaySlabs,
  createRelayStatus,
  isAgentBatch,
  isAgentChunks,
  isRelayWake,
  RELAY_PORT_NAME,
  relayFormsOf,
} from '../src/protocol';
import { CaptureBuffer } from './capture-buffer';
import { NextHopProtocols } from './next-hop-protocol';
import {
  type BodyItem,
  discardCells,
  type RelayItem,
  relayCharsOf,
  SlabUses,
  toWireItems,
} from './relay-body';
import { RelayCore } from './relay-core';
import { RelayDecoders } from './relay-decoders';
import { type LinkActions, RelayLink } from './relay-link';
import { PostPacer } from './relay-pacing';
import type * as ReplayModule from './relay-replay-link';

/** Slabs no cell views any more, to give back to the agent (`giveBack`). */
const released: ArrayBuffer[] = [];
const decoders = new RelayDecoders(undefined, undefined, new SlabUses((slab) => released.push(slab)));
/** Body items the buffer did not keep or evicted while handling the agent's last message. */
const discarded: BodyItem[] = [];
/** What is forwarded and buffered, within the bounds of src/limits.ts. */
const core = new RelayCore(undefined, new CaptureBuffer(undefined, (item) => discarded.push(item)));
const link = new RelayLink();
/** Stamps each connection's protocol from Resource Timing (the diagnosis's HTTP/1.1 check). */
const protocols = new NextHopProtocols();
const port = new PortLink(RELAY_PORT_NAME, {
  onOpen: () => run(link.reconnected()),
  onMessage: (message) => run(link.panelAttached(message.attached)),
  onClose: () => {
    // What was not sent goes with the port: the reconnect brings the buffer again.
    clearOutbox();
    return link.closed();
  },
});

/**
 * Capture messages waiting to be posted, in order, with their bodies still undecoded. Posting
 * decodes and serialises a message on the page's thread (some 10–40 ms per 1 Mi characters over a
 * runtime port; a whole buffer posted at once was one task of some 200 ms, docs/performance.md,
 * figure 7), so messages go out a few per task, in tasks of background priority where the browser
 * has them (a small one with nothing before it goes at once, `send`), and while the page reads they
 * wait for a short burst to end or take at most a share of its thread (relay-pacing.ts).
 * Live ones queue behind the snapshot (the panel drops chunks at or below the last seq it holds: a
 * live chunk must not overtake the snapshot).
 */
const outbox: { items: RelayItem[]; snapshot: boolean; chars: number }[] = [];
/** Characters of the live messages in the outbox (`RELAY_POST_LIMITS.maxQueuedChars`). */
let queuedChars = 0;
const pacer = new PostPacer();

/** Empties the outbox: what it held goes with a closed port, which brings the buffer again. */
function clearOutbox(): void {
  outbox.length = 0;
  queuedChars = 0;
}
let draining = false;
const postTask = (
  globalThis as {
    scheduler?: { postTask(task: () => void, options: { priority: string; delay: number }): unknown };
  }
).scheduler?.postTask.bind((globalThis as { scheduler?: object }).scheduler);

function scheduleDrain(delay = 0): void {
  if (draining) return;
  draining = true;
  if (postTask) postTask(drain, { priority: 'background', delay });
  else setTimeout(drain, delay);
}

const charsOf = (items: readonly RelayItem[]): number => items.reduce((n, i) => n + relayCharsOf(i), 0);

function drain(): void {
  draining = false;
  const started = performance.now();
  while (outbox.length > 0) {
    const wait = pacer.waitFor((outbox[0] as (typeof outbox)[number]).chars, performance.now());
    if (wait > 0) {
      scheduleDrain(wait);
      break;
    }
    const { items, snapshot, chars } = outbox.shift() as (typeof outbox)[number];
    if (!snapshot) queuedChars -= chars;
    const sent = port.send(createRelayCapture(toWireItems(items, decoders.slabs), snapshot));
    if (!sent) break;
    const now = performance.now();
    if (pacer.reading(now)) {
      const pause = pacer.posted(started, now);
      if (outbox.length > 0) scheduleDrain(pause);
      break;
    }
    if (outbox.length > 0 && now - started >= RELAY_POST_LIMITS.sliceMs) {
      scheduleDrain();
      break;
    }
  }
  giveBack();
}

/** Puts items in the outbox, in messages under Chrome's cap. */
function enqueue(items: readonly RelayItem[], snapshot: boolean): void {
  for (const part of core.messages(items)) {
    const chars = charsOf(part);
    outbox.push({ items: part, snapshot, chars });
    if (!snapshot) queuedChars += chars;
  }
}

/**
 * Queues items in messages under Chrome's cap, and posts them as the pace allows; a failed send
 * closes the port, and the reconnect resends the buffer.
 */
function send(items: readonly RelayItem[], snapshot: boolean): void {
  if (items.length === 0) return;
  let queued = items;
  if (!snapshot && queuedChars + charsOf(items) > RELAY_POST_LIMITS.maxQueuedChars) {
    // The outbox is full: what the page reads now is only buffered (a panel that opens later gets
    // it), and the watching panel counts the chunks and events it did not get; starts, ends and
    // the rest still go.
    queued = items.filter((item) => item.type !== 'body' && item.type !== 'records');
    if (queued.length === 0) return;
  }
  enqueue(queued, snapshot);
  if (draining) return;
  // A small message with nothing before it and no pause to keep goes out in this task: a stream of
  // usual pace reaches the panel as fast as the port allows (figure 4). Larger ones wait for a task
  // of background priority, which runs when the page's own tasks are done.
  const chars = outbox[0]?.chars ?? 0;
  const wait = pacer.waitFor(chars, performance.now());
  if (wait <= 0 && outbox.length === 1 && pacer.small(chars)) drain();
  else scheduleDrain(wait);
}

function run(actions: LinkActions, items: readonly RelayItem[] = []): void {
  if (actions.drop) {
    clearOutbox();
    port.drop();
  }
  if (actions.connect && !port.connect()) return;
  if (actions.status) port.send(createRelayStatus(core.total, core.live));
  if (actions.snapshot) send(core.snapshot(), true);
  if (actions.forward) send(items, false);
}

/** A message of the agent (src/protocol.ts, PageToRelay), or a capture of the relay's replay in the relay's terms. */
function onAgentMessage(message: unknown): void {
  pacer.agentActive(performance.now());
  let wire: RelayItem[] | null = null;
  for (const part of Array.isArray(message) ? relayFormsOf(message, origin) : [message]) {
    const items = isAgentChunks(part)
      ? decoders.decode(part.chunks)
      : isAgentBatch(part)
        ? decoders.track(part.items)
        : null;
    if (items) wire = wire ? wire.concat(items) : items;
  }
  if (!wire) return;
  protocols.stamp(wire);
  const { total, live } = core;
  const items = core.accept(wire);
  const { chars, entries } = core.buffer.size;
  const pressure =
    chars >= DEFAULT_BUFFER_LIMITS.maxChars * UNANSWERED_BUFFER_SHARE ||
    entries >= DEFAULT_BUFFER_LIMITS.maxEntries * UNANSWERED_BUFFER_SHARE;
  const actions = link.items(core.total !== total || core.live !== live, pressure);
  run(actions, items);
  // A discarded item's cells may still be read only from the outbox: by the live items just queued,
  // or by earlier ones not yet posted. Otherwise nothing will decode them, and their slabs go back.
  if (!actions.forward && outbox.length === 0) {
    for (const item of discarded) discardCells(item, decoders.slabs);
  }
  discarded.length = 0;
  giveBack();
}

let agentPort: MessagePort | null = null;

/** Slabs no cell views any more go back to the agent to hold its next reads (src/protocol.ts, RelaySlabsMessage). */
function giveBack(): void {
  if (released.length === 0) return;
  const slabs = released.splice(0);
  try {
    agentPort?.postMessage(createRelaySlabs(slabs), slabs);
  } catch {
    // A buffer that cannot be transferred (detached, or listed twice) is left to the collector.
  }
}
/** Replay (an override armed in this tab), loaded with the first overrides: most documents never need it. */
let replayLoading: Promise<ReturnType<typeof ReplayModule.linkRelayReplay> | null> | null = null;
let replay: ReturnType<typeof ReplayModule.linkRelayReplay> | null = null;

/** The service worker's message with the tab's armed overrides (relay-replay.ts serves them); after `startRelay`. */
export function setOverrides(message: unknown): Promise<unknown> {
  replayLoading ??= import(/* @vite-ignore */ chrome.runtime.getURL('content-scripts/relay-replay.js')).then(
    (module: typeof ReplayModule) => {
      // Replays are answered on the agent's port, and captured as the agent's items are.
      replay = module.linkRelayReplay(
        (m, transfer) => agentPort?.postMessage(m, transfer ?? []),
        onAgentMessage,
      );
      return replay;
    },
    () => null, // the extension was reloaded or removed
  );
  return replayLoading.then((loaded) => loaded?.setOverrides(message));
}

function fromAgent(message: unknown): void {
  if (!replay?.replay.onAgentMessage(message)) onAgentMessage(message);
}

/** Takes over the agent's port from the relay's first part, with what the agent sent meanwhile. */
export function startRelay(port: MessagePort, pending: readonly unknown[]): void {
  agentPort = port;
  port.onmessage = (event) => fromAgent(event.data);
  for (const message of pending) fromAgent(message);

  chrome.runtime.onMessage.addListener((message: unknown, sender) => {
    // Only the service worker (no tab) of this extension.
    if (sender.id !== chrome.runtime.id || sender.tab || !isRelayWake(message)) return;
    run(link.wake(core.total > 0));
  });

  addEventListener('pageshow', (event) => run(link.pageShown(event.persisted)));
}
