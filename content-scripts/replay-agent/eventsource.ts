import type { ReplayEvent } from '../../src/protocol';
import type { Replays } from './replays';

// Taken when the replay agent is injected: a page that replaces them later changes nothing here.
const apply = Reflect.apply;
const defineProperty = Object.defineProperty;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;
/** Chromium's default reconnection time (WHATWG lets the user agent choose it). */
const RECONNECT_MS = 3000;

/**
 * An `EventSource` an armed override answers instead of the network. It is an EventTarget whose
 * prototype is `EventSource.prototype` (so `instanceof` holds) with own `readyState`, `url`,
 * `withCredentials`, `onopen` / `onmessage` / `onerror` and `close()`, and it dispatches what a
 * native one would from the events the relay feeds: `open`, each event as a `MessageEvent` of its
 * type with its data and last event ID, and at the end of the body `error` and a reconnect (a new
 * replay) after the reconnection time; a response an EventSource refuses (another status or media
 * type) fails it (`error`, closed, no reconnect). The relay captures what it serves.
 */
export function createReplayEventSource(
  win: Window & typeof globalThis,
  replay: Replays,
): (url: string, withCredentials: boolean, ruleId: string, newTarget: unknown) => EventSource {
  const EventTargetCtor = win.EventTarget;
  const construct = Reflect.construct;
  const dispatchEvent = EventTargetCtor.prototype.dispatchEvent;
  const addEventListener = EventTargetCtor.prototype.addEventListener;
  const EventCtor = win.Event;
  const MessageEventCtor = win.MessageEvent;
  const getReader = win.ReadableStream.prototype.getReader;
  const readerProto = win.ReadableStreamDefaultReader.prototype;
  const read = readerProto.read;
  const cancel = readerProto.cancel;
  const setTimer = win.setTimeout;
  const URLCtor = win.URL;

  return (url, withCredentials, ruleId, newTarget) => {
    const target = construct(EventTargetCtor, [], newTarget as () => void) as EventSource;
    const origin = new URLCtor(url).origin;
    let state = CONNECTING;
    let reader: ReadableStreamDefaultReader<ReplayEvent> | null = null;
    let replayId = '';
    const own = (name: string, descriptor: PropertyDescriptor) =>
      defineProperty(target, name, {
        __proto__: null,
        configurable: true,
        ...descriptor,
      } as PropertyDescriptor);
    const fire = (event: Event) => apply(dispatchEvent, target, [event]);
    own('readyState', { get: () => state });
    own('url', { get: () => url });
    own('withCredentials', { get: () => withCredentials });
    const handlers = ['open', 'message', 'error'];
    for (let i = 0; i < 3; i++) {
      const type = handlers[i] as string;
      let handler: unknown = null;
      own(`on${type}`, {
        get: () => handler,
        set: (value: unknown) => {
          handler = typeof value === 'function' ? value : null;
        },
      });
      apply(addEventListener, target, [
        type,
        (event: Event) => typeof handler === 'function' && apply(handler, target, [event]),
      ]);
    }
    own('close', {
      value: {
        close() {
          if (state === CLOSED) return;
          state = CLOSED;
          if (reader) apply(cancel, reader, []).catch(() => {});
          else replay.cancel(replayId);
        },
      }.close,
      writable: true,
    });

    const connect = () => {
      const request = { method: 'GET', url, headers: {}, body: null };
      replayId = replay.start(ruleId, 'eventsource', request, async ({ body }) => {
        if (state === CLOSED) return;
        if (!body) {
          state = CLOSED;
          fire(new EventCtor('error'));
          return;
        }
        state = OPEN;
        fire(new EventCtor('open'));
        reader = apply(getReader, body, []) as ReadableStreamDefaultReader<ReplayEvent>;
        try {
          for (;;) {
            const result = (await apply(read, reader, [])) as ReadableStreamReadResult<ReplayEvent>;
            if (state === CLOSED || result.done) break;
            const { type, data, lastEventId } = result.value;
            fire(new MessageEventCtor(type, { data, lastEventId, origin }));
          }
        } catch {
          // The body ended as a network error: the browser reconnects all the same.
        }
        reader = null;
        if (state === CLOSED) return;
        state = CONNECTING;
        fire(new EventCtor('error'));
        setTimer(() => state === CONNECTING && connect(), RECONNECT_MS);
      });
    };
    connect();
    return target;
  };
}
