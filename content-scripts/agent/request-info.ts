import { MAX_REQUEST_BODY_CHARS } from '../../src/limits';
import type { HeaderMap } from '../../src/model';
import { type AgentRequestBody, BODY_FORM_DATA, BODY_STREAM } from '../../src/protocol';
import { hasInChain, StringCtor, slice, Uint8ArrayCtor, uncurry } from './natives';

// Natives used after page scripts ran, taken while the agent loads (before them), so a page that
// replaces them later (`Headers.prototype.forEach`, `ArrayBuffer.prototype.slice`…) changes nothing the agent does.
const perf = performance;
const timeOrigin = perf.timeOrigin;
const perfNow = perf.now.bind(perf);
/** Headers and ReadableStream, named once for the fetch tap too. */
export const HeadersCtor = Headers;
export const streamProto = ReadableStream.prototype;
const forEachHeader = uncurry(HeadersCtor.prototype.forEach);
const isView = ArrayBuffer.isView;
// DOMException.prototype inherits from it too (WebIDL).
const errorProto = Error.prototype;
const searchParamsProto = URLSearchParams.prototype;
const searchParamsText = uncurry(searchParamsProto.toString);
const arrayBufferProto = ArrayBuffer.prototype;
const bufferSlice = uncurry(arrayBufferProto.slice);
const blobProto = Blob.prototype;
const formDataProto = FormData.prototype;

/** Epoch ms with sub-ms precision, stamped when called (docs/architecture.md, pitfalls: arrival, not posting, time). */
export const nowMs = (): number => {
  return timeOrigin + perfNow();
};

/**
 * An empty header map with no prototype: header names are the page's (or its server's), and a name
 * like `connection` must not run a setter a page put on Object.prototype, nor `__proto__` be lost.
 * (It reaches the relay as an ordinary object: structured cloning does not keep prototypes.)
 */
export const newHeaderMap = (): HeaderMap => ({ __proto__: null }) as unknown as HeaderMap;

/** `Headers` → header map, names lower-cased as `Headers` iterates them. */
export const headersToMap = (headers: Headers): HeaderMap => {
  const map = newHeaderMap();
  forEachHeader(headers, (value, name) => {
    map[name] = value;
  });
  return map;
};

/**
 * A request body as the agent sends it (src/protocol.ts, AgentRequestBody): a text-like body as its
 * text and binary data as a copy of its first bytes, either cut to MAX_REQUEST_BODY_CHARS; a Blob as
 * itself (the relay describes it); a form or a stream as its kind (BODY_FORM_DATA…); null when absent.
 */
export const requestBodyOf = (body: BodyInit | null | undefined): AgentRequestBody => {
  if (body === null || body === undefined) return null;
  let text: string;
  if (typeof body === 'string') text = body;
  else if (hasInChain(searchParamsProto, body)) text = searchParamsText(body);
  else if (hasInChain(arrayBufferProto, body) || isView(body)) {
    const view = isView(body) ? body : new Uint8ArrayCtor(body as ArrayBuffer);
    const start = view.byteOffset;
    return bufferSlice(view.buffer, start, start + Math.min(view.byteLength, MAX_REQUEST_BODY_CHARS));
  } else if (hasInChain(blobProto, body)) return body as Blob;
  else if (hasInChain(formDataProto, body)) return BODY_FORM_DATA;
  else if (hasInChain(streamProto, body)) return BODY_STREAM;
  else text = StringCtor(body);
  return slice(text, 0, MAX_REQUEST_BODY_CHARS);
};

/**
 * What a failed read failed with, as `Name: message` (the relay makes an AbortError an abort;
 * src/protocol.ts, AgentEndMessage). Never throws: the reason is the page's, and may have no
 * prototype or a throwing `toString`; the page's own read must still reject with it, and the
 * connection still end.
 */
export const errorText = (error: unknown): string => {
  let text = 'Error';
  try {
    const known = hasInChain(errorProto, error);
    text = `${known ? StringCtor((error as Error).name) : text}: ${StringCtor(known ? (error as Error).message : error)}`;
  } catch {}
  return text;
};
