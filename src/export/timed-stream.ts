/**
 * The timed stream: each connection's body as the page read it, chunk by chunk, with when it read
 * each chunk, in JSON lines (docs/export-format.md, "Timed stream"). The replay server and the import
 * both read it; it is small, streamable and readable with `jq`.
 */
import { z } from 'zod';
import type { ConnectionState } from '../model';
import { recordsOfChunks } from '../sse/parse-chunks';
import { type ExportedConnection, exportedChunkSchema, exportedConnectionSchema } from './schema';
import { bodyOf } from './sse-text';
import { type ExportableConnection, exportConnection, exportRecord } from './write-export';

/** Version of the timed-stream format, in every connection line. */
export const TIMED_STREAM_VERSION = 1;

/** The first line of each connection: its request and response, as in the export file. */
export const timedStreamConnectionSchema = exportedConnectionSchema
  .pick({
    id: true,
    transport: true,
    format: true,
    url: true,
    method: true,
    requestHeaders: true,
    requestBody: true,
    status: true,
    statusText: true,
    responseHeaders: true,
    frameUrl: true,
    startedAt: true,
    bytes: true,
    recordsNotKept: true,
    chunksNotKept: true,
    timesUnknown: true,
  })
  .extend({
    type: z.literal('connection'),
    timedStream: z.literal(TIMED_STREAM_VERSION),
    /**
     * `chunks`: the chunk lines are exactly what the page read. `records`: the capture kept no chunks
     * (a native EventSource, or a capture made before chunks were kept), so each record was written
     * again as stream text at the time it was read.
     */
    body: z.enum(['chunks', 'records']),
  });

/** One read of the body: its text and when, in ms since the connection started. */
export const timedStreamChunkSchema = exportedChunkSchema.extend({ type: z.literal('chunk') });

/** How the connection ended; absent while it was still open. */
export const timedStreamEndSchema = z.object({
  type: z.literal('end'),
  elapsedMs: z.number(),
  state: z.enum(['completed', 'cancelled', 'aborted', 'error']),
  error: z.string().nullable(),
});

export type TimedStreamConnection = z.infer<typeof timedStreamConnectionSchema>;
export type TimedStreamChunk = z.infer<typeof timedStreamChunkSchema>;
export type TimedStreamEnd = z.infer<typeof timedStreamEndSchema>;

const elapsed = (time: number, startedAt: number) => Math.round((time - startedAt) * 1000) / 1000;

