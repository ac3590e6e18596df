/**
 * One typed port layer over `chrome.runtime.Port` (relay ⇄ service worker ⇄ panel): what may be
 * sent and what is received are the direction unions of src/protocol.ts, so a message sent the
 * wrong way is a compile error, and every message received passes that direction's guard.
 * Reconnecting is here once, for the relay and the panel alike (docs/architecture.md principle 7).
 */

import {
  type BackgroundToPanel,
  type BackgroundToRelay,
  isBackgroundToPanel,
  isBackgroundToRelay,
  isPanelToBackground,
  isRelayToBackground,
  PANEL_PORT_NAME,
  type PanelToBackground,
  RELAY_PORT_NAME,
  type RelayToBackground,
} from './protocol';

/** The guards of each direction, by port name: what the other end may send. */
export const PORT_GUARDS = {
  [RELAY_PORT_NAME]: { toBackground: isRelayToBackground, fromBackground: isBackgroundToRelay },
  [PANEL_PORT_NAME]: { toBackground: isPanelToBackground, fromBackground: isBackgroundToPanel },
} as const;

/** The messages of each port, by the side that sends them. */
export interface PortDirections {
  [RELAY_PORT_NAME]: { toBackground: RelayToBackground; fromBackground: BackgroundToRelay };
  [PANEL_PORT_NAME]: { toBackground: PanelToBackground; fromBackground: BackgroundToPanel };
}
export type PortName = keyof PortDirections;

/** Delay before a reconnect after the service worker closed a port (it restarts on the connect). */
export const RECONNECT_DELAY_MS = 100;

/** A port whose messages are typed: `Out` may be sent, only `In` (checked) is received. */
export interface TypedPort<Out, In> {
  /** Sends `message`; false, with the port closed (and its close reported), when that failed. */
  send(message: Out): boolean;
  onMessage(listener: (message: In) => void): void;
  onClose(listener: () => void): void;
  close(): void;
}

/**
 * `port` typed. A message that throws on send (over Chrome's 64 MiB cap, or the extension went away)
 * closes the port, so that its owner reconnects and resends, rather than keeping a port that lost a
 * message without a word.
 */
export function typedPort<Out, In>(
  port: chrome.runtime.Port,
  accept: (m: unknown) => m is In,
): TypedPort<Out, In> {
  const closeListeners: (() => void)[] = [];
  let closed = false;
  const closeNow = () => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener();
  };
  port.onDisconnect.addListener(closeNow);
  return {
    send(message) {
      if (closed) return false;
      try {
        port.postMessage(message);
        return true;
      } catch {
        port.disconnect();
        closeNow();
        return false;
      }
    },
    onMessage(listener) {
      port.onMessage.addListener((message: unknown) => {
        if (accept(message)) listener(message);
      });
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    close() {
      if (closed) return;
      port.disconnect();
      closed = true;
    },
  };
}

/** The service worker's end of a port of `name`: receives `toBackground`, sends `fromBackground`. */
export function backgroundPort<N extends PortName>(
  name: N,
  port: chrome.runtime.Port,
): TypedPort<PortDirections[N]['fromBackground'], PortDirections[N]['toBackground']> {
  return typedPort(
    port,
    PORT_GUARDS[name].toBackground as (m: unknown) => m is PortDirections[N]['toBackground'],
  );
}

/** What the owner of a reconnecting port says when it closed: reconnect now, or wait to be asked. */
export type OnClose = 'reconnect' | 'wait';

/**
 * A port to the service worker that its owner (a relay or a panel) keeps: `connect` opens it when it
 * is not open; when it closes, `onClose` says whether to reconnect after RECONNECT_DELAY_MS.
 */
export class PortLink<N extends PortName> {
  private port: TypedPort<PortDirections[N]['toBackground'], PortDirections[N]['fromBackground']> | null =
    null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /** The extension was reloaded or removed: this script is orphaned and never connects again. */
  gone = false;

  constructor(
    private readonly name: N,
    private readonly handlers: {
      onOpen(link: PortLink<N>): void;
      onMessage(message: PortDirections[N]['fromBackground']): void;
      onClose(): OnClose;
    },
    private readonly connectPort: (name: string) => chrome.runtime.Port = (portName) =>
      chrome.runtime.connect({ name: portName }),
  ) {}

  get open(): boolean {
    return this.port !== null;
  }

  /** Opens the port unless it is open; false when it cannot (the extension is gone, or stopped). */
  connect(): boolean {
    if (this.port) return true;
    if (this.gone || this.stopped) return false;
    clearTimeout(this.timer);
    let raw: chrome.runtime.Port;
    try {
      raw = this.connectPort(this.name);
    } catch {
      this.gone = true;
      return false;
    }
    const port = typedPort<PortDirections[N]['toBackground'], PortDirections[N]['fromBackground']>(
      raw,
      PORT_GUARDS[this.name].fromBackground as (m: unknown) => m is PortDirections[N]['fromBackground'],
    );
    this.port = port;
    port.onMessage((message) => this.handlers.onMessage(message));
    port.onClose(() => {
      // A port dropped on a restore from the back/forward cache may report its end after its successor opened.
      if (this.port !== port) return;
      this.port = null;
      if (this.handlers.onClose() === 'reconnect' && !this.stopped) {
        this.timer = setTimeout(() => this.connect(), RECONNECT_DELAY_MS);
      }
    });
    this.handlers.onOpen(this);
    return true;
  }

  /** Sends on the open port; false when there is none or the send failed (then it reconnects as on a close). */
  send(message: PortDirections[N]['toBackground']): boolean {
    return this.port?.send(message) ?? false;
  }

  /** Closes the port without reporting it (the caller knows), to open a fresh one. */
  drop(): void {
    const port = this.port;
    this.port = null;
    port?.close();
  }

  /** Closes for good. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.drop();
  }
}
