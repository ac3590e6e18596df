import type { ConnectionEnd, StreamRecord } from '../../src/model';
import type { ReplayAgentApi } from '../../src/protocol';
import type { AgentChannel } from './channel';
import {
  addEventListener,
  apply,
  createPrivateMap,
  defineProperty,
  getMessageData,
  getOwnPropertyDescriptor,
  getterOf,
} from './natives';
import { nowMs } from './request-info';

/** What the agent knows of one EventSource: one connection, however often it reconnects. */
interface Source {
  id: string;
  url: string;
  createdAt: number;
  /** `connection-start` was sent (at the first `open` or `error`: when the first attempt settled). */
  isStarted: boolean;
  isEnded: boolean;
  recordSeq: number;
  currentAttempt: number;
  lastId: string;
  /** Event types we listen for (null prototype: a page's `Object.prototype` cannot answer). */
  listened: Record<string, true>;
}

const CLOSED = 2;

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
export function installEventSourceTap(
  win: Window & typeof globalThis,
  channel: AgentChannel,
  replayAgent: () => ReplayAgentApi | null,
): void {
  const NativeEventSource = win.EventSource;
  if (typeof NativeEventSource !== 'function') return;
  const proto = NativeEventSource.prototype;
  const construct = Reflect.construct;
  const getUrl = getterOf<string>(proto, 'url');
  const getReadyState = getterOf<number>(proto, 'readyState');
  const getType = getterOf<string>(win.Event.prototype, 'type');
  const getLastEventId = getterOf<string>(win.MessageEvent.prototype, 'lastEventId');
  const nativeClose = proto.close;
  const sources = createPrivateMap<EventSource, Source>();

  function startIfNeeded(source: Source, time: number): void {
    if (source.isStarted) return;
    source.isStarted = true;
    channel.startConnection(
      source.id,
      'eventsource',
      'sse',
      source.url,
      'GET',
      {},
      null,
      0,
      '',
      {},
      source.createdAt,
      time,
    );
  }

  function add(source: Source, kind: StreamRecord['kind'], type: string, data: string, time: number): void {
    // One literal: fields assigned one by one would run any setter a page put on Object.prototype.
    const record: StreamRecord = {
      seq: ++source.recordSeq,
      kind,
      id: source.lastId,
      type,
      data,
      time,
      attempt: source.currentAttempt,
    };
    channel.pushRecord(source.id, record);
  }

  function end(source: Source, state: ConnectionEnd['state'], error: string | null, time: number): void {
    source.isEnded = true;
    channel.endConnection(source.id, { state, error, endedAt: time });
  }

  function onEvent(this: EventSource, event: Event): void {
    try {
      const source = sources.get(this);
      // Only what the browser dispatched: an event the page dispatches itself is not the stream's.
      if (!source || source.isEnded || !event.isTrusted) return;
      const time = nowMs();
      const type = getType(event);
      startIfNeeded(source, time);
      // The server's events are MessageEvents, whatever their type (also `event: error`); the
      // connection's own `open` and `error` are plain Events. Told apart by the native getter's
      // brand check: a page can change what `instanceof MessageEvent` answers.
      let data: string | null = null;
      try {
        // A trusted MessageEvent of an EventSource carries a string.
        data = getMessageData(event) as string;
      } catch {}
      if (data !== null) {
        source.lastId = getLastEventId(event);
        // Data longer than a record may hold is cut by the relay, which bounds every record.
        add(source, 'event', type, data, time);
      } else if (type === 'open') {
        add(source, 'open', '', '', time);
      } else if (type === 'error') {
        const closed = getReadyState(this) === CLOSED;
        add(source, 'error', '', closed ? 'closed' : 'reconnecting', time);
        // Closed here means the browser gave up (HTTP error status, wrong media type, CORS…): the
        // page is not told which. Otherwise it reconnects, and what follows is the next attempt.
        // The relay words it (src/protocol.ts, EVENTSOURCE_FAILED).
        if (closed) end(source, 'error', null, time);
        else source.currentAttempt++;
      }
    } catch {
      // Never let capture break the page's listeners.
    }
  }

  function listen(target: EventSource, source: Source, type: string): void {
    if (source.listened[type]) return;
    source.listened[type] = true;
    apply(addEventListener, target, [type, onEvent]);
  }

  const methods = {
    // Method shorthand, like the browser's: named, no `prototype`, not constructors.
    addEventListener(this: EventTarget, ...args: Parameters<EventTarget['addEventListener']>): unknown {
      try {
        const source = sources.get(this);
        // Ours goes first, so a page listener that stops immediate propagation does not hide the event.
        if (source && typeof args[0] === 'string' && args[1]) listen(this as EventSource, source, args[0]);
      } catch {
        // Capture is best effort.
      }
      return apply(addEventListener, this, args);
    },
    close(this: EventSource): unknown {
      try {
        const source = sources.get(this);
        if (source && !source.isEnded && getReadyState(this) !== CLOSED) {
          const time = nowMs();
          startIfNeeded(source, time);
          end(source, 'cancelled', null, time);
        }
      } catch {
        // Capture is best effort.
      }
      return apply(nativeClose, this, []);
    },
  };
  defineProperty(methods.addEventListener, 'length', { value: 2 });
  // `addEventListener` is inherited from EventTarget; giving EventSource.prototype its own one (with
  // the attributes of a Web IDL operation) touches only EventSource listeners, not every DOM node's.
  defineProperty(proto, 'addEventListener', {
    value: methods.addEventListener,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  proto.close = methods.close;

  function EventSource(this: unknown, ...args: ConstructorParameters<typeof NativeEventSource>): EventSource {
    // Without `new`, the native constructor throws the TypeError a page expects.
    if (!new.target) return apply(NativeEventSource, this, args) as EventSource;
    // An armed override answers instead of the network; the relay captures what it serves.
    const replayed = replayAgent()?.eventSource(args, new.target);
    if (replayed) return replayed;
    const target = construct(NativeEventSource, args, new.target) as EventSource;
    try {
      const source: Source = {
        id: channel.nextConnectionId(),
        url: getUrl(target),
        createdAt: nowMs(),
        isStarted: false,
        isEnded: false,
        recordSeq: 0,
        currentAttempt: 1,
        lastId: '',
        listened: { __proto__: null } as unknown as Record<string, true>,
      };
      sources.set(target, source);
      listen(target, source, 'open');
      listen(target, source, 'message');
      listen(target, source, 'error');
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
  Object.setPrototypeOf(EventSource, Object.getPrototypeOf(NativeEventSource));
  defineProperty(proto, 'constructor', { value: EventSource });
  win.EventSource = EventSource as unknown as typeof NativeEventSource;
}
