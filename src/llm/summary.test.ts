import { describe, expect, it } from 'vitest';
import { createReassembler } from './index';
import { anthropicThinkingAndTool, openAiChatText, openAiChatTools } from './test-support';

function summaries(records: ReturnType<typeof openAiChatText>) {
  const reassembler = createReassembler({ summaries: true });
  reassembler.push(records);
  return records.map((record) => reassembler.summaryOf(record.seq));
}

describe('event summaries of the LLM shapes', () => {
  it('openai-chat: the delta text quoted, the finish, the usage, the end', () => {
    expect(summaries(openAiChatText())).toEqual([
      undefined,
      '"Hel"',
      '"lo"',
      '"!"',
      'finish stop',
      'usage 9 → 3',
      'end',
    ]);
  });

  it('openai-chat: a tool call by name with the arguments each chunk added', () => {
    expect(summaries(openAiChatTools()).slice(0, 3)).toEqual([
      'tool_call get_weather',
      'tool_call get_weather {"lo',
      'tool_call get_weather cation": "Pa',
    ]);
  });

  it('anthropic: thinking, tool input, usage on message_start and message_delta', () => {
    const lines = summaries(anthropicThinkingAndTool());
    expect(lines[0]).toMatch(/^usage \d+ → \d+$/);
    expect(lines).toContain('thinking "I need the"');
    expect(lines.some((line) => line?.startsWith('tool_call get_weather {"'))).toBe(true);
    expect(lines.at(-1)).toBe('end');
  });

  it('keeps no summaries unless asked', () => {
    const reassembler = createReassembler();
    reassembler.push(openAiChatText());
    expect(reassembler.summaryOf(2)).toBeUndefined();
  });
});
