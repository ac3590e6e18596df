/**
 * Relay, first part: the ISOLATED-world content script beside the page agent, in every frame. All it
 * does at document_start is pair with the agent (src/protocol.ts, PageToRelay). Most documents never
 * read a stream, so the rest of the relay (content-scripts/relay-main.ts) is loaded only when the
 * agent first sends something; what the agent sends meanwhile waits here.
 */
import { RELAY_MAX_PENDING_MESSAGES } from '../src/limits';
import {
  AGENT_READY_EVENT,
  RELAY_ARMED_GLOBAL,
  RELAY_PORT_EVENT,
  RELAY_PRESENT_GLOBAL,
} from '../src/protocol';
import { watchOverrides } from './relay-overrides';

(globalThis as Record<string, unknown>)[RELAY_PRESENT_GLOBAL] = true;

const channel = new MessageChannel();
const pending: unknown[] = [];
let relay: Promise<typeof import('./relay-main') | null> | null = null;
/** The relay proper, loaded once; it replaces the port's listener and takes what waited. */
function load(): Promise<typeof import('./relay-main') | null> {
  relay ??= import(/* @vite-ignore */ chrome.runtime.getURL('content-scripts/relay-main.js')).then(
    (main: typeof import('./relay-main')) => {
      main.startRelay(channel.port1, pending);
      return main;
    },
    () => null, // the extension was reloaded or removed: this script is orphaned
  );
  return relay;
}
channel.port1.onmessage = (event) => {
  if (pending.length >= RELAY_MAX_PENDING_MESSAGES) return;
  pending.push(event.data);
  if (pending.length === 1) void load();
};
// An override armed in this tab (replay) needs the relay proper at once, before any stream.
(globalThis as Record<string, unknown>)[RELAY_ARMED_GLOBAL] = watchOverrides((message) =>
  load().then((main) => main?.setOverrides(message)),
);

// Offer the port now, and again when the agent announces itself if it starts after us; the agent
// cancels the offer it takes.
function offer(): void {
  const taken = !document.dispatchEvent(
    new MessageEvent(RELAY_PORT_EVENT, { ports: [channel.port2], cancelable: true }),
  );
  if (taken) document.removeEventListener(AGENT_READY_EVENT, offer);
}
document.addEventListener(AGENT_READY_EVENT, offer);
offer();
