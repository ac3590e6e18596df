import en from '../extension/public/_locales/en/messages.json' with { type: 'json' };

/** A key of `_locales/en/messages.json`; every locale has the same keys (a unit test checks). */
export type MessageKey = keyof typeof en;

/**
 * Strings without substitutions, once looked up: `chrome.i18n.getMessage` goes through the extension
 * bindings (some 10 µs a call), and the panel renders hundreds of labels per update (a stream at
 * 1 000 events/s spent 96 ms in it in 5 s, `node bench/profile.mjs --panel --rate 1000`).
 */
const unsubstituted = new Map<MessageKey, string>();

/**
 * The UI string for `key` in the browser's UI language (`chrome.i18n`), falling back to English where
 * `chrome.i18n` is absent (unit tests, a page outside the extension). `$1`… are substituted.
 */
export function t(key: MessageKey, ...substitutions: string[]): string {
  if (substitutions.length === 0) {
    const known = unsubstituted.get(key);
    if (known !== undefined) return known;
  }
  const localized = globalThis.chrome?.i18n?.getMessage(key, substitutions);
  if (localized) {
    if (substitutions.length === 0) unsubstituted.set(key, localized);
    return localized;
  }
  let text: string = en[key].message;
  substitutions.forEach((value, index) => {
    text = text.replaceAll(`$${index + 1}`, value);
  });
  return text;
}
