import { useEffect, useState } from 'react';
import { createTabStatsRequest, isTabStats } from '../src/protocol';

/** How often the empty panel asks again (the user may reload the page, or turn capture on). */
const RECHECK_MS = 3000;

/**
 * Whether the inspected tab's page was loaded before capture was on for it (the service worker finds
 * no relay in it), so that the empty panel can say to reload it; asked again while `active`.
 */
export function useUnpatched(tabId: number | null, active: boolean): boolean {
  const [unpatched, setUnpatched] = useState(false);
  useEffect(() => {
    if (tabId === null || !active) return;
    let stopped = false;
    const ask = () => {
      chrome.runtime.sendMessage(createTabStatsRequest(tabId)).then(
        (reply: unknown) => {
          if (!stopped) setUnpatched(isTabStats(reply) && reply.unpatched === true);
        },
        () => undefined,
      );
    };
    ask();
    const timer = setInterval(ask, RECHECK_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [tabId, active]);
  return unpatched;
}
