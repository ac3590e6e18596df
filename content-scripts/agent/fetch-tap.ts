import type { HeaderMap } from '../../src/model';
import {
  type AgentRequestBody,
  END_ABORTED,
  END_CANCELLED,
  END_COMPLETED,
  END_ERROR,
  type ReplayAgentApi,
  TRANSPORT_FETCH,
} from '../../src/protocol';
import { STREAM_MEDIA_TYPE } from '../../src/sse/media-type';
import type { AgentChannel } from './channel';
import { apply, defineProperty, exec, getterOf, StringCtor, uncurry, wrapMethod } from './natives';
import { errorText, HeadersCtor, headersToMap, nowMs, requestBodyOf, streamProto } from './request-info';
import { createStreamCapture } from './stream-capture';

type FetchArgs = [input: RequestInfo | URL, init?: RequestInit];

/**
 * Response attributes a wrapped Response must report as the browser's did: the first four are lost
 * or changed by `new Response()`, so they are redefined on it; all are read once, at the headers.
 */
const IDENTITY = ['url', 'redirected', 'type', 'headers', 'status', 'statusText'] as const;

/** What a wrapped Response must report as the browser's Response did. */
interface ResponseIdentity {
  url: string;
  redirected: boolean;
  type: ResponseType;
  headers: Headers;
  status: number;
  statusText: string;
  /**
   * Set when a read of the tapped body failed: what the browser's own whole-body readers would have
   * rejected with (`wholeBodyError`), which the wrapped Response's and its clones' give instead.
   */
  readFailure?: [unknown];
}

/**
 * Replaces `window.fetch` with a wrapper that returns non-stream responses as the very object the
 * browser made, and stream responses as a `Response` whose body is tapped as the page pulls it.
 */
