import {
  type AgentEndState,
  type AgentRequestBody,
  END_ABORTED,
  END_COMPLETED,
  END_ERROR,
  type ReplayAgentApi,
  TRANSPORT_XHR,
} from '../../src/protocol';
import { STREAM_MEDIA_TYPE } from '../../src/sse/media-type';
import type { AgentChannel } from './channel';
import {
  apply,
  exec,
  getterOf,
  listen,
  StringCtor,
  slice,
  uncurry,
  upper,
  weakGet,
  weakSet,
  wrapMethod,
  XHR_DONE,
  XHR_HEADERS_RECEIVED,
} from './natives';
import { nowMs, requestBodyOf } from './request-info';
import { createStreamCapture, type StreamCapture } from './stream-capture';

/** What the agent knows of one XMLHttpRequest object, from its latest `open()`. */
interface XhrRequest {
  recordedMethod: string;
  /** What `setRequestHeader()` was given, as the relay reads it (src/protocol.ts, requestHeaderMapOf). */
  headers: string;
  body: AgentRequestBody;
  sentAt: number;
  isSent: boolean;
  /** The response was looked at (headers received): a stream or not. */
  decided: boolean;
  bodyCapture: StreamCapture | null;
  /** Characters of `responseText` already tapped. */
  readChars: number;
  /** `open()`'s arguments (an override may answer it instead of the network). */
  args: unknown[];
}

// No regular expressions or `String.prototype` calls after load: a page may replace them
// (`RegExp.prototype.exec`, `split`, `trim`…); the natives are taken in ./natives.
// The agent listens for every event after which `responseText` may have grown or the request may
// have ended: `readystatechange` and `progress` only let it grow; the four of ENDS end it.
/**
 * How each event that ends a request ends it; an end names its cause, which the relay puts in
 * words (src/protocol.ts, XHR_END_ERRORS, agentEndOf). No prototype: only these four are ends,
 * and `for…in` lists them alone.
 */
const ENDS = {
  __proto__: null,
  load: END_COMPLETED,
  abort: END_ABORTED,
  error: END_ERROR,
  timeout: END_ERROR,
} as unknown as Record<string, AgentEndState | undefined>;

/**
 * Taps `text/event-stream` and line-delimited JSON responses read through `XMLHttpRequest`, as
 * `responseText` grows. It patches `open`, `setRequestHeader` and `send` on the prototype (each
 * calls the native method with the page's arguments and returns its result, and the prototype stays
 * the page's to patch), and listens with listeners added by the native `addEventListener`: they only
 * read, so events, `readyState`, `responseText`, `abort()` and other response types are untouched.
 */
