import { describe, expect, it } from 'vitest';
import { utf8Length } from './utf8-length';

describe('utf8Length', () => {
  it('equals the length of the UTF-8 encoding, lone surrogates as U+FFFD', () => {
    const samples = [
      '',
      'ascii',
      'é',
      '€ and 😀',
      'a\ud800b',
      '\udc00',
      '\ud83d',
      '漢字\r\n',
      'x'.repeat(1000),
    ];
    for (const text of samples)
      expect(utf8Length(text), text).toBe(new TextEncoder().encode(text).byteLength);
  });
});
