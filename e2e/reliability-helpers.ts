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

/** Sends one CDP command to the extension's service worker and resolves with its result. */
export type WorkerSend = <T>(method: string, params?: object) => Promise<T>;

/**
 * Runs `use` with a CDP session on the extension's running service worker. The Playwright browser
 * session cannot route flattened child sessions, so the worker session is nested
 * (`Target.sendMessageToTarget`, deprecated but working).
 */
export async function withServiceWorkerSession<T>(
  context: BrowserContext,
  extensionId: string,
  use: (send: WorkerSend) => Promise<T>,
): Promise<T> {
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
    const send: WorkerSend = async <R>(method: string, params: object = {}): Promise<R> => {
      const id = nextId++;
      const reply = await new Promise<{ result?: unknown; error?: { message: string } }>((resolve) => {
        waiting.set(id, resolve);
        void cdp.send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method, params }),
        });
      });
      if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
      return reply.result as R;
    };
    const result = await use(send);
    await cdp.send('Target.detachFromTarget', { sessionId });
    return result;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * How many `chrome.runtime.Port` objects the extension's service worker still holds after a full
 * garbage collection: its routing tables keep one per connected relay and panel, and a port kept
 * after its document or panel went away is a leak. Counted from outside through the CDP `Runtime`
 * domain of the worker target (`queryObjects`), so the product exposes no debug hook.
 */