export const installXhrTap = (
  win: Window & typeof globalThis,
  channel: AgentChannel,
  replayAgent: () => ReplayAgentApi | null,
): void => {
  const Xhr = win.XMLHttpRequest;
  if (!Xhr) return;
  const proto = Xhr.prototype;
  const getReadyState = getterOf<number>(proto, 'readyState');
  const getStatus = getterOf<number>(proto, 'status');
  const getStatusText = getterOf<string>(proto, 'statusText');
  const getResponseUrl = getterOf<string>(proto, 'responseURL');
  const getResponseType = getterOf<string>(proto, 'responseType');
  const getResponseText = getterOf<string>(proto, 'responseText');
  const getResponseHeader = uncurry(proto.getResponseHeader);
  const getAllResponseHeaders = uncurry(proto.getAllResponseHeaders);
  // What the agent knows of each, read and written through the native methods.
  const requests = new WeakMap<XMLHttpRequest, XhrRequest>();

  const start = (xhr: XMLHttpRequest, request: XhrRequest): void => {
    request.decided = true;
    const responseType = getResponseType(xhr);
    // Only a text response can be read as it grows without changing what the page gets.
    if (
      // A missing header is null, which no stream's media type matches.
      !exec(STREAM_MEDIA_TYPE, getResponseHeader(xhr, 'content-type') as string) ||
      (responseType !== '' && responseType !== 'text')
    ) {
      return;
    }
    const id = channel.nextConnectionId();
    request.bodyCapture = createStreamCapture(channel, id);
    channel.startConnection([
      id,
      TRANSPORT_XHR,
      // The final URL, after redirects; known once headers arrived.
      getResponseUrl(xhr),
      request.sentAt,
      nowMs(),
      request.recordedMethod,
      request.headers,
      request.body,
      getStatus(xhr),
      getStatusText(xhr),
      // As the browser gives them; the relay reads them into a map (src/protocol.ts, AgentBodyStart).
      getAllResponseHeaders(xhr),
    ]);
  };

  function onEvent(this: XMLHttpRequest, event: Event): void {
    try {
      const request = weakGet(requests, this);
      if (!request?.isSent) return;
      if (!request.decided && getReadyState(this) >= XHR_HEADERS_RECEIVED) {
        start(this, request);
      }
      const capture = request.bodyCapture;
      if (!capture || capture.isEnded) return;
      try {
        // Only the new part: the text before it was tapped already. After abort() or a network
        // error responseText is empty, and nothing is read.
        const text = getResponseText(this);
        if (text.length > request.readChars) {
          capture.pushText(slice(text, request.readChars));
          request.readChars = text.length;
        }
      } catch {
        // The page switched to another responseType after the headers: the end still counts.
      }
      // An end names its cause, which the relay puts in words (src/protocol.ts, XHR_END_ERRORS).
      const type = event.type;
      const end = ENDS[type];
      // Never 0 (END_CANCELLED): an XHR's end is one of the other three.
      if (end) capture.finishBody(end, type);
    } catch {
      // Never let capture break the page's request.
    }
  }

  // Each calls the native method with the page's arguments and returns its result (natives.ts,
  // wrapMethod: made as the native ones are).
  wrapMethod(proto, 'open', (xhr, args, native) => {
    const result = apply(native, xhr, args);
    try {
      const previous = weakGet(requests, xhr);
      // open() on a request in flight terminates it, without an event.
      if (previous?.bodyCapture && previous.isSent && !previous.bodyCapture.isEnded) {
        previous.bodyCapture.finishBody(END_ABORTED, 'open');
      }
      if (!previous) {
        listen(xhr, 'readystatechange', onEvent);
        listen(xhr, 'progress', onEvent);
        for (const type in ENDS) listen(xhr, type, onEvent);
      }
      // One literal: fields assigned one by one would run any setter a page put on Object.prototype.
      const request: XhrRequest = {
        // As given: the relay normalises it as XHR does (src/protocol.ts, AgentBodyStart).
        recordedMethod: StringCtor(args[0]),
        headers: '',
        body: null,
        sentAt: 0,
        isSent: false,
        decided: false,
        bodyCapture: null,
        readChars: 0,
        args,
      };
      weakSet(requests, xhr as XMLHttpRequest, request);
    } catch {
      // Describing the request is best effort.
    }
    return result;
  });

  wrapMethod(proto, 'setRequestHeader', (xhr, args, native) => {
    const result = apply(native, xhr, args);
    try {
      const request = weakGet(requests, xhr);
      if (!request || request.isSent) return result;
      // Name and value as given: the relay stores them as the browser does (lower-cased, stripped
      // of white space, a repeated name combined). Neither holds a NUL, or the native call threw.
      request.headers += `${StringCtor(args[0])}\0${StringCtor(args[1])}\0`;
    } catch {
      // Describing the request is best effort.
    }
    return result;
  });

  wrapMethod(proto, 'send', (xhr, args, native) => {
    try {
      const request = weakGet(requests, xhr);
      // Before the native send: a synchronous request dispatches all its events inside it.
      if (request && !request.isSent && getReadyState(xhr) < XHR_DONE) {
        request.isSent = true;
        request.sentAt = nowMs();
        // GET and HEAD send no body, whatever the page passed.
        const method = upper(request.recordedMethod);
        request.body =
          method === 'GET' || method === 'HEAD'
            ? null
            : requestBodyOf(args[0] as BodyInit | null | undefined);
        // An armed override answers instead of the network; the relay captures what it serves.
        if (replayAgent()?.xhr(xhr as XMLHttpRequest, request)) return;
      }
    } catch {
      // Describing the request is best effort.
    }
    return apply(native, xhr, args);
  });
};
