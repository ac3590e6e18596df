/**
 * Incremental reassembly of an LLM stream into the message it carries. Each record is parsed
 * once and applied in O(its size), so a live view can push every batch and snapshot after it.
 */
import type { StreamRecord } from '../model';
import { createShapeDetector } from './detect';
import { isObject, type ParsedEvent, parseEvent } from './json';
import { createAnthropicHandler } from './shapes/anthropic';
import { createGeminiHandler } from './shapes/gemini';
import type { ShapeHandler, ShapeHandlerFactory } from './shapes/handler';
import { createOpenAiChatHandler } from './shapes/openai-chat';
import { createOpenAiResponsesHandler } from './shapes/openai-responses';
import { createVercelAiHandler } from './shapes/vercel-ai';
import { MessageState } from './state';
import type { LlmMessage, LlmShape, Reassembler, ReassemblerOptions } from './types';

const HANDLERS: Record<LlmShape, ShapeHandlerFactory> = {
  'openai-chat': createOpenAiChatHandler,
  'openai-responses': createOpenAiResponsesHandler,
  anthropic: createAnthropicHandler,
  gemini: createGeminiHandler,
  'vercel-ai': createVercelAiHandler,
};

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

  function apply(state: MessageState, handler: ShapeHandler, event: ParsedEvent): void {
    const record = event.record;
    state.record = record;
    switch (event.kind) {
      case 'json':
        // Valid JSON that is not an object (a stray number, an array) carries nothing for any shape.
        if (isObject(event.value)) {
          const type = typeof event.value.type === 'string' ? event.value.type : record.type;
          handler(state, event.value, type, record);
        }
        break;
      case 'done':
        // `[DONE]` ends OpenAI chat; Vercel AI sends it after `finish`, and proxies append it to others.
        if (state.shape === 'openai-chat') state.terminated = true;
        break;
      case 'empty':
        break;
      case 'text':
        // An `event: error` with plain-text data is an error message, not broken JSON.
        if (record.type === 'error') state.error(record.data.trim());
        else state.badJson(record.seq);
        break;
    }
    state.record = null;
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
          handler = HANDLERS[decision]();
          for (const earlier of pending) apply(state, handler, earlier);
          pending = [];
          apply(state, handler, event);
        }
      }
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
