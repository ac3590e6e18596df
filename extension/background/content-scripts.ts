/** Ids of the dynamically registered content scripts (tests wait for both). */
export const AGENT_SCRIPT_ID = 'sse-devtools-agent';
export const RELAY_SCRIPT_ID = 'sse-devtools-relay';

const COMMON = {
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  // Also about:blank, srcdoc and blob: frames, which take their creator's origin.
  matchOriginAsFallback: true,
  persistAcrossSessions: true,
} satisfies Partial<chrome.scripting.RegisteredContentScript>;

function scriptsToRegister(): chrome.scripting.RegisteredContentScript[] {
  return [
    // The relay is listed first so it is usually listening when the agent hands over its port;
    // the handshake copes with either order.
    { ...COMMON, id: RELAY_SCRIPT_ID, js: ['content-scripts/relay.js'], world: 'ISOLATED' },
    { ...COMMON, id: AGENT_SCRIPT_ID, js: ['content-scripts/page-agent.js'], world: 'MAIN' },
  ];
}

let syncing: Promise<void> = Promise.resolve();

/**
 * Registers (or re-registers) the agent and relay. Registration is dynamic, not in the manifest,
 * so that per-site settings can exclude sites without the agent ever running there.
 */
export function syncContentScripts(): Promise<void> {
  syncing = syncing.then(async () => {
    const wanted = scriptsToRegister();
    const existing = await chrome.scripting.getRegisteredContentScripts({ ids: wanted.map((s) => s.id) });
    const registered = new Set(existing.map((s) => s.id));
    // Update in place rather than unregister + register: a page loading in between would miss the agent.
    const toUpdate = wanted.filter((s) => registered.has(s.id));
    const toRegister = wanted.filter((s) => !registered.has(s.id));
    if (toUpdate.length > 0) await chrome.scripting.updateContentScripts(toUpdate);
    if (toRegister.length > 0) await chrome.scripting.registerContentScripts(toRegister);
  });
  syncing = syncing.catch((error: unknown) =>
    console.error('SSE DevTools: content script registration failed', error),
  );
  return syncing;
}
