import { z } from 'zod';

/** Current export-file version; bump on any incompatible change (docs/export-format.md). */
export const EXPORT_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });
const headerMap = z.record(z.string(), z.string());

/** One read of the body (src/model.ts `StreamChunk`): exact text, in order, with its read time. */
export const exportedChunkSchema = z.object({
  /** Milliseconds since the connection started. */
  elapsedMs: z.number(),
  text: z.string(),
});

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
  /**
   * Absent for dispatched events; `comment` or `retry` for those timeline records; `open` or `error`
   * for a native EventSource's connection events.
   */
  kind: z.enum(['comment', 'retry', 'open', 'error']).optional(),
  /** EventSource connections: the connection attempt (1-based) the record belongs to. */
  attempt: z.number().optional(),
  /** Original data length when `data` was truncated to the capture limit. */
  truncatedFrom: z.number().optional(),
});

/** A tool call of a reassembled LLM message. */
export const exportedToolCallSchema = z.object({
  /** Position among the message's tool calls (OpenAI chat: the provider's `tool_calls[].index`). */
  index: z.number(),
  /** The provider's call id, when it sent one. */
  id: z.string().optional(),
  name: z.string().optional(),
  /** The arguments text exactly as streamed (JSON when complete). */
  arguments: z.string(),
});

/** One choice of a reassembled LLM message that had several (`n` > 1). */
export const exportedChoiceSchema = z.object({
  index: z.number(),
  text: z.string(),
  reasoning: z.string(),
  refusal: z.string().optional(),
  toolCalls: z.array(exportedToolCallSchema),
  finishReason: z.string().nullable(),
});

/** One JSON-RPC message of an MCP connection (`message.rpc`). */
export const exportedRpcMessageSchema = z.object({
  kind: z.enum(['request', 'notification', 'response']),
  /** `client`: from the request body; `server`: from the response stream. */
  from: z.enum(['client', 'server']),
  id: z.union([z.string(), z.number()]).optional(),
  method: z.string().optional(),
  params: z.unknown().optional(),
  result: z.unknown().optional(),
  error: z
    .object({ code: z.number().optional(), message: z.string(), data: z.unknown().optional() })
    .optional(),
  /** When it was sent (client) or read (server), in ms since the connection started. */
  elapsedMs: z.number(),
});

/** The message a connection's events carry, for streams of a known shape (src/llm). */
export const exportedMessageSchema = z.object({
  /** `openai-chat`, `openai-responses`, `anthropic`, `gemini`, `vercel-ai`, `ollama`, `ag-ui`, `langgraph`, `mcp`, `graphql-sse`, `trpc`; a string so new shapes stay readable. */
  shape: z.string(),
  text: z.string(),
  reasoning: z.string(),
  refusal: z.string().optional(),
  toolCalls: z.array(exportedToolCallSchema),
  finishReason: z.string().nullable(),
  /** Provider token fields plus normalised `inputTokens`, `outputTokens`, `totalTokens`; `null` when not sent. */
  usage: z.record(z.string(), z.number()).nullable(),
  /** Error events the provider sent in the stream. */
  errors: z.array(z.string()),
  /** Whether the protocol's end marker arrived; `false` on a truncated (or still open) stream. */
  terminated: z.boolean(),
  /** Every choice, when the stream carried more than one. */
  choices: z.array(exportedChoiceSchema).optional(),
  /** `mcp`: every JSON-RPC message, the request(s) of the POST body first. */
  rpc: z.array(exportedRpcMessageSchema).optional(),
  /** `mcp`: the `Mcp-Session-Id`. */
  sessionId: z.string().optional(),
  /** `mcp` legacy HTTP+SSE transport: the URI of the `endpoint` event. */
  endpoint: z.string().optional(),
  /** `graphql-sse`, `trpc`: one entry per operation result. */
  results: z
    .array(
      z.object({
        id: z.string().optional(),
        data: z.unknown().optional(),
        errors: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  /** `ag-ui`, `langgraph`: the agent state at the end. */
  state: z.unknown().optional(),
  /** `langgraph`: each node's updates. */
  updates: z.array(z.object({ node: z.string(), namespace: z.string(), update: z.unknown() })).optional(),
  /** `ollama`: the server's generation speed, `eval_count / eval_duration`, in tokens per second. */
  serverTokensPerSecond: z.number().optional(),
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
  /**
   * Records (events, comments, retry values) of this connection a capture limit left out, when any
   * (src/limits.ts): `events` is then not the whole stream. Optional, added in version 1.
   */
  recordsNotKept: z.number().int().positive().optional(),
  /** Present when the events are a known LLM stream shape (added in version 1, optional). */
  message: exportedMessageSchema.optional(),
  events: z.array(exportedEventSchema),
  /**
   * The body as the page read it, chunk by chunk (added in version 1, optional: absent for
   * `eventsource` connections and in files written before chunks were kept). Replay, HAR and the raw
   * export use these rather than events serialised again.
   */
  chunks: z.array(exportedChunkSchema).optional(),
  /** Chunks a capture limit left out (then `chunks` is not the whole body). */
  chunksNotKept: z.number().int().positive().optional(),
  /**
   * The connection came from a file that held its body but not when each part was read (a HAR):
   * every event's `time` is `startedAt` and its `elapsedMs` 0, placeholders, not read times.
   */
  timesUnknown: z.literal(true).optional(),
});

/** A whole export file (`docs/export-format.md`). */
export const exportFileSchema = z.object({
  version: z.literal(EXPORT_VERSION),
  exportedAt: isoTime,
  tool: z.object({ name: z.string(), version: z.string() }),
  connections: z.array(exportedConnectionSchema),
});

export type ExportedChunk = z.infer<typeof exportedChunkSchema>;
export type ExportedEvent = z.infer<typeof exportedEventSchema>;
export type ExportedToolCall = z.infer<typeof exportedToolCallSchema>;
export type ExportedMessage = z.infer<typeof exportedMessageSchema>;
export type ExportedRpcMessage = z.infer<typeof exportedRpcMessageSchema>;
export type ExportedConnection = z.infer<typeof exportedConnectionSchema>;
export type ExportFile = z.infer<typeof exportFileSchema>;
