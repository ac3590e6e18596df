/**
 * What the replay server sends for one connection, and when: pure, so the timing is tested exactly
 * apart from the clock (docs/export-format.md, "Replay").
 */
import { bodyOf } from '../src/export/sse-text';
import type { ExportableConnection } from '../src/export/write-export';
import type { HeaderMap } from '../src/model';

/** One write of the body, `atMs` after the request arrived. */
export interface ScheduledWrite {
  atMs: number;
  text: string;
}

/** A response to replay: status line, headers, the body's writes, and how it ends. */
export interface ReplaySchedule {
  status: number;
  statusText: string;
  headers: HeaderMap;
  writes: ScheduledWrite[];
  /** When the response ends, after the request arrived. */
  endAtMs: number;
  /**
   * `end`: the response ends normally. `reset`: the connection is cut (the capture ended in a network
   * error), so a client sees an error as the page did.
   */
  ending: 'end' | 'reset';
}

/**
 * Headers not sent again: the body is replayed decoded and in new chunks, so its recorded length,
 * encoding and framing no longer hold; connection management is the server's own.
 */
const NOT_REPLAYED = new Set([
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  '…',
]);

/** Whether the page's read failed (not an HTTP error status, whose body ended normally). */
function endedByNetworkError({ info, end }: ExportableConnection): boolean {
  if (end?.state !== 'error' || info.transport === 'eventsource') return false;
  return !end.error?.startsWith('HTTP ');
}

const DEFAULT_CONTENT_TYPE = { sse: 'text/event-stream', ndjson: 'application/x-ndjson' } as const;

/**
 * The schedule of a connection at `speed` (2 = twice as fast): each chunk at its recorded time since
 * the request started, divided by `speed`. Connections whose read times are unknown are sent at once.
 * A native EventSource's status and headers are not visible to a page, so it is served as `200` with
 * its format's media type.
 */
export function replaySchedule(connection: ExportableConnection, speed: number): ReplaySchedule {
  const { info, end } = connection;
  const startedAt = info.startedAt;
  const scaled = (time: number) => (info.timesUnknown ? 0 : Math.max(0, time - startedAt) / speed);
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(info.responseHeaders)) {
    if (!NOT_REPLAYED.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  headers['content-type'] ??= DEFAULT_CONTENT_TYPE[info.format];
  const writes = bodyOf(connection).pieces.map((piece) => ({ atMs: scaled(piece.time), text: piece.text }));
  const lastWrite = writes.at(-1)?.atMs ?? 0;
  return {
    status: info.status === 0 ? 200 : info.status,
    statusText: info.status === 0 ? 'OK' : info.statusText,
    headers,
    writes,
    endAtMs: Math.max(lastWrite, end ? scaled(end.endedAt) : lastWrite),
    ending: endedByNetworkError(connection) ? 'reset' : 'end',
  };
}
