import { z } from 'zod';

/** Current export-file version; bump on any incompatible change (docs/export-format.md). */
export const EXPORT_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });
const headerMap = z.record(z.string(), z.string());

/** One record of a connection's timeline in an export file. */
export const exportedEventSchema = z.object({
  /** Last event ID in force (WHATWG), `""` when none. */
  id: z.string(),
  type: z.string(),
  data: z.string(),
  /** When the page read it, ISO 8601 with milliseconds. */
  time: isoTime,
  /** Milliseconds since the connection started. */
  elapsedMs: z.number(),
  /** Reconnection time for `retry` records. */
  retry: z.number().optional(),
  /** Absent for dispatched events; `comment` or `retry` for those timeline records. */
  kind: z.enum(['comment', 'retry']).optional(),
  /** Original data length when `data` was truncated to the capture limit. */
  truncatedFrom: z.number().optional(),
});

/** One captured connection in an export file. */
export const exportedConnectionSchema = z.object({
  id: z.string(),
  transport: z.enum(['fetch', 'xhr', 'eventsource']),
  format: z.enum(['sse', 'ndjson']),
  url: z.string(),
  method: z.string(),
  requestHeaders: headerMap,
  requestBody: z.string().nullable(),
  status: z.number(),
  statusText: z.string(),
  responseHeaders: headerMap,
  frameUrl: z.string(),
  startedAt: isoTime,
  endedAt: isoTime.nullable(),
  state: z.enum(['open', 'completed', 'cancelled', 'aborted', 'error']),
  error: z.string().nullable(),
  bytes: z.number(),
  events: z.array(exportedEventSchema),
});

/** A whole export file (`docs/export-format.md`). */
export const exportFileSchema = z.object({
  version: z.literal(EXPORT_VERSION),
  exportedAt: isoTime,
  tool: z.object({ name: z.string(), version: z.string() }),
  connections: z.array(exportedConnectionSchema),
});

export type ExportedEvent = z.infer<typeof exportedEventSchema>;
export type ExportedConnection = z.infer<typeof exportedConnectionSchema>;
export type ExportFile = z.infer<typeof exportFileSchema>;
