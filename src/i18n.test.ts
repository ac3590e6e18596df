import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
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

  it('asks chrome.i18n once per string without substitutions, and every time with them', () => {
    const getMessage = vi.fn((key: string, substitutions: string[]) => `${key}:${substitutions.join(',')}`);
    vi.stubGlobal('chrome', { i18n: { getMessage } });
    try {
      expect(t('panelLinkConnected')).toBe('panelLinkConnected:');
      expect(t('panelLinkConnected')).toBe('panelLinkConnected:');
      expect(getMessage).toHaveBeenCalledTimes(1);
      expect(t('panelNotKept', '3')).toBe('panelNotKept:3');
      expect(t('panelNotKept', '4')).toBe('panelNotKept:4');
      expect(getMessage).toHaveBeenCalledTimes(3);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
