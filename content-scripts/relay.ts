/**
 * Relay: the ISOLATED-world content script beside the page agent, in every frame. It takes the
 * agent's MessagePort, checks every batch (the page can forge anything the agent can), keeps a
 * bounded buffer of this document's captures, and forwards to the service worker while a panel
 * watches this tab.
 */

import { isAgentChunks } from '../src/agent-chunks';
import {
  AGENT_HANDSHAKE_EVENT,
  createRelayCapture,
  createRelayStatus,
  isAgentBatch,
  isPanelAttached,
  isRelayWake,
  isWireItem,
  RELAY_PORT_NAME,
  RELAY_READY_EVENT,
  type WireItem,
} from '../src/protocol';
import { NextHopProtocols } from './next-hop-protocol';
import { RelayCore } from './relay-core';
import { RelayTaps } from './relay-taps';

/** What is forwarded and buffered, within the bounds of src/limits.ts. */
const core = new RelayCore();
/** Decodes and parses the response bodies the agent sends as bytes (src/agent-chunks.ts). */
const taps = new RelayTaps();
/** Stamps each connection's protocol from Resource Timing (the diagnosis's HTTP/1.1 check). */
const protocols = new NextHopProtocols();
let agentPort: MessagePort | null = null;
let backgroundPort: chrome.runtime.Port | null = null;
/**
 * Whether a panel watches this tab; `null` until the service worker says. While unknown, items are
 * forwarded live: a fast stream can overflow the buffer before the answer is read (the page's
 * thread is busy), and what was neither buffered nor forwarded would be lost to a watching panel.
 */
let attached: boolean | null = null;
/**
 * Live items wait for the service worker's answer on every port after the first: what the page read
 * while no port was open reaches the panel only in the snapshot, and the panel drops records at or
 * below the last seq it holds, so live records that overtook the snapshot would hide those for good.
 */
let holdLive = false;
let connectedBefore = false;
/**
 * The port closed while no panel watched (Chrome stopped the worker): reconnect only for news the
 * worker keeps (a stream starting or ending, for the badge and popup) or when it asks (`relay-wake`).
 * Records alone go to the buffer, as they would with a port and no panel.
 */
let asleep = false;
let contextGone = false;

function sendToBackground(items: WireItem[], snapshot: boolean): void {
  if (!backgroundPort || items.length === 0) return;
  try {
    // Split: Chrome refuses (and throws on) a message over 64 MiB.
    for (const part of core.messages(items)) backgroundPort.postMessage(createRelayCapture(part, snapshot));
  } catch {
    backgroundPort = null;
  }
}

function connectBackground(): void {
  if (backgroundPort || contextGone) return;
  let port: chrome.runtime.Port;
  try {
    port = chrome.runtime.connect({ name: RELAY_PORT_NAME });
  } catch {
    contextGone = true; // the extension was reloaded or removed; this script is orphaned
    return;
  }
  backgroundPort = port;
  asleep = false;
  if (connectedBefore) {
    attached = null;
    holdLive = true;
  }
  connectedBefore = true;
  // A new port (first capture, or after a service-worker restart) starts with the current counts.
  sendStatus();
  port.onMessage.addListener((message: unknown) => {
    if (!isPanelAttached(message)) return;
    attached = message.attached;
    holdLive = false;
    if (attached) sendToBackground(core.snapshot(), true);
  });
  port.onDisconnect.addListener(() => {
    // A port dropped on a restore from the back/forward cache may report its end after its successor opened.
    if (backgroundPort !== port) return;
    const watched = attached === true;
    backgroundPort = null;
    attached = null;
    // The service worker may be stopped at any moment (design.md principle 4). While a panel
    // watches, reconnect at once so it keeps receiving (it drops replayed records by seq). Otherwise
    // reconnect only when there is something to say (the next capture item) or when the worker asks
    // (`relay-wake`: a panel or the popup opened): reconnecting at once would start the stopped
    // worker again every time Chrome stops it, for as long as the tab is open.
    if (watched) setTimeout(connectBackground, 100);
    else asleep = true;
  });
}

function sendStatus(): void {
  try {
    backgroundPort?.postMessage(createRelayStatus(core.total, core.live));
  } catch {
    backgroundPort = null;
  }
}

function onAgentMessage(event: MessageEvent): void {
  const message: unknown = event.data;
  let wire: WireItem[];
  if (isAgentChunks(message)) wire = taps.parse(message.chunks);
  else if (isAgentBatch(message)) {
    wire = message.items.filter(isWireItem);
    taps.track(wire);
  } else return;
  protocols.stamp(wire);
  const total = core.total;
  const live = core.live;
  const items = core.accept(wire);
  const statusChanged = core.total !== total || core.live !== live;
  const wasConnected = backgroundPort !== null;
  if (!asleep || statusChanged) connectBackground();
  if (attached !== false && !holdLive) sendToBackground(items, false);
  if (statusChanged && wasConnected) sendStatus();
}

chrome.runtime.onMessage.addListener((message: unknown, sender) => {
  // Only the service worker (no tab) of this extension; a frame without captures has nothing to say.
  if (sender.id !== chrome.runtime.id || sender.tab || !isRelayWake(message) || core.total === 0) return;
  connectBackground();
});

// Chrome closes a document's extension ports when it enters the back/forward cache
// (https://developer.chrome.com/blog/bfcache-extension-messaging-changes); without this, a restored
// document's captures never reached the panel again (e2e/reliability-lifecycle.spec.ts, bfcache).
// Start afresh on restore: the replayed snapshot also tells the panel its streams are live again.
addEventListener('pageshow', (event) => {
  if (!event.persisted || !backgroundPort) return;
  const stale = backgroundPort;
  backgroundPort = null;
  attached = null;
  stale.disconnect();
  connectBackground();
});

document.addEventListener(AGENT_HANDSHAKE_EVENT, (event) => {
  // Only the first port counts: the agent runs at document_start, before any page script could
  // fire this event.
  if (agentPort || !(event instanceof MessageEvent)) return;
  const port = event.ports[0];
  if (!port) return;
  agentPort = port;
  port.onmessage = onAgentMessage;
  port.postMessage('ack');
});
document.dispatchEvent(new CustomEvent(RELAY_READY_EVENT));
