import { describe, expect, it } from 'vitest';
import { RelayLink } from './relay-link';

const NONE = { connect: false, status: false, snapshot: false, forward: false, drop: false };

describe('RelayLink', () => {
  it('connects on the first items and holds them in the buffer until the worker says whether a panel watches', () => {
    const link = new RelayLink();
    expect(link.items(true)).toEqual({ ...NONE, connect: true, status: true });
    expect(link.items(false)).toEqual(NONE);
    expect(link.forwarding).toBe(false);
    expect(link.panelAttached(false)).toEqual(NONE);
    expect(link.items(false)).toEqual(NONE);
    expect(link.items(true)).toEqual({ ...NONE, status: true });
    // Watched by no panel, a full buffer stays where it is.
    expect(link.items(false, true)).toEqual(NONE);
  });

  it('sends the buffer at once when it fills before the answer, then forwards, and the answer adds nothing', () => {
    const link = new RelayLink();
    link.items(true);
    expect(link.items(false, true)).toEqual({ ...NONE, snapshot: true });
    expect(link.items(false, true)).toEqual({ ...NONE, forward: true });
    expect(link.panelAttached(true)).toEqual(NONE);
    expect(link.items(false).forward).toBe(true);
    // A panel that attaches later still gets a snapshot of its own.
    expect(link.panelAttached(true)).toEqual({ ...NONE, snapshot: true });
    // No panel after all: nothing more goes out.
    const unwatched = new RelayLink();
    unwatched.items(true);
    unwatched.items(false, true);
    expect(unwatched.panelAttached(false)).toEqual(NONE);
    expect(unwatched.items(false, true)).toEqual(NONE);
  });

  it('sends the snapshot when a panel attaches, then forwards', () => {
    const link = new RelayLink();
    link.items(true);
    expect(link.panelAttached(true)).toEqual({ ...NONE, snapshot: true });
    expect(link.items(false).forward).toBe(true);
    expect(link.panelAttached(false)).toEqual(NONE);
    expect(link.items(false).forward).toBe(false);
    expect(link.panelAttached(true)).toEqual({ ...NONE, snapshot: true });
  });

  it('reconnects at once after a close while watched, and holds live items until the worker answers', () => {
    const link = new RelayLink();
    link.items(true);
    link.panelAttached(true);
    expect(link.closed()).toBe('reconnect');
    expect(link.forwarding).toBe(false);
    expect(link.reconnected()).toEqual({ ...NONE, status: true });
    // Live items must not overtake the snapshot the answer brings.
    expect(link.items(false)).toEqual(NONE);
    expect(link.items(false, true)).toEqual({ ...NONE, snapshot: true });
    expect(link.panelAttached(true)).toEqual(NONE);
    expect(link.closed()).toBe('reconnect');
    link.reconnected();
    expect(link.items(false)).toEqual(NONE);
    expect(link.panelAttached(true)).toEqual({ ...NONE, snapshot: true });
    expect(link.items(false).forward).toBe(true);
  });

  it('sleeps after a close while unwatched: only news or a wake connects again', () => {
    const link = new RelayLink();
    link.items(true);
    link.panelAttached(false);
    expect(link.closed()).toBe('wait');
    expect(link.items(false)).toEqual(NONE);
    expect(link.items(true)).toEqual({ ...NONE, connect: true, status: true });
    link.panelAttached(false);
    link.closed();
    expect(link.wake(false)).toEqual(NONE);
    expect(link.wake(true)).toEqual({ ...NONE, connect: true, status: true });
    expect(link.wake(true)).toEqual(NONE);
  });

  it('starts afresh when the page comes back from the back/forward cache', () => {
    const link = new RelayLink();
    expect(link.pageShown(true)).toEqual(NONE);
    link.items(true);
    link.panelAttached(true);
    expect(link.pageShown(false)).toEqual(NONE);
    expect(link.pageShown(true)).toEqual({ ...NONE, drop: true, connect: true, status: true });
    expect(link.forwarding).toBe(false);
    expect(link.panelAttached(true).snapshot).toBe(true);
  });

  it('a failed send closes like a worker stop: while watched it reconnects and resends the snapshot', () => {
    const link = new RelayLink();
    link.items(true);
    link.panelAttached(true);
    expect(link.closed()).toBe('reconnect');
    link.reconnected();
    expect(link.panelAttached(true).snapshot).toBe(true);
  });
});
