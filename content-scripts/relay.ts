/**
 * Relay: the ISOLATED-world content script beside the page agent, in every frame. It takes the
 * agent's MessagePort, checks every batch (the page can forge anything the agent can), keeps a
 * bounded buffer of this document's captures, and forwards to the service worker while a panel
 * watches this tab.
 */
import {
  AGENT_HANDSHAKE_EVENT,
  type CaptureItem,
  createRelayCapture,
  isAgentBatch,
  isCaptureItem,
  isPanelAttached,
  RELAY_PORT_NAME,
  RELAY_READY_EVENT,
} from '../src/protocol';
import { CaptureBuffer } from './capture-buffer';

const buffer = new CaptureBuffer();
let agentPort: MessagePort | null = null;
let backgroundPort: chrome.runtime.Port | null = null;
let attached = false;
let contextGone = false;

function sendToBackground(items: CaptureItem[], snapshot: boolean): void {
  try {
    backgroundPort?.postMessage(createRelayCapture(items, snapshot));
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
  port.onMessage.addListener((message: unknown) => {
    if (!isPanelAttached(message)) return;
    attached = message.attached;
    if (attached) sendToBackground(buffer.snapshot(), true);
  });
  port.onDisconnect.addListener(() => {
    backgroundPort = null;
    attached = false;
    // The service worker may be stopped at any moment; reconnect so a watching panel keeps
    // receiving (design.md principle 4). The panel drops replayed records by seq.
    setTimeout(connectBackground, 100);
  });
}

function onAgentMessage(event: MessageEvent): void {
  const message: unknown = event.data;
  if (!isAgentBatch(message)) return;
  const items = message.items.filter(isCaptureItem);
  for (const item of items) buffer.add(item);
  connectBackground();
  if (attached) sendToBackground(items, false);
}

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
