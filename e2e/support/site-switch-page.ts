/**
 * The page the per-site switch is tested on (e2e/popup.spec.ts, e2e/firefox/popup.spec.ts): a page
 * with a same-origin iframe and an about:srcdoc iframe, each able to read a stream, and the check
 * that nothing in a frame is patched.
 */
import type { SseServer } from './sse-server';

export const PAGE = '/popup/page.html';
export const FRAME = '/popup/frame.html';

const READER = `<script>
  window.readAll = async (url) => {
    const res = await fetch(url);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  };
</script>`;

/** A page with a same-origin iframe and an about:srcdoc iframe (which takes the page's origin). */
export function servePages(server: SseServer): void {
  server.page(
    PAGE,
    `<!doctype html><meta charset="utf-8"><title>popup test</title>${READER}
     <iframe src="${FRAME}"></iframe><iframe srcdoc="<p>srcdoc frame</p>"></iframe>`,
  );
  server.page(FRAME, `<!doctype html><meta charset="utf-8"><title>frame</title>${READER}`);
  server.stream('/sse', { steps: [{ write: 'data: one\n\n' }, { pause: 20 }, { write: 'data: two\n\n' }] });
}

export const STREAM_TEXT = 'data: one\n\ndata: two\n\n';

/**
 * Run in a frame (`frame.evaluate(nonNativeFunctions)`): names of the functions there that are not the
 * browser's own: `fetch`, `XMLHttpRequest`, `EventSource`, and every method and accessor of the
 * prototypes an agent could patch to see streams.
 */
export function nonNativeFunctions(): string[] {
  const native = (f: unknown) =>
    typeof f === 'function' && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(f));
  const found: string[] = [];
  const check = (name: string, f: unknown) => {
    if (!native(f)) found.push(name);
  };
  check('fetch', window.fetch);
  check('XMLHttpRequest', window.XMLHttpRequest);
  check('EventSource', window.EventSource);
  check('Function.prototype.toString', Function.prototype.toString);
  const prototypes: [string, object][] = [
    ['XMLHttpRequest.prototype', XMLHttpRequest.prototype],
    ['XMLHttpRequestEventTarget.prototype', XMLHttpRequestEventTarget.prototype],
    ['EventSource.prototype', EventSource.prototype],
    ['EventTarget.prototype', EventTarget.prototype],
    ['Response.prototype', Response.prototype],
    ['ReadableStream.prototype', ReadableStream.prototype],
  ];
  for (const [name, proto] of prototypes) {
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      for (const f of [d.value, d.get, d.set]) if (typeof f === 'function') check(`${name}.${key}`, f);
    }
  }
  return found;
}
