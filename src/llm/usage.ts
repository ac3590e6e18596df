/** Normalised token counts on top of each provider's own usage fields. */
import type { LlmShape } from './types';

type Usage = Record<string, number>;

function sum(...values: (number | undefined)[]): number | undefined {
  let total: number | undefined;
  for (const value of values) if (value !== undefined) total = (total ?? 0) + value;
  return total;
}

/** Input, output and total tokens as each shape names (or implies) them. */
function counts(shape: LlmShape, u: Usage): [number | undefined, number | undefined, number | undefined] {
  switch (shape) {
    case 'openai-chat':
      return [u.prompt_tokens, u.completion_tokens, u.total_tokens];
    case 'openai-responses':
      return [u.input_tokens, u.output_tokens, u.total_tokens];
    case 'anthropic':
      // Anthropic's input_tokens leaves out the cached part of the prompt; the others count it.
      return [
        u.input_tokens === undefined
          ? undefined
          : sum(u.input_tokens, u.cache_creation_input_tokens, u.cache_read_input_tokens),
        u.output_tokens,
        undefined,
      ];
    case 'gemini':
      // Gemini counts thinking apart from candidates; OpenAI's completion_tokens include reasoning.
      return [u.promptTokenCount, sum(u.candidatesTokenCount, u.thoughtsTokenCount), u.totalTokenCount];
    case 'vercel-ai':
    case 'ag-ui':
      return [u.inputTokens, u.outputTokens, u.totalTokens];
    case 'ollama':
      return [u.prompt_eval_count, u.eval_count, undefined];
    case 'langgraph':
      // LangChain's usage_metadata on AI message chunks.
      return [u.input_tokens, u.output_tokens, u.total_tokens];
    case 'mcp':
    case 'graphql-sse':
    case 'trpc':
      return [undefined, undefined, undefined];
  }
}

/** A copy of the provider's usage fields with `inputTokens`, `outputTokens`, `totalTokens` added where derivable. */
export function normaliseUsage(shape: LlmShape, usage: Readonly<Usage>): Usage {
  const out: Usage = { ...usage };
  const [input, output, total] = counts(shape, out);
  if (input !== undefined) out.inputTokens = input;
  if (output !== undefined) out.outputTokens = output;
  const derivedTotal = total ?? (input !== undefined && output !== undefined ? input + output : undefined);
  if (derivedTotal !== undefined) out.totalTokens = derivedTotal;
  return out;
}