/** The timed stream of these connections (secrets redacted unless `includeSecrets`), one JSON value a line. */
export function buildTimedStream(
  connections: readonly ExportableConnection[],
  includeSecrets = false,
): string {
  const lines: string[] = [];
  for (const connection of connections) {
    const { info, end } = connection;
    const exported = exportConnection(connection, includeSecrets);
    const body = bodyOf(connection);
    const head: TimedStreamConnection = {
      type: 'connection',
      timedStream: TIMED_STREAM_VERSION,
      id: exported.id,
      transport: exported.transport,
      format: exported.format,
      method: exported.method,
      url: exported.url,
      requestHeaders: exported.requestHeaders,
      requestBody: exported.requestBody,
      status: exported.status,
      statusText: exported.statusText,
      responseHeaders: exported.responseHeaders,
      frameUrl: exported.frameUrl,
      startedAt: exported.startedAt,
      bytes: exported.bytes,
      body: body.from,
      ...(exported.recordsNotKept && { recordsNotKept: exported.recordsNotKept }),
      ...(exported.chunksNotKept && { chunksNotKept: exported.chunksNotKept }),
      ...(exported.timesUnknown && { timesUnknown: true as const }),
    };
    lines.push(JSON.stringify(head));
    for (const piece of body.pieces) {
      const chunk: TimedStreamChunk = {
        type: 'chunk',
        elapsedMs: elapsed(piece.time, info.startedAt),
        text: piece.text,
      };
      lines.push(JSON.stringify(chunk));
    }
    if (end) {
      const last: TimedStreamEnd = {
        type: 'end',
        elapsedMs: elapsed(end.endedAt, info.startedAt),
        state: end.state,
        error: end.error,
      };
      lines.push(JSON.stringify(last));
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Whether a file's first line opens a timed stream (the rest is checked by `readTimedStream`). */
export function looksLikeTimedStream(text: string): boolean {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n')).trim();
  try {
    const value: unknown = JSON.parse(firstLine);
    return typeof value === 'object' && value !== null && 'timedStream' in value;
  } catch {
    return false;
  }
}

/** A timed stream's connection, with the chunks and end read for it. */
export interface TimedStreamEntry {
  head: TimedStreamConnection;
  chunks: TimedStreamChunk[];
  end: TimedStreamEnd | null;
}

/** What reading a timed stream gave: its connections, or the first line that is wrong. */
export type TimedStreamResult =
  | { ok: true; entries: TimedStreamEntry[] }
  | { ok: false; line: number; detail: string };

const anyLineSchema = z.discriminatedUnion('type', [
  timedStreamConnectionSchema,
  timedStreamChunkSchema,
  timedStreamEndSchema,
]);

/** Reads the lines of a timed stream; never throws. Blank lines are ignored. */
export function readTimedStream(text: string): TimedStreamResult {
  const entries: TimedStreamEntry[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const number = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      return { ok: false, line: number, detail: error instanceof Error ? error.message : String(error) };
    }
    const parsed = anyLineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.map(String).join('.') || '(line)';
      return { ok: false, line: number, detail: `${path}: ${issue?.message ?? 'invalid'}` };
    }
    const item = parsed.data;
    const current = entries.at(-1);
    if (item.type === 'connection') entries.push({ head: item, chunks: [], end: null });
    else if (!current) return { ok: false, line: number, detail: 'a connection line must come first' };
    else if (current.end) return { ok: false, line: number, detail: 'after the end of its connection' };
    else if (item.type === 'chunk') current.chunks.push(item);
    else current.end = item;
  }
  return { ok: true, entries };
}

/**
 * A timed-stream connection as an export-file connection: its events rebuilt from its chunks at their
 * times by the capture's parser. Beyond `maxRecords` records are only counted (`recordCount`).
 */
export function timedStreamEntryToConnection(
  { head, chunks, end }: TimedStreamEntry,
  maxRecords = Number.POSITIVE_INFINITY,
): { connection: ExportedConnection; recordCount: number } {
  const startedAt = Date.parse(head.startedAt);
  const state: ConnectionState = end?.state ?? 'open';
  const endTime = startedAt + (end?.elapsedMs ?? chunks.at(-1)?.elapsedMs ?? 0);
  const parsed = recordsOfChunks(
    head.format,
    chunks.map((chunk) => ({ time: startedAt + chunk.elapsedMs, text: chunk.text })),
    state === 'completed',
    endTime,
    maxRecords,
  );
  const events = parsed.records.map((record) => exportRecord(record, startedAt));
  const connection: ExportedConnection = {
    id: head.id,
    transport: head.transport,
    format: head.format,
    url: head.url,
    method: head.method,
    requestHeaders: head.requestHeaders,
    requestBody: head.requestBody,
    status: head.status,
    statusText: head.statusText,
    responseHeaders: head.responseHeaders,
    frameUrl: head.frameUrl,
    startedAt: head.startedAt,
    endedAt: end ? new Date(endTime).toISOString() : null,
    state,
    error: end?.error ?? null,
    bytes: head.bytes,
    ...(head.recordsNotKept && { recordsNotKept: head.recordsNotKept }),
    events,
    // Chunks rebuilt from records are not what the page read: only real ones are kept as chunks.
    ...(head.body === 'chunks' && {
      chunks: chunks.map(({ elapsedMs, text }) => ({ elapsedMs, text })),
    }),
    ...(head.chunksNotKept && { chunksNotKept: head.chunksNotKept }),
    ...(head.timesUnknown && { timesUnknown: true as const }),
  };
  return { connection, recordCount: parsed.count };
}
