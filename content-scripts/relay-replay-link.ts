/**
 * Wires the relay's replay (relay-replay.ts) to Chrome: the tab's overrides come from the service
 * worker (asked for at start only while any override exists, which a flag in `chrome.storage.local`
 * says, so a page load otherwise costs no message; then sent on every change); the first time one
 * is armed, the service worker is asked to inject the replay agent into this frame; and each
 * request an override answers is reported back to be counted.
 */

import type { AgentChunksMessage } from '../src/agent-chunks';
import type { Override } from '../src/override';
import { OVERRIDES_ARMED_KEY } from '../src/override';
import {
  type AgentBatchMessage,
  createOverrideServed,
  createRelayOverridesRequest,
  createReplayAgentRequest,
  isRelayOverrides,
  type RelayToPage,
} from '../src/protocol';
import { frameUrlOf, nowMs } from './agent/request-info';
import { RelayReplay } from './relay-replay';

export function linkRelayReplay(
  post: (message: RelayToPage, transfer?: Transferable[]) => void,
  capture: (message: AgentBatchMessage | AgentChunksMessage) => void,
): RelayReplay {
  const replay = new RelayReplay({
    post,
    capture,
    frameUrl: () => frameUrlOf(location.href, origin),
    served: (id) => void chrome.runtime.sendMessage(createOverrideServed(id)).catch(() => undefined),
    now: nowMs,
    setTimer: (run, ms) => setTimeout(run, ms),
    clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  });
  let injected = false;
  const arm = (overrides: Override[]) => {
    replay.setOverrides(overrides);
    // The replay agent is injected into this frame the first time an override is armed in it.
    if (injected || !overrides.some((o) => o.enabled)) return;
    injected = true;
    void chrome.runtime.sendMessage(createReplayAgentRequest()).catch(() => undefined);
  };
  chrome.runtime.onMessage.addListener((message: unknown, sender) => {
    // Only the service worker of this extension (no tab) arms overrides.
    if (sender.id !== chrome.runtime.id || sender.tab || !isRelayOverrides(message)) return;
    arm(message.overrides);
  });
  chrome.storage.local
    .get(OVERRIDES_ARMED_KEY)
    .then(async (stored) => {
      if (stored[OVERRIDES_ARMED_KEY] !== true) return;
      const answer: unknown = await chrome.runtime.sendMessage(createRelayOverridesRequest());
      if (isRelayOverrides(answer)) arm(answer.overrides);
    })
    .catch(() => undefined); // the extension was reloaded: this script is orphaned
  return replay;
}
