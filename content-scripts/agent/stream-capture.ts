import { DEFAULT_PARSER_LIMITS } from '../../src/limits';
import type { ConnectionEnd, StreamFormat } from '../../src/model';
import { createStreamTap } from '../../src/sse/stream-tap';
import { utf8Length } from '../../src/sse/utf8-length';
import type { AgentChannel } from './channel';
import { nowMs } from './request-info';

/** One tapped response body (fetch or XHR): what the page read goes in, records go to the channel. */
export interface StreamCapture {
  /** Bytes the page just read. Never throws. */
  push(chunk: Uint8Array): void;
  /** Text the browser already decoded that the page can now read (XHR `responseText` grew by it). */
  pushText(text: string): void;
  /**
   * The body ended as `state`. `completed` with an HTTP error status becomes `error` with
   * `HTTP <status> <text>`. Only the first call counts.
   */
  finish(state: ConnectionEnd['state'], error: string | null): void;
  readonly ended: boolean;
}

export function createStreamCapture(
  channel: AgentChannel,
  connectionId: string,
  format: StreamFormat,
  status: number,
  statusText: string,
): StreamCapture {
  // The parser writes each record straight into the channel's columns for this connection.
  const batch = channel.batch(connectionId);
  const tap = createStreamTap(format, DEFAULT_PARSER_LIMITS, batch);
  let ended = false;
  const send = (read: () => void) => {
    try {
      read();
      if (batch.count > 0) channel.added(connectionId, tap.bytes);
    } catch {
      // Capture must never break the page's read.
    }
  };
  return {
    get ended() {
      return ended;
    },
    push(chunk) {
      send(() => tap.push(chunk, nowMs()));
    },
    pushText(text) {
      send(() => tap.pushText(text, utf8Length(text), nowMs()));
    },
    finish(state, error) {
      if (ended) return;
      ended = true;
      const time = nowMs();
      const completed = state === 'completed';
      if (completed && status >= 400) {
        state = 'error';
        error = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
      }
      send(() => tap.finish(time, completed));
      channel.end(connectionId, { state, error, endedAt: time }, tap.bytes);
    },
  };
}
