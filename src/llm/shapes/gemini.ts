/**
 * Google Gemini `models/*:streamGenerateContent?alt=sse`: one `GenerateContentResponse` per event.
 * https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
import { arr, errorText, isObject, num, obj, str } from '../json';
import type { ShapeHandlerFactory } from './handler';

export const createGeminiHandler: ShapeHandlerFactory = () => (state, response) => {
  if (response.error !== undefined && response.error !== null) state.error(errorText(response.error));
  for (const [position, raw] of arr(response.candidates).entries()) {
    if (!isObject(raw)) continue;
    const choice = state.choice(num(raw.index) ?? position);
    for (const part of arr(obj(raw.content)?.parts)) {
      if (!isObject(part)) continue;
      const text = str(part.text);
      if (text !== undefined) {
        if (part.thought === true) state.addReasoning(choice, text);
        else state.addText(choice, text);
      }
      const functionCall = obj(part.functionCall);
      if (functionCall) {
        // Gemini sends each call whole, its args as an object.
        const call = choice.newToolCall();
        const id = str(functionCall.id);
        if (id) call.id = id;
        state.setToolName(call, str(functionCall.name));
        state.setArguments(call, JSON.stringify(functionCall.args ?? {}));
      }
    }
    const finish = str(raw.finishReason);
    if (finish) {
      state.finish(choice, finish);
      state.end();
    }
  }
  // A blocked prompt gets no candidates at all, only this; nothing follows it.
  const blockReason = str(obj(response.promptFeedback)?.blockReason);
  if (blockReason) {
    state.finish(state.choice(), blockReason);
    state.end();
  }
  const usage = obj(response.usageMetadata);
  if (usage) state.setUsage(usage);
};
