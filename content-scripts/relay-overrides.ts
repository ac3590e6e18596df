/**
 * In the relay's first part (every frame): the tab's overrides (replay) come from the service
 * worker, on every change, and at document start when asked for. Only while some override exists
 * does the service worker register `relay-armed.js` after the relay, which asks (`RELAY_ARMED_GLOBAL`):
 * a page load otherwise costs no message, and reads no storage. The relay proper checks them
 * (relay-replay-link.ts).
 */
import { createRelayOverridesRequest, type RelayOverridesMessage } from '../src/protocol';

const isOverridesMessage = (message: unknown): boolean =>
  (message as RelayOverridesMessage | null)?.type === 'relay-overrides';

/**
 * Calls `onOverrides` with the service worker's overrides message on each change; the service worker
 * is answered once they are armed here (the panel's click is done when the page's next request would
 * be answered). Returns the function that asks for them now.
 */
export function watchOverrides(onOverrides: (message: unknown) => Promise<unknown>): () => void {
  chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    // Only the service worker of this extension (no tab) arms overrides.
    if (sender.id !== chrome.runtime.id || sender.tab || !isOverridesMessage(message)) return false;
    onOverrides(message).then(
      () => sendResponse(true),
      () => sendResponse(false),
    );
    return true;
  });
  return () => {
    chrome.runtime
      .sendMessage(createRelayOverridesRequest())
      .then((answer: unknown) => {
        if (isOverridesMessage(answer) && (answer as RelayOverridesMessage).overrides.length > 0)
          onOverrides(answer);
      })
      .catch(() => undefined); // the extension was reloaded: this script is orphaned
  };
}
