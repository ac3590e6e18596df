/**
 * OpenAI Chat Completions streaming (`chat.completion.chunk`), as OpenAI-compatible servers also send it.
 * https://platform.openai.com/docs/api-reference/chat-streaming
 */
import { arr, errorText, isObject, num, obj, str } from '../json';
import type { ChoiceState, MessageState } from '../state';
import type { ShapeHandlerFactory } from './handler';

export const createOpenAiChatHandler: ShapeHandlerFactory = () => (state, chunk) => {
  if (chunk.error !== undefined && chunk.error !== null) state.error(errorText(chunk.error));
  for (const [position, raw] of arr(chunk.choices).entries()) {
    if (!isObject(raw)) continue;
    const choice = state.choice(num(raw.index) ?? position);
    const delta = obj(raw.delta);
    if (delta) applyDelta(state, choice, delta);
    const finish = str(raw.finish_reason);
    state.finish(choice, finish);
  }
  const usage = obj(chunk.usage);
  if (usage) state.setUsage(usage);
};

function applyDelta(state: MessageState, choice: ChoiceState, delta: Record<string, unknown>): void {
  const content = delta.content;
  if (typeof content === 'string') state.addText(choice, content);
  else if (Array.isArray(content)) applyContentParts(state, choice, content);
  // Some servers send both fields with the same text; take one.
  state.addReasoning(choice, str(delta.reasoning_content) || str(delta.reasoning));
  state.addRefusal(choice, str(delta.refusal));
  for (const [position, raw] of arr(delta.tool_calls).entries()) {
    if (!isObject(raw)) continue;
    const index = num(raw.index) ?? position;
    const call = choice.toolCall(String(index), index);
    const id = str(raw.id);
    if (id && !call.id) call.id = id;
    const fn = obj(raw.function);
    if (fn) {
      if (!call.name) state.setToolName(call, str(fn.name));
      state.appendArguments(call, str(fn.arguments));
    }
  }
  // The deprecated `functions` API streams a single call as `function_call`.
  const legacy = obj(delta.function_call);
  if (legacy) {
    const call = choice.toolCall('function_call', 0);
    if (!call.name) state.setToolName(call, str(legacy.name));
    state.appendArguments(call, str(legacy.arguments));
  }
}

// Mistral's reasoning models send `content` as parts: `{type:'text',text}` and `{type:'thinking',thinking:[…]}`.
function applyContentParts(state: MessageState, choice: ChoiceState, parts: readonly unknown[]): void {
  for (const part of parts) {
    if (!isObject(part)) continue;
    if (part.type === 'thinking') {
      const thinking = part.thinking;
      if (typeof thinking === 'string') state.addReasoning(choice, thinking);
      else
        for (const inner of arr(thinking)) if (isObject(inner)) state.addReasoning(choice, str(inner.text));
    } else {
      state.addText(choice, str(part.text));
    }
  }
}
