/**
 * What the reassembly of an LLM stream produces: the message a chat front end would show,
 * rebuilt from the stream's events alone.
 */
import type { StreamRecord } from '../model';

/**
 * A known LLM streaming protocol.
 * - `openai-chat`: OpenAI Chat Completions chunks (`chat.completion.chunk`) and the many
 *   OpenAI-compatible servers (DeepSeek, OpenRouter, vLLM, …), ended by `data: [DONE]`.
 * - `openai-responses`: OpenAI Responses API events (`response.output_text.delta`, …).
 * - `anthropic`: Anthropic Messages events (`message_start`, `content_block_delta`, …).
 * - `gemini`: Google Gemini `streamGenerateContent?alt=sse` (`GenerateContentResponse` per event).
 * - `vercel-ai`: Vercel AI SDK (v5+) UI message stream parts (`text-delta`, `tool-input-delta`, …).
 */
export type LlmShape = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'vercel-ai';

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
}

/** Options of {@link Reassembler} creation. */
export interface ReassemblerOptions {
  /** Collect {@link LlmMessage.contentRecordSeqs} (off by default: it grows with the stream). */
  contentRecordSeqs?: boolean;
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
}
