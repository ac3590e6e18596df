import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The store's limits (Chrome Web Store dashboard): the summary is the manifest description. */
const SUMMARY_MAX = 132;
const DESCRIPTION_MAX = 16_000;

const LOCALES = ['en', 'zh_CN'];

/** The short description (the paragraph under the first `##`) and the long one (the text block) of a listing. */
function listing(locale: string): { short: string; long: string } {
  const text = readFileSync(`docs/store/${locale}/description.md`, 'utf8');
  const sections = text.split(/^## .*$/m);
  return {
    short: sections[1]?.trim() ?? '',
    long: /```text\n([\s\S]*?)\n```/.exec(sections[2] ?? '')?.[1] ?? '',
  };
}

describe('the store listing', () => {
  it.each(LOCALES)('%s: the short description is the manifest’s, within the store’s limit', (locale) => {
    const messages = JSON.parse(
      readFileSync(`extension/public/_locales/${locale}/messages.json`, 'utf8'),
    ) as Record<string, { message: string }>;
    const { short } = listing(locale);
    expect(short).toBe(messages.extDescription?.message);
    expect(short.length).toBeLessThanOrEqual(SUMMARY_MAX);
  });

  it.each(LOCALES)('%s: the long description is there, within the store’s limit', (locale) => {
    const { long } = listing(locale);
    expect(long.length).toBeGreaterThan(500);
    expect(long.length).toBeLessThanOrEqual(DESCRIPTION_MAX);
  });
});
