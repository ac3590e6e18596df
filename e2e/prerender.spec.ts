/**
 * Speculation-rules prerendering (issue 14): a prerendered page's streams are not the tab's page's
 * before it is activated; activation clears the panel and the badge as a navigation does, and then
 * the activated page's streams show from their first event. Driven over a raw CDP pipe
 * (e2e/support/pipe-browser.ts): Chromium does not prerender while Playwright is attached.
 */
import { sse } from './panel-helpers';
import { untilStep } from './reliability-helpers';
import { expect, test } from './support/fixtures';
import { PipeBrowser } from './support/pipe-browser';

/** A long poll that answers (as text, not a stream) when the test releases `name`. */
const signal = (name: string) => ({
  headers: { 'content-type': 'text/plain' },
  steps: [{ waitFor: name }, { write: 'go' }],
});

const A_PAGE = `<!doctype html><title>A</title>
<script type="speculationrules">{"prerender":[{"source":"list","urls":["/pre/b.html"]}]}</script>
<script>
  const read = async (url) => { const r = (await fetch(url)).body.getReader(); while (!(await r.read()).done); };
  read('/pre/a-stream');
  fetch('/pre/a-next').then((r) => r.text()).then(() => read('/pre/a-stream2'));
  fetch('/pre/go').then((r) => r.text()).then(() => { location.href = '/pre/b.html'; });
</script>`;

const B_PAGE = `<!doctype html><title>B</title>
<script>
  (async () => {
    const r = (await fetch('/pre/b-stream')).body.getReader();
    await r.read();
    // Tells the test that the prerendered page has read its first event.
    fetch('/pre/b-read?prerendering=' + document.prerendering);
    while (!(await r.read()).done);
  })();
</script>`;

test('a prerendered page that opens a stream on load: not the tab’s before activation; activation clears the panel and badge, then shows it from its first event', async ({
  server,
}) => {
  test.setTimeout(90_000);
  server.page('/pre/a.html', A_PAGE);
  server.page('/pre/b.html', B_PAGE);
  server.respond('/pre/b-read', { body: '' });
  server.stream('/pre/a-stream', { steps: [{ write: sse({ data: 'a1' }) }, { waitFor: 'end' }] });
  server.stream('/pre/a-stream2', { steps: [{ write: sse({ data: 'a2' }) }, { waitFor: 'end' }] });
  server.stream('/pre/b-stream', { steps: [{ write: sse({ data: 'b1' }) }, { waitFor: 'end' }] });
  server.stream('/pre/a-next', signal('a-next'));
  server.stream('/pre/go', signal('go'));

  const browser = await PipeBrowser.launch();
  try {
    const worker = await untilStep<{ url: string }>('the extension service worker', async () => {
      const found = (await browser.targets()).find(
        (t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'),
      );
      return found ? { value: found } : { seen: 'no worker target' };
    });
    // Everything is asked through the panel page: a DevTools session on the service worker (or on
    // the page) makes Chromium cancel the prerender.
    const extensionId = new URL(worker.url).host;
    const panelTarget = await browser.open(`chrome-extension://${extensionId}/panel/index.html`, true);
    const inPanel = await untilStep('a session on the panel page', async () => ({
      value: await browser.attach(panelTarget),
    }));
    await untilStep('the content scripts registered', async () => {
      const n = await inPanel<number>('chrome.scripting.getRegisteredContentScripts().then((s) => s.length)');
      return n === 2 ? { value: n } : { seen: `${n} scripts` };
    });
    const aUrl = server.url('/pre/a.html');
    await browser.open(aUrl, true);
    const tabId = await untilStep('the tab of page A', async () => {
      const id = await inPanel<number | null>(
        `chrome.tabs.query({ url: ${JSON.stringify(aUrl)} }).then((t) => t[0]?.id ?? null)`,
      );
      return id === null ? { seen: 'no tab' } : { value: id };
    });
    await inPanel(`location.search = '?tabId=${tabId}'`).catch(() => undefined);
    await untilStep('the panel watching page A', async () =>
      (await inPanel<string>('location.search')) === `?tabId=${tabId}` &&
      (await inPanel<boolean>('document.querySelector(".toolbar, .panel") !== null'))
        ? { value: true }
        : { seen: 'not yet' },
    );
    const rows = () =>
      inPanel<string[]>(
        `[...document.querySelectorAll('tr[data-connection-id] td.url .path')].map((e) => e.textContent)`,
      );
    const badge = () => inPanel<string>(`chrome.action.getBadgeText({ tabId: ${tabId} })`);

    // The prerendered page has read its first event (its relay has it), then page A opens another stream.
    await untilStep('page B prerendered and reading', async () => {
      const reads = server.requestsTo('/pre/b-read');
      return reads.length === 1
        ? { value: reads[0] }
        : {
            seen: `${reads.length} reads; b-stream ${server.requestsTo('/pre/b-stream').length}, b.html ${server.requestsTo('/pre/b.html').length}, a ${server.requestsTo('/pre/a.html').length}`,
          };
    });
    expect(server.requestsTo('/pre/b-read')[0]?.url).toBe('/pre/b-read?prerendering=true');
    server.release('a-next');
    await untilStep('both of page A’s streams in the panel, the badge at 2', async () => {
      const [shown, text] = [await rows(), await badge()];
      return shown.length === 2 && text === '2'
        ? { value: true }
        : { seen: `${shown.join(',')} badge ${text}` };
    });
    expect((await rows()).sort()).toEqual(['/pre/a-stream', '/pre/a-stream2']);
    expect(await badge()).toBe('2');

    // Page A navigates to B: the prerendered page is activated, not loaded again.
    server.release('go');
    await untilStep('the activated page’s stream alone in the panel, the badge at 1', async () => {
      const [shown, text] = [await rows(), await badge()];
      return shown.length === 1 && shown[0] === '/pre/b-stream' && text === '1'
        ? { value: true }
        : { seen: `${shown.join(',')} badge ${text}` };
    });
    expect(server.requestsTo('/pre/b.html')).toHaveLength(1);
    expect(server.requestsTo('/pre/b-stream')).toHaveLength(1);
    // From its first event, read while it was prerendered.
    await inPanel('document.querySelector("tr[data-connection-id]").click()');
    await untilStep('its first event', async () => {
      const data = await inPanel<string[]>(
        `[...document.querySelectorAll('table.events tbody tr:not(.spacer) td.data')].map((e) => e.textContent)`,
      );
      return data.join() === 'b1' ? { value: true } : { seen: data.join() };
    });
  } finally {
    server.release('end');
    await browser.close();
  }
});
