/**
 * Wires the relay's replay (relay-replay.ts) to Chrome, in the relay proper: the overrides the
 * first part received (relay-overrides.ts) are checked and armed; the first time one is armed in
 * this frame, the service worker is asked to inject the replay agent; each request an override
 * answers is reported to be counted.
 */
import {
  type AgentBatchMessage,
  type AgentChunksMessage,
  createOverrideServed,
  createReplayAgentRequest,
  frameUrlOf,
  isRelayOverrides,
  type ReplayToPage,
} from '../src/protocol';
import { nowMs } from './agent/request-info';
import { RelayReplay } from './relay-replay';

/** The relay's replay, posting to the agent's port and capturing through the relay's own pipeline. */
export function linkRelayReplay(
  post: (message: ReplayToPage, transfer?: Transferable[]) => void,
  capture: (message: AgentBatchMessage | AgentChunksMessage) => void,
): { replay: RelayReplay; setOverrides: (message: unknown) => Promise<unknown> } {
  const replay = new RelayReplay({
    post,
    capture,
    frameUrl: () => frameUrlOf(location.href, origin),
    served: (id) => void chrome.runtime.sendMessage(createOverrideServed(id)).catch(() => undefined),
    now: nowMs,
    setTimer: (run, ms) => setTimeout(run, ms),
    clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  });
  let injected: Promise<unknown> | null = null;
  return {
    replay,
    setOverrides(message) {
      // The first part passes the service worker's message unchecked.
      if (!isRelayOverrides(message)) return Promise.resolve();
      const { overrides } = message;
      replay.setOverrides(overrides);
      // The replay agent is injected into this frame the first time an override is armed in it;
      // the service worker answers once it ran.
      if (!injected && overrides.some((o) => o.enabled)) {
        injected = chrome.runtime.sendMessage(createReplayAgentRequest()).catch(() => undefined);
      }
      return injected ?? Promise.resolve();
    },
  };
}
