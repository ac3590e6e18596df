/**
 * Built-ins the taps use after page scripts have run, taken when the agent loads (at
 * `document_start`, before any page script), so a page that replaces them later changes nothing the
 * agent does. Shared by the taps, which keeps the agent small: it runs in every frame.
 */
export const apply = Reflect.apply;
export const defineProperty = Object.defineProperty;
export const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const { get: weakGet, set: weakSet } = WeakMap.prototype;
export const StringCtor = String;
export const Uint8ArrayCtor = Uint8Array;
export const setBytes = Uint8Array.prototype.set;
export const addEventListener = EventTarget.prototype.addEventListener;

const { slice: nativeSlice, toUpperCase, toLowerCase, trim } = String.prototype;
const nativeIsPrototypeOf = Object.prototype.isPrototypeOf;

/** `text.slice(start, end)` through the native method. */
export const slice = (text: string, start: number, end?: number): string =>
  apply(nativeSlice, text, [start, end]);
export const upper = (text: string): string => apply(toUpperCase, text, []);
export const lower = (text: string): string => apply(toLowerCase, text, []);
/**
 * `text.trim()` through the native method: it strips a little more than HTTP white space (a no-break
 * space or form feed at an end), which only a recorded header value would lose.
 */
export const trimmed = (text: string): string => apply(trim, text, []);
/** Whether `proto` is on `value`'s prototype chain (`instanceof` without the page's `Symbol.hasInstance`). */
export const inherits = (value: unknown, proto: object): boolean =>
  apply(nativeIsPrototypeOf, proto, [value]);

/** The native getter `name` of `proto`, called as `get(target)`. */
export function getterOf<T>(proto: object, name: string): (target: unknown) => T {
  const get = getOwnPropertyDescriptor(proto, name)?.get as (this: unknown) => T;
  return (target) => apply(get, target, []);
}

/** The native `data` getter of MessageEvent. */
// Pure: the replay agent imports these natives and does not use it.
export const getMessageData = /* @__PURE__ */ getterOf<unknown>(MessageEvent.prototype, 'data');

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
