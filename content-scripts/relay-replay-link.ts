/**
 * Wires the relay's replay (relay-replay.ts) to Chrome: the tab's overrides come from the service
 * worker (asked for at start only while any override exists, which a flag in `chrome.storage.local`
 * says, so a page load otherwise costs no message; then sent on every change), and each request an
 * override answers is reported back to be counted.
 */
import { OVERRIDES_ARMED_KEY } from '../src/override';
import {
  createOverrideServed,
  createRelayOverridesRequest,
  isRelayOverrides,
  type RelayToPage,
} from '../src/protocol';
import { RelayReplay } from './relay-replay';

export function linkRelayReplay(post: (message: RelayToPage, transfer?: Transferable[]) => void): RelayReplay {
  const replay = new RelayReplay({
    post,
    served: (id) => void chrome.runtime.sendMessage(createOverrideServed(id)).catch(() => undefined),
    now: () => performance.now(),
    setTimer: (run, ms) => setTimeout(run, ms),
    clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  });
  chrome.runtime.onMessage.addListener((message: unknown, sender) => {
    // Only the service worker of this extension (no tab) arms overrides.
    if (sender.id !== chrome.runtime.id || sender.tab || !isRelayOverrides(message)) return;
    replay.setOverrides(message.overrides);
  });
  chrome.storage.local
    .get(OVERRIDES_ARMED_KEY)
    .then(async (stored) => {
      if (stored[OVERRIDES_ARMED_KEY] !== true) return;
      const answer: unknown = await chrome.runtime.sendMessage(createRelayOverridesRequest());
      if (isRelayOverrides(answer)) replay.setOverrides(answer.overrides);
    })
    .catch(() => undefined); // the extension was reloaded: this script is orphaned
  return replay;
}
