/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) out and in: one entry per connection,
 * the raw body in `response.content.text`, the events in `_eventSourceMessages` as other tools write
 * them, and what HAR has no field for in `_sseDevtools`, so that our own HAR imports back as it was
 * exported. docs/export-format.md describes the mapping.
 */
import type { Entry, Har, Header } from 'har-format';
import { z } from 'zod';
import type { ConnectionState, HeaderMap } from '../model';
import { streamFormatOf } from '../sse/media-type';
import { recordsOfChunks } from '../sse/parse-chunks';
import { utf8Length } from '../sse/utf8-length';
import {
  type ExportedConnection,
  type ExportedEvent,
  exportedConnectionSchema,
  exportedEventSchema,
} from './schema';
import { bodyOf } from './sse-text';
import {
  type ExportableConnection,
  type ExportOptions,
  exportConnection,
  exportRecord,
} from './write-export';

/** The field of an entry that carries what HAR has no field for. */
export const HAR_EXTENSION = '_sseDevtools';

/**
 * `_sseDevtools`: the parts of an export-file connection (schema.ts) that HAR has no field for.
 * `events` are written only when the chunks are not the whole story (none kept, or some left out);
 * otherwise a reader rebuilds the events from `chunks`, as the capture did.
 */
export const harExtensionSchema = exportedConnectionSchema
  .pick({
    id: true,
    transport: true,
    format: true,
    frameUrl: true,
    state: true,
    error: true,
    bytes: true,
    recordsNotKept: true,
    chunks: true,
    chunksNotKept: true,
    timesUnknown: true,
  })
  .extend({ events: z.array(exportedEventSchema).optional() });

export type HarExtension = z.infer<typeof harExtensionSchema>;

/** One item of `_eventSourceMessages`, mirroring CDP's `Network.eventSourceMessageReceived`. */
export interface HarEventSourceMessage {
  /** The event type (`message` when the stream named none). */
  type: string;
  /** When the page read it, in seconds since the epoch; absent when not known. */
  time?: number;
  /** The last event ID in force (`""` when none). */
  eventId: string;
  data: string;
}

/** A HAR entry as this module writes it. */
export type HarEntry = Entry & {
  _resourceType: string;
  _eventSourceMessages: HarEventSourceMessage[];
  [HAR_EXTENSION]: HarExtension;
};

const DEFAULT_MEDIA_TYPE = { sse: 'text/event-stream', ndjson: 'application/x-ndjson' } as const;

const harHeaders = (headers: HeaderMap): Header[] =>
  Object.entries(headers).map(([name, value]) => ({ name, value }));

