import { IMPORT_LIMITS } from '../limits';
import type { StreamRecord } from '../model';
import { looksLikeHar, readHarEntry } from './har';
import { EXPORT_VERSION, type ExportedConnection, type ExportFile, exportFileSchema } from './schema';
import { looksLikeTimedStream, readTimedStream, timedStreamEntryToConnection } from './timed-stream';
import type { ExportableConnection } from './write-export';

// The limits live with every other bound on untrusted data; re-exported for the importers.
export { IMPORT_LIMITS };

/** The kinds of file an import reads. */
export type ImportFormat =
  /** Our JSON export (docs/export-format.md). */
  | 'export'
  /** A HAR 1.2 file: ours, Chrome's Network ▸ Export HAR, Playwright's `recordHar`… */
  | 'har'
  /** Our timed stream (JSON lines). */
  | 'timed-stream';

/** Why a file was refused. */
export type ImportProblem =
  /** Bigger than `IMPORT_LIMITS.maxBytes`. */
  | { reason: 'too-large'; size: number; limit: number }
  /** Not JSON at all. */
  | { reason: 'not-json'; detail: string }
  /** JSON, but neither an SSE DevTools export, a HAR nor a timed stream (some other tool's JSON…). */
  | { reason: 'foreign' }
  /** A HAR whose entries hold no event stream or NDJSON response. */
  | { reason: 'no-streams'; entries: number }
  /** An SSE DevTools export of a version this reader does not know. */
  | { reason: 'unsupported-version'; version: string }
  /** More connections or records than `IMPORT_LIMITS` allows. */
  | { reason: 'too-many'; what: 'connections' | 'records'; count: number; limit: number }
  /** Claims to be a file of `format` but a field is missing or wrong: `detail` names the first one. */
  | { reason: 'invalid'; format: ImportFormat; detail: string };

/** The outcome of reading a file to import. */
export type ImportResult =
  | { ok: true; format: 'export'; file: ExportFile; connections: ExportableConnection[] }
  | { ok: true; format: 'har' | 'timed-stream'; connections: ExportableConnection[] }
  | { ok: false; problem: ImportProblem };

const refuse = (problem: ImportProblem): ImportResult => ({ ok: false, problem });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const tooManyConnections = (count: number): ImportResult =>
  refuse({ reason: 'too-many', what: 'connections', count, limit: IMPORT_LIMITS.maxConnections });
const tooManyRecords = (count: number): ImportResult =>
  refuse({ reason: 'too-many', what: 'records', count, limit: IMPORT_LIMITS.maxRecords });

/** The first duplicate connection id, as a refusal, or null. */
function duplicateId(connections: readonly ExportedConnection[], format: ImportFormat): ImportResult | null {
  const seen = new Set<string>();
  for (const [index, connection] of connections.entries()) {
    if (seen.has(connection.id)) {
      return refuse({
        reason: 'invalid',
        format,
        detail: `connections.${index}.id: duplicate id ${connection.id}`,
      });
    }
    seen.add(connection.id);
  }
  return null;
}

/**
 * Reads the text of a file to import: our export (docs/export-format.md), a HAR, or a timed stream.
 * Checks its size, that it is one of those, counts what it holds against `IMPORT_LIMITS`, validates
 * it, and turns it back into connections as the panel holds them. A file beyond a limit or not valid
 * is refused whole, with the reason. Never throws.
 *
 * @param byteSize the file's size as the file system reports it (checked before anything is parsed).
 */
export function readExportText(text: string, byteSize: number): ImportResult {
  if (byteSize > IMPORT_LIMITS.maxBytes) {
    return refuse({ reason: 'too-large', size: byteSize, limit: IMPORT_LIMITS.maxBytes });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // Several JSON values, one a line: a timed stream, or not JSON at all.
    if (looksLikeTimedStream(text)) return readTimedStreamText(text);
    return refuse({ reason: 'not-json', detail: error instanceof Error ? error.message : String(error) });
  }
  if (looksLikeHar(raw)) return readHar(raw as { log: { entries: unknown[] } });
  // A timed stream of one open connection without chunks is a single JSON line.
  if (isObject(raw) && 'timedStream' in raw) return readTimedStreamText(text);
  if (!isObject(raw) || !('version' in raw) || !Array.isArray(raw.connections)) {
    return refuse({ reason: 'foreign' });
  }
  if (raw.version !== EXPORT_VERSION) {
    return refuse({ reason: 'unsupported-version', version: JSON.stringify(raw.version) ?? 'undefined' });
  }
  const connectionCount = raw.connections.length;
  if (connectionCount > IMPORT_LIMITS.maxConnections) return tooManyConnections(connectionCount);
  let recordCount = 0;
  for (const connection of raw.connections) {
    if (isObject(connection) && Array.isArray(connection.events)) recordCount += connection.events.length;
  }
  if (recordCount > IMPORT_LIMITS.maxRecords) return tooManyRecords(recordCount);

  const parsed = exportFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue ? issue.path.map(String).join('.') : '';
    return refuse({
      reason: 'invalid',
      format: 'export',
      detail: `${path || '(file)'}: ${issue?.message ?? 'invalid'}`,
    });
  }
  const duplicate = duplicateId(parsed.data.connections, 'export');
  if (duplicate) return duplicate;
  return {
    ok: true,
    format: 'export',
    file: parsed.data,
    connections: parsed.data.connections.map(importConnection),
  };
}