export async function serviceWorkerPortCount(context: BrowserContext, extensionId: string): Promise<number> {
  return withServiceWorkerSession(context, extensionId, async (send) => {
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
        // A chrome.runtime.Port, or the typed port around one (src/port-link.ts).
        const isPort = (o) =>
          typeof o === 'object' && o !== null &&
          ((Object.hasOwn(o, 'postMessage') && Object.hasOwn(o, 'onDisconnect')) ||
            (Object.hasOwn(o, 'send') && Object.hasOwn(o, 'onClose')));
        const ports = new Set();
        for (const set of this) for (const value of set) if (isPort(value)) ports.add(value);
        for (const map of maps) for (const [key, value] of map) for (const o of [key, value]) if (isPort(o)) ports.add(o);
        return ports.size;
      }`,
      returnByValue: true,
    });
    return result.value;
  });
}

// ---------------------------------------------------------------------------------------------
// The real DevTools front end (see docs/browser-testing.md, "The real DevTools panel", and
// e2e/devtools-panel.spec.ts): DevTools internals, so each step fails naming what it saw.

/** A target of the browser, as `Target.getTargets` lists it. */
export interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/** A session nested in a browser CDP session: evaluate in the target's main world. */
export interface NestedSession {
  evaluate<T>(expression: string): Promise<T>;
  detach(): Promise<void>;
}

/**
 * Sessions nested in a Playwright browser CDP session (`flatten: false`, messages wrapped in
 * `Target.sendMessageToTarget`): Playwright routes only its own sessions. Deprecated in CDP but
 * working in Chromium 156.
 */
export class BrowserCdp {
  private nextId = 1;
  private readonly pending = new Map<
    string,
    (reply: { result?: unknown; error?: { message: string } }) => void
  >();

  private constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
      const reply = JSON.parse(message) as { id?: number; result?: unknown; error?: { message: string } };
      if (reply.id === undefined) return;
      this.pending.get(`${sessionId}:${reply.id}`)?.(reply);
    });
  }

  static async open(context: BrowserContext): Promise<BrowserCdp> {
    const browser = context.browser();
    if (!browser) throw new Error('a persistent context without a browser object');
    return new BrowserCdp(await browser.newBrowserCDPSession());
  }

  async targets(): Promise<TargetInfo[]> {
    return (await this.cdp.send('Target.getTargets')).targetInfos;
  }

  /** Raw browser-level command (e.g. `Target.openDevTools`, `Target.closeTarget`). */
  send<T>(method: string, params: object): Promise<T> {
    return (this.cdp.send as (m: string, p: object) => Promise<T>)(method, params);
  }

  async attach(targetId: string): Promise<NestedSession> {
    const { sessionId } = await this.cdp.send('Target.attachToTarget', { targetId, flatten: false });
    const send = (method: string, params: object) =>
      new Promise<unknown>((resolve, reject) => {
        const id = this.nextId++;
        const key = `${sessionId}:${id}`;
        const timer = setTimeout(() => {
          this.pending.delete(key);
          reject(new Error(`${method}: no answer within 5 s`));
        }, 5000);
        this.pending.set(key, (reply) => {
          clearTimeout(timer);
          this.pending.delete(key);
          if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
          else resolve(reply.result);
        });
        this.cdp
          .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
          .catch(reject);
      });
    return {
      async evaluate<T>(expression: string): Promise<T> {
        const { result, exceptionDetails } = (await send('Runtime.evaluate', {
          expression,
          awaitPromise: true,
          returnByValue: true,
        })) as {
          result: { value?: unknown };
          exceptionDetails?: { text: string; exception?: { description?: string } };
        };
        if (exceptionDetails)
          throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
        return result.value as T;
      },
      detach: async () => {
        await this.cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
      },
    };
  }

  async close(): Promise<void> {
    await this.cdp.detach().catch(() => {});
  }
}

/** Runs `attempt` until it returns a value; after `ms` throws naming `step` and what it last saw. */
export async function untilStep<T>(
  step: string,
  attempt: () => Promise<{ value: T } | { seen: string }>,
  ms = 10_000,
): Promise<T> {
  let last = 'nothing yet';
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    try {
      const result = await attempt();
      if ('value' in result) return result.value;
      last = result.seen;
    } catch (error) {
      last = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`step "${step}" did not succeed within ${ms} ms; last seen: ${last}`);
}

/**
 * Finds the DevTools front end inspecting `pageUrl`, shows the extension's "SSE" panel in it and
 * returns a session on the panel page (an out-of-process iframe target) with the front end's target id.
 */
export async function showSsePanelInDevTools(
  cdp: BrowserCdp,
  extensionId: string,
  pageUrl: string,
): Promise<{ frontEndId: string; panel: NestedSession }> {
  const frontEnd = await untilStep<{ id: string; session: NestedSession }>(
    'find the DevTools front end inspecting the page',
    async () => {
      const pages = (await cdp.targets()).filter(
        (t) => t.type === 'page' && t.url.startsWith('devtools://devtools/'),
      );
      const seen: string[] = [];
      for (const target of pages) {
        const session = await cdp.attach(target.targetId);
        const inspected = await session
          .evaluate<string | null>(
            `import('./core/sdk/sdk.js').then((SDK) =>
             SDK.TargetManager.TargetManager.instance().primaryPageTarget()?.inspectedURL() ?? null)`,
          )
          .catch((error: unknown) => `error: ${String(error).split('\n')[0]}`);
        if (inspected === pageUrl) return { value: { id: target.targetId, session } };
        seen.push(`inspects ${inspected}`);
        await session.detach();
      }
      return { seen: `${pages.length} front ends: ${seen.join('; ') || 'none'}` };
    },
  );
  const panelTabId = `chrome-extension://${extensionId}SSE`;
  await untilStep(`find DevTools tab ${panelTabId}`, async () => {
    const ids = await frontEnd.session.evaluate<string[]>(
      `import('./ui/legacy/legacy.js').then((UI) => UI.InspectorView.InspectorView.instance().tabbedPane.tabIds())`,
    );
    return ids.includes(panelTabId) ? { value: ids } : { seen: ids.join(', ') };
  });
  await frontEnd.session.evaluate(
    `import('./ui/legacy/legacy.js').then((UI) =>
       UI.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(panelTabId)})).then(() => true)`,
  );
  const panelUrl = `chrome-extension://${extensionId}/panel/index.html`;
  const panelTarget = await untilStep<TargetInfo>('find the panel iframe target', async () => {
    const targets = await cdp.targets();
    const found = targets.find((t) => t.type === 'iframe' && t.url.startsWith(panelUrl));
    return found
      ? { value: found }
      : { seen: targets.map((t) => `${t.type} ${t.url.slice(0, 80)}`).join('; ') };
  });
  await frontEnd.session.detach();
  return { frontEndId: frontEnd.id, panel: await cdp.attach(panelTarget.targetId) };
}
