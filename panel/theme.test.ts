import { describe, expect, it } from 'vitest';
import { resolveTheme } from './theme';

describe('resolveTheme', () => {
  it('follows DevTools when inside it, whatever the system prefers', () => {
    expect(resolveTheme('dark', false)).toBe('dark');
    expect(resolveTheme('default', true)).toBe('light');
  });

  it('follows prefers-color-scheme when opened as a tab', () => {
    expect(resolveTheme(undefined, true)).toBe('dark');
    expect(resolveTheme(undefined, false)).toBe('light');
  });
});
