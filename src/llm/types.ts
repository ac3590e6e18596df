/**
 * What the reassembly of an LLM stream produces: the message a chat front end would show,
 * rebuilt from the stream's events alone.
 */
import type { ConnectionInfo, StreamRecord } from '../model';

/**
 * A known streaming protocol: the LLM protocols, agent protocols, and the RPC and subscription
 * protocols whose events are not text but whose meaning the panel can still show.
 * - `openai-chat`: OpenAI Chat Completions chunks (`chat.completion.chunk`) and the many
 *   OpenAI-compatible servers (DeepSeek, OpenRouter, vLLM, …), ended by `data: [DONE]`.
 * - `openai-responses`: OpenAI Responses API events (`response.output_text.delta`, …).
 * - `anthropic`: Anthropic Messages events (`message_start`, `content_block_delta`, …).
 * - `gemini`: Google Gemini `streamGenerateContent?alt=sse` (`GenerateContentResponse` per event).
 * - `vercel-ai`: Vercel AI SDK (v5+) UI message stream parts (`text-delta`, `tool-input-delta`, …).
 * - `ollama`: Ollama's NDJSON (`/api/chat`, `/api/generate`), ended by the object with `done: true`.
 * - `ag-ui`: AG-UI agent events (`RUN_STARTED`, `TEXT_MESSAGE_CONTENT`, `TOOL_CALL_ARGS`, …).
 * - `langgraph`: LangGraph platform run streams (`metadata`, `values`, `updates`, `messages`, …).
 * - `mcp`: Model Context Protocol JSON-RPC over Streamable HTTP (or the legacy HTTP+SSE transport).
 * - `graphql-sse`: GraphQL over SSE (`next` / `complete`), distinct or single connection mode.
 * - `trpc`: tRPC subscriptions over SSE (`connected`, values, `ping`, `return`, `serialized-error`).
 */
export type LlmShape =
  | 'openai-chat'
  | 'openai-responses'
  | 'anthropic'
  | 'gemini'
  | 'vercel-ai'
  | 'ollama'
  | 'ag-ui'
  | 'langgraph'
  | 'mcp'
  | 'graphql-sse'
  | 'trpc';

/** What a shape may need to know of the connection besides its events (MCP: the request in the POST body). */
export type StreamContext = Pick<
  ConnectionInfo,
  'requestBody' | 'requestHeaders' | 'responseHeaders' | 'startedAt'
>;

/**
 * One JSON-RPC 2.0 message of an MCP session.
 * - `request`: has a `method` and an `id` (from the client in a POST body, or from the server in its stream).
 * - `notification`: has a `method` and no `id`.
 * - `response`: has an `id` and a `result` or an `error`.
 */
export interface RpcMessage {
  kind: 'request' | 'notification' | 'response';
  /** Who sent it: the client (in a POST body) or the server (in a response stream). */
  from: 'client' | 'server';
  id?: string | number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code?: number; message: string; data?: unknown };
  /** When it was sent (client: the request's start) or read (server: the chunk that completed its event). */
  time: number;
  /** `seq` of the event that carried it; absent for a message from the request body. */
  seq?: number;
}

/** One result of a GraphQL or tRPC subscription operation, one per `next` or value event. */
export interface OperationResult {
  /** `seq` of the event. */
  seq: number;
  /** Operation id (graphql-sse single connection mode) or tracked event id (tRPC), when given. */
  id?: string;
  /** The result's data (GraphQL `data`, the tRPC value). */
  data?: unknown;
  /** Error messages carried with it (GraphQL `errors`, tRPC `serialized-error`). */
  errors?: string[];
}

/** The updates one LangGraph node returned (`updates` events), with its subgraph namespace. */
export interface NodeUpdate {
  node: string;
  /** Subgraph namespace (`updates|agent:1a2b` → `agent:1a2b`); `''` for the root graph. */
  namespace: string;
  update: unknown;
  seq: number;
}

/** A tool (function) call the model made, as far as the stream has delivered it. */
export interface LlmToolCall {
  /**
   * Position among the tool calls of its message or choice, 0-based. For `openai-chat` it is the
   * provider's own `tool_calls[].index`; the other shapes number the calls in order of appearance.
   */
  index: number;
  /** The provider's call id (`call_…`, `toolu_…`, Vercel `toolCallId`), when it sent one. */
  id?: string;
  /** Name of the function or tool called, when known. */
  name?: string;
  /** The arguments text exactly as streamed so far (JSON for every shape when complete). */
  arguments: string;
  /** `arguments` parsed as JSON; absent while it is empty or does not parse. */
  argumentsParsed?: unknown;
  /** Why non-empty `arguments` does not parse as JSON (yet: a live or truncated stream cuts it mid-value). */
  argumentsError?: string;
}

/** One completion choice of a request that asked for several (`n` > 1, Gemini `candidateCount` > 1). */
export interface LlmChoice {
  /** The provider's choice (candidate) index. */
  index: number;
  /** Answer text of this choice. */
  text: string;
  /** Reasoning ("thinking") text of this choice. */
  reasoning: string;
  /** Refusal text (OpenAI `delta.refusal`), only when the model sent one. */
  refusal?: string;
  /** Tool calls of this choice, by `index`. */
  toolCalls: LlmToolCall[];
  /** Why this choice ended, as the provider names it (`stop`, `length`, `tool_calls`, `STOP`, …). */
  finishReason: string | null;
}

