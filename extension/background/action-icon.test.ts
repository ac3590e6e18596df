import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../src/settings';
import { actionLookFor } from './action-icon';

describe('actionLookFor', () => {
  const off: Settings = { mode: 'all-except', sites: { 'http://127.0.0.1:8080': false } };

  it('is on where capture is on for the tab’s site', () => {
    expect(actionLookFor(DEFAULT_SETTINGS, 'https://example.com/chat')).toEqual({
      variant: 'on',
      title: 'actionTitleOn',
    });
    expect(actionLookFor(off, 'http://127.0.0.1:8081/')).toMatchObject({ variant: 'on' });
  });

  it('is dimmed where the site is turned off, by exact origin', () => {
    expect(actionLookFor(off, 'http://127.0.0.1:8080/page')).toEqual({
      variant: 'off',
      title: 'actionTitleOff',
    });
    const onlyListed: Settings = { mode: 'only-listed', sites: { 'https://a.test': true } };
    expect(actionLookFor(onlyListed, 'https://a.test/x')).toMatchObject({ variant: 'on' });
    expect(actionLookFor(onlyListed, 'https://b.test/x')).toEqual({
      variant: 'off',
      title: 'actionTitleOff',
    });
  });

  it('is dimmed, saying why, where no extension may run', () => {
    for (const url of [
      undefined,
      'chrome://extensions/',
      'https://chromewebstore.google.com/',
      'data:text/html,x',
    ]) {
      expect(actionLookFor(DEFAULT_SETTINGS, url), String(url)).toEqual({
        variant: 'off',
        title: 'actionTitleRestricted',
      });
    }
  });
});
