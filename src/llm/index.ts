/**
 * Reassembly of known LLM streaming protocols (OpenAI chat and Responses, Anthropic, Gemini,
 * Vercel AI SDK) into the message they carry. Pure: records in, message out.
 */
export { classifyEvent, DETECT_JSON_EVENTS, DETECT_MAX_EVENTS, detectShape } from './detect';
export { END_MARKERS } from './end-markers';
export { createReassembler, reassemble } from './reassembler';
export type {
  LlmChoice,
  LlmMessage,
  LlmShape,
  LlmToolCall,
  Reassembler,
  ReassemblerOptions,
} from './types';
