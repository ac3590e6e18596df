/**
 * Test hooks of the Firefox test build only (`npm run build:firefox-test`, never packaged).
 *
 * WebDriver BiDi refuses to navigate a tab to a `moz-extension://` page, so the end-to-end tests
 * cannot open the panel or the popup as a tab the way the Chromium tests do. Instead a test
 * navigates a tab to `http://127.0.0.1:<port>/__sse-devtools-test__/open?page=<page>&for=<url>`
 * on its loopback server; this hook sees the navigation start, finds the tab showing `<url>`, and
 * turns the navigating tab into `<page>?tabId=<that tab's id>` (`panel/index.html` or
 * `extension/popup/index.html`), `tabId=none` without `for` or when no tab shows it. Puppeteer keeps
 * driving the same tab, now an extension page.
 */
const HOOK_PATH = '/__sse-devtools-test__/open';
const PAGES = new Set(['panel/index.html', 'extension/popup/index.html']);

chrome.webNavigation.onBeforeNavigate.addListener(
  ({ tabId, frameId, url }) => {
    if (frameId !== 0) return;
    const hook = new URL(url);
    const page = hook.searchParams.get('page') ?? '';
    const inspected = hook.searchParams.get('for');
    if (!PAGES.has(page)) return;
    void (async () => {
      const tabs = await chrome.tabs.query({});
      const target = inspected ? tabs.find((tab) => tab.url === inspected && tab.id !== tabId) : undefined;
      const query = target?.id === undefined ? 'tabId=none' : `tabId=${target.id}`;
      await chrome.tabs.update(tabId, { url: chrome.runtime.getURL(`${page}?${query}`) });
    })();
  },
  { url: [{ hostEquals: '127.0.0.1', pathEquals: HOOK_PATH }] },
);
