import { describe, expect, it, vi } from 'vitest';
import { PortLink, RECONNECT_DELAY_MS, typedPort } from './port-link';
import { createPanelAttached, createRelayStatus, isPanelAttached, RELAY_PORT_NAME } from './protocol';

/** A chrome.runtime.Port double: `deliver` plays the other end, `drop` a disconnect by Chrome. */
function fakePort(options: { throwOnPost?: boolean } = {}) {
  const messageListeners: ((m: unknown) => void)[] = [];
  const disconnectListeners: (() => void)[] = [];
  const sent: unknown[] = [];
  let disconnected = 0;
  const port = {
    name: RELAY_PORT_NAME,
    postMessage(message: unknown) {
      if (options.throwOnPost) throw new Error('Message length exceeded maximum allowed length.');
      sent.push(message);
    },
    disconnect() {
      disconnected++;
    },
    onMessage: { addListener: (l: (m: unknown) => void) => messageListeners.push(l) },
    onDisconnect: { addListener: (l: () => void) => disconnectListeners.push(l) },
  } as unknown as chrome.runtime.Port;
  return {
    port,
    sent,
    disconnected: () => disconnected,
    deliver: (m: unknown) => {
      for (const l of messageListeners) l(m);
    },
    drop: () => {
      for (const l of disconnectListeners) l();
    },
  };
}

describe('typedPort', () => {
  it('passes on only the messages its direction guard accepts', () => {
    const fake = fakePort();
    const port = typedPort(fake.port, isPanelAttached);
    const received: unknown[] = [];
    port.onMessage((m) => received.push(m));
    fake.deliver({ type: 'panel-attached', attached: 'yes' });
    fake.deliver(createPanelAttached(true));
    expect(received).toEqual([createPanelAttached(true)]);
  });

  it('a send that throws (a message over Chrome’s cap) closes the port and says so, never keeps it half alive', () => {
    const fake = fakePort({ throwOnPost: true });
    const port = typedPort(fake.port, isPanelAttached);
    const closed = vi.fn();
    port.onClose(closed);
    expect(port.send(createRelayStatus(1, 1))).toBe(false);
    expect(fake.disconnected()).toBe(1);
    expect(closed).toHaveBeenCalledTimes(1);
    expect(port.send(createRelayStatus(1, 1))).toBe(false);
    fake.drop();
    expect(closed).toHaveBeenCalledTimes(1);
  });
});

describe('PortLink', () => {
  it('reconnects after a close when its owner says so, with one port open at a time', () => {
    vi.useFakeTimers();
    try {
      const ports: ReturnType<typeof fakePort>[] = [];
      const opened = vi.fn();
      let answer: 'reconnect' | 'wait' = 'reconnect';
      const link = new PortLink(
        RELAY_PORT_NAME,
        { onOpen: opened, onMessage: () => {}, onClose: () => answer },
        () => {
          const fake = fakePort();
          ports.push(fake);
          return fake.port;
        },
      );
      expect(link.connect()).toBe(true);
      expect(link.connect()).toBe(true);
      expect(ports).toHaveLength(1);
      ports[0]?.drop();
      expect(link.open).toBe(false);
      vi.advanceTimersByTime(RECONNECT_DELAY_MS);
      expect(ports).toHaveLength(2);
      expect(opened).toHaveBeenCalledTimes(2);
      answer = 'wait';
      ports[1]?.drop();
      vi.advanceTimersByTime(10 * RECONNECT_DELAY_MS);
      expect(ports).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a failed send closes the port and reconnects like a worker stop, so the owner can resend', () => {
    vi.useFakeTimers();
    try {
      const fakes = [fakePort({ throwOnPost: true }), fakePort()];
      const link = new PortLink(
        RELAY_PORT_NAME,
        { onOpen: () => {}, onMessage: () => {}, onClose: () => 'reconnect' },
        () => (fakes.shift() as ReturnType<typeof fakePort>).port,
      );
      link.connect();
      expect(link.send(createRelayStatus(1, 0))).toBe(false);
      expect(link.open).toBe(false);
      vi.advanceTimersByTime(RECONNECT_DELAY_MS);
      expect(link.open).toBe(true);
      expect(link.send(createRelayStatus(1, 0))).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('an extension that went away (connect throws) leaves the link closed for good', () => {
    const link = new PortLink(
      RELAY_PORT_NAME,
      { onOpen: () => {}, onMessage: () => {}, onClose: () => 'reconnect' },
      () => {
        throw new Error('Extension context invalidated.');
      },
    );
    expect(link.connect()).toBe(false);
    expect(link.gone).toBe(true);
  });
});
