import { describe, expect, it } from 'vitest';
import { boundedJsonText, nestsDeeperThan } from './bounded-json';
import { JSON_WALK_LIMITS } from './limits';

const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('bounded JSON walks', () => {
  it('nestsDeeperThan counts levels without recursion, 100 000 deep included', () => {
    expect(nestsDeeperThan(nested(3), 3)).toBe(false);
    expect(nestsDeeperThan(nested(4), 3)).toBe(true);
    expect(nestsDeeperThan({ a: 1, b: 'x' }, 0)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(nested(100_000))).toBe(true);
  });

  it('boundedJsonText equals JSON.stringify within the bounds', () => {
    const value = { a: [1, 'two', null, true, { b: undefined, c: '"q"' }], d: {} };
    expect(boundedJsonText(value)).toBe(JSON.stringify(value));
    expect(boundedJsonText('plain')).toBe('"plain"');
  });

  it('boundedJsonText cuts what is too long or too deep, and never throws', () => {
    expect(boundedJsonText({ s: 'x'.repeat(5000) }, 100)).toHaveLength(101);
    const deep = boundedJsonText(nested(100_000));
    expect(deep).toBe(
      `${'['.repeat(JSON_WALK_LIMITS.maxNesting)}"…"${']'.repeat(JSON_WALK_LIMITS.maxNesting)}`,
    );
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => boundedJsonText(cycle)).not.toThrow();
    expect(boundedJsonText({ n: 1n })).toContain('"…"');
  });
});
