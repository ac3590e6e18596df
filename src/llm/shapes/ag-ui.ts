/**
 * AG-UI (Agent–User Interaction Protocol) events, one JSON object per SSE event, as `@ag-ui/client`'s
 * `HttpAgent` reads them: text messages (`TEXT_MESSAGE_START` / `_CONTENT` / `_END`, `_CHUNK`), tool
 * calls (`TOOL_CALL_START` / `_ARGS` / `_END`, `_CHUNK`, `_RESULT`), reasoning, state
 * (`STATE_SNAPSHOT`, `STATE_DELTA` as JSON Patch), `MESSAGES_SNAPSHOT`, and the run's life cycle
 * (`RUN_STARTED`, `RUN_FINISHED`, `RUN_ERROR`, `STEP_*`).
 * https://docs.ag-ui.com/concepts/events
 */

import { arr, isObject, type JsonObject, num, obj, str } from '../json';
import { applyJsonPatch } from '../json-patch';
import { clip, type MessageState, type ToolCallState } from '../state';
import type { ShapeHandlerFactory } from './handler';

/**
 * Several assistant messages of one run are joined with a blank line in `text` (the client keeps
 * them apart as messages; one text shows them in order).
 */
const MESSAGE_SEPARATOR = '\n\n';

export const createAgUiHandler: ShapeHandlerFactory = () => {
  // Assistant messages by id, in order of appearance, with the text each has so far.
  const messages = new Map<string, string>();
  let lastMessageId = '';
  const calls = new Map<string, ToolCallState>();
  let lastCallId = '';

  function joined(): string {
    return [...messages.values()].filter((text) => text !== '').join(MESSAGE_SEPARATOR);
  }

  function addContent(state: MessageState, messageId: string, delta: string | undefined): void {
    if (!delta) return;
    const choice = state.choice();
    const before = messages.get(messageId);
    messages.set(messageId, (before ?? '') + delta);
    const isLast = [...messages.keys()].at(-1) === messageId;
    if (isLast) {
      // The common case, O(delta): the newest message grows at the end of the text.
      const separator = !before && choice.text !== '' ? MESSAGE_SEPARATOR : '';
      state.addText(choice, separator + delta);
    } else {
      state.setText(choice, joined());
    }
  }

  function toolCall(state: MessageState, id: string): ToolCallState {
    let call = calls.get(id);
    if (!call) {
      call = state.choice().toolCall(id);
      if (id) call.id = id;
      calls.set(id, call);
    }
    lastCallId = id;
    return call;
  }

  function snapshotMessages(state: MessageState, event: JsonObject): void {
    messages.clear();
    for (const raw of arr(event.messages)) {
      if (!isObject(raw) || raw.role !== 'assistant') continue;
      const id = str(raw.id) ?? `#${messages.size}`;
      messages.set(id, typeof raw.content === 'string' ? raw.content : '');
      for (const rawCall of arr(raw.toolCalls)) {
        const fn = obj(isObject(rawCall) ? rawCall.function : undefined);
        const callId = isObject(rawCall) ? str(rawCall.id) : undefined;
        if (!fn || callId === undefined) continue;
        const call = toolCall(state, callId);
        state.setToolName(call, str(fn.name));
        const args = str(fn.arguments);
        if (args !== undefined) state.setArguments(call, args);
      }
    }
    state.setText(state.choice(), joined());
    state.summary = `messages snapshot (${messages.size} assistant)`;
  }

  return (state, event, type) => {
    switch (type) {
      case 'TEXT_MESSAGE_START': {
        const id = str(event.messageId) ?? '';
        // Only the assistant's messages are the answer (a `user` or `developer` message may be echoed).
        if ((str(event.role) ?? 'assistant') === 'assistant' && !messages.has(id)) messages.set(id, '');
        lastMessageId = id;
        state.summary = `message start ${str(event.role) ?? 'assistant'}`;
        break;
      }
      case 'TEXT_MESSAGE_CONTENT':
      case 'TEXT_MESSAGE_CHUNK': {
        const id = str(event.messageId) ?? lastMessageId;
        const role = str(event.role);
        if (type === 'TEXT_MESSAGE_CHUNK' && role !== undefined && role !== 'assistant') break;
        if (!messages.has(id) && type === 'TEXT_MESSAGE_CONTENT' && lastMessageId === id && id !== '') {
          break; // content of a non-assistant message started above
        }
        lastMessageId = id;
        addContent(state, id, str(event.delta));
        break;
      }
      case 'TEXT_MESSAGE_END':
        state.summary = 'message end';
        break;
      case 'REASONING_MESSAGE_CONTENT':
      case 'REASONING_MESSAGE_CHUNK':
      case 'THINKING_TEXT_MESSAGE_CONTENT':
        state.addReasoning(state.choice(), str(event.delta));
        break;
      case 'TOOL_CALL_START':
      case 'TOOL_CALL_CHUNK': {
        const id = str(event.toolCallId) ?? lastCallId;
        const call = toolCall(state, id);
        state.setToolName(call, str(event.toolCallName));
        state.appendArguments(call, str(event.delta));
        break;
      }
      case 'TOOL_CALL_ARGS':
        state.appendArguments(toolCall(state, str(event.toolCallId) ?? lastCallId), str(event.delta));
        break;
      case 'TOOL_CALL_END':
        state.summary = `tool_call end ${calls.get(str(event.toolCallId) ?? '')?.name ?? ''}`.trim();
        break;
      case 'TOOL_CALL_RESULT': {
        const content = event.content;
        const text = typeof content === 'string' ? content : JSON.stringify(content);
        const name = calls.get(str(event.toolCallId) ?? '')?.name ?? str(event.toolCallId) ?? '';
        state.summary = `tool_result ${name} ${clip(text ?? '', 80)}`;
        break;
      }
      case 'STATE_SNAPSHOT':
        state.agentState = event.snapshot;
        state.summary = 'state snapshot';
        break;
      case 'STATE_DELTA': {
        const outcome = applyJsonPatch(state.agentState ?? {}, event.delta);
        if (outcome.ok) {
          state.agentState = outcome.value;
          state.summary = `state delta (${arr(event.delta).length} ops)`;
        } else {
          state.error(`STATE_DELTA: ${outcome.error}`);
        }
        break;
      }
      case 'MESSAGES_SNAPSHOT':
        snapshotMessages(state, event);
        break;
      case 'RUN_STARTED':
        state.summary = `run started ${str(event.runId) ?? ''}`.trim();
        break;
      case 'STEP_STARTED':
      case 'STEP_FINISHED':
        state.summary =
          `step ${type === 'STEP_STARTED' ? 'started' : 'finished'} ${str(event.stepName) ?? ''}`.trim();
        break;
      case 'RUN_FINISHED': {
        const usage = obj(arr(event.usage)[0]);
        if (usage) state.setUsage(usage);
        const outcome = str(obj(event.outcome)?.type) ?? str(event.outcome);
        state.finish(state.choice(), outcome);
        state.end();
        state.summary = `run finished${outcome ? ` ${outcome}` : ''}${usage ? ` · usage ${num(usage.inputTokens) ?? '?'} → ${num(usage.outputTokens) ?? '?'}` : ''}`;
        break;
      }
      case 'RUN_ERROR': {
        const code = str(event.code) ?? (num(event.code) !== undefined ? String(event.code) : undefined);
        const message = str(event.message) ?? 'run error';
        state.error(code ? `${code}: ${message}` : message);
        // The run is over: the error is its end, and the client stops reading.
        state.terminated = true;
        break;
      }
    }
    return undefined;
  };
};