/**
 * A HAR file's stream entries (`text/event-stream`, NDJSON) as connections; every other entry is
 * skipped. Records are counted while they are parsed, and beyond the limit only counted.
 */
function readHar(har: { log: { entries: unknown[] } }): ImportResult {
  const connections: ExportedConnection[] = [];
  let recordCount = 0;
  for (const [index, raw] of har.log.entries.entries()) {
    const room = Math.max(0, IMPORT_LIMITS.maxRecords - recordCount);
    const result = readHarEntry(raw, index, room);
    if (result.kind === 'not-a-stream') continue;
    if (result.kind === 'problem') {
      return refuse({
        reason: 'invalid',
        format: 'har',
        detail: `${result.problem.path}: ${result.problem.message}`,
      });
    }
    connections.push(result.connection);
    recordCount += result.recordCount;
  }
  if (connections.length === 0) return refuse({ reason: 'no-streams', entries: har.log.entries.length });
  if (connections.length > IMPORT_LIMITS.maxConnections) return tooManyConnections(connections.length);
  if (recordCount > IMPORT_LIMITS.maxRecords) return tooManyRecords(recordCount);
  const duplicate = duplicateId(connections, 'har');
  if (duplicate) return duplicate;
  return { ok: true, format: 'har', connections: connections.map(importConnection) };
}

/** A timed stream's connections (docs/export-format.md), events rebuilt from their chunks. */
function readTimedStreamText(text: string): ImportResult {
  const read = readTimedStream(text);
  if (!read.ok)
    return refuse({ reason: 'invalid', format: 'timed-stream', detail: `line ${read.line}: ${read.detail}` });
  if (read.entries.length > IMPORT_LIMITS.maxConnections) return tooManyConnections(read.entries.length);
  const connections: ExportedConnection[] = [];
  let recordCount = 0;
  for (const entry of read.entries) {
    const room = Math.max(0, IMPORT_LIMITS.maxRecords - recordCount);
    const { connection, recordCount: count } = timedStreamEntryToConnection(entry, room);
    connections.push(connection);
    recordCount += count;
  }
  if (recordCount > IMPORT_LIMITS.maxRecords) return tooManyRecords(recordCount);
  const duplicate = duplicateId(connections, 'timed-stream');
  if (duplicate) return duplicate;
  return { ok: true, format: 'timed-stream', connections: connections.map(importConnection) };
}

/** The largest epoch milliseconds a `Date` holds (ECMAScript: ±8.64e15); beyond it `toISOString` throws. */
const MAX_DATE_MS = 8.64e15;

/**
 * A record's time: from `elapsedMs`, which keeps the sub-millisecond precision that `time` (ISO,
 * whole ms) loses, unless an edited file put it outside what a `Date` holds; then from `time`.
 */
function timeOf(startedAt: number, event: ExportedConnection['events'][number]): number {
  const time = startedAt + event.elapsedMs;
  return Math.abs(time) <= MAX_DATE_MS ? time : Date.parse(event.time);
}

/** The inverse of `exportConnection`, as far as the file allows (header values redacted stay redacted). */
export function importConnection(connection: ExportedConnection): ExportableConnection {
  const startedAt = Date.parse(connection.startedAt);
  const records = connection.events.map((event, index): StreamRecord => {
    const record: StreamRecord = {
      seq: index + 1,
      kind: event.kind ?? 'event',
      id: event.id,
      type: event.type,
      data: event.data,
      time: timeOf(startedAt, event),
    };
    if (event.retry !== undefined) record.retry = event.retry;
    if (event.truncatedFrom !== undefined) record.truncatedFrom = event.truncatedFrom;
    if (event.attempt !== undefined) record.attempt = event.attempt;
    return record;
  });
  return {
    info: {
      id: connection.id,
      transport: connection.transport,
      format: connection.format,
      url: connection.url,
      method: connection.method,
      requestHeaders: connection.requestHeaders,
      requestBody: connection.requestBody,
      status: connection.status,
      statusText: connection.statusText,
      responseHeaders: connection.responseHeaders,
      frameUrl: connection.frameUrl,
      startedAt,
      // Not in the file; the headers arrived at some point between start and the first record.
      headersAt: startedAt,
      ...(connection.nextHopProtocol !== undefined && { nextHopProtocol: connection.nextHopProtocol }),
      ...(connection.timesUnknown && { timesUnknown: true as const }),
    },
    records,
    bytes: connection.bytes,
    ...(connection.recordsNotKept !== undefined && { recordsNotKept: connection.recordsNotKept }),
    ...(connection.chunks && {
      chunks: connection.chunks.map((chunk, index) => ({
        seq: index + 1,
        time: startedAt + chunk.elapsedMs,
        text: chunk.text,
      })),
    }),
    ...(connection.chunksNotKept !== undefined && { chunksNotKept: connection.chunksNotKept }),
    end:
      connection.state === 'open'
        ? null
        : {
            state: connection.state,
            error: connection.error,
            endedAt: connection.endedAt ? Date.parse(connection.endedAt) : startedAt,
          },
  };
}
