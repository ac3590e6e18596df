import { describe, expect, it } from 'vitest';
import { formatDelta, utf8Length } from './format';

describe('formatDelta', () => {
  it('keeps sub-millisecond precision where it matters', () => {
    expect(formatDelta(0.42)).toBe('+0.4 ms');
    expect(formatDelta(12.4)).toBe('+12 ms');
    expect(formatDelta(1250)).toBe('+1.25 s');
    expect(formatDelta(182_000)).toBe('+3 min 2 s');
  });
});

describe('utf8Length', () => {
  it('counts UTF-8 bytes as the text took on the wire', () => {
    for (const text of ['', 'abc', 'é', '€', '😀', 'a😀é€', '\ud800x', '\ud800\ud800\udc00', '\udc00']) {
      expect(utf8Length({}, text), text).toBe(new TextEncoder().encode(text).length);
    }
  });
});
