/**
 * OpenAI Responses API streaming events.
 * https://platform.openai.com/docs/api-reference/responses-streaming
 */
import { errorText, type JsonObject, num, obj, str } from '../json';
import type { MessageState, ToolCallState } from '../state';
import type { ShapeHandlerFactory } from './handler';

function functionCall(state: MessageState, event: JsonObject, itemId: string | undefined): ToolCallState {
  // Every event about an output item carries its output_index; the item id is the fallback.
  const outputIndex = num(event.output_index);
  const key = outputIndex !== undefined ? `o${outputIndex}` : `i${itemId ?? ''}`;
  return state.choice().toolCall(key);
}

function applyItem(state: MessageState, event: JsonObject, final: boolean): void {
  const item = obj(event.item);
  if (item?.type !== 'function_call') return;
  const call = functionCall(state, event, str(item.id));
  const callId = str(item.call_id);
  if (callId) call.id = callId;
  state.setToolName(call, str(item.name));
  const args = str(item.arguments);
  if (args !== undefined && (final || call.arguments === '')) state.setArguments(call, args);
}

export const createOpenAiResponsesHandler: ShapeHandlerFactory = () => {
  let reasoningPart = '';

  function addReasoning(state: MessageState, event: JsonObject, partKey: string): void {
    const delta = str(event.delta);
    if (!delta) return;
    const choice = state.choice();
    // Summary parts (and reasoning items) are separate paragraphs: keep a blank line between them.
    const key = `${str(event.item_id) ?? num(event.output_index) ?? ''}:${partKey}`;
    if (choice.reasoning && reasoningPart !== key) state.addReasoning(choice, '\n\n');
    reasoningPart = key;
    state.addReasoning(choice, delta);
  }

  return (state, event, type) => {
    switch (type) {
      case 'response.output_text.delta':
        state.addText(state.choice(), str(event.delta));
        break;
      case 'response.refusal.delta':
        state.addRefusal(state.choice(), str(event.delta));
        break;
      case 'response.reasoning_summary_text.delta':
        addReasoning(state, event, `s${num(event.summary_index) ?? 0}`);
        break;
      case 'response.reasoning_text.delta':
        addReasoning(state, event, `c${num(event.content_index) ?? 0}`);
        break;
      case 'response.output_item.added':
        applyItem(state, event, false);
        break;
      case 'response.output_item.done':
        applyItem(state, event, true);
        break;
      case 'response.function_call_arguments.delta':
        state.appendArguments(functionCall(state, event, str(event.item_id)), str(event.delta));
        break;
      case 'response.function_call_arguments.done': {
        const call = functionCall(state, event, str(event.item_id));
        state.setToolName(call, str(event.name));
        const args = str(event.arguments);
        if (args !== undefined) state.setArguments(call, args);
        break;
      }
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed': {
        state.end();
        const response = obj(event.response);
        const usage = obj(response?.usage);
        if (usage) state.setUsage(usage);
        const reason = str(obj(response?.incomplete_details)?.reason) ?? str(response?.status);
        state.finish(state.choice(), reason ?? type.slice('response.'.length));
        const error = response?.error;
        if (error !== undefined && error !== null) state.error(errorText(error));
        break;
      }
      case 'error':
        // Documented as `{type:'error', code, message, param}`; some gateways nest an `error` object.
        state.error(
          errorText(
            obj(event.error) ??
              (typeof event.message === 'string' ? { code: event.code, message: event.message } : event),
          ),
        );
        break;
    }
  };
};
