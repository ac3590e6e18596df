/**
 * Select the "SSE" panel in the DevTools window of a tab, so `npm run demo` opens straight onto it.
 *
 * Best effort: this goes through DevTools internals (the same route as e2e/devtools-panel.spec.ts, see
 * docs/browser-testing.md), which can change between Chromium releases. The caller only prints a
 * hint when it fails.
 */

/**
 * @param {import('@playwright/test').BrowserContext} context
 * @param {string} pageUrl the inspected page's URL
 * @param {string} extensionId
 * @param {number} timeoutMs
 */
export async function showSsePanel(context, pageUrl, extensionId, timeoutMs = 10_000) {
  const browser = context.browser();
  if (!browser) throw new Error('no browser object for this context');
  const cdp = await browser.newBrowserCDPSession();
  const pending = new Map();
  let nextId = 1;
  cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const parsed = JSON.parse(message);
    const waiter = pending.get(`${sessionId}:${parsed.id}`);
    if (!waiter) return;
    pending.delete(`${sessionId}:${parsed.id}`);
    if (parsed.error) waiter.reject(new Error(parsed.error.message));
    else waiter.resolve(parsed.result);
  });
  // Playwright routes only its own sessions, so nest ours (flatten: false) in the browser session.
  const evaluate = (sessionId, expression) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(`${sessionId}:${id}`);
        reject(new Error('no answer within 5 s'));
      }, 5000);
      pending.set(`${sessionId}:${id}`, {
        resolve: (result) => {
          clearTimeout(timer);
          if (result.exceptionDetails) {
            reject(new Error(result.exceptionDetails.exception?.description ?? result.exceptionDetails.text));
          } else resolve(result.result.value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const params = { expression, awaitPromise: true, returnByValue: true };
      cdp
        .send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method: 'Runtime.evaluate', params }),
        })
        .catch(reject);
    });

  const panelId = `chrome-extension://${extensionId}SSE`;
  const deadline = Date.now() + timeoutMs;
  let last = 'no DevTools window yet';
  try {
    while (Date.now() < deadline) {
      const { targetInfos } = await cdp.send('Target.getTargets');
      for (const target of targetInfos) {
        if (target.type !== 'page' || !target.url.startsWith('devtools://devtools/')) continue;
        const { sessionId } = await cdp.send('Target.attachToTarget', {
          targetId: target.targetId,
          flatten: false,
        });
        try {
          const inspected = await evaluate(
            sessionId,
            `import('./core/sdk/sdk.js').then((SDK) =>
               SDK.TargetManager.TargetManager.instance().primaryPageTarget()?.inspectedURL() ?? null)`,
          );
          if (inspected !== pageUrl) continue;
          const tabs = await evaluate(
            sessionId,
            `import('./ui/legacy/legacy.js').then((UI) => UI.InspectorView.InspectorView.instance().tabbedPane.tabIds())`,
          );
          if (!tabs.includes(panelId)) {
            last = `DevTools has no ${panelId} tab yet (tabs: ${tabs.join(', ')})`;
            continue;
          }
          await evaluate(
            sessionId,
            `import('./ui/legacy/legacy.js').then((UI) =>
               UI.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(panelId)})).then(() => true)`,
          );
          return;
        } catch (error) {
          last = String(error).split('\n')[0];
        } finally {
          await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(last);
  } finally {
    await cdp.detach().catch(() => {});
  }
}
