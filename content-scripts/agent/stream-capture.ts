import type { ConnectionEnd, StreamFormat } from '../../src/model';
import { createStreamTap } from '../../src/sse/stream-tap';
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
  const tap = createStreamTap(format);
  let ended = false;
  const send = (read: () => ReturnType<typeof tap.push>) => {
    try {
      const records = read();
      if (records.length > 0) channel.records(connectionId, records, tap.bytes);
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

/** UTF-8 length of `text` without encoding it (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}
