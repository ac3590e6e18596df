import { describe, expect, it } from 'vitest';
import { isEndMarker } from './end-marker';

describe('isEndMarker', () => {
  it('knows each protocol’s end marker', () => {
    expect(isEndMarker('message', '[DONE]')).toBe(true);
    expect(isEndMarker('message', ' [DONE] ')).toBe(true);
    expect(isEndMarker('message_stop', '{"type":"message_stop"}')).toBe(true);
    expect(isEndMarker('message', '{"type":"message_stop"}')).toBe(true);
    expect(isEndMarker('response.completed', '{"type":"response.completed","response":{}}')).toBe(true);
    expect(isEndMarker('message', '{"type":"response.failed"}')).toBe(true);
  });

  it('leaves every other event alone', () => {
    expect(isEndMarker('message', '{"choices":[{"delta":{"content":"[DONE]"}}]}')).toBe(false);
    expect(isEndMarker('content_block_delta', '{"type":"content_block_delta"}')).toBe(false);
    expect(isEndMarker('message', 'DONE')).toBe(false);
    expect(isEndMarker('message', '')).toBe(false);
    expect(isEndMarker('message', '{"type":"finish"}')).toBe(false);
  });
});
