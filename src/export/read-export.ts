import { IMPORT_LIMITS } from '../limits';
import type { StreamRecord } from '../model';
import { EXPORT_VERSION, type ExportedConnection, type ExportFile, exportFileSchema } from './schema';
import type { ExportableConnection } from './write-export';

// The limits live with every other bound on untrusted data; re-exported for the importers.
export { IMPORT_LIMITS };

/** Why a file was refused. */
export type ImportProblem =
  /** Bigger than `IMPORT_LIMITS.maxBytes`. */
  | { reason: 'too-large'; size: number; limit: number }
  /** Not JSON at all. */
  | { reason: 'not-json'; detail: string }
  /** JSON, but not an SSE DevTools export (a HAR file, some other tool's JSON…). */
  | { reason: 'foreign' }
  /** An SSE DevTools export of a version this reader does not know. */
  | { reason: 'unsupported-version'; version: string }
  /** More connections or records than `IMPORT_LIMITS` allows. */
  | { reason: 'too-many'; what: 'connections' | 'records'; count: number; limit: number }
  /** Claims to be an export but a field is missing or wrong: `detail` names the first one. */
  | { reason: 'invalid'; detail: string };

/** The outcome of reading an export file. */
export type ImportResult =
  | { ok: true; file: ExportFile; connections: ExportableConnection[] }
  | { ok: false; problem: ImportProblem };

const refuse = (problem: ImportProblem): ImportResult => ({ ok: false, problem });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the text of an export file (docs/export-format.md): checks its size, that it is JSON, that it
 * is our format and version, counts what it holds against `IMPORT_LIMITS`, validates it with the
 * schema, and turns it back into connections as the panel holds them. Never throws.
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
    return refuse({ reason: 'not-json', detail: error instanceof Error ? error.message : String(error) });
  }
  if (!isObject(raw) || !('version' in raw) || !Array.isArray(raw.connections)) {
    return refuse({ reason: 'foreign' });
  }
  if (raw.version !== EXPORT_VERSION) {
    return refuse({ reason: 'unsupported-version', version: JSON.stringify(raw.version) ?? 'undefined' });
  }
  const connectionCount = raw.connections.length;
  if (connectionCount > IMPORT_LIMITS.maxConnections) {
    return refuse({
      reason: 'too-many',
      what: 'connections',
      count: connectionCount,
      limit: IMPORT_LIMITS.maxConnections,
    });
  }
  let recordCount = 0;
  for (const connection of raw.connections) {
    if (isObject(connection) && Array.isArray(connection.events)) recordCount += connection.events.length;
  }
  if (recordCount > IMPORT_LIMITS.maxRecords) {
    return refuse({
      reason: 'too-many',
      what: 'records',
      count: recordCount,
      limit: IMPORT_LIMITS.maxRecords,
    });
  }

  const parsed = exportFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue ? issue.path.map(String).join('.') : '';
    return refuse({ reason: 'invalid', detail: `${path || '(file)'}: ${issue?.message ?? 'invalid'}` });
  }
  const seen = new Set<string>();
  for (const [index, connection] of parsed.data.connections.entries()) {
    if (seen.has(connection.id)) {
      return refuse({ reason: 'invalid', detail: `connections.${index}.id: duplicate id ${connection.id}` });
    }
    seen.add(connection.id);
  }
  return { ok: true, file: parsed.data, connections: parsed.data.connections.map(importConnection) };
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
