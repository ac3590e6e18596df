/**
 * The relay proper, loaded by content-scripts/relay.ts when its document's agent first sends
 * something: it turns the bytes the page read into text chunks, checks and bounds everything (the
 * page can forge anything the agent can), keeps a bounded buffer of this document's captures, and
 * forwards to the service worker while a panel watches this tab. It parses nothing.
 */

import { PortLink } from '../src/port-link';
import {
  createRelayCapture,
  createRelayStatus,
  isAgentBatch,
  isAgentChunks,
  isRelayWake,
  RELAY_PORT_NAME,
  type WireItem,
} from '../src/protocol';
import { RelayCore } from './relay-core';
import { RelayDecoders } from './relay-decoders';
import { type LinkActions, RelayLink } from './relay-link';

/** What is forwarded and buffered, within the bounds of src/limits.ts. */
const core = new RelayCore();
const decoders = new RelayDecoders();
const link = new RelayLink();
const port = new PortLink(RELAY_PORT_NAME, {
  onOpen: () => run(link.reconnected()),
  onMessage: (message) => run(link.panelAttached(message.attached)),
  onClose: () => link.closed(),
});

/** Sends items in messages under Chrome's cap; a failed send closes the port, and the reconnect resends the buffer. */
function send(items: readonly WireItem[], snapshot: boolean): void {
  if (items.length === 0) return;
  for (const part of core.messages(items)) if (!port.send(createRelayCapture(part, snapshot))) return;
}

function run(actions: LinkActions, items: readonly WireItem[] = []): void {
  if (actions.drop) port.drop();
  if (actions.connect && !port.connect()) return;
  if (actions.status) port.send(createRelayStatus(core.total, core.live));
  if (actions.snapshot) send(core.snapshot(), true);
  if (actions.forward) send(items, false);
}

function onAgentMessage(message: unknown): void {
  let wire: WireItem[];
  if (isAgentChunks(message)) wire = decoders.decode(message.chunks);
  else if (isAgentBatch(message)) wire = decoders.track(message.items);
  else return;
  const { total, live } = core;
  const items = core.accept(wire);
  run(link.items(core.total !== total || core.live !== live), items);
}

/** Takes over the agent's port from the relay's first part, with what the agent sent meanwhile. */
export function startRelay(agentPort: MessagePort, pending: readonly unknown[]): void {
  agentPort.onmessage = (event) => onAgentMessage(event.data);
  for (const message of pending) onAgentMessage(message);

  chrome.runtime.onMessage.addListener((message: unknown, sender) => {
    // Only the service worker (no tab) of this extension.
    if (sender.id !== chrome.runtime.id || sender.tab || !isRelayWake(message)) return;
    run(link.wake(core.total > 0));
  });

  addEventListener('pageshow', (event) => run(link.pageShown(event.persisted)));
}
