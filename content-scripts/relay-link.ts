/**
 * The relay's link to the service worker as a pure state machine (docs/architecture.md principle 8): when to
 * connect, whether live items go out, when to send the snapshot, and what to do when the port closes.
 * relay.ts carries out what it says; relay-link.test.ts drives every race through it.
 */

/** What the relay does after an event. */
export interface LinkActions {
  /** Open a port (if none is open). */
  connect: boolean;
  /** Send the relay's status (counts) on the port. */
  status: boolean;
  /** Send the whole buffer as a snapshot. */
  snapshot: boolean;
  /** Forward the live items at hand. */
  forward: boolean;
  /** Close the open port without waiting, to start afresh. */
  drop: boolean;
}

const NONE: LinkActions = { connect: false, status: false, snapshot: false, forward: false, drop: false };

export class RelayLink {
  /** A port is open. */
  private connected = false;
  /**
   * Whether a panel watches this tab; `null` until the service worker says. While unknown, items are
   * forwarded live: a fast stream can overflow the buffer before the answer is read (the page's
   * thread is busy), and what was neither buffered nor forwarded would be lost to a watching panel.
   */
  private attached: boolean | null = null;
  /**
   * Live items wait for the service worker's answer on every port after the first: what the page read
   * while no port was open reaches the panel only in the snapshot, and the panel drops chunks at or
   * below the last seq it holds, so live chunks that overtook the snapshot would hide those for good.
   */
  private holdLive = false;
  private connectedBefore = false;
  /**
   * The port closed while no panel watched (Chrome stopped the worker): reconnect only for news the
   * worker keeps (a stream starting or ending, for the badge and popup) or when it asks (`relay-wake`).
   * Chunks alone go to the buffer, as they would with a port and no panel.
   */
  private asleep = false;

  /** Whether live items go out now. */
  get forwarding(): boolean {
    return this.connected && this.attached !== false && !this.holdLive;
  }

  /** The agent sent items; `news`: the document's counts (streams, open streams) changed. */
  items(news: boolean): LinkActions {
    const connect = !this.connected && (!this.asleep || news);
    if (connect) this.opened();
    return { ...NONE, connect, status: connect || (news && this.connected), forward: this.forwarding };
  }

  /** The service worker asked relays with captures to report (a panel or the popup opened). */
  wake(hasCaptures: boolean): LinkActions {
    if (this.connected || !hasCaptures) return NONE;
    this.opened();
    return { ...NONE, connect: true, status: true };
  }

  /** The service worker says whether a panel watches: on `true`, the snapshot goes out. */
  panelAttached(attached: boolean): LinkActions {
    this.attached = attached;
    this.holdLive = false;
    return { ...NONE, snapshot: attached };
  }

  /** The port closed (the worker stopped, or a send failed): reconnect at once only while watched. */
  closed(): 'reconnect' | 'wait' {
    const watched = this.attached === true;
    this.connected = false;
    this.attached = null;
    if (watched) {
      // The port opens again after a delay; until then nothing is forwarded.
      this.asleep = false;
      return 'reconnect';
    }
    this.asleep = true;
    return 'wait';
  }

  /** The reconnect that `closed` asked for happened. */
  reconnected(): LinkActions {
    if (this.connected) return NONE;
    this.opened();
    return { ...NONE, status: true };
  }

  /**
   * The document came back from the back/forward cache, where Chrome closed its ports
   * (https://developer.chrome.com/blog/bfcache-extension-messaging-changes): start afresh, so the
   * snapshot also tells the panel its streams are live again.
   */
  pageShown(persisted: boolean): LinkActions {
    if (!persisted || !this.connected) return NONE;
    this.connected = false;
    this.attached = null;
    this.opened();
    return { ...NONE, drop: true, connect: true, status: true };
  }

  private opened(): void {
    this.connected = true;
    this.asleep = false;
    if (this.connectedBefore) {
      this.attached = null;
      this.holdLive = true;
    }
    this.connectedBefore = true;
  }
}
