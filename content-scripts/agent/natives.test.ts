import { describe, expect, it } from 'vitest';
import { exec, hasInChain, slice, uncurry, weakGet, weakSet, wrapMethod } from './natives';

describe('agent natives', () => {
  it('wrapMethod puts a method made as the built-in is: its name and length, no prototype, not a constructor', () => {
    class Target {
      value = 2;
      add(a: number, b: number): number {
        return a + b + this.value;
      }
    }
    const calls: unknown[] = [];
    wrapMethod(Target.prototype, 'add', (self, args, native) => {
      calls.push([self, args]);
      return Reflect.apply(native, self, args);
    });
    const target = new Target();
    expect(target.add(1, 3)).toBe(6);
    expect(calls).toEqual([[target, [1, 3]]]);
    const wrapped = Target.prototype.add;
    expect([wrapped.name, wrapped.length, 'prototype' in wrapped]).toEqual(['add', 2, false]);
    expect(() => new (wrapped as unknown as new () => unknown)()).toThrow(TypeError);
    expect(Object.getOwnPropertyDescriptor(Target.prototype, 'add')).toMatchObject({
      writable: true,
      enumerable: false,
      configurable: true,
    });
    // An inherited method gets an own one, with the attributes of a Web IDL operation.
    class Child extends Target {}
    wrapMethod(Child.prototype, 'add', (self, args, native) => Reflect.apply(native, self, args));
    expect(Object.getOwnPropertyDescriptor(Child.prototype, 'add')).toMatchObject({
      writable: true,
      enumerable: true,
      configurable: true,
    });
    expect(new Child().add(1, 1)).toBe(4);
  });

  it('uncurried built-ins ignore a later Function.prototype.call and the methods a page replaces', () => {
    const nativeCall = Function.prototype.call;
    const nativeSlice = String.prototype.slice;
    const join = uncurry(Array.prototype.join);
    try {
      Function.prototype.call = () => 'page';
      String.prototype.slice = () => 'page';
      expect(slice('abcdef', 1, 3)).toBe('bc');
      expect(join([1, 2], '-')).toBe('1-2');
      expect(exec(/b(c)/, 'abcd')?.[1]).toBe('c');
      expect(hasInChain(Array.prototype, [])).toBe(true);
    } finally {
      Function.prototype.call = nativeCall;
      String.prototype.slice = nativeSlice;
    }
    const map = new WeakMap<object, number>();
    const key = {};
    weakSet(map, key, 7);
    expect(weakGet(map, key)).toBe(7);
    expect(weakGet(map, 5)).toBe(undefined);
  });
});
