/**
 * Incremental reassembly of an LLM stream into the message it carries. Each record is parsed
 * once and applied in O(its size), so a live view can push every batch and snapshot after it.
 */
import type { StreamRecord } from '../model';
import { createShapeDetector } from './detect';
import { isObject, type ParsedEvent, parseEvent } from './json';
import { createAgUiHandler } from './shapes/ag-ui';
import { createAnthropicHandler } from './shapes/anthropic';
import { createGeminiHandler } from './shapes/gemini';
import { createGraphqlSseHandler } from './shapes/graphql-sse';
import type { ShapeHandler, ShapeHandlerFactory } from './shapes/handler';
import { createLangGraphHandler } from './shapes/langgraph';
import { createMcpHandler } from './shapes/mcp';
import { createOllamaHandler } from './shapes/ollama';
import { createOpenAiChatHandler } from './shapes/openai-chat';
import { createOpenAiResponsesHandler } from './shapes/openai-responses';
import { createTrpcHandler } from './shapes/trpc';
import { createVercelAiHandler } from './shapes/vercel-ai';
import { MessageState } from './state';
import type { LlmMessage, LlmShape, Reassembler, ReassemblerOptions } from './types';

const HANDLERS: Record<LlmShape, ShapeHandlerFactory> = {
  'openai-chat': createOpenAiChatHandler,
  'openai-responses': createOpenAiResponsesHandler,
  anthropic: createAnthropicHandler,
  gemini: createGeminiHandler,
  'vercel-ai': createVercelAiHandler,
  ollama: createOllamaHandler,
  'ag-ui': createAgUiHandler,
  langgraph: createLangGraphHandler,
  mcp: createMcpHandler,
  'graphql-sse': createGraphqlSseHandler,
  trpc: createTrpcHandler,
};

// What non-object events hand the handlers as `event`.
const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * A reassembler for one stream. It buffers the first events until `detectShape`'s rule
 * decides the shape, then applies them and every later event as they are pushed.
 */
export function createReassembler(options: ReassemblerOptions = {}): Reassembler {
  const detector = createShapeDetector();
  // Events read while the shape is undecided (at most DETECT_MAX_EVENTS), replayed once it is known.
  let pending: ParsedEvent[] = [];
  let state: MessageState | null = null;
  let handler: ShapeHandler | null = null;
  let lastSeq = Number.NEGATIVE_INFINITY;
  let cached: LlmMessage | null = null;
  const summaries = options.summaries ? new Map<number, string>() : null;

  function apply(state: MessageState, handler: ShapeHandler, event: ParsedEvent): void {
    const record = event.record;
    state.begin(record);
    switch (event.kind) {
      case 'json': {
        // Arrays and other non-object JSON reach the handler through `event` only (LangGraph tuples).
        const fields = isObject(event.value) ? event.value : NO_FIELDS;
        const type = typeof fields.type === 'string' ? fields.type : record.type;
        handler(state, fields, type, record, event);
        break;
      }
      case 'done':
        // `[DONE]` ends OpenAI chat; Vercel AI sends it after `finish`, and proxies append it to others.
        if (state.shape === 'openai-chat') state.end();
        break;
      case 'empty':
        handler(state, NO_FIELDS, record.type, record, event);
        break;
      case 'text':
        if (handler(state, NO_FIELDS, record.type, record, event) === true) break;
        // An `event: error` with plain-text data is an error message, not broken JSON.
        if (record.type === 'error') state.error(record.data.trim());
        else state.badJson(record.seq);
        break;
    }
    const summary = state.finishRecord();
    if (summaries && summary !== undefined) summaries.set(record.seq, summary);
    cached = null;
  }

  return {
    get shape() {
      return state?.shape ?? null;
    },
    get decided() {
      return detector.decision !== undefined;
    },
    push(records) {
      for (const record of records) {
        if (record.seq <= lastSeq) continue;
        lastSeq = record.seq;
        if (record.kind !== 'event') continue;
        if (state && handler) {
          apply(state, handler, parseEvent(record));
          continue;
        }
        if (detector.decision === null) continue;
        const event = parseEvent(record);
        const decision = detector.feed(event);
        if (decision === undefined) {
          pending.push(event);
        } else if (decision === null) {
          pending = [];
        } else {
          state = new MessageState(decision, options.contentRecordSeqs === true);
          handler = HANDLERS[decision](options.connection);
          for (const earlier of pending) apply(state, handler, earlier);
          pending = [];
          apply(state, handler, event);
        }
      }
    },
    summaryOf(seq) {
      return summaries?.get(seq);
    },
    snapshot() {
      if (!state) return null;
      cached ??= state.snapshot();
      return cached;
    },
  };
}

/** The message an LLM stream's records carry, or `null` when the stream is not a known LLM shape. */
export function reassemble(
  records: readonly StreamRecord[],
  options: ReassemblerOptions = {},
): LlmMessage | null {
  const reassembler = createReassembler(options);
  reassembler.push(records);
  return reassembler.snapshot();
}
