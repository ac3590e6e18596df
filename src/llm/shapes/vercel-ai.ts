/**
 * Vercel AI SDK (v5+) UI message stream: one JSON part per SSE event, then `data: [DONE]`.
 * https://ai-sdk.dev/docs/ai-sdk-ui/stream-protocol
 */
import { errorText, type JsonObject, obj, str } from '../json';
import type { MessageState } from '../state';
import type { ShapeHandlerFactory } from './handler';

// The protocol carries no usage of its own; apps add it through message metadata, and the SDK's
// documented example names it `totalUsage` (a LanguageModelUsage: inputTokens, outputTokens, …).
function applyMetadata(state: MessageState, part: JsonObject): void {
  const metadata = obj(part.messageMetadata);
  const usage = obj(metadata?.totalUsage) ?? obj(metadata?.usage);
  if (usage) state.setUsage(usage);
}

export const createVercelAiHandler: ShapeHandlerFactory = () => (state, part, type) => {
  const choice = state.choice();
  switch (type) {
    case 'text-delta':
      state.addText(choice, str(part.delta) ?? str(part.textDelta));
      break;
    case 'reasoning-delta':
      state.addReasoning(choice, str(part.delta));
      break;
    case 'tool-input-start': {
      const id = str(part.toolCallId);
      const call = choice.toolCall(id ?? '');
      if (id) call.id = id;
      state.setToolName(call, str(part.toolName));
      break;
    }
    case 'tool-input-delta':
      state.appendArguments(choice.toolCall(str(part.toolCallId) ?? ''), str(part.inputTextDelta));
      break;
    case 'tool-input-available':
    case 'tool-input-error': {
      const id = str(part.toolCallId);
      const call = choice.toolCall(id ?? '');
      if (id) call.id = id;
      state.setToolName(call, str(part.toolName));
      // The final input is authoritative when the deltas did not add up to JSON (or never came).
      if (part.input !== undefined && !isJson(call.arguments)) {
        state.setArguments(call, JSON.stringify(part.input));
      }
      break;
    }
    case 'start':
    case 'message-metadata':
      applyMetadata(state, part);
      break;
    case 'finish': {
      applyMetadata(state, part);
      const reason = str(part.finishReason);
      state.finish(choice, reason);
      state.end();
      break;
    }
    case 'error':
      state.error(str(part.errorText) ?? errorText(part));
      break;
  }
};

function isJson(text: string): boolean {
  if (text === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
