/**
 * Smoke test of the real DevTools panel: Chromium opens DevTools for the tab, the extension's
 * devtools page creates the "SSE" panel, we show it, and it lists the page's events.
 *
 * Playwright does not expose DevTools front ends, so this goes through a browser-level CDP session
 * and DevTools internals (see docs/browser-testing.md, "The real DevTools panel"). Those internals
 * change between Chromium releases, so every step throws an error naming the step and what it found
 * instead of waiting out the test timeout: a Chromium update must make this fail loudly, never pass
 * silently. The panel-as-tab specs stay the main coverage; this one only proves the DevTools wiring
 * (panel creation, `chrome.devtools.inspectedWindow.tabId`, the port to the service worker).
 */
import type { CDPSession } from '@playwright/test';
import { expect, test } from './support/fixtures';

test.use({ chromiumArgs: ['--auto-open-devtools-for-tabs'] });

const PANEL_TITLE = 'SSE';
/** How long each DevTools step may take before it fails with what it saw. */
const STEP_TIMEOUT_MS = 10_000;

/** Distinctive payloads, so the panel text cannot match by accident (e.g. on its own labels). */
const EVENTS = [
  { id: 'dt-1', type: 'token', data: '{"text":"alpha-7f3"}' },
  { id: 'dt-2', type: 'token', data: '{"text":"bravo-9c1"}' },
  { id: 'dt-3', type: 'done', data: 'charlie-2e8 complete' },
];

test('the SSE panel inside real DevTools lists the inspected tab’s events', async ({
  context,
  page,
  server,
  extensionId,
  tabIdOf,
}) => {
  test.setTimeout(60_000);

  server.stream('/devtools-panel/stream', {
    steps: EVENTS.flatMap((e) => [
      { write: `id: ${e.id}\nevent: ${e.type}\ndata: ${e.data}\n\n` },
      { pause: 50 },
    ]),
  });
  server.page(
    '/devtools-panel/page.html',
    `<!doctype html><title>devtools panel smoke</title><pre id="out"></pre>
<script>
(async () => {
  const res = await fetch('/devtools-panel/stream', { method: 'POST', body: '{"q":"smoke"}' });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const out = document.getElementById('out');
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.textContent += value;
  }
  document.title = 'stream read';
})();
</script>`,
  );

  await page.goto(server.url('/devtools-panel/page.html'));
  await expect(page).toHaveTitle('stream read');
  const pageUrl = page.url();
  const tabId = await tabIdOf(page);

  const browser = context.browser();
  if (!browser) throw new Error('step "browser CDP session": context.browser() is null for this context');
  const cdp = new NestedCdp(await browser.newBrowserCDPSession());
  try {
    // 1. The DevTools front end inspecting our page (every tab has one, including stray about:blank ones).
    const frontEnd = await poll('find the DevTools front end inspecting the page', async () => {
      const pages = (await cdp.targets()).filter(
        (t) => t.type === 'page' && t.url.startsWith('devtools://devtools/'),
      );
      const seen: string[] = [];
      for (const target of pages) {
        const session = await cdp.attach(target.targetId);
        let inspected: string | null;
        try {
          inspected = await session.evaluate<string | null>(
            `import('./core/sdk/sdk.js').then((SDK) =>
               SDK.TargetManager.TargetManager.instance().primaryPageTarget()?.inspectedURL() ?? null)`,
          );
        } catch (error) {
          inspected = `error: ${String(error).split('\n')[0]}`;
        }
        if (inspected === pageUrl) return { done: true, value: session };
        seen.push(`${target.url.slice(0, 60)}… inspects ${inspected}`);
        await session.detach();
      }
      return { done: false, seen: `${pages.length} front ends: ${seen.join('; ') || 'none'}` };
    });

    // 2. The extension's panel tab in that front end, then show it.
    const panelTabId = `chrome-extension://${extensionId}${PANEL_TITLE}`;
    await poll(`find DevTools tab ${panelTabId}`, async () => {
      const ids = await frontEnd.evaluate<string[]>(
        `import('./ui/legacy/legacy.js').then((UI) => UI.InspectorView.InspectorView.instance().tabbedPane.tabIds())`,
      );
      return ids.includes(panelTabId) ? { done: true, value: ids } : { done: false, seen: ids.join(', ') };
    });
    const panelUrlPrefix = `chrome-extension://${extensionId}/panel/index.html`;
    const panelTargetsBefore = (await cdp.targets()).filter((t) => t.url.startsWith(panelUrlPrefix));
    if (panelTargetsBefore.length > 0) {
      throw new Error(
        `step "show panel": panel targets exist before it was shown: ${panelTargetsBefore.map((t) => t.url).join(', ')}`,
      );
    }
    await frontEnd.evaluate(
      `import('./ui/legacy/legacy.js').then((UI) =>
         UI.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(panelTabId)})).then(() => true)`,
    );

    // 3. The panel page's iframe target (extension frames in DevTools are out of process).
    const panelTarget = await poll('find the panel iframe target', async () => {
      const targets = await cdp.targets();
      const panels = targets.filter((t) => t.type === 'iframe' && t.url.startsWith(panelUrlPrefix));
      if (panels.length > 1) {
        throw new Error(
          `step "find the panel iframe target": ${panels.length} panel frames: ${panels.map((t) => t.url)}`,
        );
      }
      const [found] = panels;
      if (found) return { done: true, value: found };
      return {
        done: false,
        seen: targets
          .filter((t) => t.url.startsWith('chrome-extension://') || t.url.startsWith('devtools://'))
          .map((t) => `${t.type} ${t.url.slice(0, 90)}`)
          .join('; '),
      };
    });
    const panel = await cdp.attach(panelTarget.targetId);

    // 4. The panel lists the events, for the tab DevTools inspects.
    const shown = await poll('panel lists the stream’s events', async () => {
      const state = await panel.evaluate<{ text: string; href: string; devtoolsTabId: number | null }>(
        `({ text: document.body.innerText, href: location.href,
            devtoolsTabId: globalThis.chrome?.devtools?.inspectedWindow?.tabId ?? null })`,
      );
      const missing = EVENTS.filter((e) => !state.text.includes(e.data));
      return missing.length === 0
        ? { done: true, value: state }
        : {
            done: false,
            seen: `missing ${missing.map((e) => e.id)}; panel text: ${JSON.stringify(state.text.slice(0, 400))}`,
          };
    });

    // Opened by DevTools, not as a tab: no ?tabId, and the DevTools tab id is the page's chrome.tabs id.
    expect(new URL(shown.href).search).toBe('');
    expect(shown.devtoolsTabId).toBe(tabId);
    expect(shown.text).toContain('/devtools-panel/stream');
    expect(shown.text).toContain('POST');
    for (const e of EVENTS) {
      expect(shown.text).toContain(e.id);
      expect(shown.text).toContain(e.type);
    }
  } finally {
    await cdp.close();
  }
});

