/**
 * Built-ins the taps use after page scripts have run, taken when the agent loads (at
 * `document_start`, before any page script), so a page that replaces them later changes nothing the
 * agent does. Shared by the taps, which keeps the agent small: it runs in every frame.
 */
export const apply = Reflect.apply;
export const defineProperty = Object.defineProperty;
export const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const weakGet = WeakMap.prototype.get;
const weakSet = WeakMap.prototype.set;

/** The native getter `name` of `proto`, called as `get(target)`. */
export function getterOf<T>(proto: object, name: string): (target: unknown) => T {
  const get = getOwnPropertyDescriptor(proto, name)?.get as (this: unknown) => T;
  return (target) => apply(get, target, []);
}

/** A WeakMap read and written through the native methods. */
export interface PrivateMap<K extends object, V> {
  get(key: unknown): V | undefined;
  set(key: K, value: V): void;
}

export function createPrivateMap<K extends object, V>(): PrivateMap<K, V> {
  const map = new WeakMap<K, V>();
  return {
    get: (key) => apply(weakGet, map, [key]) as V | undefined,
    set: (key, value) => {
      apply(weakSet, map, [key, value]);
    },
  };
}
