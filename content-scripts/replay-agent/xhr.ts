import type { HeaderMap } from '../../src/model';
import type { ReplayRequest } from '../../src/protocol';
import type { Replays } from './replays';

// Taken when the replay agent is injected: a page that replaces them later changes nothing here.
const apply = Reflect.apply;
const defineProperty = Object.defineProperty;

const OPENED = 1;
const HEADERS_RECEIVED = 2;
const LOADING = 3;
const DONE = 4;

/**
 * Answers an XMLHttpRequest from an armed override instead of sending it: the request's state is
 * driven as the browser drives it (XHR spec) from the body stream the relay feeds: `loadstart`; at
 * the head `readyState` 2; for each chunk `readyState` 3, `responseText` grown, `readystatechange`
 * and `progress`; at the end `readyState` 4, `load` (or `error`, and an empty response, at a
 * network error) and `loadend`. `abort()` ends it as the browser's does. The state is given by own
 * properties of the request object (its native state stays "opened": the XHR tap captures nothing
 * of it, the relay captures what it serves).
 */
export function createReplayXhr(
  win: Window & typeof globalThis,
  replay: Replays,
): (xhr: XMLHttpRequest, ruleId: string, request: ReplayRequest) => void {
  const dispatchEvent = win.EventTarget.prototype.dispatchEvent;
  const ProgressEventCtor = win.ProgressEvent;
  const EventCtor = win.Event;
  const getReader = win.ReadableStream.prototype.getReader;
  const readerProto = win.ReadableStreamDefaultReader.prototype;
  const read = readerProto.read;
  const cancel = readerProto.cancel;
  const TextDecoderCtor = win.TextDecoder;
  const decode = TextDecoderCtor.prototype.decode;
  const lower = String.prototype.toLowerCase;
  const keys = Object.keys;

  return (xhr, ruleId, request) => {
    const url = request.url;
    let state = OPENED;
    let status = 0;
    let statusText = '';
    let text = '';
    let headers: HeaderMap = {};
    let loaded = 0;
    let ended = false;
    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
    const own = (name: string, value: unknown, getter?: boolean) =>
      defineProperty(
        xhr,
        name,
        getter
          ? { get: value as () => unknown, configurable: true }
          : { value, configurable: true, writable: true },
      );
    const fire = (type: string) =>
      apply(dispatchEvent, xhr, [
        type === 'readystatechange' ? new EventCtor(type) : new ProgressEventCtor(type, { loaded }),
      ]);
    own('readyState', () => state, true);
    own('status', () => status, true);
    own('statusText', () => statusText, true);
    own('responseText', () => text, true);
    own('response', () => text, true);
    own('responseURL', () => (state > OPENED ? url : ''), true);
    own(
      'getResponseHeader',
      {
        getResponseHeader: (name: string) =>
          state > OPENED ? (headers[apply(lower, name, [])] ?? null) : null,
      }.getResponseHeader,
    );
    own(
      'getAllResponseHeaders',
      {
        getAllResponseHeaders() {
          let all = '';
          const names = keys(headers);
          for (let i = 0; state > OPENED && i < names.length; i++)
            all += `${names[i]}: ${headers[names[i] as string]}\r\n`;
          return all;
        },
      }.getAllResponseHeaders,
    );

    /** The request ends with `type` (`load`, `error`, `abort`); errors and aborts leave no response. */
    const end = (type: string) => {
      if (ended) return;
      ended = true;
      if (type !== 'load') {
        text = '';
        status = 0;
        statusText = '';
        headers = {};
        if (reader) apply(cancel, reader, []).catch(() => {});
        else replay.cancel(replayId, undefined);
      }
      state = DONE;
      fire('readystatechange');
      fire(type);
      fire('loadend');
      if (type === 'abort') state = 0;
    };
    own('abort', { abort: () => end('abort') }.abort);

    const replayId = replay.start(ruleId, 'xhr', request, async (response) => {
      if (ended) return;
      if (!response.status || !response.body) return end('error');
      status = response.status;
      statusText = response.statusText;
      headers = response.headers;
      state = HEADERS_RECEIVED;
      fire('readystatechange');
      reader = apply(getReader, response.body, []) as ReadableStreamDefaultReader<Uint8Array>;
      const decoder = new TextDecoderCtor();
      try {
        for (;;) {
          const result = (await apply(read, reader, [])) as ReadableStreamReadResult<Uint8Array>;
          if (ended) return;
          if (result.done) break;
          text += apply(decode, decoder, [result.value, { stream: true }]);
          loaded += result.value.byteLength;
          state = LOADING;
          fire('readystatechange');
          fire('progress');
        }
      } catch {
        return end('error');
      }
      text += apply(decode, decoder, []);
      end('load');
    });
    fire('loadstart');
  };
}
