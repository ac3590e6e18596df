/**
 * Ollama's streamed responses: one JSON object per NDJSON line (`/api/chat`: `message.content`,
 * `message.thinking`, `message.tool_calls`; `/api/generate`: `response`, `thinking`), the last with
 * `done: true`, `done_reason` and the server's own counts and durations (nanoseconds).
 * https://github.com/ollama/ollama/blob/main/docs/api.md
 */
import { arr, errorText, isObject, num, obj, str } from '../json';
import type { ShapeHandlerFactory } from './handler';

const NS_PER_SECOND = 1e9;

// The final object's figures; everything else in it (model, created_at, context) is not a count.
const COUNT_FIELDS = [
  'total_duration',
  'load_duration',
  'prompt_eval_count',
  'prompt_eval_duration',
  'eval_count',
  'eval_duration',
] as const;

export const createOllamaHandler: ShapeHandlerFactory = () => (state, line) => {
  // ollama-js throws on a line with `error` (the server's way to fail mid-stream).
  if (line.error !== undefined && line.error !== null) state.error(errorText(line.error));
  const choice = state.choice();
  const message = obj(line.message);
  if (message) {
    state.addReasoning(choice, str(message.thinking));
    state.addText(choice, str(message.content));
    for (const raw of arr(message.tool_calls)) {
      const fn = obj(isObject(raw) ? raw.function : undefined);
      if (!fn) continue;
      // Ollama sends each call whole, its arguments as an object.
      const call = choice.newToolCall();
      state.setToolName(call, str(fn.name));
      state.setArguments(call, JSON.stringify(fn.arguments ?? {}));
    }
  } else {
    state.addReasoning(choice, str(line.thinking));
    state.addText(choice, str(line.response));
  }
  if (line.done === true) {
    const counts: Record<string, number> = {};
    for (const field of COUNT_FIELDS) {
      const value = num(line[field]);
      if (value !== undefined) counts[field] = value;
    }
    if (Object.keys(counts).length > 0) state.setUsage(counts);
    const evalCount = counts.eval_count;
    const evalDuration = counts.eval_duration;
    if (evalCount !== undefined && evalDuration !== undefined && evalDuration > 0) {
      state.serverTokensPerSecond = (evalCount / evalDuration) * NS_PER_SECOND;
    }
    state.finish(choice, str(line.done_reason));
    state.end();
  }
  return undefined;
};
