import type { StreamChunk, StreamRecord } from '../model';
import { redactUrl } from './redact';
import type { ExportableConnection } from './write-export';

/** A piece of a body with the time the page read it (epoch ms). */
export type TimedText = Pick<StreamChunk, 'time' | 'text'>;

/** What a body is rebuilt from: the chunks the page read, or (without them) the records serialised again. */
export interface ConnectionBody {
  pieces: TimedText[];
  from: 'chunks' | 'records';
}

/**
 * A connection's body as timed pieces: its chunks, the exact text the page read, when the capture has
 * them; otherwise each record serialised again at the time it was read (see `recordsToPieces`).
 */
export function bodyOf(
  connection: Pick<ExportableConnection, 'info' | 'records' | 'chunks'>,
): ConnectionBody {
  if (connection.chunks?.length) {
    return { pieces: connection.chunks.map(({ time, text }) => ({ time, text })), from: 'chunks' };
  }
  return { pieces: recordsToPieces(connection), from: 'records' };
}

/**
 * Records as text a server could have sent, one piece per record at its read time: `text/event-stream`
 * for SSE, one JSON line per event for NDJSON. Parsing it again gives the same events (id, type,
 * data), comments and retry values; chunk boundaries, the original line endings and unknown fields
 * are not kept.
 */
export function recordsToPieces(connection: Pick<ExportableConnection, 'info' | 'records'>): TimedText[] {
  if (connection.info.format === 'ndjson') {
    return connection.records
      .filter((r) => r.kind === 'event')
      .map((r) => ({ time: r.time, text: `${r.data}\n` }));
  }
  const pieces: TimedText[] = [];
  let lastId = '';
  for (const record of connection.records) {
    const text = recordToSse(record, lastId);
    lastId = record.id;
    if (text) pieces.push({ time: record.time, text });
  }
  return pieces;
}

/**
 * One connection's stream as text: exactly what the page read when the capture kept its chunks,
 * otherwise its records serialised again (see `recordsToPieces`).
 */
export function connectionToStreamText(
  connection: Pick<ExportableConnection, 'info' | 'records' | 'chunks'>,
): string {
  return bodyOf(connection)
    .pieces.map((piece) => piece.text)
    .join('');
}

function recordToSse(record: StreamRecord, lastId: string): string {
  // The last event ID persists across events (WHATWG), so `id:` is written only where it changed. An
  // event takes the id of its own block; a comment or retry line shows the id already dispatched, so
  // its new id goes in a block of its own first (a block without data dispatches only the id).
  const id = record.id !== lastId ? `id: ${record.id}\n` : '';
  switch (record.kind) {
    case 'comment':
      return `${id ? `${id}\n` : ''}: ${record.data}\n`;
    case 'retry':
      return `${id ? `${id}\n` : ''}retry: ${record.data}\n`;
    case 'open':
    case 'error':
      // A native EventSource's connection events are not bytes of the stream.
      return '';
    case 'event': {
      const type = record.type === 'message' ? '' : `event: ${record.type}\n`;
      // The parser joined the data lines with LF; one `data:` line per line gives them back.
      const data = record.data
        .split('\n')
        .map((line) => `data: ${line}\n`)
        .join('');
      return `${id}${type}${data}\n`;
    }
  }
}

/**
 * Several connections' streams one after the other, each introduced by an SSE comment naming it
 * (`: GET https://…`, secret parameters redacted unless `includeSecrets`), so the whole file is still a
 * valid event stream.
 */
export function connectionsToStreamText(
  connections: readonly Pick<ExportableConnection, 'info' | 'records' | 'chunks'>[],
  includeSecrets = false,
): string {
  if (connections.length === 1 && connections[0]) return connectionToStreamText(connections[0]);
  return connections
    .map(
      (c) =>
        `: ${c.info.method} ${redactUrl(c.info.url, includeSecrets)} (${c.info.id})\n\n${connectionToStreamText(c)}`,
    )
    .join('\n');
}