/** The message an LLM stream carried, rebuilt from its events. */
export interface LlmMessage {
  /** The protocol the stream was recognised as. */
  shape: LlmShape;
  /** Answer text; for several choices, that of the first choice (index 0). */
  text: string;
  /** Reasoning ("thinking", reasoning summary) text; for several choices, the first choice's. */
  reasoning: string;
  /** Refusal text (OpenAI chat `delta.refusal`, Responses `response.refusal.delta`), only when sent. */
  refusal?: string;
  /** Tool calls, by `index`; for several choices, the first choice's. */
  toolCalls: LlmToolCall[];
  /**
   * Why generation stopped, as the provider names it: OpenAI chat `finish_reason`, Anthropic
   * `stop_reason`, Gemini `finishReason` (or `promptFeedback.blockReason`), Vercel `finishReason`,
   * Responses `incomplete_details.reason` or else the final response `status`. `null` until known.
   */
  finishReason: string | null;
  /**
   * Token counts: the provider's own fields (nested ones flattened to dotted keys such as
   * `prompt_tokens_details.cached_tokens`) plus `inputTokens`, `outputTokens` and `totalTokens`
   * normalised across providers where they can be derived. Input counts include cached prompt
   * tokens (Anthropic: `input_tokens` + cache creation + cache read); output counts include
   * reasoning tokens (Gemini: `candidatesTokenCount` + `thoughtsTokenCount`). `null` when the
   * stream carried no usage.
   */
  usage: Record<string, number> | null;
  /** Every choice, by index, when the stream carried more than one. */
  choices?: LlmChoice[];
  /** Error events the provider sent in the stream, as `kind: message` where a kind was given. */
  errors: string[];
  /**
   * Whether the protocol's end marker was seen: `[DONE]` (openai-chat), `message_stop` (anthropic),
   * `response.completed` / `.failed` / `.incomplete` (openai-responses), the `finish` part (vercel-ai),
   * a candidate `finishReason` or a prompt block (gemini). `false` on a truncated stream.
   */
  terminated: boolean;
  /** `time` of the first record that added non-empty text, reasoning or refusal (time to first token). */
  firstContentTime: number | null;
  /**
   * `seq` of every record that added text, reasoning, refusal or tool-call data, in order.
   * Only present when the reassembler was created with `{ contentRecordSeqs: true }`.
   */
  contentRecordSeqs?: number[];
  /** `seq` of events whose data should have been JSON for this shape but did not parse. */
  badJsonSeqs: number[];
  /** `seq` of events that carry an error (an error event, a JSON-RPC error, a GraphQL `errors`). */
  errorSeqs: number[];
  /** `mcp`: every JSON-RPC message of the connection, the request(s) of its POST body first. */
  rpc?: RpcMessage[];
  /** `mcp`: the session (`Mcp-Session-Id` of the response, else of the request). */
  sessionId?: string;
  /** `mcp` over the legacy HTTP+SSE transport: the URI of its `endpoint` event, where the client POSTs. */
  endpoint?: string;
  /** `graphql-sse`, `trpc`: one entry per result the operation delivered. */
  results?: OperationResult[];
  /** `ag-ui`, `langgraph`: the agent state (`STATE_SNAPSHOT` with `STATE_DELTA` applied; the last `values`). */
  state?: unknown;
  /** `langgraph`: each node's updates, in order. */
  updates?: NodeUpdate[];
  /** `ollama`: the server's own generation speed, `eval_count / eval_duration` (tokens per second). */
  serverTokensPerSecond?: number;
}

/** Options of {@link Reassembler} creation. */
export interface ReassemblerOptions {
  /** Collect {@link LlmMessage.contentRecordSeqs} (off by default: it grows with the stream). */
  contentRecordSeqs?: boolean;
  /** Keep a one-line summary per event for {@link Reassembler.summaryOf} (off by default: it grows with the stream). */
  summaries?: boolean;
  /** The connection the events belong to, for shapes that read its request (MCP). */
  connection?: StreamContext;
}

/** Incremental reassembly of one stream: push its records batch by batch, read the message any time. */
export interface Reassembler {
  /**
   * Consumes records in timeline order. Records whose `seq` is not above the highest seen so far
   * are dropped as duplicates; records other than `kind: 'event'` are ignored.
   */
  push(records: readonly StreamRecord[]): void;
  /**
   * The message so far, or `null` while (or once) the shape is not recognised. Returns the same
   * object until a later push changes something; later pushes never modify a snapshot already taken.
   */
  snapshot(): LlmMessage | null;
  /** The recognised shape; `null` while undecided or when the stream is not a known LLM stream. */
  readonly shape: LlmShape | null;
  /** Whether detection has decided: a shape was recognised, or the stream was ruled out. */
  readonly decided: boolean;
  /**
   * What the event with this `seq` means, in one line (`" world"`, `tool_call get_weather {"ci…`,
   * `usage 25 → 138`); `undefined` when it means nothing of note or summaries were not asked for.
   */
  summaryOf(seq: number): string | undefined;
}
