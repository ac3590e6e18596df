import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { t } from './i18n';

const LOCALES = join(import.meta.dirname, '../extension/public/_locales');
const read = (locale: string): Record<string, { message: string }> =>
  JSON.parse(readFileSync(join(LOCALES, locale, 'messages.json'), 'utf8'));

describe('locales', () => {
  it('every locale has exactly the English keys, each with a non-empty message', () => {
    const english = Object.keys(read('en')).sort();
    for (const locale of readdirSync(LOCALES)) {
      const messages = read(locale);
      expect(Object.keys(messages).sort(), locale).toEqual(english);
      for (const [key, value] of Object.entries(messages))
        expect(value.message.trim(), `${locale}:${key}`).not.toBe('');
    }
  });

  it('falls back to English outside the extension', () => {
    expect(t('panelNoTab')).toMatch(/^No inspected tab/);
  });
});
