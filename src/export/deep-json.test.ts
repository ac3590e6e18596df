import { describe, expect, it } from 'vitest';
import { errorText } from '../llm/json';
import { msg, records } from '../llm/test-support';
import { testInfo } from '../test-records';
import { buildExportFile } from './write-export';

const DEPTH = 20_000;
/** `{"a":{"a":…{"n":1}…}}` nested `depth` levels, as text (JSON.parse of it is iterative in V8). */
const deepObjectText = (depth: number) => `${'{"a":'.repeat(depth)}{"n":1}${'}'.repeat(depth)}`;
const tool = { name: 'SSE DevTools', version: '0' };

describe('one deeply nested event', () => {
  it('never makes export fail: usage nested 20 000 deep (OpenAI chat)', () => {
    const chunk = (body: string) =>
      `{"id":"c","object":"chat.completion.chunk","choices":[],"usage":${body}}`;
    const recs = records(
      msg({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'hi' } }] }),
      { type: 'message', data: chunk(deepObjectText(DEPTH)) },
      msg('[DONE]'),
    );
    const file = buildExportFile([{ info: testInfo('a:1'), records: recs, bytes: 1, end: null }], { tool });
    const text = JSON.stringify(file);
    expect(text.length).toBeGreaterThan(DEPTH);
    expect(file.connections[0]?.message?.text).toBe('hi');
  });

  it('never makes export fail: an error object nested 20 000 deep (Anthropic)', () => {
    const start = {
      type: 'message_start',
      message: { id: 'm', type: 'message', role: 'assistant', content: [] },
    };
    const recs = records(
      { type: 'message_start', data: JSON.stringify(start) },
      { type: 'error', data: `{"type":"error","error":${deepObjectText(DEPTH)}}` },
    );
    const file = buildExportFile([{ info: testInfo('a:1'), records: recs, bytes: 1, end: null }], { tool });
    expect(() => JSON.stringify(file)).not.toThrow();
    const [error] = file.connections[0]?.message?.errors ?? [];
    expect(error?.startsWith('{"a":{"a":')).toBe(true);
  });

  it('errorText of a deep value is bounded text', () => {
    const text = errorText(JSON.parse(deepObjectText(DEPTH)));
    expect(text.startsWith('{"a":{"a":')).toBe(true);
    expect(text.length).toBeLessThan(10_000);
  });
});
