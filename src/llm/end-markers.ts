import type { LlmShape } from './types';

/** The end marker each shape's protocol sends last; its absence after the end means truncation. */
export const END_MARKERS: Record<LlmShape, string> = {
  'openai-chat': 'data: [DONE]',
  'openai-responses': 'response.completed',
  anthropic: 'message_stop',
  gemini: 'finishReason',
  'vercel-ai': 'finish',
};
