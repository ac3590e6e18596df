/**
 * Every bound on data a page (or a file the user imports) controls, in one place (docs/architecture.md
 * principle 5). A page can send anything: an endless line, millions of events, thousands of streams,
 * forged batches. Each limit below says what happens beyond it; nothing beyond a limit is lost
 * silently: a cut record says so (`truncatedFrom`), and records left out of a connection are counted
 * by the panel from the connection's `lastSeq`. docs/reliability.md lists each limit with the test
 * that proves it.
 *
 * Lengths of text are in UTF-16 code units (`string.length`), which is what memory and messages cost.
 */

/** Bounds on what one stream may make the parser hold (src/sse). */
export interface ParserLimits {
  /**
   * Longest data of one record (event data, comment text, NDJSON line). Beyond it, the rest is not
   * kept and the record's `truncatedFrom` says how long it was. A line without a line ending holds at
   * most this much (plus a few characters for its field name) however long it grows.
   */
  maxEventChars: number;
}

/** 4 Mi characters: a whole LLM answer or a large JSON document fits; a runaway line does not. */
export const DEFAULT_PARSER_LIMITS: ParserLimits = { maxEventChars: 4 * 1024 * 1024 };

/** Longest request body the agent records as text; the rest is not kept (a 1 MiB prompt still fits). */
export const MAX_REQUEST_BODY_CHARS = 1024 * 1024;

// Bounds on the page agent's batches to the relay (content-scripts/agent/channel.ts), one constant
// each: the agent runs in every frame, and the minifier writes a constant's value where it is used,
// where an object's properties are read from the object.

/**
 * Messages are posted at most this often (ms) while a stream is fast: one message per token is slow
 * (docs/architecture.md, pitfalls). The first item after a quiet spell is posted at once (in the next task).
 */
export const AGENT_FLUSH_DELAY_MS = 20;
/**
 * After a small batch (fewer than AGENT_LARGE_BATCH_RECORDS records and AGENT_LARGE_BATCH_BYTES body
 * bytes), the next may follow this soon (ms): a slow stream (an LLM's tokens) reaches the panel
 * sooner, with few enough messages (docs/performance.md, figure 4).
 */
export const AGENT_QUICK_FLUSH_DELAY_MS = 8;
export const AGENT_LARGE_BATCH_RECORDS = 100;
export const AGENT_LARGE_BATCH_BYTES = 16 * 1024;
/**
 * Body bytes queued that post their message in the next task, whatever the delay: the relay gives a
 * message's buffers back once it has decoded them, so a fast stream reuses a few buffers instead of
 * writing each read into fresh memory (issue 11).
 */
export const AGENT_FLUSH_BYTES = 2 * 1024 * 1024;
/** Reads are copied into buffers (slabs) of at least this size… */
export const AGENT_MIN_SLAB_BYTES = 4 * 1024;
/** …and at most this size, unless one read is larger. */
export const AGENT_MAX_SLAB_BYTES = 1024 * 1024;
/**
 * Buffers given back by the relay that the agent holds for reuse, while a stream is open. A fast
 * stream's reads are up to some 2 MB each (Chromium, loopback): a few of them must fit.
 */
export const AGENT_SLAB_POOL_BYTES = 8 * 1024 * 1024;

/**
 * Agent messages the relay's first part holds while the relay proper loads (content-scripts/relay.ts).
 * A load takes milliseconds, but a machine under heavy load was seen to take seconds, while a page
 * reading four fast streams posted some hundreds of messages a second: a bound of 1 000 dropped some,
 * and with them events, without a word. This bounds only a load that never ends (minutes of posting).
 */
export const RELAY_MAX_PENDING_MESSAGES = 100_000;

/**
 * Replays one document's relay serves at once (content-scripts/relay-replay.ts): each holds a
 * schedule and a body stream. A page starting more (it can loop on a matched URL) gets network
 * errors for them until some end.
 */
export const MAX_RUNNING_REPLAYS = 256;

/**
 * How the relay posts capture messages to the panel (content-scripts/relay-main.ts): posting decodes
 * and serialises on the page's thread.
 */
