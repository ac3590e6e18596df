/**
 * Built-ins the taps use after page scripts have run, taken when the agent loads (at
 * `document_start`, before any page script), so a page that replaces them later changes nothing the
 * agent does. Shared by the taps, which keeps the agent small: it runs in every frame.
 */
export const apply = Reflect.apply;
/**
 * `method` as a plain function of its `this` and its arguments: `uncurry(method)(target, ...args)` is
 * `target.method(...args)` through the built-in `call`, bound now, so that neither a page's
 * `Function.prototype.call` nor its `Reflect.apply` changes it later. (Where the arguments come as an
 * array, `apply` takes them.)
 */
export const uncurry = Function.prototype.bind.bind(Function.prototype.call) as <A extends unknown[], R>(
  method: (...args: A) => R,
) => (target: unknown, ...args: A) => R;
/** Object, named once for every module that takes its functions. */
export const ObjectCtor = Object;
export const defineProperty = ObjectCtor.defineProperty;
export const getOwnPropertyDescriptor = ObjectCtor.getOwnPropertyDescriptor;
export const StringCtor = String;
export const Uint8ArrayCtor = Uint8Array;
/** `view.set(source, offset)`. */
export const setBytes = uncurry(
  Uint8ArrayCtor.prototype.set as (source: ArrayLike<number>, offset?: number) => void,
);
// Prototypes several modules take built-ins of (each named once: the minifier does not share them).
const eventTargetProto = EventTarget.prototype;
export const eventProto = Event.prototype;
export const messageEventProto = MessageEvent.prototype;

/** `target.addEventListener(type, listener)`. */
export const listen = uncurry(
  eventTargetProto.addEventListener as (type: string, listener: (event: never) => void) => void,
);
/** `target.dispatchEvent(event)`. */
export const dispatch = uncurry(eventTargetProto.dispatchEvent);

const { slice: nativeSlice, toUpperCase } = StringCtor.prototype;

/** `regExp.exec(text)` through the native method (a page may replace `RegExp.prototype.exec`). */
export const exec = uncurry(RegExp.prototype.exec);

// readyState values of XMLHttpRequest and EventSource (named here, where the minifier writes their
// values in the taps).
export const XHR_HEADERS_RECEIVED = 2;
export const XHR_DONE = 4;
export const EVENTSOURCE_CLOSED = 2;

/** `text.slice(start, end)` through the native method. */
export const slice = uncurry(nativeSlice);
export const upper = uncurry(toUpperCase);
/**
 * `hasInChain(proto, value)`: whether `proto` is on `value`'s prototype chain (`instanceof`
 * without the page's `Symbol.hasInstance`).
 */
export const hasInChain = uncurry(ObjectCtor.prototype.isPrototypeOf as (value: unknown) => boolean);

/** The native getter `name` of `proto`, called as `get(target)`. */
export const getterOf = <T>(proto: object, name: string): ((target: unknown) => T) =>
  uncurry(getOwnPropertyDescriptor(proto, name)?.get as () => T);

/** Gives `wrapper` the `length` of the built-in it stands for, as the page would see on the built-in. */
export const copyLength = (wrapper: object, native: { length: number }): void => {
  defineProperty(wrapper, 'length', { value: native.length });
};

/** A built-in method as `wrapMethod` gives it to the wrapper's body. */
export type NativeMethod = (...args: never[]) => unknown;

/**
 * Puts a method named `name` on `target` in place of the one it has or inherits (`native`, taken
 * now), made as the browser makes its own: method shorthand (named `name`, no `prototype`, not a
 * constructor) with `native`'s `length`, assigned as a page could (writable, enumerable,
 * configurable, as a Web IDL operation is). It calls `body` with its `this` and arguments.
 */
export const wrapMethod = (
  target: object,
  name: string,
  body: (self: unknown, args: unknown[], native: NativeMethod) => unknown,
): void => {
  const native = (target as Record<string, NativeMethod>)[name] as NativeMethod;
  const wrapper = {
    [name](...args: unknown[]) {
      return body(this, args, native);
    },
  }[name] as NativeMethod;
  copyLength(wrapper, native);
  (target as Record<string, NativeMethod>)[name] = wrapper;
};

/** The native `data` getter of MessageEvent. */
// Pure: the replay agent imports these natives and does not use it.
export const getMessageData = /* @__PURE__ */ getterOf<unknown>(messageEventProto, 'data');

/** `map.get(key)` through the native method (a page may replace `WeakMap.prototype.get`). */
export const weakGet = uncurry(WeakMap.prototype.get) as <V>(
  map: WeakMap<object, V>,
  key: unknown,
) => V | undefined;
/** `map.set(key, value)` through the native method. */
export const weakSet = uncurry(WeakMap.prototype.set) as <K extends object, V>(
  map: WeakMap<K, V>,
  key: K,
  value: V,
) => void;
