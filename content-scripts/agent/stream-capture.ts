import type { AgentEndState } from '../../src/protocol';
import type { AgentChannel } from './channel';

/**
 * One tapped connection (fetch, XHR or EventSource): what the page read goes to the channel, as it
 * was read, and it ends once.
 */
export interface StreamCapture {
  /** Bytes the page just read. Never throws. */
  pushBytes(chunk: Uint8Array): void;
  /** Text the browser already decoded that the page can now read (XHR `responseText` grew by it). Never throws. */
  pushText(text: string): void;
  /**
   * The connection ended as `state` (src/protocol.ts, END_COMPLETED…; the relay makes `completed`
   * with an HTTP error status an `error`). Only the first call counts.
   */
  finishBody(state: AgentEndState, error: string | null): void;
  /** Set by the first `finishBody` (only the capture's methods set it). */
  isEnded: boolean;
}

export const createStreamCapture = (channel: AgentChannel, connectionId: string): StreamCapture => ({
  // The page's read only stamps the time and copies the bytes: the relay decodes and counts them and
  // the panel parses them, so nothing per event runs on the page's thread.
  isEnded: false,
  pushBytes(chunk) {
    try {
      channel.pushBytes(connectionId, chunk);
    } catch {
      // Capture must never break the page's read.
    }
  },
  pushText(text) {
    try {
      channel.pushText(connectionId, text);
    } catch {
      // Capture must never break the page's read.
    }
  },
  finishBody(state, error) {
    if (this.isEnded) return;
    // An own property: no setter of the page's Object.prototype is asked.
    this.isEnded = true;
    channel.endConnection(connectionId, state, error);
  },
});
