import type { HeaderMap, StreamFormat } from '../../src/model';
import { streamFormatOf } from '../../src/sse/media-type';
import type { AgentChannel } from './channel';
import { describeRequestBody, endOfError, headersToMap, nowMs } from './request-info';
import { createStreamCapture } from './stream-capture';

type FetchArgs = [input: RequestInfo | URL, init?: RequestInit];

/**
 * Replaces `window.fetch` with a wrapper that returns non-stream responses as the very object the
 * browser made, and stream responses as a `Response` whose body is tapped as the page pulls it.
 */
export function installFetchTap(win: Window & typeof globalThis, channel: AgentChannel): void {
  const nativeFetch = win.fetch;
  if (typeof nativeFetch !== 'function') return;
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const ResponseCtor = win.Response;
  const RequestCtor = win.Request;
  const ReadableStreamCtor = win.ReadableStream;
  const responseProto = ResponseCtor.prototype;
  const getter = (proto: object, name: string) =>
    Object.getOwnPropertyDescriptor(proto, name)?.get as (this: unknown) => unknown;
  const getHeaders = getter(responseProto, 'headers') as (this: Response) => Headers;
  const getBody = getter(responseProto, 'body') as (this: Response) => ReadableStream<Uint8Array> | null;
  const getUrl = getter(responseProto, 'url') as (this: Response) => string;
  const getRedirected = getter(responseProto, 'redirected') as (this: Response) => boolean;
  const getType = getter(responseProto, 'type') as (this: Response) => ResponseType;
  const getStatus = getter(responseProto, 'status') as (this: Response) => number;
  const getStatusText = getter(responseProto, 'statusText') as (this: Response) => string;
  const responseClone = responseProto.clone;
  const headersGet = win.Headers.prototype.get;
  const getReader = ReadableStreamCtor.prototype.getReader;
  const readerRead = win.ReadableStreamDefaultReader.prototype.read;
  const readerCancel = win.ReadableStreamDefaultReader.prototype.cancel;

  /** Gives a wrapped Response the identity of the browser's one: `new Response()` loses these. */
  function restoreIdentity(target: Response, url: string, redirected: boolean, type: ResponseType): void {
    defineProperty(target, 'url', { get: () => url, configurable: true });
    defineProperty(target, 'redirected', { get: () => redirected, configurable: true });
    defineProperty(target, 'type', { get: () => type, configurable: true });
    defineProperty(target, 'clone', {
      configurable: true,
      writable: true,
      value: function clone(this: Response) {
        const copy = apply(responseClone, this, []) as Response;
        restoreIdentity(copy, url, redirected, type);
        return copy;
      },
    });
  }

  function tapResponse(
    response: Response,
    format: StreamFormat,
    body: ReadableStream<Uint8Array>,
    args: FetchArgs,
    startedAt: number,
  ): Response {
    const headersAt = nowMs();
    const url = apply(getUrl, response, []) as string;
    const redirected = apply(getRedirected, response, []) as boolean;
    const type = apply(getType, response, []) as ResponseType;
    const status = apply(getStatus, response, []) as number;
    const statusText = apply(getStatusText, response, []) as string;
    const headers = apply(getHeaders, response, []) as Headers;
    const connectionId = channel.nextConnectionId();
    const capture = createStreamCapture(channel, connectionId, format, status, statusText);
    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;

    // Tap as the page pulls: highWaterMark 0 means nothing is read ahead of the page, so
    // backpressure, cancellation and errors reach the network exactly as without us.
    // A byte stream, like the browser's body, so BYOB readers keep working.
    const tapped = new ReadableStreamCtor(
      {
        type: 'bytes',
        async pull(controller) {
          if (!reader) reader = apply(getReader, body, []) as ReadableStreamDefaultReader<Uint8Array>;
          let result: ReadableStreamReadResult<Uint8Array>;
          for (;;) {
            try {
              result = await (apply(readerRead, reader, []) as Promise<ReadableStreamReadResult<Uint8Array>>);
            } catch (error) {
              const classified = endOfError(error);
              capture.finish(classified.state, classified.error);
              controller.error(error);
              return;
            }
            // A byte stream cannot enqueue an empty view; the browser's body never yields one, but
            // skip it rather than throw.
            if (result.done || result.value.byteLength > 0) break;
          }
          if (result.done) {
            capture.finish('completed', null);
            controller.close();
            // A pending BYOB request must be answered after close (Streams spec).
            controller.byobRequest?.respond(0);
            return;
          }
          const chunk = result.value;
          capture.push(chunk);
          controller.enqueue(chunk as Uint8Array<ArrayBuffer>);
        },
        cancel(reason) {
          capture.finish('cancelled', null);
          if (!reader) reader = apply(getReader, body, []) as ReadableStreamDefaultReader<Uint8Array>;
          return apply(readerCancel, reader, [reason]) as Promise<void>;
        },
      },
      { highWaterMark: 0 },
    );

    let wrapped: Response;
    try {
      wrapped = new ResponseCtor(tapped, { status, statusText, headers });
    } catch {
      return response; // untouched: the original body was never locked
    }
    restoreIdentity(wrapped, url, redirected, type);

    const [input, init] = args;
    const request = input instanceof RequestCtor ? input : null;
    let method = 'GET';
    let requestHeaders: HeaderMap = {};
    let requestBody: string | null = null;
    try {
      method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
      requestHeaders = headersToMap(new win.Headers(init?.headers ?? request?.headers));
      requestBody = init && 'body' in init ? describeRequestBody(init.body) : null;
    } catch {
      // Describing the request is best effort.
    }
    channel.start({
      id: connectionId,
      transport: 'fetch',
      format,
      url,
      method,
      requestHeaders,
      requestBody,
      status,
      statusText,
      responseHeaders: headersToMap(headers),
      frameUrl: channel.frameUrl(),
      startedAt,
      headersAt,
    });
    return wrapped;
  }

  function inspect(response: Response, args: FetchArgs, startedAt: number): Response {
    try {
      const headers = apply(getHeaders, response, []) as Headers;
      const format = streamFormatOf(apply(headersGet, headers, ['content-type']) as string | null);
      if (!format) return response;
      const body = apply(getBody, response, []) as ReadableStream<Uint8Array> | null;
      if (!body) return response;
      return tapResponse(response, format, body, args, startedAt);
    } catch {
      return response;
    }
  }

  // `function`, not an arrow: the page may call it with any `this`, which native fetch then judges.
  const fetch = function fetch(this: unknown, ...args: FetchArgs): Promise<Response> {
    const startedAt = nowMs();
    const pending = apply(nativeFetch, this, args) as Promise<Response>;
    // `await` on a native promise does not consult a page-replaced `Promise.prototype.then`.
    return (async () => inspect(await pending, args, startedAt))();
  };
  defineProperty(fetch, 'length', { value: nativeFetch.length });
  win.fetch = fetch as typeof win.fetch;
}
