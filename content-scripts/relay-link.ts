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
  /** Whether a panel watches this tab; `null` until the service worker says on the open port. */
  private attached: boolean | null = null;
  /**
   * All the buffer held went out on the open port (a snapshot), and every live item since: a panel
   * that the worker's first answer says is watching needs nothing more. Until then live items wait
   * in the buffer: most documents are watched by no panel, and posting what the page reads to a
   * worker that drops it cost a fast stream some 30 ms per 20 MB of the page's thread (issue 11). On
   * every port after the first they must wait anyway: what the page read while no port was open
   * reaches the panel only in the snapshot, and the panel drops chunks at or below the last seq it
   * holds, so live chunks that overtook the snapshot would hide those for good.
   */
  private complete = false;
  /**
   * The port closed while no panel watched (Chrome stopped the worker): reconnect only for news the
   * worker keeps (a stream starting or ending, for the badge and popup) or when it asks (`relay-wake`).
   * Chunks alone go to the buffer, as they would with a port and no panel.
   */
  private asleep = false;

  /** Whether live items go out now. */
  get forwarding(): boolean {
    return this.connected && this.complete && this.attached !== false;
  }

  /**
   * The agent sent items; `news`: the document's counts (streams, open streams) changed; `pressure`:
   * the buffer is filling towards its bound. Under pressure before the worker answered, the snapshot
   * goes out at once and live items after it: a fast stream read while the page's thread is too busy
   * to read the answer could otherwise overflow the buffer and lose a watching panel's events.
   */
  items(news: boolean, pressure = false): LinkActions {
    const connect = !this.connected && (!this.asleep || news);
    if (connect) this.opened();
    const status = connect || (news && this.connected);
    if (pressure && this.connected && this.attached === null && !this.complete) {
      this.complete = true;
      return { ...NONE, connect, status, snapshot: true };
    }
    return { ...NONE, connect, status, forward: this.forwarding };
  }

  /** The service worker asked relays with captures to report (a panel or the popup opened). */
  wake(hasCaptures: boolean): LinkActions {
    if (this.connected || !hasCaptures) return NONE;
    this.opened();
    return { ...NONE, connect: true, status: true };
  }

  /**
   * The service worker says whether a panel watches: on `true`, the snapshot goes out, unless it
   * already did on this port before the answer (a panel attaching later gets one: it was `true`).
   */
  panelAttached(attached: boolean): LinkActions {
    const answered = this.attached !== null;
    this.attached = attached;
    if (!attached) {
      this.complete = false;
      return NONE;
    }
    if (this.complete && !answered) return NONE;
    this.complete = true;
    return { ...NONE, snapshot: true };
  }

  /** The port closed (the worker stopped, or a send failed): reconnect at once only while watched. */
  closed(): 'reconnect' | 'wait' {
    const watched = this.attached === true;
    this.connected = false;
    this.attached = null;
    this.complete = false;
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
    this.opened();
    return { ...NONE, drop: true, connect: true, status: true };
  }

  private opened(): void {
    this.connected = true;
    this.asleep = false;
    this.attached = null;
    this.complete = false;
  }
}
