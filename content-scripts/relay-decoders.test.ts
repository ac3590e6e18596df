import { describe, expect, it } from 'vitest';
import { endsInsideSequence } from './relay-body';

/** Whether the Encoding spec's decoder (TextDecoder) gives anything when flushed after `bytes`. */
function flushGivesReplacement(bytes: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8');
  decoder.decode(bytes, { stream: true });
  return decoder.decode() !== '';
}

describe('endsInsideSequence', () => {
  it('agrees with TextDecoder on every ending of up to 4 bytes drawn from the bytes that matter', () => {
    const interesting = [
      0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf1,
      0xf4, 0xf5, 0xff,
    ];
    let checked = 0;
    const visit = (prefix: number[]) => {
      if (prefix.length > 0) {
        const bytes = Uint8Array.from(prefix);
        expect(endsInsideSequence(prefix.slice(-3)), prefix.map((b) => b.toString(16)).join(' ')).toBe(
          flushGivesReplacement(bytes),
        );
        checked++;
      }
      if (prefix.length < 4) for (const byte of interesting) visit([...prefix, byte]);
    };
    visit([]);
    expect(checked).toBeGreaterThan(160_000);
  });
});