export const RELAY_POST_LIMITS = {
  /** Time one task may spend posting before it yields to the page (ms). */
  sliceMs: 8,
  /**
   * While the page is reading (agent messages within the last `readingWindowMs`), posting takes at
   * most this share of its thread: a runtime port serialises some 20–25 ns per character here
   * (Chromium 150), so a panel following a 50 MB stream at full speed took more of the page's thread
   * than the read itself. The panel then lags behind such a flood, never behind a stream of usual pace
   * (figure 4: 1 000 events/s is some 3 ms of posting per second).
   */
  shareWhileReading: 0.25,
  readingWindowMs: 50,
  /**
   * For this long after the page starts reading (after a pause of `readingWindowMs`), messages larger
   * than `atOnceChars` wait until it pauses: a burst this short (50 MB read in some 80 ms, figure 1a
   * with a panel watching) is not slowed by posting at all, as the other processes that receive a
   * message (service worker, panel) took the page's share of 2 cores too. A longer burst then gets its
   * share, so the panel follows a flood that goes on; small messages always go at once (figure 4).
   */
  burstGraceMs: 250,
  /** A message of at most this many characters may be posted in the task that made it (some 1 ms). */
  atOnceChars: 32 * 1024,
  /**
   * Characters of live items the relay holds for posting. A flood read faster than posting goes
   * (its share of the page's thread is some 6 MB/s) filled the outbox without bound: a 500 MB
   * stream with a panel watching took 1 GB of the page's memory, 600 MB more than with no panel.
   * Past this, the chunks and records the page reads are only buffered, not posted (the panel
   * counts what it did not get); starts and ends still go. A flood of some 100 MB still reaches a
   * watching panel whole.
   */
  maxQueuedChars: 128 * 1024 * 1024,
} as const;

/**
 * Longest wait (ms) of the panel's captures for a frame to be applied in (panel/background-link.ts):
 * a frame may be late, or not come while the panel is hidden.
 */
export const PANEL_APPLY_WAIT_MS = 100;

/** Bounds on one document's relay (content-scripts/relay-core.ts). */
export interface RelayLimits {
  /**
   * Connections of one document open at once. A connection that starts beyond it is not forwarded
   * and counted in `RelayCore.droppedConnections`, which the panel shows beside its stream count
   * ("N not captured"); one slot frees when any open connection ends.
   */
  maxOpenConnections: number;
  /**
   * Characters a page controls (chunk text, record fields, URLs, headers, bodies) in one message to
   * the service worker. Larger batches and snapshots are split: Chrome refuses an extension message
   * over 64 MiB of JSON, and escaping can make a character six bytes of JSON.
   */
  maxMessageChars: number;
  /**
   * Longest chunk: one read (an XHR's `responseText` can grow by megabytes at once) beyond it is kept
   * as several chunks with the same read time, so that any chunk fits in a message.
   */
  maxChunkChars: number;
  /**
   * Longest URL kept in a connection's info (a `data:` URL can be megabytes); cut with `…`. Method and
   * status text are cut to it too.
   */
  maxUrlChars: number;
  /**
   * Longest last event ID and type kept of an EventSource record (the browser bounds neither; data is
   * cut to maxEventChars), so that one record always fits in a message; cut with `…`.
   */
  maxRecordFieldChars: number;
  /**
   * Characters of one header map (names and values, request or response). Headers beyond it are left
   * out, and an entry named `…` (never a valid header name) says how many.
   */
  maxHeaderChars: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  maxOpenConnections: 10_000,
  // 1 Mi: a message serialises on the page's thread in a few milliseconds (docs/performance.md).
  maxMessageChars: 1024 * 1024,
  maxChunkChars: 1024 * 1024,
  maxUrlChars: 64 * 1024,
  maxRecordFieldChars: 64 * 1024,
  maxHeaderChars: 256 * 1024,
};

/** Bounds on what one document's relay keeps for a panel that opens later (content-scripts/capture-buffer.ts). */
export interface CaptureBufferLimits {
  /** Chunks and records kept across all connections of the document. */
  maxEntries: number;
  /**
   * Characters a page controls kept across all connections of the document: chunk text, EventSource
   * record data, ids and types, and each connection's URLs, headers and request body.
   */
  maxChars: number;
}

/**
 * 100 000 chunks or records and 32 Mi characters (up to 64 MiB) per document. When full, the oldest
 * ended connections are evicted first (a panel that opens later does not list them at all); then a
 * connection's new chunks are not kept from the first that does not fit (a watching panel still gets
 * them live; a later panel is told how many it lacks), and a connection that starts is not kept.
 */
export const DEFAULT_BUFFER_LIMITS: CaptureBufferLimits = { maxEntries: 100_000, maxChars: 32 * 1024 * 1024 };