function queryStringOf(url: string): { name: string; value: string }[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function headerValue(headers: HeaderMap, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function harEntry(connection: ExportableConnection, includeSecrets: boolean): HarEntry {
  const { info, records } = connection;
  // The export-file form: secrets redacted, times as elapsed ms, chunks and events as written there.
  const exported = exportConnection(connection, includeSecrets);
  const body = bodyOf(connection);
  const lastPiece = body.pieces.at(-1)?.time ?? info.startedAt;
  const durationMs = (connection.end?.endedAt ?? lastPiece) - info.startedAt;
  const time = Math.max(0, durationMs);
  const wait = Math.min(time, Math.max(0, info.headersAt - info.startedAt));
  const completeChunks = Boolean(exported.chunks) && !exported.chunksNotKept && !exported.recordsNotKept;
  const extension: HarExtension = {
    id: exported.id,
    transport: exported.transport,
    format: exported.format,
    frameUrl: exported.frameUrl,
    state: exported.state,
    error: exported.error,
    bytes: exported.bytes,
    ...(exported.recordsNotKept && { recordsNotKept: exported.recordsNotKept }),
    ...(exported.chunks && { chunks: exported.chunks }),
    ...(exported.chunksNotKept && { chunksNotKept: exported.chunksNotKept }),
    ...(exported.timesUnknown && { timesUnknown: true as const }),
    ...(!completeChunks && { events: exported.events }),
  };
  const contentType = headerValue(exported.responseHeaders, 'content-type');
  return {
    startedDateTime: exported.startedAt,
    time,
    request: {
      method: exported.method,
      url: exported.url,
      // Not visible to the page, so not known: never guessed.
      httpVersion: '',
      cookies: [],
      headers: harHeaders(exported.requestHeaders),
      queryString: queryStringOf(exported.url),
      ...(exported.requestBody !== null && {
        postData: {
          mimeType: headerValue(exported.requestHeaders, 'content-type') ?? '',
          text: exported.requestBody,
        },
      }),
      headersSize: -1,
      bodySize: exported.requestBody === null ? 0 : utf8Length(exported.requestBody),
    },
    response: {
      status: exported.status,
      statusText: exported.statusText,
      httpVersion: '',
      cookies: [],
      headers: harHeaders(exported.responseHeaders),
      content: {
        size: exported.bytes,
        mimeType: contentType ?? DEFAULT_MEDIA_TYPE[exported.format],
        text: body.pieces.map((piece) => piece.text).join(''),
      },
      redirectURL: '',
      headersSize: -1,
      // Bytes on the wire (compressed) are not visible to the page.
      bodySize: -1,
      ...(exported.error !== null && { _error: exported.error }),
    },
    cache: {},
    timings: { send: 0, wait, receive: time - wait },
    _resourceType: exported.transport,
    _eventSourceMessages: records
      .filter((record) => record.kind === 'event')
      .map((record) => ({
        type: record.type,
        ...(!info.timesUnknown && { time: record.time / 1000 }),
        eventId: record.id,
        data: record.data,
      })),
    [HAR_EXTENSION]: extension,
  };
}

/** A HAR 1.2 log of these connections, one entry each, secrets redacted unless `includeSecrets`. */
export function buildHar(connections: readonly ExportableConnection[], options: ExportOptions): Har {
  return {
    log: {
      version: '1.2',
      creator: { name: options.tool.name, version: options.tool.version },
      pages: [],
      entries: connections.map((connection) => harEntry(connection, options.includeSecrets ?? false)),
    },
  };
}

// --- Reading -------------------------------------------------------------------------------------

const harHeaderListSchema = z.array(z.object({ name: z.string(), value: z.string() }));

/** The part of a HAR entry an import reads; everything else in the file is ignored. */
const harEntryInSchema = z.object({
  startedDateTime: z.iso.datetime({ offset: true }),
  time: z.number(),
  request: z.object({
    method: z.string(),
    url: z.string(),
    headers: harHeaderListSchema,
    postData: z.object({ text: z.string().optional() }).optional(),
  }),
  response: z.object({
    status: z.number(),
    statusText: z.string(),
    headers: harHeaderListSchema,
    content: z.object({
      mimeType: z.string().optional(),
      text: z.string().optional(),
      encoding: z.string().optional(),
    }),
    _error: z.string().nullable().optional(),
  }),
  _resourceType: z.string().optional(),
  _eventSourceMessages: z.unknown().optional(),
  [HAR_EXTENSION]: z.unknown().optional(),
});

type HarEntryIn = z.infer<typeof harEntryInSchema>;

const isStreamMediaType = (value: unknown) => typeof value === 'string' && streamFormatOf(value) !== null;

/**
 * What marks an entry as a stream before it is read: ours, or a response whose `content-type` header
 * or `content.mimeType` is an event stream or NDJSON. Checked loosely, on whatever shape it has.
 */
const harStreamMarkSchema = z.union([
  z.object({ [HAR_EXTENSION]: z.object({}) }),
  z.object({
    response: z.object({
      headers: z.array(z.unknown()).refine((headers) =>
        headers.some((header) => {
          const { name, value } = (header ?? {}) as { name?: unknown; value?: unknown };
          return (
            typeof name === 'string' && name.toLowerCase() === 'content-type' && isStreamMediaType(value)
          );
        }),
      ),
    }),
  }),
  z.object({ response: z.object({ content: z.object({ mimeType: z.string().refine(isStreamMediaType) }) }) }),
]);

/** The HAR-shaped file, up to its entries (each entry is checked on its own). */
const harLogSchema = z.object({ log: z.object({ entries: z.array(z.unknown()) }) });

/** Whether a parsed JSON value looks like a HAR file (`{ log: { entries: [] } }`). */
export function looksLikeHar(value: unknown): boolean {
  return harLogSchema.safeParse(value).success;
}

function headerMapOf(headers: z.infer<typeof harHeaderListSchema>): HeaderMap {
  const map: HeaderMap = {};
  for (const { name, value } of headers) {
    // HTTP/2 pseudo-headers (`:status`) are not headers a page sees.
    if (name.startsWith(':')) continue;
    const key = name.toLowerCase();
    map[key] = key in map ? `${map[key]}, ${value}` : value;
  }
  return map;
}

const TRANSPORT_OF_RESOURCE_TYPE: Record<string, ExportedConnection['transport']> = {
  fetch: 'fetch',
  xhr: 'xhr',
  eventsource: 'eventsource',
};

function bodyTextOf(entry: HarEntryIn): string {
  const { text, encoding } = entry.response.content;
  if (text === undefined) return '';
  if (encoding !== 'base64') return text;
  try {
    const binary = atob(text);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8').decode(bytes);
  } catch {
    return '';
  }
}

/**
 * Another tool's `_eventSourceMessages` (CDP names the type `eventName`), for an entry whose body the
 * file does not hold. Times are taken only when every message has one.
 */
const harMessagesInSchema = z.array(
  z.object({
    type: z.string().optional(),
    eventName: z.string().optional(),
    time: z.number().optional(),
    eventId: z.string().optional(),
    data: z.string(),
  }),
);

function eventsOfMessages(
  raw: unknown,
  startedAt: number,
): { events: ExportedEvent[]; timesUnknown: boolean } | null {
  const parsed = harMessagesInSchema.safeParse(raw);
  if (!parsed.success || parsed.data.length === 0) return null;
  const timesUnknown = !parsed.data.every((message) => message.time !== undefined);
  const events = parsed.data.map((message) => {
    const time = timesUnknown ? startedAt : (message.time ?? 0) * 1000;
    return {
      id: message.eventId ?? '',
      type: message.type ?? message.eventName ?? 'message',
      data: message.data,
      time: new Date(time).toISOString(),
      elapsedMs: Math.round((time - startedAt) * 1000) / 1000,
    };
  });
  return { events, timesUnknown };
}

/** Where a HAR entry's problem is, as an import refusal names it. */
export interface HarEntryProblem {
  path: string;
  message: string;
}

/** The result of reading one HAR entry: not a stream (skipped), a connection, or a problem. */
export type HarEntryResult =
  | { kind: 'not-a-stream' }
  /** `recordCount`: the records the entry holds, also beyond the `maxRecords` it was read with. */
  | { kind: 'connection'; connection: ExportedConnection; recordCount: number }
  | { kind: 'problem'; problem: HarEntryProblem };

const zodProblem = (error: z.ZodError, prefix: string): HarEntryProblem => {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path.map(String) ?? [])].join('.');
  return { path, message: issue?.message ?? 'invalid' };
};

