/**
 * The data model shared by every context: what a captured stream and its events are.
 * Times are epoch milliseconds with sub-millisecond precision
 * (`performance.timeOrigin + performance.now()` in the page, stamped when the page read the bytes).
 */

/** How the page read the stream. */
export type Transport = 'fetch' | 'xhr' | 'eventsource';

/** How the body is framed into events. */
export type StreamFormat = 'sse' | 'ndjson';

/**
 * Life-cycle state of a connection.
 * - `open`: headers received, the page is still reading.
 * - `completed`: the body ended normally.
 * - `cancelled`: the page cancelled its reader (or the body stream), or called `EventSource.close()`.
 * - `aborted`: the request was aborted (`AbortController`, `xhr.abort()`, or `xhr.open()` again).
 * - `error`: a network error, an HTTP error status, an XHR timeout, or an `EventSource` that gave up
 *   (its page is not told why: status, media type and network failures look the same).
 */
export type ConnectionState = 'open' | 'completed' | 'cancelled' | 'aborted' | 'error';

/** States after which nothing more arrives. */
export const ENDED_STATES: readonly ConnectionState[] = ['completed', 'cancelled', 'aborted', 'error'];

/** Header name → value, names lower-cased, repeated headers joined with `, ` as `Headers` does. */
export type HeaderMap = Record<string, string>;

/**
 * What is known about a connection when the page starts reading its stream.
 * For `eventsource` the page cannot observe request headers, status or response headers: they are
 * `{}`, `0`, `''` and `{}` (never guessed), and `bytes` stays 0.
 */
export interface ConnectionInfo {
  /** Unique across all documents: `<agent token>:<counter>`. */
  id: string;
  transport: Transport;
  format: StreamFormat;
  /** Final response URL (after redirects), as `Response.url` reports it. */
  url: string;
  method: string;
  requestHeaders: HeaderMap;
  /** Request body as text when it was text-like; `null` when absent or not capturable. */
  requestBody: string | null;
  status: number;
  statusText: string;
  responseHeaders: HeaderMap;
  /**
   * URL of the frame (document) that read the stream. `about:blank` and `about:srcdoc` frames, whose
   * URL says nothing about where they are, are followed by the origin they inherited:
   * `about:srcdoc (https://app.example.com)`.
   */
  frameUrl: string;
  /** When the request was made. */
  startedAt: number;
  /** When the response headers arrived. */
  headersAt: number;
  /**
   * Set on a connection imported from a file that holds its body but not when each part was read
   * (a HAR): its records' `time` is then `startedAt`, a placeholder every view shows as unknown and
   * no analysis uses. Absent on captures.
   */
  timesUnknown?: true;
  /**
   * Set when the response was not the network's but an override's replay (src/override.ts): the
   * override's id. The page received it as it would any other.
   */
  replayOf?: string;
}

/**
 * Kind of a record in a stream's timeline.
 * - `event`: an event the WHATWG rules dispatch (as native `EventSource` would), or one NDJSON line.
 * - `comment`: a `:` comment line (heartbeats like `: ping`).
 * - `retry`: a valid `retry:` field.
 * - `open`: a native `EventSource` fired `open` (a connection attempt succeeded).
 * - `error`: a native `EventSource` fired `error`; `data` is `reconnecting` (the browser will try again:
 *   the next records belong to the next `attempt`) or `closed` (it gave up).
 */
export type StreamRecordKind = 'event' | 'comment' | 'retry' | 'open' | 'error';

/** One entry of a stream's timeline, in the order the page read it. */
export interface StreamRecord {
  /** 1-based position in the connection's timeline; lets every consumer drop duplicates. */
  seq: number;
  kind: StreamRecordKind;
  /** The last event ID in force when this record was read (WHATWG "last event ID string"). */
  id: string;
  /** Event type (`message` by default); empty for comments and retry records. */
  type: string;
  /** Event data, comment text, or the retry value as text. */
  data: string;
  /** When the page read the chunk that completed this record (epoch ms). */
  time: number;
  /** Reconnection time in ms, for `retry` records. */
  retry?: number;
  /** Set when `data` was cut to the per-event limit; the original length in UTF-16 units. */
  truncatedFrom?: number;
  /**
   * `eventsource` connections only: the connection attempt (1-based) this record belongs to. One
   * `EventSource` is one connection however often it reconnects; each reconnect starts a new attempt.
   */
  attempt?: number;
}

/** How a connection ended. */
export interface ConnectionEnd {
  state: Exclude<ConnectionState, 'open'>;
  /** Error name and message, for `aborted` and `error`. */
  error: string | null;
  endedAt: number;
}

/**
 * One read of a stream's body, as the page read it: the text it decoded to and when.
 * Each connection has one streaming UTF-8 decoder, so a character split across two reads belongs to
 * the read that completed it; the text is otherwise exactly the bytes of that read. The chunks of a
 * connection are what the page read, in order: events, the chunk view, raw export, HAR, diagnosis and
 * replay are all derived from them. `eventsource` connections have none (the page never sees bytes).
 */
export interface StreamChunk {
  /** 1-based position among the connection's chunks; lets every consumer drop duplicates. */
  seq: number;
  /** When the page read it (epoch ms, `performance.timeOrigin + performance.now()`). */
  time: number;
  text: string;
}
