import { describe, expect, it } from 'vitest';
import { detectShape, reassemble } from './index';
import {
  chatDelta,
  msg,
  openAiChatError,
  openAiChatReasoning,
  openAiChatText,
  openAiChatTools,
  openAiChatTwoChoices,
  records,
} from './test-support';

describe('openai-chat', () => {
  it('reassembles plain text with usage from the choices-less last chunk', () => {
    const stream = openAiChatText();
    expect(detectShape(stream)).toBe('openai-chat');
    expect(reassemble(stream)).toEqual({
      shape: 'openai-chat',
      text: 'Hello!',
      reasoning: '',
      toolCalls: [],
      finishReason: 'stop',
      usage: {
        prompt_tokens: 9,
        completion_tokens: 3,
        total_tokens: 12,
        'prompt_tokens_details.cached_tokens': 0,
        'completion_tokens_details.reasoning_tokens': 0,
        inputTokens: 9,
        outputTokens: 3,
        totalTokens: 12,
      },
      errors: [],
      terminated: true,
      // The role chunk (seq 1) has empty content: the first token is seq 2.
      firstContentTime: 1010,
      badJsonSeqs: [],
      errorSeqs: [],
    });
  });

  it('keeps reasoning_content (DeepSeek) and reasoning (OpenRouter) apart from the answer', () => {
    const message = reassemble(openAiChatReasoning());
    expect(message?.reasoning).toBe('The user greets me.');
    expect(message?.text).toBe('Hi there');
    expect(message?.firstContentTime).toBe(1010);

    const openRouter = reassemble(
      records(chatDelta({ content: '', reasoning: 'Hmm' }), chatDelta({ content: 'Ok' }), msg('[DONE]')),
    );
    expect(openRouter?.reasoning).toBe('Hmm');
    expect(openRouter?.text).toBe('Ok');
    // A server that sends both fields with the same text must not double it.
    const both = reassemble(records(chatDelta({ reasoning_content: 'Hmm', reasoning: 'Hmm' })));
    expect(both?.reasoning).toBe('Hmm');
  });

  it('assembles tool call arguments split mid-JSON, per index', () => {
    const message = reassemble(openAiChatTools());
    expect(message?.finishReason).toBe('tool_calls');
    expect(message?.text).toBe('');
    expect(message?.toolCalls).toEqual([
      {
        index: 0,
        id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
        name: 'get_weather',
        arguments: '{"location": "Paris, France"}',
        argumentsParsed: { location: 'Paris, France' },
      },
      {
        index: 1,
        id: 'call_2',
        name: 'get_time',
        arguments: '{"tz":"Europe/Paris"}',
        argumentsParsed: { tz: 'Europe/Paris' },
      },
    ]);
    // Tool calls alone are no text or reasoning: no first token.
    expect(message?.firstContentTime).toBeNull();
  });

  it('reports arguments cut short by a truncated stream', () => {
    const message = reassemble(openAiChatTools().slice(0, 3));
    expect(message?.terminated).toBe(false);
    expect(message?.toolCalls[0]?.arguments).toBe('{"location": "Pa');
    expect(message?.toolCalls[0]?.argumentsParsed).toBeUndefined();
    expect(message?.toolCalls[0]?.argumentsError).toEqual(expect.any(String));
  });

  it('keeps several choices apart; the top level is choice 0', () => {
    const message = reassemble(openAiChatTwoChoices());
    expect(message?.text).toBe('Red apple');
    expect(message?.finishReason).toBe('length');
    expect(message?.choices).toEqual([
      { index: 0, text: 'Red apple', reasoning: '', toolCalls: [], finishReason: 'length' },
      { index: 1, text: 'Blue sky', reasoning: '', toolCalls: [], finishReason: 'stop' },
    ]);
    expect(reassemble(openAiChatText())?.choices).toBeUndefined();
  });

  it('records a mid-stream error object; without [DONE] the stream is not terminated', () => {
    const message = reassemble(openAiChatError());
    expect(message?.text).toBe('Par');
    expect(message?.errors).toEqual([
      'server_error: The server had an error while processing your request. Sorry about that!',
    ]);
    expect(message?.terminated).toBe(false);
    expect(message?.finishReason).toBeNull();
  });

  it('flags data that is not JSON, but not [DONE], blank data or a plain-text error event', () => {
    const stream = records(
      chatDelta({ content: 'a' }),
      msg('{"id":"chatcmpl-123","choices":[{"index":0,"delta":{"content":"b"'),
      msg(''),
      { type: 'error', data: 'upstream timed out' },
      chatDelta({ content: 'c' }),
      msg('[DONE]'),
    );
    const message = reassemble(stream);
    expect(message?.text).toBe('ac');
    expect(message?.badJsonSeqs).toEqual([2]);
    expect(message?.errors).toEqual(['upstream timed out']);
    expect(message?.terminated).toBe(true);
  });

  it('reads refusals and the legacy function_call delta', () => {
    const refusal = reassemble(
      records(chatDelta({ refusal: "I can't" }), chatDelta({ refusal: ' help.' }, 'stop')),
    );
    expect(refusal?.refusal).toBe("I can't help.");
    expect(refusal?.text).toBe('');
    expect(refusal?.firstContentTime).toBe(1000);

    const legacy = reassemble(
      records(
        chatDelta({ function_call: { name: 'lookup', arguments: '' } }),
        chatDelta({ function_call: { arguments: '{"q":1}' } }, 'function_call'),
      ),
    );
    expect(legacy?.toolCalls).toEqual([
      { index: 0, name: 'lookup', arguments: '{"q":1}', argumentsParsed: { q: 1 } },
    ]);
  });

  it('reads Mistral content parts with thinking', () => {
    const message = reassemble(
      records(
        chatDelta({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'Pondering' }] }] }),
        chatDelta({ content: [{ type: 'text', text: 'Answer' }] }),
      ),
    );
    expect(message?.reasoning).toBe('Pondering');
    expect(message?.text).toBe('Answer');
  });
});
