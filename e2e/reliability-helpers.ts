/**
 * Helpers for the reliability specs (e2e/reliability-*.spec.ts): stopping the extension's service
 * worker, watching what the page and the panel went through, and the pages those specs read streams in.
 */
import type { BrowserContext, CDPSession, Page } from '@playwright/test';

/**
 * Stops the extension's service worker as Chrome does when it is idle, without reloading the
 * extension: the CDP `ServiceWorker` domain of any page session sees every worker of the profile's
 * default storage partition, the extension's included (`Target.closeTarget` on the worker target and
 * `chrome.runtime.reload()` are not the same: the first is refused for workers, the second restarts
 * the whole extension and orphans every content script). Resolves once Chrome reports the worker
 * stopped; ports reconnecting start it again within a few hundred milliseconds, so its absence from
 * the browser's targets is no signal.
 */
export async function stopExtensionServiceWorker(context: BrowserContext, page: Page, extensionId: string) {
  const session = await context.newCDPSession(page);
  const statuses: { versionId: string; runningStatus: string }[] = [];
  let changed = () => {};
  session.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) {
      if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) statuses.push(v);
    }
    changed();
  });
  const until = (what: string, found: () => string | undefined) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the extension's service worker: ${what} within 5 s`)),
        5000,
      );
      changed = () => {
        const value = found();
        if (value === undefined) return;
        clearTimeout(timer);
        resolve(value);
      };
      changed();
    });
  await session.send('ServiceWorker.enable');
  const versionId = await until(
    'no running version',
    () => statuses.find((v) => v.runningStatus === 'running')?.versionId,
  );
  const from = statuses.length;
  await session.send('ServiceWorker.stopWorker', { versionId });
  await until('not stopped', () =>
    statuses.slice(from).some((v) => v.versionId === versionId && v.runningStatus === 'stopped')
      ? versionId
      : undefined,
  );
  await session.send('ServiceWorker.disable');
  await session.detach();
}

/**
 * Records every text the panel's link status (toolbar, `role=status`) shows from now on, in order,
 * so a state shown for only a moment ("Reconnecting…") is not missed by polling.
 */
export async function watchLinkStatus(panel: Page): Promise<() => Promise<string[]>> {
  await panel.evaluate(() => {
    const seen: string[] = [];
    const status = () => document.querySelector('.link-status')?.textContent ?? '';
    seen.push(status());
    new MutationObserver(() => {
      const now = status();
      if (now !== seen[seen.length - 1]) seen.push(now);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
    (window as unknown as { linkSeen: string[] }).linkSeen = seen;
  });
  return () => panel.evaluate(() => [...(window as unknown as { linkSeen: string[] }).linkSeen]);
}

/**
 * Collects errors that reach the page (`error` and `unhandledrejection` on window, in capture phase
 * before any page script), so a test can assert that nothing the agent does ever throws into the page.
 * Call before `page.goto`.
 */
export async function collectPageErrors(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const errors: string[] = [];
    (window as unknown as { pageErrors: string[] }).pageErrors = errors;
    window.addEventListener('error', (e) => errors.push(`error: ${e.message}`), true);
    window.addEventListener('unhandledrejection', (e) =>
      errors.push(`unhandledrejection: ${String(e.reason)}`),
    );
  });
  return () => page.evaluate(() => [...(window as unknown as { pageErrors: string[] }).pageErrors]);
}

/** A CDP session on `page`, for heap figures. */
export async function jsHeapUsed(session: CDPSession): Promise<number> {
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  return usedSize;
}

/**
 * How many `chrome.runtime.Port` objects the extension's service worker still holds after a full
 * garbage collection: its routing tables keep one per connected relay and panel, and a port kept
 * after its document or panel went away is a leak. Counted from outside through the CDP `Runtime`
 * domain of the worker target (`queryObjects`), so the
 * product exposes no debug hook. The Playwright browser session cannot route flattened child
 * sessions: the worker session is nested (`Target.sendMessageToTarget`, deprecated but working).
 */
export async function serviceWorkerPortCount(context: BrowserContext, extensionId: string): Promise<number> {
  const browser = context.browser();
  if (!browser) throw new Error('a persistent context without a browser object');
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const worker = targetInfos.find(
      (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`),
    );
    if (!worker) throw new Error('the extension service worker is not running');
    const { sessionId } = await cdp.send('Target.attachToTarget', {
      targetId: worker.targetId,
      flatten: false,
    });
    let nextId = 1;
    const waiting = new Map<number, (reply: { result?: unknown; error?: { message: string } }) => void>();
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      if (event.sessionId !== sessionId) return;
      const reply = JSON.parse(event.message) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (reply.id !== undefined) waiting.get(reply.id)?.(reply);
    });
    const send = async <T>(method: string, params: object = {}): Promise<T> => {
      const id = nextId++;
      const reply = await new Promise<{ result?: unknown; error?: { message: string } }>((resolve) => {
        waiting.set(id, resolve);
        void cdp.send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method, params }),
        });
      });
      if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
      return reply.result as T;
    };
    // Ports live in the worker's routing tables (Sets and Maps); `queryObjects` finds every Set and
    // Map of the worker's heap (not the ports themselves: API objects are not reported).
    const containers: string[] = [];
    await send('HeapProfiler.collectGarbage');
    for (const prototype of ['Set.prototype', 'Map.prototype']) {
      const found = await send<{ result: { objectId: string } }>('Runtime.evaluate', {
        expression: prototype,
      });
      const { objects } = await send<{ objects: { objectId: string } }>('Runtime.queryObjects', {
        prototypeObjectId: found.result.objectId,
      });
      containers.push(objects.objectId);
    }
    const [sets, maps] = containers;
    const { result } = await send<{ result: { value: number } }>('Runtime.callFunctionOn', {
      objectId: sets,
      arguments: [{ objectId: maps }],
      functionDeclaration: `function (maps) {
        const isPort = (o) =>
          typeof o === 'object' && o !== null && Object.hasOwn(o, 'postMessage') && Object.hasOwn(o, 'onDisconnect');
        const ports = new Set();
        for (const set of this) for (const value of set) if (isPort(value)) ports.add(value);
        for (const map of maps) for (const [key, value] of map) for (const o of [key, value]) if (isPort(o)) ports.add(o);
        return ports.size;
      }`,
      returnByValue: true,
    });
    await cdp.send('Target.detachFromTarget', { sessionId });
    return result.value;
  } finally {
    await cdp.detach().catch(() => {});
  }
}
