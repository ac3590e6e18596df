import { END_CANCELLED, END_ERROR, type ReplayAgentApi, TRANSPORT_EVENTSOURCE } from '../../src/protocol';
import type { AgentChannel } from './channel';
import {
  apply,
  defineProperty,
  EVENTSOURCE_CLOSED,
  eventProto,
  getMessageData,
  getOwnPropertyDescriptor,
  getterOf,
  listen,
  messageEventProto,
  ObjectCtor,
  weakGet,
  weakSet,
  wrapMethod,
} from './natives';
import { nowMs } from './request-info';
import { createStreamCapture, type StreamCapture } from './stream-capture';

/**
 * What the agent knows of one EventSource: one connection, however often it reconnects (the relay
 * counts its records and attempts; src/protocol.ts, AgentEvent).
 */
interface Source {
  id: string;
  url: string;
  createdAt: number;
  /** The connection's start was sent (at the first `open` or `error`: when the first attempt settled). */
  isStarted: boolean;
  sourceCapture: StreamCapture;
  /** Event types we listen for (null prototype: a page's `Object.prototype` cannot answer). */
  listened: Record<string, true>;
}

/**
 * Captures what a native `EventSource` dispatches. The constructor is wrapped so that each instance
 * is the browser's own (`Reflect.construct` with the page's `new.target`, so subclasses and
 * `instanceof` hold, and `EventSource.prototype` stays the same object); the agent then listens on it
 * with the native `addEventListener` for `open`, `message` and `error`, and for every other type the
 * moment the page adds a listener for it. An event type nobody listens for is not observable by the
 * page, so it is not captured either. Our listeners only read: they never stop propagation, and
 * `readyState`, `url`, `withCredentials` and `close()` stay the browser's.
 *
 * Not observable by the page, so never captured: request and response headers, status, byte counts,
 * comments and `retry:` fields.
 */
export const installEventSourceTap = (
  win: Window & typeof globalThis,
  channel: AgentChannel,
  replayAgent: () => ReplayAgentApi | null,
): void => {
  const NativeEventSource = win.EventSource;
  if (!NativeEventSource) return;
  const proto = NativeEventSource.prototype;
  const construct = Reflect.construct;
  const getUrl = getterOf<string>(proto, 'url');
  const getReadyState = getterOf<number>(proto, 'readyState');
  const getType = getterOf<string>(eventProto, 'type');
  const getLastEventId = getterOf<string>(messageEventProto, 'lastEventId');
  // What the agent knows of each, read and written through the native methods.
  const sources = new WeakMap<EventSource, Source>();

  const startIfNeeded = (source: Source, time: number): void => {
    if (source.isStarted) return;
    source.isStarted = true;
    channel.startConnection([source.id, TRANSPORT_EVENTSOURCE, source.url, source.createdAt, time]);
  };

  function onEvent(this: EventSource, event: Event): void {
    try {
      const source = weakGet(sources, this);
      // Only what the browser dispatched: an event the page dispatches itself is not the stream's.
      if (!source || source.sourceCapture.isEnded || !event.isTrusted) return;
      const time = nowMs();
      const type = getType(event);
      startIfNeeded(source, time);
      // The server's events are MessageEvents, whatever their type (also `event: error`); the
      // connection's own `open` and `error` are plain Events. Told apart by the native getter's
      // brand check: a page can change what `instanceof MessageEvent` answers.
      let data: string | null = null;
      let lastEventId = '';
      try {
        // A trusted MessageEvent of an EventSource carries a string. Data longer than a record may
        // hold is cut by the relay, which bounds every record.
        data = getMessageData(event) as string;
        lastEventId = getLastEventId(event);
      } catch {}
      // Closed at an error means the browser gave up (HTTP error status, wrong media type, CORS…):
      // the page is not told which, and the relay words it (src/protocol.ts, EVENTSOURCE_FAILED).
      // Otherwise it reconnects, and what follows is the next attempt.
      const closed = data === null && type === 'error' && getReadyState(this) === EVENTSOURCE_CLOSED;
      channel.pushEvent(source.id, [type, data ?? closed, lastEventId], time);
      if (closed) source.sourceCapture.finishBody(END_ERROR, null);
    } catch {
      // Never let capture break the page's listeners.
    }
  }

  const watch = (target: EventSource, source: Source, type: string): void => {
    if (source.listened[type]) return;
    source.listened[type] = true;
    listen(target, type, onEvent);
  };

  // Each calls the native method with the page's arguments and returns its result (natives.ts,
  // wrapMethod: made as the native ones are). `addEventListener` is inherited from EventTarget;
  // EventSource.prototype's own one touches only EventSource listeners, not every DOM node's.
  wrapMethod(proto, 'addEventListener', (target, args, native) => {
    try {
      const source = weakGet(sources, target);
      // Ours goes first, so a page listener that stops immediate propagation does not hide the event.
      if (source && typeof args[0] === 'string' && args[1]) watch(target as EventSource, source, args[0]);
    } catch {
      // Capture is best effort.
    }
    return apply(native, target, args);
  });
  wrapMethod(proto, 'close', (target, args, native) => {
    try {
      const source = weakGet(sources, target);
      if (source && !source.sourceCapture.isEnded && getReadyState(target) !== EVENTSOURCE_CLOSED) {
        startIfNeeded(source, nowMs());
        source.sourceCapture.finishBody(END_CANCELLED, null);
      }
    } catch {
      // Capture is best effort.
    }
    return apply(native, target, args);
  });

  function EventSource(this: unknown, ...args: ConstructorParameters<typeof NativeEventSource>): EventSource {
    // Without `new`, the native constructor throws the TypeError a page expects.
    if (!new.target) return apply(NativeEventSource, this, args) as EventSource;
    // An armed override answers instead of the network; the relay captures what it serves.
    const replayed = replayAgent()?.eventSource(args, new.target);
    if (replayed) return replayed;
    const target = construct(NativeEventSource, args, new.target) as EventSource;
    try {
      const id = channel.nextConnectionId();
      const source: Source = {
        id,
        url: getUrl(target),
        createdAt: nowMs(),
        isStarted: false,
        sourceCapture: createStreamCapture(channel, id),
        listened: { __proto__: null } as unknown as Record<string, true>,
      };
      weakSet(sources, target, source);
      watch(target, source, 'open');
      watch(target, source, 'message');
      watch(target, source, 'error');
    } catch {
      // Capture is best effort.
    }
    return target;
  }
  // Same statics (CONNECTING, OPEN, CLOSED), `name`, `length`, `prototype` (the very same object, read-only)
  // and inheritance (EventSource → EventTarget) as the native constructor.
  for (const key of Reflect.ownKeys(NativeEventSource)) {
    const descriptor = getOwnPropertyDescriptor(NativeEventSource, key);
    if (descriptor) defineProperty(EventSource, key, descriptor);
  }
  ObjectCtor.setPrototypeOf(EventSource, ObjectCtor.getPrototypeOf(NativeEventSource));
  defineProperty(proto, 'constructor', { value: EventSource });
  win.EventSource = EventSource as unknown as typeof NativeEventSource;
};
