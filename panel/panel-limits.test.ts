import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PANEL_LIMITS } from '../src/limits';
import { isLimitInRange, loadPanelLimits, savePanelLimits } from './panel-limits';

function fakeStorage() {
  const items = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => items.set(key, value),
  });
  return items;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('panel limits', () => {
  it('accept whole numbers within each range only', () => {
    expect(isLimitInRange('maxRecordsPerConnection', 1000)).toBe(true);
    expect(isLimitInRange('maxRecordsPerConnection', 99)).toBe(false);
    expect(isLimitInRange('maxRecordsPerConnection', 1000.5)).toBe(false);
    expect(isLimitInRange('maxEventChars', 10_000_000)).toBe(false);
  });

  it('are saved and loaded back', () => {
    fakeStorage();
    const limits = { ...DEFAULT_PANEL_LIMITS, maxRecordsPerConnection: 1000 };
    savePanelLimits(limits);
    expect(loadPanelLimits()).toEqual(limits);
  });

  it('fall back to the defaults when nothing or something out of range was saved', () => {
    const items = fakeStorage();
    expect(loadPanelLimits()).toEqual(DEFAULT_PANEL_LIMITS);
    items.set('sse-devtools:limits', JSON.stringify({ ...DEFAULT_PANEL_LIMITS, maxTotalBytes: 1 }));
    expect(loadPanelLimits()).toEqual(DEFAULT_PANEL_LIMITS);
  });
});
