/**
 * LangGraph platform run streams (`POST /threads/{id}/runs/stream`), as `@langchain/langgraph-sdk`
 * reads them: the SSE event type is the stream mode (`metadata`, `values`, `updates`, `messages`
 * (tuples of message chunk and metadata), `messages/partial` / `/complete`, `custom`, `error`,
 * `end`), a subgraph's events suffixed `|<namespace>`.
 * https://langchain-ai.github.io/langgraph/cloud/how-tos/streaming/
 */
import { arr, isObject, type JsonObject, obj, str } from '../json';
import { clip, type MessageState } from '../state';
import type { ShapeHandlerFactory } from './handler';

const MESSAGE_SEPARATOR = '\n\n';

/** LangChain message content: a string, or content blocks of which the text ones count. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const block of arr(content)) {
    if (typeof block === 'string') text += block;
    else if (isObject(block) && block.type === 'text') text += str(block.text) ?? '';
  }
  return text;
}

function isAiMessage(message: JsonObject): boolean {
  return message.type === 'ai' || message.type === 'AIMessageChunk' || message.role === 'assistant';
}

export const createLangGraphHandler: ShapeHandlerFactory = () => {
  // The root graph's AI messages by id, with their text so far.
  const messages = new Map<string, string>();
  let streamedMessages = false;

  function render(state: MessageState): void {
    state.setText(state.choice(), [...messages.values()].filter((t) => t !== '').join(MESSAGE_SEPARATOR));
  }

  function appendChunk(state: MessageState, id: string, delta: string): void {
    const before = messages.get(id);
    messages.set(id, (before ?? '') + delta);
    if ([...messages.keys()].at(-1) === id) {
      const choice = state.choice();
      state.addText(choice, (!before && choice.text !== '' && delta ? MESSAGE_SEPARATOR : '') + delta);
    } else {
      render(state);
    }
  }

  function toolCalls(state: MessageState, message: JsonObject): void {
    const choice = state.choice();
    for (const raw of arr(message.tool_call_chunks)) {
      if (!isObject(raw)) continue;
      const key = `${str(message.id) ?? ''}:${str(raw.index) ?? String(raw.index ?? 0)}`;
      const call = choice.toolCall(key);
      const id = str(raw.id);
      if (id && !call.id) call.id = id;
      if (!call.name) state.setToolName(call, str(raw.name));
      state.appendArguments(call, str(raw.args));
    }
    if (arr(message.tool_call_chunks).length > 0) return;
    for (const raw of arr(message.tool_calls)) {
      if (!isObject(raw)) continue;
      const id = str(raw.id);
      const call = choice.toolCall(id ?? `${str(message.id) ?? ''}:${choice.toolCallCount}`);
      if (id) call.id = id;
      state.setToolName(call, str(raw.name));
      if (call.arguments === '') state.setArguments(call, JSON.stringify(raw.args ?? {}));
    }
  }

  function applyMessage(state: MessageState, message: JsonObject, whole: boolean, root: boolean): void {
    if (!isAiMessage(message)) {
      state.summary = `${str(message.type) ?? 'message'} ${clip(contentText(message.content), 80)}`.trim();
      return;
    }
    if (root) {
      const id = str(message.id) ?? '';
      const text = contentText(message.content);
      if (whole || message.type === 'ai') {
        if (messages.get(id) !== text) {
          messages.set(id, text);
          render(state);
        }
      } else {
        appendChunk(state, id, text);
      }
      toolCalls(state, message);
    }
    const usage = obj(message.usage_metadata);
    if (usage && root) state.setUsage(usage);
    state.finish(state.choice(), str(obj(message.response_metadata)?.finish_reason));
  }

  return (state, event, _type, record, parsed) => {
    const bar = record.type.indexOf('|');
    const mode = bar === -1 ? record.type : record.type.slice(0, bar);
    const namespace = bar === -1 ? '' : record.type.slice(bar + 1);
    const root = namespace === '';
    const value = parsed.kind === 'json' ? parsed.value : undefined;
    switch (mode) {
      case 'metadata':
        state.summary = `run ${str(event.run_id) ?? ''}`.trim();
        break;
      case 'messages': {
        // messages-tuple: [message chunk, metadata]
        const message = Array.isArray(value) ? obj(value[0]) : undefined;
        if (message) {
          streamedMessages = true;
          applyMessage(state, message, false, root);
        }
        break;
      }
      case 'messages/partial':
      case 'messages/complete':
        streamedMessages = true;
        for (const raw of arr(value)) if (isObject(raw)) applyMessage(state, raw, true, root);
        break;
      case 'values': {
        if (root) state.agentState = value;
        // Without a messages stream, the answer is the state's last AI messages.
        if (root && !streamedMessages && isObject(value)) {
          for (const raw of arr(value.messages)) if (isObject(raw)) applyMessage(state, raw, true, root);
        }
        state.summary = `values ${Object.keys(obj(value) ?? {}).join(', ')}`.trim();
        break;
      }
      case 'updates': {
        const nodes = Object.keys(event);
        state.updates ??= [];
        for (const node of nodes)
          state.updates.push({ node, namespace, update: event[node], seq: record.seq });
        state.summary = `update ${nodes.join(', ')}${root ? '' : ` (${namespace})`}`;
        break;
      }
      case 'custom':
        state.summary = `custom ${clip(JSON.stringify(value) ?? record.data, 80)}`;
        break;
      case 'error':
        state.error(
          str(event.message) && str(event.error)
            ? `${str(event.error)}: ${str(event.message)}`
            : (str(event.message) ?? str(event.error) ?? record.data),
        );
        break;
      case 'end':
        state.end();
        break;
    }
    return undefined;
  };
};
