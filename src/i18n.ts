import en from '../extension/public/_locales/en/messages.json' with { type: 'json' };

/** A key of `_locales/en/messages.json`; every locale has the same keys (a unit test checks). */
export type MessageKey = keyof typeof en;

/**
 * The UI string for `key` in the browser's UI language (`chrome.i18n`), falling back to English where
 * `chrome.i18n` is absent (unit tests, a page outside the extension). `$1`… are substituted.
 */
export function t(key: MessageKey, ...substitutions: string[]): string {
  const localized = globalThis.chrome?.i18n?.getMessage(key, substitutions);
  if (localized) return localized;
  let text: string = en[key].message;
  substitutions.forEach((value, index) => {
    text = text.replaceAll(`$${index + 1}`, value);
  });
  return text;
}
