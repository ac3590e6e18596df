import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { isAgentChunk } from './agent-chunks';

const chunk = (bytes: unknown) => ({ connectionId: 'c1', time: 1, bytes });

describe('isAgentChunk', () => {
  it('accepts bytes as an ArrayBuffer of this realm', () => {
    expect(isAgentChunk(chunk(new ArrayBuffer(3)))).toBe(true);
  });

  // Firefox's content scripts see the page's buffers through Xray wrappers, where `instanceof
  // ArrayBuffer` is false: every fetch body was dropped there before this check.
  it('accepts an ArrayBuffer from another realm', () => {
    const foreign: unknown = runInNewContext('new ArrayBuffer(3)');
    expect(foreign instanceof ArrayBuffer).toBe(false);
    expect(isAgentChunk(chunk(foreign))).toBe(true);
  });

  it('refuses what only looks like an ArrayBuffer', () => {
    for (const bytes of [
      new Uint8Array(3),
      new SharedArrayBuffer(3),
      { byteLength: 3 },
      Object.create(ArrayBuffer.prototype),
      'abc',
      null,
    ]) {
      expect(isAgentChunk(chunk(bytes)), String(bytes)).toBe(false);
    }
  });
});
