import { describe, expect, it } from 'vitest';
import { RelayLink } from './relay-link';

const NONE = { connect: false, status: false, snapshot: false, forward: false, drop: false };

describe('RelayLink', () => {
  it('connects on the first items and forwards them while it does not know whether a panel watches', () => {
    const link = new RelayLink();
    expect(link.items(true)).toEqual({ ...NONE, connect: true, status: true, forward: true });
    expect(link.items(false)).toEqual({ ...NONE, forward: true });
    expect(link.panelAttached(false)).toEqual(NONE);
    expect(link.items(false)).toEqual(NONE);
    expect(link.items(true)).toEqual({ ...NONE, status: true });
  });

  it('sends the snapshot when a panel attaches, then forwards', () => {
    const link = new RelayLink();
    link.items(true);
    expect(link.panelAttached(true)).toEqual({ ...NONE, snapshot: true });
    expect(link.items(false).forward).toBe(true);
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
