import { describe, expect, it } from 'vitest';
import { detectShape, reassemble } from './index';
import { msg, records, vercelError, vercelText, vercelTool } from './test-support';

describe('vercel-ai', () => {
  it('reassembles reasoning and text parts; usage from the finish metadata', () => {
    const stream = vercelText();
    expect(detectShape(stream)).toBe('vercel-ai');
    expect(reassemble(stream)).toEqual({
      shape: 'vercel-ai',
      text: 'Hello world',
      reasoning: 'Let me think',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, reasoningTokens: 2 },
      errors: [],
      terminated: true,
      firstContentTime: 1030,
      badJsonSeqs: [],
      errorSeqs: [],
    });
  });

  it('assembles tool input deltas per toolCallId; a call with no deltas takes its input', () => {
    const message = reassemble(vercelTool());
    expect(message?.text).toBe('It is 21°C.');
    expect(message?.finishReason).toBeNull();
    expect(message?.terminated).toBe(true);
    expect(message?.usage).toBeNull();
    expect(message?.toolCalls).toEqual([
      {
        index: 0,
        id: 'call_1',
        name: 'getWeather',
        arguments: '{"city":"Berlin"}',
        argumentsParsed: { city: 'Berlin' },
      },
      { index: 1, id: 'call_2', name: 'getTime', arguments: '{"tz":"CET"}', argumentsParsed: { tz: 'CET' } },
    ]);
  });

  it('records error parts', () => {
    const message = reassemble(vercelError());
    expect(message?.errors).toEqual(['Rate limit exceeded']);
    expect(message?.terminated).toBe(false);
  });

  it('is terminated by the finish part, not by [DONE]', () => {
    expect(reassemble(vercelText().slice(0, -2))?.terminated).toBe(false);
    expect(reassemble(vercelText().slice(0, -1))?.terminated).toBe(true);
    const doneOnly = records(msg({ type: 'text-delta', id: 't', delta: 'x' }), msg('[DONE]'));
    expect(reassemble(doneOnly)?.terminated).toBe(false);
  });
});
