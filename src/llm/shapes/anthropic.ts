/**
 * Anthropic Messages streaming events.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
import { errorText, isObject, type JsonObject, num, obj, str } from '../json';
import type { MessageState, ToolCallState } from '../state';
import type { ShapeHandlerFactory } from './handler';

// Client tools, server tools (web search, code execution) and MCP tools all stream input_json_delta.
const TOOL_BLOCK_TYPES = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use']);

interface ToolBlock {
  call: ToolCallState;
  /** The `input` of `content_block_start` (`{}`, filled by the deltas that follow). */
  input: unknown;
}

export const createAnthropicHandler: ShapeHandlerFactory = () => {
  const toolBlocks = new Map<number, ToolBlock>();

  function toolBlock(state: MessageState, index: number): ToolBlock {
    let block = toolBlocks.get(index);
    if (!block) {
      // A delta for a block whose start was not seen (capture began mid-stream): keep what arrives.
      block = { call: state.choice().toolCall(`b${index}`), input: undefined };
      toolBlocks.set(index, block);
    }
    return block;
  }

  function startBlock(state: MessageState, index: number, block: JsonObject): void {
    const choice = state.choice();
    const type = str(block.type);
    if (type === 'text') state.addText(choice, str(block.text));
    else if (type === 'thinking') state.addReasoning(choice, str(block.thinking));
    else if (type && TOOL_BLOCK_TYPES.has(type)) {
      const tool = toolBlock(state, index);
      tool.input = block.input;
      const id = str(block.id);
      if (id) tool.call.id = id;
      state.setToolName(tool.call, str(block.name));
    }
  }

  return (state, event, type) => {
    switch (type) {
      case 'message_start': {
        const usage = obj(obj(event.message)?.usage);
        if (usage) state.setUsage(usage, true);
        break;
      }
      case 'content_block_start': {
        const block = obj(event.content_block);
        if (block) startBlock(state, num(event.index) ?? 0, block);
        break;
      }
      case 'content_block_delta': {
        const delta = obj(event.delta);
        const choice = state.choice();
        switch (delta?.type) {
          case 'text_delta':
            state.addText(choice, str(delta.text));
            break;
          case 'thinking_delta':
            state.addReasoning(choice, str(delta.thinking));
            break;
          case 'input_json_delta':
            state.appendArguments(toolBlock(state, num(event.index) ?? 0).call, str(delta.partial_json));
            break;
        }
        break;
      }
      case 'content_block_stop': {
        const tool = toolBlocks.get(num(event.index) ?? 0);
        // A tool without parameters streams no input_json_delta; its input is the start's `{}`.
        if (tool && tool.call.arguments === '' && isObject(tool.input)) {
          state.setArguments(tool.call, JSON.stringify(tool.input));
        }
        break;
      }
      case 'message_delta': {
        const reason = str(obj(event.delta)?.stop_reason);
        state.finish(state.choice(), reason);
        const usage = obj(event.usage);
        if (usage) state.setUsage(usage, true);
        break;
      }
      case 'message_stop':
        state.end();
        break;
      case 'error':
        state.error(errorText(event.error ?? event));
        break;
    }
  };
};
