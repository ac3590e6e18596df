/**
 * A test page that reads streams every way besides a plain fetch reader: XMLHttpRequest and
 * EventSource, each logging what the page observed (plain JS, so every run executes exactly the same
 * code). Used by e2e/transports.spec.ts and the Firefox specs.
 */

export interface XhrOptions {
  method?: string;
  headers?: [string, string][];
  body?: string;
  responseType?: XMLHttpRequestResponseType;
  timeout?: number;
  sync?: boolean;
  /** Call `abort()` in the first `progress` whose responseText contains this. */
  abortOn?: string;
  /** Call `open()` + `send()` again, for `reopenUrl`, in the first `progress` whose text contains this. */
  reopenOn?: string;
  reopenUrl?: string;
}

export interface XhrResult {
  /** Events as `type:readyState`, in order; repeats of `progress:3` and `readystatechange:3` dropped. */
  log: string[];
  status: number;
  statusText: string;
  responseURL: string;
  text: string | null;
  responseBytes: number | null;
  /** getAllResponseHeaders() lines without the ones that change per request (date, keep-alive). */
  headers: string[];
}

export interface EventSourceOptions {
  init?: EventSourceInit;
  /** Named event types the page listens for with addEventListener. */
  types?: string[];
  /** close() after this many message events (of any type). */
  closeAfter?: number;
  /** close() at the first error, even when the browser would reconnect. */
  closeOnError?: boolean;
}

export interface TransportHelpers {
  xhrRun(url: string, options?: XhrOptions): Promise<XhrResult>;
  /** What the page observed, one string per event: `open:1`, `message|data|id`, `error:0`, `closed:2`. */
  esRun(url: string, options?: EventSourceOptions): Promise<string[]>;
  fetchText(url: string): Promise<string>;
}

declare global {
  interface Window {
    /** The test page's helpers (TEST_PAGE_HTML). */
    transports: TransportHelpers;
  }
}

export const TEST_PAGE_HTML = `<!doctype html><meta charset="utf-8"><title>transports</title>
<script>
const fetchText = async (url) => (await fetch(url)).text();
const xhrRun = (url, o = {}) => new Promise((resolve) => {
  const xhr = new XMLHttpRequest();
  const log = [];
  const result = () => ({
    log,
    status: xhr.status,
    statusText: xhr.statusText,
    responseURL: xhr.responseURL,
    text: xhr.responseType === '' || xhr.responseType === 'text' ? xhr.responseText : null,
    responseBytes: xhr.response instanceof ArrayBuffer ? xhr.response.byteLength : null,
    headers: xhr.getAllResponseHeaders().split('\\r\\n')
      .filter((l) => l && !/^(date|keep-alive|connection):/.test(l)).sort(),
  });
  let reopened = false;
  for (const type of ['readystatechange', 'loadstart', 'progress', 'load', 'abort', 'error', 'timeout', 'loadend']) {
    xhr.addEventListener(type, () => {
      const entry = type + ':' + xhr.readyState;
      if ((type === 'progress' || type === 'readystatechange') && log.includes(entry)) return;
      log.push(entry);
      const text = xhr.responseType === '' ? xhr.responseText : '';
      if (type === 'progress' && o.abortOn && text.includes(o.abortOn)) xhr.abort();
      if (type === 'progress' && o.reopenOn && !reopened && text.includes(o.reopenOn)) {
        reopened = true;
        xhr.open('GET', o.reopenUrl);
        xhr.send();
      }
      if (type === 'loadend' && !o.sync) resolve(result());
    });
  }
  xhr.open(o.method || 'GET', url, !o.sync);
  for (const [name, value] of o.headers || []) xhr.setRequestHeader(name, value);
  if (o.responseType) xhr.responseType = o.responseType;
  if (o.timeout) xhr.timeout = o.timeout;
  xhr.send(o.body === undefined ? null : o.body);
  if (o.sync) resolve(result());
});
const esRun = (url, o = {}) => new Promise((resolve) => {
  const es = new EventSource(url, o.init);
  const log = [];
  let messages = 0;
  const stop = () => {
    es.close();
    log.push('closed:' + es.readyState);
    resolve(log);
  };
  es.onopen = () => log.push('open:' + es.readyState);
  es.onerror = () => {
    log.push('error:' + es.readyState);
    if (es.readyState === 2) resolve(log);
    else if (o.closeOnError) stop();
  };
  const onEvent = (e) => {
    log.push([e.type, e.data, e.lastEventId].join('|'));
    if (++messages === o.closeAfter) stop();
  };
  es.onmessage = onEvent;
  for (const type of o.types || []) es.addEventListener(type, onEvent);
});
window.transports = { fetchText, xhrRun, esRun };
</script>`;
