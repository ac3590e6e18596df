/**
 * In the relay's first part (every frame): the tab's overrides (replay) come from the service
 * worker, asked for at document start only while any override exists (a flag in
 * `chrome.storage.local` says so, so a page load otherwise costs no message and wakes no worker),
 * then sent on every change. The relay proper checks them (relay-replay-link.ts).
 */
import { OVERRIDES_ARMED_KEY } from '../src/override';
import { createRelayOverridesRequest, type RelayOverridesMessage } from '../src/protocol';

const isOverridesMessage = (message: unknown): boolean =>
  (message as RelayOverridesMessage | null)?.type === 'relay-overrides';

/**
 * Calls `onOverrides` with the service worker's overrides message, at start if any is armed, then on
 * each change; the service worker is answered once they are armed here (the panel's click is done
 * when the page's next request would be answered).
 */
export function watchOverrides(onOverrides: (message: unknown) => Promise<unknown>): void {
  chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    // Only the service worker of this extension (no tab) arms overrides.
    if (sender.id !== chrome.runtime.id || sender.tab || !isOverridesMessage(message)) return false;
    onOverrides(message).then(
      () => sendResponse(true),
      () => sendResponse(false),
    );
    return true;
  });
  chrome.storage.local
    .get(OVERRIDES_ARMED_KEY)
    .then(async (stored) => {
      if (stored[OVERRIDES_ARMED_KEY] !== true) return;
      const answer: unknown = await chrome.runtime.sendMessage(createRelayOverridesRequest());
      if (isOverridesMessage(answer) && (answer as RelayOverridesMessage).overrides.length > 0)
        onOverrides(answer);
    })
    .catch(() => undefined); // the extension was reloaded: this script is orphaned
}
