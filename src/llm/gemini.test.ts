import { describe, expect, it } from 'vitest';
import { detectShape, reassemble } from './index';
import { geminiError, geminiText, geminiTool, geminiTwoCandidates, msg, records } from './test-support';

describe('gemini', () => {
  it('reassembles thought and text parts; usage is the last usageMetadata', () => {
    const stream = geminiText();
    expect(detectShape(stream)).toBe('gemini');
    expect(reassemble(stream)).toEqual({
      shape: 'gemini',
      text: 'The quick brown fox jumps.',
      reasoning: '**Recalling facts**',
      toolCalls: [],
      finishReason: 'STOP',
      usage: {
        promptTokenCount: 8,
        candidatesTokenCount: 12,
        totalTokenCount: 40,
        thoughtsTokenCount: 20,
        inputTokens: 8,
        // Thinking counts as output, as OpenAI's completion_tokens do.
        outputTokens: 32,
        totalTokens: 40,
      },
      errors: [],
      terminated: true,
      firstContentTime: 1000,
      badJsonSeqs: [],
      errorSeqs: [],
    });
  });

  it('turns functionCall parts into tool calls with JSON arguments', () => {
    expect(reassemble(geminiTool())?.toolCalls).toEqual([
      {
        index: 0,
        name: 'get_weather',
        arguments: '{"location":"Paris","unit":"celsius"}',
        argumentsParsed: { location: 'Paris', unit: 'celsius' },
      },
    ]);
  });

  it('keeps candidates apart', () => {
    const message = reassemble(geminiTwoCandidates());
    expect(message?.text).toBe('One.');
    expect(message?.choices?.map((choice) => [choice.index, choice.text, choice.finishReason])).toEqual([
      [0, 'One.', 'STOP'],
      [1, 'Uno!', 'MAX_TOKENS'],
    ]);
  });

  it('records an error object; without a finishReason the stream is not terminated', () => {
    const message = reassemble(geminiError());
    expect(message?.text).toBe('Par');
    expect(message?.errors).toEqual(['UNAVAILABLE: The model is overloaded. Please try again later.']);
    expect(message?.terminated).toBe(false);
    expect(reassemble(geminiText().slice(0, 2))?.terminated).toBe(false);
  });

  it('ends on a blocked prompt', () => {
    const message = reassemble(
      records(
        msg({
          promptFeedback: { blockReason: 'SAFETY' },
          usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
        }),
      ),
    );
    expect(message?.finishReason).toBe('SAFETY');
    expect(message?.terminated).toBe(true);
    expect(message?.text).toBe('');
  });
});
