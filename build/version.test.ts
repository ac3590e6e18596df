import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import manifest from '../manifest.json' with { type: 'json' };
import { isChromeVersion, packageVersion, withPackageVersion } from './version';

describe('the version', () => {
  it('is package.json’s, written into the manifest, which has none of its own', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(packageVersion()).toBe(version);
    expect('version' in manifest).toBe(false);
    expect(withPackageVersion(manifest)).toMatchObject({ version, name: 'SSE DevTools' });
  });

  it('is one Chrome accepts: one to four integers up to 65535, no leading zeros, no pre-release', () => {
    for (const ok of ['1', '0.1.0', '1.2.3.4', '65535.0.0']) expect(isChromeVersion(ok), ok).toBe(true);
    for (const bad of ['', '1.', '1.2.3.4.5', '01.0.0', '65536', '1.2.0-beta.1', 'v1.0', '1..2']) {
      expect(isChromeVersion(bad), bad).toBe(false);
    }
  });
});

describe('the changelog', () => {
  it('has an entry for package.json’s version, and an Unreleased section above it', () => {
    const changelog = readFileSync('CHANGELOG.md', 'utf8');
    const headings = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map((m) => m[1]);
    expect(headings[0]).toBe('Unreleased');
    expect(headings[1]).toBe(packageVersion());
  });
});
