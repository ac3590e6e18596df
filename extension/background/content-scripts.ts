import { OVERRIDES_ARMED_KEY } from '../../src/override';
import { contentScriptTargets, type Settings, withoutPorts } from '../../src/settings';
import { loadSettings } from './settings-store';

/** Ids of the dynamically registered content scripts (tests wait for both). */
export const AGENT_SCRIPT_ID = 'sse-devtools-agent';
export const RELAY_SCRIPT_ID = 'sse-devtools-relay';
const SCRIPT_IDS = [AGENT_SCRIPT_ID, RELAY_SCRIPT_ID];

const COMMON = {
  runAt: 'document_start',
  allFrames: true,
  // Also about:blank, srcdoc, data: and blob: frames, matched by the origin that created them: a frame
  // a site that is off creates is off too.
  matchOriginAsFallback: true,
  // Registered scripts survive a browser restart, so the first pages after a restart are captured
  // (or not) before this worker has started and read the settings.
  persistAcrossSessions: true,
} satisfies Partial<chrome.scripting.RegisteredContentScript>;

/**
 * The scripts to register under `settings`, or none when capture is on nowhere. While some override
 * exists (`armed`), the relay is followed by `relay-armed.js`, which has it ask for the tab's
 * overrides as its document starts; otherwise a page load asks nothing.
 *
 * Per-site settings are expressed only in `matches` / `excludeMatches`, never by a flag the agent
 * checks: Chrome then never injects either script into a document of a site that is off, so its
 * `fetch`, `XMLHttpRequest` and `EventSource` are the browser's own. `matchPatternOf` writes every
 * pattern with its port, so exact origins (scheme, host, port) are kept apart; see src/settings.ts.
 */
function scriptsToRegister(settings: Settings, armed: boolean): chrome.scripting.RegisteredContentScript[] {
  const exact = contentScriptTargets(settings);
  if (!exact) return [];
  // Firefox's match patterns cannot hold a port (a pattern with one matches nothing there).
  const targets = chrome.runtime.getURL('').startsWith('moz-extension:') ? withoutPorts(exact) : exact;
  // `excludeMatches` is always given, empty or not: `updateContentScripts` keeps any field left out,
  // so omitting it would keep excluding sites that were turned back on.
  const where = { matches: targets.matches, excludeMatches: targets.excludeMatches };
  return [
    // The relay is listed first so it is usually listening when the agent hands over its port;
    // the handshake copes with either order.
    {
      ...COMMON,
      ...where,
      id: RELAY_SCRIPT_ID,
      // Scripts of one entry run in their order, in one world: relay-armed.js finds the relay's hook.
      js: armed
        ? ['content-scripts/relay.js', 'content-scripts/relay-armed.js']
        : ['content-scripts/relay.js'],
      world: 'ISOLATED',
    },
    { ...COMMON, ...where, id: AGENT_SCRIPT_ID, js: ['content-scripts/page-agent.js'], world: 'MAIN' },
  ];
}

let syncing: Promise<unknown> = Promise.resolve();

/**
 * Makes the registered agent and relay match the stored settings and whether any override exists
 * (`OVERRIDES_ARMED_KEY`). Runs after any sync already under
 * way and reads the settings when its turn comes, so the last call always leaves the latest settings
 * registered. Settings changes apply to documents loaded afterwards (a reload), as Chrome only injects
 * registered scripts into new documents. Rejects when Chrome refuses the registration.
 */
export function syncContentScripts(): Promise<void> {
  const run = syncing.then(async () => {
    const armed = (await chrome.storage.local.get(OVERRIDES_ARMED_KEY))[OVERRIDES_ARMED_KEY] === true;
    const wanted = scriptsToRegister(await loadSettings(), armed);
    const existing = await chrome.scripting.getRegisteredContentScripts({ ids: SCRIPT_IDS });
    const registered = new Set(existing.map((s) => s.id));
    // Update in place rather than unregister + register: a page loading in between would miss the agent.
    const toUpdate = wanted.filter((s) => registered.has(s.id));
    const toRegister = wanted.filter((s) => !registered.has(s.id));
    const toUnregister = [...registered].filter((id) => !wanted.some((s) => s.id === id));
    if (toUnregister.length > 0) await chrome.scripting.unregisterContentScripts({ ids: toUnregister });
    if (toUpdate.length > 0) await chrome.scripting.updateContentScripts(toUpdate);
    if (toRegister.length > 0) await chrome.scripting.registerContentScripts(toRegister);
  });
  syncing = run.catch((error: unknown) =>
    console.error('SSE DevTools: content script registration failed', error),
  );
  return run;
}
