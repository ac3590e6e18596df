import { describe, expect, it } from 'vitest';
import { detectShape, reassemble } from './index';
import { named, records, responsesFailed, responsesTextAndTool } from './test-support';

describe('openai-responses', () => {
  it('reassembles reasoning summary, text and a function call, with usage from response.completed', () => {
    const stream = responsesTextAndTool();
    expect(detectShape(stream)).toBe('openai-responses');
    expect(reassemble(stream)).toEqual({
      shape: 'openai-responses',
      text: 'Let me check.',
      reasoning: '**Planning**\n\nCheck weather.',
      toolCalls: [
        {
          index: 0,
          id: 'call_abc',
          name: 'get_weather',
          arguments: '{"location":"Paris"}',
          argumentsParsed: { location: 'Paris' },
        },
      ],
      finishReason: 'completed',
      usage: {
        input_tokens: 36,
        'input_tokens_details.cached_tokens': 0,
        output_tokens: 87,
        'output_tokens_details.reasoning_tokens': 64,
        total_tokens: 123,
        inputTokens: 36,
        outputTokens: 87,
        totalTokens: 123,
      },
      errors: [],
      terminated: true,
      firstContentTime: 1040,
      badJsonSeqs: [],
      errorSeqs: [],
    });
  });

  it('shows function call arguments as they stream, before .done', () => {
    const message = reassemble(responsesTextAndTool().slice(0, 14));
    expect(message?.terminated).toBe(false);
    expect(message?.finishReason).toBeNull();
    expect(message?.toolCalls).toEqual([
      {
        index: 0,
        id: 'call_abc',
        name: 'get_weather',
        arguments: '{"location":"Par',
        argumentsError: expect.any(String),
      },
    ]);
  });

  it('records the error event and the failed response', () => {
    const message = reassemble(responsesFailed());
    expect(message?.text).toBe('Hi');
    expect(message?.errors).toEqual([
      'ERR_SOMETHING: Something went wrong',
      'server_error: The model failed to generate a response.',
    ]);
    expect(message?.finishReason).toBe('failed');
    expect(message?.terminated).toBe(true);
  });

  it('takes the incomplete reason as the finish reason', () => {
    const message = reassemble(
      records(
        named({ type: 'response.output_text.delta', output_index: 0, delta: 'Once upon' }),
        named({
          type: 'response.incomplete',
          response: {
            status: 'incomplete',
            incomplete_details: { reason: 'max_output_tokens' },
            usage: { input_tokens: 3, output_tokens: 16, total_tokens: 19 },
          },
        }),
      ),
    );
    expect(message?.finishReason).toBe('max_output_tokens');
    expect(message?.terminated).toBe(true);
    expect(message?.usage?.outputTokens).toBe(16);
  });

  it('is not terminated without a final response event', () => {
    expect(reassemble(responsesTextAndTool().slice(0, -1))?.terminated).toBe(false);
  });
});
