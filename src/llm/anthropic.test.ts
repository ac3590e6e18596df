import { describe, expect, it } from 'vitest';
import { detectShape, reassemble } from './index';
import { anthropicOverloaded, anthropicText, anthropicThinkingAndTool, named, records } from './test-support';

describe('anthropic', () => {
  it('reassembles text; usage joins message_start input and message_delta output', () => {
    const stream = anthropicText();
    expect(detectShape(stream)).toBe('anthropic');
    expect(reassemble(stream)).toEqual({
      shape: 'anthropic',
      text: 'Hello!',
      reasoning: '',
      toolCalls: [],
      finishReason: 'end_turn',
      usage: { input_tokens: 25, output_tokens: 15, inputTokens: 25, outputTokens: 15, totalTokens: 40 },
      errors: [],
      terminated: true,
      firstContentTime: 1030,
      badJsonSeqs: [],
      errorSeqs: [],
    });
  });

  it('reassembles thinking, text and tool input split mid-JSON; ignores signatures', () => {
    const message = reassemble(anthropicThinkingAndTool());
    expect(message?.reasoning).toBe('I need the weather.');
    expect(message?.text).toBe("Okay, let's check the weather.");
    expect(message?.finishReason).toBe('tool_use');
    expect(message?.toolCalls).toEqual([
      {
        index: 0,
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        name: 'get_weather',
        arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}',
        argumentsParsed: { location: 'San Francisco, CA', unit: 'fahrenheit' },
      },
      // No input_json_delta at all: the start block's `{}` is the input.
      { index: 1, id: 'toolu_2', name: 'get_time', arguments: '{}', argumentsParsed: {} },
    ]);
    // Cached prompt tokens count as input.
    expect(message?.usage).toMatchObject({
      input_tokens: 5,
      cache_creation_input_tokens: 100,
      cache_read_input_tokens: 200,
      output_tokens: 89,
      inputTokens: 305,
      outputTokens: 89,
      totalTokens: 394,
    });
  });

  it('records an overloaded error; without message_stop the stream is not terminated', () => {
    const message = reassemble(anthropicOverloaded());
    expect(message?.text).toBe('Hel');
    expect(message?.errors).toEqual(['overloaded_error: Overloaded']);
    expect(message?.terminated).toBe(false);
    expect(message?.finishReason).toBeNull();
  });

  it('flags an event whose JSON was cut', () => {
    const stream = anthropicText();
    const cut = stream[3];
    if (!cut) throw new Error('fixture too short');
    stream[3] = { ...cut, data: cut.data.slice(0, 30), truncatedFrom: cut.data.length };
    const message = reassemble(stream);
    expect(message?.badJsonSeqs).toEqual([4]);
    expect(message?.text).toBe('!');
  });

  it('keeps tool input that arrives for a block whose start was not captured', () => {
    const message = reassemble(
      records(
        named({
          type: 'content_block_delta',
          index: 1,
          delta: { type: 'input_json_delta', partial_json: '{"a":' },
        }),
        named({
          type: 'content_block_delta',
          index: 1,
          delta: { type: 'input_json_delta', partial_json: '1}' },
        }),
      ),
    );
    expect(message?.toolCalls).toEqual([{ index: 0, arguments: '{"a":1}', argumentsParsed: { a: 1 } }]);
  });
});
