import type { ConnectionEnd, ConnectionInfo, StreamRecord } from '../model';
import { redactHeaders } from './redact';
import { EXPORT_VERSION, type ExportedConnection, type ExportedEvent, type ExportFile } from './schema';

/** What the exporter needs of a captured connection. */
export interface ExportableConnection {
  info: ConnectionInfo;
  records: readonly StreamRecord[];
  bytes: number;
  end: ConnectionEnd | null;
}

export interface ExportOptions {
  /** Keep secret header values (Authorization, Cookie, API keys…); redacted by default. */
  includeSecrets?: boolean;
  tool: { name: string; version: string };
  now?: Date;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

function exportRecord(record: StreamRecord, startedAt: number): ExportedEvent {
  const out: ExportedEvent = {
    id: record.id,
    type: record.type,
    data: record.data,
    time: iso(record.time),
    elapsedMs: Math.round((record.time - startedAt) * 1000) / 1000,
  };
  if (record.kind !== 'event') out.kind = record.kind;
  if (record.retry !== undefined) out.retry = record.retry;
  if (record.truncatedFrom !== undefined) out.truncatedFrom = record.truncatedFrom;
  return out;
}

export function exportConnection(
  connection: ExportableConnection,
  includeSecrets = false,
): ExportedConnection {
  const { info, end } = connection;
  const requestHeaders = includeSecrets ? { ...info.requestHeaders } : redactHeaders(info.requestHeaders);
  const responseHeaders = includeSecrets ? { ...info.responseHeaders } : redactHeaders(info.responseHeaders);
  return {
    id: info.id,
    transport: info.transport,
    format: info.format,
    url: info.url,
    method: info.method,
    requestHeaders,
    requestBody: info.requestBody,
    status: info.status,
    statusText: info.statusText,
    responseHeaders,
    frameUrl: info.frameUrl,
    startedAt: iso(info.startedAt),
    endedAt: end ? iso(end.endedAt) : null,
    state: end ? end.state : 'open',
    error: end ? end.error : null,
    bytes: connection.bytes,
    events: connection.records.map((record) => exportRecord(record, info.startedAt)),
  };
}

/** Builds an export file (docs/export-format.md) from captured connections. */
export function buildExportFile(
  connections: readonly ExportableConnection[],
  options: ExportOptions,
): ExportFile {
  return {
    version: EXPORT_VERSION,
    exportedAt: (options.now ?? new Date()).toISOString(),
    tool: options.tool,
    connections: connections.map((c) => exportConnection(c, options.includeSecrets)),
  };
}
