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
export const StringCtor = String;
export const Uint8ArrayCtor = Uint8Array;
const { slice: nativeSlice, indexOf: nativeIndexOf, toUpperCase } = String.prototype;
export const toLowerCase = String.prototype.toLowerCase;
const nativeIsPrototypeOf = Object.prototype.isPrototypeOf;

/** `text.slice(start, end)` through the native method. */
export const slice = (text: string, start: number, end?: number): string =>
  apply(nativeSlice, text, [start, end]);
/** `text.indexOf(search, from)` through the native method. */
export const indexOf = (text: string, search: string, from?: number): number =>
  apply(nativeIndexOf, text, [search, from]);
export const upper = (text: string): string => apply(toUpperCase, text, []);
/** Whether `proto` is on `value`'s prototype chain (`instanceof` without the page's `Symbol.hasInstance`). */
export const inherits = (value: unknown, proto: object): boolean =>
  apply(nativeIsPrototypeOf, proto, [value]);

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