/**
 * One HAR entry as an export-file connection, when it is a stream (`text/event-stream` or one of the
 * NDJSON types). Our own entries (`_sseDevtools`) come back whole: events rebuilt from their chunks
 * at their read times, or taken as written. Other tools' entries hold the body but not when each part
 * was read, so their events are parsed from the body with `timesUnknown`: never invented times.
 */
export function readHarEntry(
  raw: unknown,
  index: number,
  maxRecords = Number.POSITIVE_INFINITY,
): HarEntryResult {
  const prefix = `log.entries.${index}`;
  // Entries that are not streams are skipped unread: a flaw in one of them is no reason to refuse.
  if (!harStreamMarkSchema.safeParse(raw).success) return { kind: 'not-a-stream' };
  const parsed = harEntryInSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'problem', problem: zodProblem(parsed.error, prefix) };
  const entry = parsed.data;
  let extension: HarExtension | null = null;
  if (entry[HAR_EXTENSION] !== undefined) {
    const ours = harExtensionSchema.safeParse(entry[HAR_EXTENSION]);
    if (!ours.success) {
      return { kind: 'problem', problem: zodProblem(ours.error, `${prefix}.${HAR_EXTENSION}`) };
    }
    extension = ours.data;
  }
  const requestHeaders = headerMapOf(entry.request.headers);
  const responseHeaders = headerMapOf(entry.response.headers);
  const format =
    extension?.format ??
    streamFormatOf(responseHeaders['content-type']) ??
    streamFormatOf(entry.response.content.mimeType);
  if (!format) return { kind: 'not-a-stream' };

  const startedAt = Date.parse(entry.startedDateTime);
  const endedAt = startedAt + Math.max(0, entry.time);
  const harError = entry.response._error ?? null;
  const state: ConnectionState = extension?.state ?? (harError ? 'error' : 'completed');
  const transport =
    extension?.transport ?? TRANSPORT_OF_RESOURCE_TYPE[entry._resourceType?.toLowerCase() ?? ''] ?? 'fetch';
  const text = bodyTextOf(entry);

  // No body, but the messages another tool recorded (an EventSource has no body for a page to read).
  const messages = extension || text ? null : eventsOfMessages(entry._eventSourceMessages, startedAt);
  let events: ExportedEvent[];
  let recordCount: number;
  let timesUnknown = extension?.timesUnknown ?? false;
  const completed = state === 'completed';
  if (extension?.events) {
    events = extension.events;
    recordCount = events.length;
  } else if (messages) {
    events = messages.events;
    recordCount = events.length;
    timesUnknown = messages.timesUnknown;
  } else {
    // Our chunks at their read times, or else the body alone: the events it holds, at times the file
    // does not say.
    const chunks = extension?.chunks?.map((chunk) => ({
      time: startedAt + chunk.elapsedMs,
      text: chunk.text,
    }));
    if (!chunks) timesUnknown = true;
    const body = chunks
      ? recordsOfChunks(format, chunks, completed, endedAt, maxRecords)
      : recordsOfChunks(format, [{ time: startedAt, text }], completed, startedAt, maxRecords);
    events = body.records.map((record) => exportRecord(record, startedAt));
    recordCount = body.count;
  }

  const connection: ExportedConnection = {
    id: extension?.id ?? `har:${index}`,
    transport,
    format,
    url: entry.request.url,
    method: entry.request.method,
    requestHeaders,
    requestBody: entry.request.postData?.text ?? null,
    status: entry.response.status,
    statusText: entry.response.statusText,
    responseHeaders,
    frameUrl: extension?.frameUrl ?? '',
    startedAt: new Date(startedAt).toISOString(),
    endedAt: state === 'open' ? null : new Date(endedAt).toISOString(),
    state,
    error: extension ? extension.error : harError,
    bytes: extension?.bytes ?? utf8Length(text),
    ...(extension?.recordsNotKept && { recordsNotKept: extension.recordsNotKept }),
    events,
    ...(extension?.chunks && { chunks: extension.chunks }),
    ...(extension?.chunksNotKept && { chunksNotKept: extension.chunksNotKept }),
    ...(timesUnknown && { timesUnknown: true as const }),
  };
  return { kind: 'connection', connection, recordCount };
}
