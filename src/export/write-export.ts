import { diagnoseAll, type Finding } from '../diagnosis';
import { type LlmChoice, type LlmMessage, type LlmToolCall, type RpcMessage, reassemble } from '../llm';
import type { ConnectionEnd, ConnectionInfo, StreamChunk, StreamRecord } from '../model';
import { redactUrl } from './redact';
import { requestForExport } from './request-export';
import {
  EXPORT_VERSION,
  type ExportedConnection,
  type ExportedEvent,
  type ExportedMessage,
  type ExportedRpcMessage,
  type ExportedToolCall,
  type ExportFile,
} from './schema';

/** What the exporter needs of a captured connection. */
export interface ExportableConnection {
  info: ConnectionInfo;
  records: readonly StreamRecord[];
  bytes: number;
  end: ConnectionEnd | null;
  /** Records a capture limit left out of `records` (0 or absent when none). */
  recordsNotKept?: number;
  /** The body as the page read it (none for `eventsource`, or when a capture predates chunks). */
  chunks?: readonly StreamChunk[];
  /** Chunks a capture limit left out of `chunks`. */
  chunksNotKept?: number;
}

export interface ExportOptions {
  /**
   * Keep secret values: headers (Authorization, Cookie, API keys…), URL parameters (`?key=`,
   * `#access_token=`…) and request-body fields (`api_key`, `password`…); redacted by default.
   */
  includeSecrets?: boolean;
  tool: { name: string; version: string };
  now?: Date;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();
const elapsedMs = (time: number, startedAt: number) => Math.round((time - startedAt) * 1000) / 1000;

/** A record as the export file writes it, its time also as ms since the connection's start. */
export function exportRecord(record: StreamRecord, startedAt: number): ExportedEvent {
  const out: ExportedEvent = {
    id: record.id,
    type: record.type,
    data: record.data,
    time: iso(record.time),
    elapsedMs: elapsedMs(record.time, startedAt),
  };
  if (record.kind !== 'event') out.kind = record.kind;
  if (record.retry !== undefined) out.retry = record.retry;
  if (record.truncatedFrom !== undefined) out.truncatedFrom = record.truncatedFrom;
  if (record.attempt !== undefined) out.attempt = record.attempt;
  return out;
}

function exportToolCall({ index, id, name, arguments: args }: LlmToolCall): ExportedToolCall {
  return { index, ...(id !== undefined && { id }), ...(name !== undefined && { name }), arguments: args };
}

function exportChoice(choice: LlmChoice): NonNullable<ExportedMessage['choices']>[number] {
  return {
    index: choice.index,
    text: choice.text,
    reasoning: choice.reasoning,
    ...(choice.refusal !== undefined && { refusal: choice.refusal }),
    toolCalls: choice.toolCalls.map(exportToolCall),
    finishReason: choice.finishReason,
  };
}

function exportRpc(message: RpcMessage, startedAt: number): ExportedRpcMessage {
  const { kind, from, id, method, params, result, error, time } = message;
  return {
    kind,
    from,
    ...(id !== undefined && { id }),
    ...(method !== undefined && { method }),
    ...(params !== undefined && { params }),
    ...(result !== undefined && { result }),
    ...(error !== undefined && { error }),
    elapsedMs: elapsedMs(time, startedAt),
  };
}

/**
 * The export form of a reassembled message: what it says, not the reassembler's bookkeeping.
 * `startedAt` (the connection's start) makes the JSON-RPC messages' times relative.
 */
export function exportMessage(message: LlmMessage, startedAt = 0): ExportedMessage {
  return {
    shape: message.shape,
    text: message.text,
    reasoning: message.reasoning,
    ...(message.refusal !== undefined && { refusal: message.refusal }),
    toolCalls: message.toolCalls.map(exportToolCall),
    finishReason: message.finishReason,
    usage: message.usage,
    errors: message.errors,
    terminated: message.terminated,
    ...(message.choices && { choices: message.choices.map(exportChoice) }),
    ...(message.rpc && { rpc: message.rpc.map((rpc) => exportRpc(rpc, startedAt)) }),
    ...(message.sessionId !== undefined && { sessionId: message.sessionId }),
    ...(message.endpoint !== undefined && { endpoint: message.endpoint }),
    ...(message.results && {
      results: message.results.map(({ id, data, errors }) => ({
        ...(id !== undefined && { id }),
        ...(data !== undefined && { data }),
        ...(errors !== undefined && { errors }),
      })),
    }),
    ...(message.state !== undefined && { state: message.state }),
    ...(message.updates && {
      updates: message.updates.map(({ node, namespace, update }) => ({ node, namespace, update })),
    }),
    ...(message.serverTokensPerSecond !== undefined && {
      serverTokensPerSecond: message.serverTokensPerSecond,
    }),
  };
}

/** The reassembled message; a bug in reassembly leaves the message out, never the connection. */
function reassembleOrNull(
  records: readonly StreamRecord[],
  options: Parameters<typeof reassemble>[1],
): LlmMessage | null {
  try {
    return reassemble(records, options);
  } catch {
    return null;
  }
}

/**
 * @param findings the connection's diagnosis (src/diagnosis); `buildExportFile` gives it, computed
 * over the connections of the file.
 */
export function exportConnection(
  connection: ExportableConnection,
  includeSecrets = false,
  findings: readonly Finding[] = [],
): ExportedConnection {
  const { info, end } = connection;
  const request = requestForExport(info, includeSecrets);
  // MCP's messages include the request body's: read from the request as it may be exported.
  const message = reassembleOrNull(connection.records, {
    connection: { ...request, startedAt: info.startedAt },
  });
  return {
    id: info.id,
    transport: info.transport,
    format: info.format,
    url: request.url,
    method: request.method,
    requestHeaders: request.requestHeaders,
    requestBody: request.requestBody,
    status: info.status,
    statusText: info.statusText,
    responseHeaders: request.responseHeaders,
    frameUrl: redactUrl(info.frameUrl, includeSecrets),
    startedAt: iso(info.startedAt),
    endedAt: end ? iso(end.endedAt) : null,
    state: end ? end.state : 'open',
    error: end ? end.error : null,
    bytes: connection.bytes,
    ...(info.nextHopProtocol !== undefined && { nextHopProtocol: info.nextHopProtocol }),
    ...(connection.recordsNotKept ? { recordsNotKept: connection.recordsNotKept } : {}),
    ...(message && { message: exportMessage(message, info.startedAt) }),
    ...(findings.length > 0 && {
      diagnostics: findings.map(({ code, severity, message }) => ({ code, severity, message })),
    }),
    events: connection.records.map((record) => exportRecord(record, info.startedAt)),
    ...(connection.chunks?.length && {
      chunks: connection.chunks.map((chunk) => ({
        elapsedMs: elapsedMs(chunk.time, info.startedAt),
        text: chunk.text,
      })),
    }),
    ...(connection.chunksNotKept ? { chunksNotKept: connection.chunksNotKept } : {}),
    ...(info.timesUnknown && { timesUnknown: true as const }),
  };
}

/** Builds an export file (docs/export-format.md) from captured connections. */
export function buildExportFile(
  connections: readonly ExportableConnection[],
  options: ExportOptions,
): ExportFile {
  // The diagnosis needs every connection at once: streams to one origin compete for connections.
  const findings = diagnoseAll(
    connections.map(({ info, records, end, chunks }) => ({ info, records, end, chunks })),
  );
  return {
    version: EXPORT_VERSION,
    exportedAt: (options.now ?? new Date()).toISOString(),
    tool: options.tool,
    connections: connections.map((c) => exportConnection(c, options.includeSecrets, findings.get(c.info.id))),
  };
}
