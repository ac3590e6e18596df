import { MAX_REQUEST_BODY_CHARS } from '../../src/limits';
import type { ConnectionEnd, HeaderMap } from '../../src/model';
import { apply } from './natives';

// Natives used after page scripts ran, taken while the agent loads (before them), so a page that
// replaces them later (`TextDecoder`, `Headers.prototype.forEach`…) changes nothing the agent does.
const perf = performance;
const timeOrigin = perf.timeOrigin;
const perfNow = perf.now.bind(perf);
const forEachHeader = Headers.prototype.forEach;
const decoder = new TextDecoder();
const decode = TextDecoder.prototype.decode;

/** Epoch ms with sub-ms precision, stamped when called (design.md: arrival, not posting, time). */
export function nowMs(): number {
  return timeOrigin + perfNow();
}

/**
 * The frame's URL as the panel labels it. `about:blank` and `about:srcdoc` frames take their creator's
 * origin, which their URL does not say, so it is added: `about:srcdoc (https://app.example.com)`.
 */
export function frameUrlOf(href: string, origin: string): string {
  return href === 'about:blank' || href === 'about:srcdoc' ? `${href} (${origin})` : href;
}

/**
 * An empty header map with no prototype: header names are the page's (or its server's), and a name
 * like `connection` must not run a setter a page put on Object.prototype, nor `__proto__` be lost.
 * (It reaches the relay as an ordinary object: structured cloning does not keep prototypes.)
 */
export const newHeaderMap = (): HeaderMap => ({ __proto__: null }) as unknown as HeaderMap;

/** `Headers` → header map, names lower-cased as `Headers` iterates them. */
export function headersToMap(headers: Headers): HeaderMap {
  const map = newHeaderMap();
  apply(forEachHeader, headers, [
    (value: string, name: string) => {
      map[name] = value;
    },
  ]);
  return map;
}

/** A request body as text when it is text-like; a short description otherwise; null when absent. */
export function describeRequestBody(body: BodyInit | null | undefined): string | null {
  if (body === null || body === undefined) return null;
  let text: string;
  if (typeof body === 'string') text = body;
  else if (body instanceof URLSearchParams) text = body.toString();
  else if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    const view = body instanceof ArrayBuffer ? new DataView(body) : body;
    const bytes = new Uint8Array(
      view.buffer,
      view.byteOffset,
      Math.min(view.byteLength, MAX_REQUEST_BODY_CHARS),
    );
    text = apply(decode, decoder, [bytes]) as string;
  } else if (body instanceof Blob) return `[Blob, ${body.size} bytes${body.type ? `, ${body.type}` : ''}]`;
  else if (body instanceof FormData) return '[FormData]';
  else if (body instanceof ReadableStream) return '[ReadableStream]';
  else text = String(body);
  return text.length > MAX_REQUEST_BODY_CHARS ? text.slice(0, MAX_REQUEST_BODY_CHARS) : text;
}

/** Classifies what a failed read means: an abort, or a network error. */
export function endOfError(error: unknown): { state: ConnectionEnd['state']; error: string } {
  const known = error instanceof Error || error instanceof DOMException;
  const name = known ? error.name : 'Error';
  const message = known ? error.message : String(error);
  return { state: name === 'AbortError' ? 'aborted' : 'error', error: `${name}: ${message}` };
}
