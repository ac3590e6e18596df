import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../model';
import { DETECT_JSON_EVENTS, detectShape, reassemble } from './index';
import { ALL_FIXTURES, chatDelta, msg, named, records } from './test-support';

const EXPECTED_SHAPES: Record<string, string> = {
  openAiChat: 'openai-chat',
  responses: 'openai-responses',
  anthropic: 'anthropic',
  gemini: 'gemini',
  vercel: 'vercel-ai',
};

describe('detectShape', () => {
  it.each(Object.entries(ALL_FIXTURES))('recognises %s', (name, fixture) => {
    const prefix = Object.keys(EXPECTED_SHAPES).find((key) => name.startsWith(key));
    expect(detectShape(fixture())).toBe(EXPECTED_SHAPES[prefix ?? '']);
  });

  it('returns null for streams that are not LLM streams', () => {
    const ticker = records(...Array.from({ length: 20 }, (_, i) => msg({ price: i })));
    const text = records(msg('hello'), msg('world'), msg('[DONE]'));
    const generic = records(
      msg({ type: 'start' }),
      msg({ type: 'update', value: 3 }),
      msg({ type: 'finish' }),
    );
    const empty: StreamRecord[] = [];
    for (const stream of [ticker, text, generic, empty]) {
      expect(detectShape(stream)).toBeNull();
      expect(reassemble(stream)).toBeNull();
    }
  });

  it('looks past events that name no shape (ping, Azure’s filter-only chunk)', () => {
    const stream = records(
      named({ type: 'ping' }),
      msg({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [] }),
      chatDelta({ content: 'Hi' }),
    );
    expect(detectShape(stream)).toBe('openai-chat');
    expect(reassemble(stream)?.text).toBe('Hi');
  });

  it('decides from the first few JSON events only', () => {
    const late = records(
      ...Array.from({ length: DETECT_JSON_EVENTS }, (_, i) => msg({ tick: i })),
      chatDelta({ content: 'Hi' }),
    );
    expect(detectShape(late)).toBeNull();
    expect(reassemble(late)).toBeNull();
    expect(detectShape(late.slice(1))).toBe('openai-chat');
  });

  it('ignores comments, and an SSE event type whose data is not JSON', () => {
    const stream: StreamRecord[] = [
      { seq: 1, kind: 'comment', id: '', type: '', data: '{"object":"chat.completion.chunk"}', time: 1 },
      { seq: 2, kind: 'event', id: '', type: 'message_start', data: 'not json', time: 2 },
    ];
    expect(detectShape(stream)).toBeNull();
  });
});
