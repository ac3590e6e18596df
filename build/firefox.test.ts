import { describe, expect, it } from 'vitest';
import manifest from '../manifest.json' with { type: 'json' };
import { FIREFOX_MIN_VERSION, firefoxManifest, GECKO_ID, outDirOf, targetBrowser } from './firefox';

describe('firefoxManifest', () => {
  it('runs the same background as a script, with a Gecko id and minimum version, and nothing Chrome-only', () => {
    const firefox = firefoxManifest(manifest, false) as Record<string, unknown>;
    expect(firefox.background).toEqual({
      scripts: ['extension/background/service-worker.ts'],
      type: 'module',
    });
    expect(firefox.browser_specific_settings).toMatchObject({
      gecko: { id: GECKO_ID, strict_min_version: FIREFOX_MIN_VERSION },
    });
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
    // Everything else is the Chrome manifest's, unchanged.
    const { background: _b, minimum_chrome_version: _m, ...shared } = manifest;
    expect(firefox).toMatchObject(shared);
  });

  it('the test build starts the test hooks beside the real background', () => {
    expect(firefoxManifest(manifest, true).background).toEqual({
      scripts: ['extension/background/firefox-test-background.ts'],
      type: 'module',
    });
  });

  it('leaves the Chrome manifest object as it was', () => {
    const before = structuredClone(manifest);
    firefoxManifest(manifest, true);
    expect(manifest).toEqual(before);
  });
});

describe('build target', () => {
  it('is Chrome unless SSE_BROWSER=firefox, each in its own folder', () => {
    expect(targetBrowser({})).toBe('chrome');
    expect(targetBrowser({ SSE_BROWSER: 'firefox' })).toBe('firefox');
    expect(outDirOf('chrome', false)).toBe('dist');
    expect(outDirOf('firefox', false)).toBe('dist-firefox');
    expect(outDirOf('firefox', true)).toBe('dist-firefox-test');
  });
});
