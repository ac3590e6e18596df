/**
 * Transparency when a page wraps `fetch` itself (issue "Hold up under faults, floods and hostile
 * pages"): a page script that replaces `window.fetch` after load wraps the agent's wrapper; both run,
 * the page gets what it would get without the extension, and the stream is still captured.
 * (A page cannot keep the original `fetch` from before the agent: the agent runs in the MAIN world at
 * `document_start`, before any page script.)
 */
import { sse } from './panel-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, exportFromPanel } from './support/panel';

const EVENTS = [
  { id: 'w1', data: 'wrapped one' },
  { id: 'w2', data: 'wrapped two' },
  { id: 'w3', data: 'wrapped three' },
];

/** Replaces `window.fetch` on load with a wrapper that adds a header, counts calls and tags the response. */
const WRAPPING_PAGE = `<!doctype html><title>wraps fetch</title><script>
  addEventListener('load', () => {
    const inner = window.fetch;
    window.pageWrapperCalls = 0;
    window.fetch = async function pageFetch(input, init = {}) {
      window.pageWrapperCalls++;
      const headers = new Headers(init.headers);
      headers.set('x-page-wrapper', 'on');
      const response = await inner.call(this, input, { ...init, headers });
      response.seenByPageWrapper = true;
      return response;
    };
    window.readThroughWrapper = async (url) => {
      const response = await fetch(url, { method: 'POST', body: 'q=1' });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += value;
      }
      return {
        text,
        tagged: response.seenByPageWrapper === true,
        isResponse: response instanceof Response,
        status: response.status,
        url: response.url,
        type: response.headers.get('content-type'),
      };
    };
    document.title = 'wrapped';
  });
</script>`;

test('a page that wraps window.fetch after load: both wrappers run, the page reads the stream unchanged, and it is captured', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const body = EVENTS.map(sse);
  server.stream('/wrapped-stream', { steps: body.flatMap((chunk) => [{ write: chunk }, { pause: 20 }]) });
  server.page('/p/wraps-fetch.html', WRAPPING_PAGE);
  await page.goto(server.url('/p/wraps-fetch.html'));
  await expect(page).toHaveTitle('wrapped');
  const panel = await openPanel(await tabIdOf(page));
  await expect(panel.getByRole('status')).toHaveText('Connected');

  const read = await page.evaluate(
    (url) =>
      (
        window as unknown as { readThroughWrapper: (u: string) => Promise<Record<string, unknown>> }
      ).readThroughWrapper(url),
    server.url('/wrapped-stream'),
  );
  // The page's wrapper ran and saw a real Response with the true properties.
  expect(read).toEqual({
    text: body.join(''),
    tagged: true,
    isResponse: true,
    status: 200,
    url: server.url('/wrapped-stream'),
    type: 'text/event-stream',
  });
  expect(
    await page.evaluate(() => (window as unknown as { pageWrapperCalls: number }).pageWrapperCalls),
  ).toBe(1);
  // The page's wrapper's header reached the server: the request went through both wrappers once.
  const requests = server.requestsTo('/wrapped-stream');
  expect(requests).toHaveLength(1);
  expect(requests[0]?.headers['x-page-wrapper']).toBe('on');

  // Our wrapper ran too: the stream is captured, with the page wrapper's header and body.
  await expect(connectionRows(panel)).toHaveCount(1);
  await expect(connectionRows(panel).first()).toContainText('completed');
  const exported = await exportFromPanel(panel);
  const [connection] = exported.connections;
  expect(connection?.events.map((e) => ({ id: e.id, data: e.data }))).toEqual(EVENTS);
  expect(connection?.method).toBe('POST');
  expect(connection?.requestHeaders['x-page-wrapper']).toBe('on');
  expect(connection?.requestBody).toBe('q=1');
});