type PollResult<T> = { done: true; value: T } | { done: false; seen: string };

/** Run `attempt` until it is done; after STEP_TIMEOUT_MS throw an error naming `step` and what it last saw. */
async function poll<T>(step: string, attempt: () => Promise<PollResult<T>>): Promise<T> {
  let last = 'nothing yet';
  for (const deadline = Date.now() + STEP_TIMEOUT_MS; Date.now() < deadline; ) {
    try {
      const result = await attempt();
      if (result.done) return result.value;
      last = result.seen;
    } catch (error) {
      if (String(error).includes(`step "${step}"`)) throw error;
      last = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`step "${step}" did not succeed within ${STEP_TIMEOUT_MS} ms; last seen: ${last}`);
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/**
 * Sessions nested in a Playwright browser CDP session (`flatten: false`, messages wrapped in
 * `Target.sendMessageToTarget`): Playwright only routes its own sessions, so flattened child sessions
 * would not reach us. Deprecated in CDP but working in Chromium 156.
 */
class NestedCdp {
  private nextId = 1;
  private readonly pending = new Map<
    string,
    { resolve: (result: unknown) => void; reject: (error: Error) => void; method: string }
  >();
  private readonly sessions = new Set<string>();

  constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
      const parsed = JSON.parse(message) as { id?: number; result?: unknown; error?: { message: string } };
      if (parsed.id === undefined) return;
      const key = `${sessionId}:${parsed.id}`;
      const waiter = this.pending.get(key);
      if (!waiter) return;
      this.pending.delete(key);
      if (parsed.error) waiter.reject(new Error(`${waiter.method}: ${parsed.error.message}`));
      else waiter.resolve(parsed.result);
    });
    cdp.on('Target.detachedFromTarget', ({ sessionId }) => {
      if (!sessionId) return;
      this.sessions.delete(sessionId);
      for (const [key, waiter] of this.pending) {
        if (!key.startsWith(`${sessionId}:`)) continue;
        this.pending.delete(key);
        waiter.reject(new Error(`${waiter.method}: target detached`));
      }
    });
  }

  async targets(): Promise<TargetInfo[]> {
    return (await this.cdp.send('Target.getTargets')).targetInfos;
  }

  async attach(targetId: string) {
    const { sessionId } = await this.cdp.send('Target.attachToTarget', { targetId, flatten: false });
    this.sessions.add(sessionId);
    const send = (method: string, params: object) => this.send(sessionId, method, params);
    return {
      /** Evaluate `expression` in the target's main world, await its promise, return it by value. */
      async evaluate<T>(expression: string): Promise<T> {
        const { result, exceptionDetails } = (await send('Runtime.evaluate', {
          expression,
          awaitPromise: true,
          returnByValue: true,
        })) as {
          result: { value?: unknown };
          exceptionDetails?: { text: string; exception?: { description?: string } };
        };
        if (exceptionDetails) {
          throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
        }
        return result.value as T;
      },
      detach: () => this.detach(sessionId),
    };
  }

  async close(): Promise<void> {
    for (const sessionId of [...this.sessions]) await this.detach(sessionId);
    await this.cdp.detach().catch(() => {});
  }

  private async detach(sessionId: string): Promise<void> {
    this.sessions.delete(sessionId);
    await this.cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
  }

  private send(sessionId: string, method: string, params: object): Promise<unknown> {
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(`${sessionId}:${id}`);
        reject(new Error(`${method}: no answer within 5 s`));
      }, 5000);
      this.pending.set(`${sessionId}:${id}`, {
        method,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.cdp
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
        .catch((error: unknown) => {
          this.pending
            .get(`${sessionId}:${id}`)
            ?.reject(error instanceof Error ? error : new Error(String(error)));
          this.pending.delete(`${sessionId}:${id}`);
        });
    });
  }
}
