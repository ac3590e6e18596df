import type { StreamRecord } from '../model';
import { redactUrl } from './redact';
import type { ExportableConnection } from './write-export';

/**
 * One connection's stream as text a server could have sent: `text/event-stream` for SSE, one JSON
 * line per event for NDJSON. Parsing it again gives the same events (id, type, data), comments and
 * retry values; chunk boundaries, the original line endings and unknown fields are not kept.
 */
export function connectionToStreamText(connection: Pick<ExportableConnection, 'info' | 'records'>): string {
  if (connection.info.format === 'ndjson') {
    return connection.records
      .filter((r) => r.kind === 'event')
      .map((r) => `${r.data}\n`)
      .join('');
  }
  let out = '';
  let lastId = '';
  for (const record of connection.records) {
    out += recordToSse(record, lastId);
    lastId = record.id;
  }
  return out;
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
  connections: readonly Pick<ExportableConnection, 'info' | 'records'>[],
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