export const installFetchTap = (
  win: Window & typeof globalThis,
  channel: AgentChannel,
  replayAgent: () => ReplayAgentApi | null,
): void => {
  const nativeFetch = win.fetch;
  if (!nativeFetch) return;
  const ResponseCtor = win.Response;
  const RequestCtor = win.Request;
  const ReadableStreamCtor = win.ReadableStream;
  const responseProto = ResponseCtor.prototype;
  const getBody = getterOf<ReadableStream<Uint8Array> | null>(responseProto, 'body');
  const identityGetters = IDENTITY.map((name) => getterOf<unknown>(responseProto, name));
  const headersGet = uncurry(HeadersCtor.prototype.get);
  const getReader = uncurry(streamProto.getReader as () => ReadableStreamDefaultReader<Uint8Array>);
  const readerProto = win.ReadableStreamDefaultReader.prototype;
  const readerRead = uncurry(readerProto.read as () => Promise<ReadableStreamReadResult<Uint8Array>>);
  const readerCancel = uncurry(readerProto.cancel);
  const TypeErrorCtor = win.TypeError;
  const DOMExceptionCtor = win.DOMException;
  const getExceptionMessage = getterOf<string>(DOMExceptionCtor.prototype, 'message');
  const parseJson = win.JSON.parse;
  const responseClone = uncurry(responseProto.clone);
  const nativeText = responseProto.text;
  const controllerProto = win.ReadableByteStreamController.prototype;
  const enqueue = uncurry(controllerProto.enqueue as (chunk: Uint8Array) => void);
  const close = uncurry(controllerProto.close);
  const fail = uncurry(controllerProto.error);
  const getByobRequest = getterOf<ReadableStreamBYOBRequest | null>(controllerProto, 'byobRequest');
  const respond = uncurry(win.ReadableStreamBYOBRequest.prototype.respond);

  const getBodyUsed = getterOf<boolean>(responseProto, 'bodyUsed');
  const getLocked = getterOf<boolean>(streamProto, 'locked');
  // Whole-body readers. `bytes` is newer than the others: only those this browser has.
  const consumers = (['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const).map(
    (name) =>
      [
        name,
        (responseProto as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>)[name],
      ] as const,
  );

  /**
   * What the browser's own whole-body readers reject with when a read of the body fails with
   * `error`, which the reader does not tell: Chromium passes an abort's error or reason on as is and
   * reports a network failure as "Failed to fetch" (a reader sees "network error"); Firefox rejects
   * with an AbortError either way (its reader sees the reason, or "Error in input stream"). The build
   * says which browser it is for. But Chromium 150 fails a body read with "BodyStreamBuffer was
   * aborted" and its whole-body readers with "The user aborted a request.", whatever the reason;
   * Chromium 156 gives the abort's reason to both (e2e transparency battery).
   */
  const wholeBodyError = (error: unknown, aborted: boolean): unknown => {
    if (import.meta.env.SSE_BROWSER === 'firefox') {
      return new DOMExceptionCtor('The operation was aborted. ', 'AbortError');
    }
    if (!aborted) return new TypeErrorCtor('Failed to fetch');
    try {
      if (getExceptionMessage(error) === 'BodyStreamBuffer was aborted') {
        return new DOMExceptionCtor('The user aborted a request.', 'AbortError');
      }
    } catch {
      // Not a DOMException: the abort's own reason, passed on as it is.
    }
    return error;
  };

  /**
   * Gives a wrapped Response the behaviour of the browser's one where `new Response()` differs:
   * - `url`, `redirected`, `type` are lost by the constructor;
   * - `headers` must stay the browser's immutable object (a constructed Response's are mutable);
   * - whole-body readers (`text()`, `json()`…) on a script-made body report any stream error as
   *   "TypeError: Failed to fetch", where the browser's report an abort as the AbortError (or the
   *   abort reason): so they are the native methods, but a failed read of the tapped body rejects
   *   them with what the browser's own would have (`readFailure`);
   * - `clone()` must give a copy with all of the above but the headers: a clone has its own Headers
   *   object (the browser's is immutable; a constructed one is not, a documented difference).
   * Methods are written as method shorthand so that, like the browser's, they keep their names
   * through minification and are not constructors.
   */
  const restoreResponse = (target: Response, identity: ResponseIdentity, restored = 4): void => {
    // Descriptors with no prototype: `get`, `value` or `enumerable` a page put on Object.prototype
    // would otherwise be read as part of them, and `clone()` could throw into the page.
    for (let i = 0; i < restored; i++) {
      const name = IDENTITY[i] as (typeof IDENTITY)[number];
      defineProperty(target, name, {
        __proto__: null,
        get: () => identity[name],
        configurable: true,
      } as PropertyDescriptor);
    }
    const method = (name: string, value: unknown) =>
      defineProperty(target, name, {
        __proto__: null,
        value,
        configurable: true,
        writable: true,
      } as PropertyDescriptor);
    method(
      'clone',
      {
        clone(this: Response) {
          const copy = responseClone(this);
          // A clone has headers of its own, as the browser's (not the original's object).
          if (this === target) restoreResponse(copy, identity, 3);
          return copy;
        },
      }.clone,
    );
    for (let i = 0; i < consumers.length; i++) {
      const entry = consumers[i] as (typeof consumers)[number];
      const name = entry[0];
      const native = entry[1];
      if (!native) continue;
      method(
        name,
        {
          [name](this: Response, ...args: unknown[]) {
            const body = getBody(this);
            // Anything but a fresh body of this response: the native method gives the native answer
            // (e.g. "body stream already read").
            if (this !== target || !body || getLocked(body) || getBodyUsed(this)) {
              return apply(native, this, args);
            }
            return (async () => {
              let result: unknown;
              try {
                // Native json() on a constructed Response prefixes its SyntaxError message ("Failed
                // to execute 'json'…"); the browser's own does not. Parse the text as it does instead.
                result = await (apply(name === 'json' ? nativeText : native, this, args) as Promise<unknown>);
              } catch (error) {
                // The tapped body failed: as the browser's own reader would have (`wholeBodyError`).
                const failure = identity.readFailure;
                throw failure ? failure[0] : error;
              }
              return name === 'json' ? parseJson(result as string) : result;
            })();
          },
        }[name],
      );
    }
  };

  const tapResponse = (
    response: Response,
    body: ReadableStream<Uint8Array>,
    args: FetchArgs,
    startedAt: number,
  ): Response => {
    const headersAt = nowMs();
    const input = args[0];
    const init = args[1];
    const request = input instanceof RequestCtor ? input : null;
    // No prototype: a setter a page put on Object.prototype must not see or swallow these.
    const identity = { __proto__: null } as unknown as ResponseIdentity & Record<string, unknown>;
    for (let i = 0; i < IDENTITY.length; i++) {
      identity[IDENTITY[i] as string] = (identityGetters[i] as (target: unknown) => unknown)(response);
    }
    const { url, headers, status, statusText } = identity;
    const connectionId = channel.nextConnectionId();
    const capture = createStreamCapture(channel, connectionId);
    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;

    // Tap as the page pulls: highWaterMark 0 means nothing is read ahead of the page, so
    // backpressure, cancellation and errors reach the network exactly as without us.
    // A byte stream, like the browser's body, so BYOB readers keep working.
    const tapped = new ReadableStreamCtor(
      {
        type: 'bytes',
        async pull(controller) {
          if (!reader) reader = getReader(body);
          let result: ReadableStreamReadResult<Uint8Array>;
          for (;;) {
            try {
              result = await readerRead(reader);
            } catch (error) {
              let aborted = false;
              try {
                aborted = Boolean((init?.signal ?? request?.signal)?.aborted);
              } catch {}
              capture.finishBody(aborted ? END_ABORTED : END_ERROR, errorText(error));
              identity.readFailure = [wholeBodyError(error, aborted)];
              fail(controller, error);
              return;
            }
            // A byte stream cannot enqueue an empty view; the browser's body never yields one, but
            // skip it rather than throw.
            if (result.done || result.value.byteLength > 0) break;
          }
          if (result.done) {
            capture.finishBody(END_COMPLETED, null);
            close(controller);
            // A pending BYOB request must be answered after close (Streams spec).
            const byob = getByobRequest(controller);
            if (byob) respond(byob, 0);
            return;
          }
          const chunk = result.value;
          capture.pushBytes(chunk);
          enqueue(controller, chunk);
        },
        cancel(reason) {
          capture.finishBody(END_CANCELLED, null);
          if (!reader) reader = getReader(body);
          return readerCancel(reader, reason);
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
    restoreResponse(wrapped, identity);

    let method = 'GET';
    let requestHeaders: HeaderMap = {};
    let requestBody: AgentRequestBody = null;
    try {
      // Upper-cased by the relay (src/protocol.ts, AgentBodyStart).
      method = StringCtor(init?.method ?? request?.method ?? method);
      requestHeaders = headersToMap(new HeadersCtor(init?.headers ?? request?.headers));
      requestBody = init && 'body' in init ? requestBodyOf(init.body) : null;
    } catch {
      // Describing the request is best effort.
    }
    channel.startConnection([
      connectionId,
      TRANSPORT_FETCH,
      url,
      startedAt,
      headersAt,
      method,
      requestHeaders,
      requestBody,
      status,
      statusText,
      headersToMap(headers),
    ]);
    return wrapped;
  };

  const inspect = (response: Response, args: FetchArgs, startedAt: number): Response => {
    try {
      const headers = (identityGetters[3] as (target: unknown) => Headers)(response);
      // The relay reads the format from the response's headers again (src/protocol.ts, AgentBodyStart).
      // A missing header is null, which no stream's media type matches.
      if (!exec(STREAM_MEDIA_TYPE, headersGet(headers, 'content-type') as string)) return response;
      const body = getBody(response);
      if (!body) return response;
      return tapResponse(response, body, args, startedAt);
    } catch {
      return response;
    }
  };

  // Made as the browser's fetch is (natives.ts, wrapMethod), and not an arrow, as the page may call
  // it with any `this`, which native fetch then judges.
  wrapMethod(win, 'fetch', (self, args, native) => {
    // An armed override answers without the network; the relay captures what it serves.
    const replayed = replayAgent()?.fetch(args as FetchArgs);
    if (replayed) return replayed;
    const startedAt = nowMs();
    const pending = apply(native, self, args) as Promise<Response>;
    // `await` on a native promise does not consult a page-replaced `Promise.prototype.then`.
    return (async () => inspect(await pending, args as FetchArgs, startedAt))();
  });
};