/**
 * Share of the relay's buffer (in characters or in entries) that, filled before the service worker
 * said whether a panel watches, sends the buffer at once (content-scripts/relay-link.ts, `pressure`):
 * the rest of the buffer leaves room for what the page reads while that is posted.
 */
export const UNANSWERED_BUFFER_SHARE = 0.5;

/**
 * Bounds on what the panel holds (panel/capture-model.ts), set by the user in the panel's Settings
 * and kept in the panel's own storage. They apply to chunks and records as they arrive: one beyond
 * them is not kept, and the connection counts it as not kept (nothing already shown is removed; Clear
 * frees room). Imported files count towards the total but are bounded by IMPORT_LIMITS instead.
 */
export interface PanelLimits {
  /** Characters of one record's data kept; the rest is cut and `truncatedFrom` says how long it was. */
  maxEventChars: number;
  /** Records (events, comments, retry) kept per connection. */
  maxRecordsPerConnection: number;
  /**
   * Memory for what the panel keeps of all connections, in bytes: 2 per character a page controls
   * (a record's data, id and type; a chunk's text; a connection's URLs, headers and request body)
   * plus PANEL_RECORD_OVERHEAD_BYTES per record, chunk or connection (the objects holding them).
   * Chunks are kept only while the panel holds less than PANEL_CHUNK_SHARE of it; the events parsed
   * from them are bounded on their own.
   */
  maxTotalBytes: number;
}

/**
 * Chunks are kept only while what the panel holds is under this share of PanelLimits.maxTotalBytes,
 * so that a large body never leaves the events parsed from it (what a user reads first) without room.
 */
export const PANEL_CHUNK_SHARE = 0.5;

/** What one record, chunk or connection costs the panel beyond its text: an estimate of the objects holding it. */
export const PANEL_RECORD_OVERHEAD_BYTES = 128;

/**
 * Connections one panel lists at most (every frame of the tab together: each document's relay has
 * its own bounds, and a page with many frames would multiply them). Beyond it a connection is not
 * kept and counted beside the stream count, as the relays' are.
 */
export const PANEL_MAX_CONNECTIONS = 10_000;

/** The defaults: whatever the page side lets through per event and per connection, and 250 MB in all. */
export const DEFAULT_PANEL_LIMITS: PanelLimits = {
  maxEventChars: DEFAULT_PARSER_LIMITS.maxEventChars,
  maxRecordsPerConnection: 100_000,
  maxTotalBytes: 250_000_000,
};

/**
 * What the user may set each panel limit to. The upper ends are the page side's own bounds (more
 * never arrives) and a total a DevTools window can hold.
 */
export const PANEL_LIMIT_RANGES: Record<keyof PanelLimits, { min: number; max: number }> = {
  maxEventChars: { min: 1000, max: DEFAULT_PARSER_LIMITS.maxEventChars },
  maxRecordsPerConnection: { min: 100, max: 1_000_000 },
  maxTotalBytes: { min: 10_000_000, max: 2_000_000_000 },
};

/**
 * Bounds on a file the user imports (src/export/read-export.ts). A file is untrusted input that may
 * have been edited or come from anywhere, so it is measured before it is parsed or validated; a file
 * beyond a bound is refused whole, with the reason, and nothing in the panel changes.
 */
export const IMPORT_LIMITS = {
  /** Largest file read (bytes). An export of 100 000 typical LLM token events is about 30 MB. */
  maxBytes: 100_000_000,
  /** Most connections in one file. */
  maxConnections: 10_000,
  /** Most timeline records (events, comments, retry) over all connections of one file. */
  maxRecords: 500_000,
} as const;

/**
 * Bounds on walking JSON a page sent (src/bounded-json.ts). `JSON.parse` takes any depth, but every
 * recursive walk over the result (`JSON.stringify`, a flattening, a rendered tree) overflows the stack
 * somewhere past a few thousand levels: one event nested 20 000 deep would make export throw.
 */
export const JSON_WALK_LIMITS = {
  /** Deepest nesting walked; deeper values are left out (`…`) or shown as raw text. */
  maxNesting: 100,
  /** Longest JSON text made for a message such as a provider's error (the rest is cut, `…`). */
  maxSummaryChars: 2000,
} as const;

/**
 * Longest answer text the Message view renders as Markdown (UTF-16 code units); a longer one is
 * shown raw, since parsing it again on every streamed update would hold up the panel.
 */
export const MARKDOWN_MAX_CHARS = 200_000;
