import { describe, expect, it } from 'vitest';
import {
  applySettingsChange,
  contentScriptTargets,
  DEFAULT_SETTINGS,
  isCaptureOn,
  isSettings,
  isSettingsChange,
  isSiteOrigin,
  matchPatternOf,
  parseSettings,
  type Settings,
  siteExceptions,
  siteOfUrl,
  withoutPorts,
} from './settings';

const site = (origin: string) => ({ kind: 'site', origin });
const restricted = (reason: string) => ({ kind: 'restricted', reason });

describe('siteOfUrl', () => {
  it('is the exact origin of http and https pages: scheme, host and port', () => {
    expect(siteOfUrl('https://example.com/a/b?c#d')).toEqual(site('https://example.com'));
    expect(siteOfUrl('http://localhost:3000/')).toEqual(site('http://localhost:3000'));
    expect(siteOfUrl('http://localhost:5173/x')).toEqual(site('http://localhost:5173'));
    expect(siteOfUrl('http://127.0.0.1:8080/')).toEqual(site('http://127.0.0.1:8080'));
    expect(siteOfUrl('http://[::1]:8080/')).toEqual(site('http://[::1]:8080'));
  });

  it('writes the origin canonically: lower-case host, default port dropped, punycode', () => {
    expect(siteOfUrl('HTTPS://Example.COM:443/')).toEqual(site('https://example.com'));
    expect(siteOfUrl('http://example.com:80/')).toEqual(site('http://example.com'));
    expect(siteOfUrl('https://bücher.example/')).toEqual(site('https://xn--bcher-kva.example'));
  });

  it('keeps schemes, subdomains and ports apart', () => {
    const origins = [
      'http://example.com/',
      'https://example.com/',
      'https://www.example.com/',
      'https://example.com:8443/',
    ].map((u) => (siteOfUrl(u) as { origin: string }).origin);
    expect(new Set(origins).size).toBe(4);
  });

  it('gives a blob: page the origin that created it, and every file: page one site', () => {
    expect(siteOfUrl('blob:https://app.example/0b7e3c1a-uuid')).toEqual(site('https://app.example'));
    expect(siteOfUrl('file:///home/me/page.html')).toEqual(site('file://'));
    expect(siteOfUrl('file:///C:/x.html')).toEqual(site('file://'));
  });

  it('says why browser pages and the Web Store are out of reach', () => {
    for (const url of [
      'chrome://settings/',
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop/panel/index.html',
      'devtools://devtools/bundled/devtools_app.html',
      'view-source:https://example.com/',
      'chrome-untrusted://print/',
    ]) {
      expect(siteOfUrl(url), url).toEqual(restricted('browser-page'));
    }
    // Chrome hides the URL of exactly the tabs our host permissions do not cover.
    expect(siteOfUrl(undefined)).toEqual(restricted('browser-page'));
    expect(siteOfUrl('')).toEqual(restricted('browser-page'));
    expect(siteOfUrl('https://chromewebstore.google.com/detail/x/abc')).toEqual(restricted('web-store'));
    expect(siteOfUrl('https://chrome.google.com/webstore/detail/abc')).toEqual(restricted('web-store'));
    expect(siteOfUrl('https://chrome.google.com/webstore')).toEqual(restricted('web-store'));
    // Only the store's path on that host.
    expect(siteOfUrl('https://chrome.google.com/webstorefront')).toEqual(site('https://chrome.google.com'));
    expect(siteOfUrl('https://chrome.google.com/intl/en/')).toEqual(site('https://chrome.google.com'));
  });

  it('treats other schemes and unparsable URLs as not a site', () => {
    for (const url of [
      'about:blank',
      'data:text/html,hi',
      'ftp://example.com/',
      'not a url',
      'http://*.ex.com/',
    ]) {
      expect(siteOfUrl(url), url).toEqual(restricted('not-a-site'));
    }
  });
});

describe('isSiteOrigin', () => {
  it('accepts only canonical origins', () => {
    expect(isSiteOrigin('https://example.com')).toBe(true);
    expect(isSiteOrigin('http://localhost:3000')).toBe(true);
    expect(isSiteOrigin('file://')).toBe(true);
    for (const bad of [
      'https://example.com/',
      'https://Example.com',
      'https://example.com:443',
      'chrome://x',
      '',
    ]) {
      expect(isSiteOrigin(bad), bad).toBe(false);
    }
  });
});

describe('isCaptureOn and siteExceptions', () => {
  const settings: Settings = {
    mode: 'all-except',
    sites: { 'https://bank.example': false, 'https://app.example': true, 'http://localhost:3000': false },
  };

  it('follows the default unless the site has a choice', () => {
    expect(isCaptureOn(settings, 'https://other.example')).toBe(true);
    expect(isCaptureOn(settings, 'https://bank.example')).toBe(false);
    expect(isCaptureOn(settings, 'http://localhost:3000')).toBe(false);
    expect(isCaptureOn(settings, 'http://localhost:5173')).toBe(true);
    const onlyListed = { ...settings, mode: 'only-listed' as const };
    expect(isCaptureOn(onlyListed, 'https://other.example')).toBe(false);
    expect(isCaptureOn(onlyListed, 'https://app.example')).toBe(true);
    expect(isCaptureOn(onlyListed, 'https://bank.example')).toBe(false);
  });

  it('lists only the choices that differ from the default, sorted', () => {
    expect(siteExceptions(settings)).toEqual([
      { origin: 'http://localhost:3000', on: false },
      { origin: 'https://bank.example', on: false },
    ]);
    expect(siteExceptions({ ...settings, mode: 'only-listed' })).toEqual([
      { origin: 'https://app.example', on: true },
    ]);
  });
});

describe('applySettingsChange', () => {
  it('sets, forgets and switches the mode without touching the input', () => {
    const off = applySettingsChange(DEFAULT_SETTINGS, {
      kind: 'set-site',
      origin: 'https://a.example',
      on: false,
    });
    expect(off).toEqual({ mode: 'all-except', sites: { 'https://a.example': false } });
    expect(DEFAULT_SETTINGS).toEqual({ mode: 'all-except', sites: {} });
    const onlyListed = applySettingsChange(off, { kind: 'set-mode', mode: 'only-listed' });
    // A site turned off stays off whatever the default.
    expect(isCaptureOn(onlyListed, 'https://a.example')).toBe(false);
    expect(applySettingsChange(onlyListed, { kind: 'set-mode', mode: 'all-except' })).toEqual(off);
    expect(applySettingsChange(off, { kind: 'forget-site', origin: 'https://a.example' })).toEqual(
      DEFAULT_SETTINGS,
    );
    expect(applySettingsChange(off, { kind: 'forget-site', origin: 'https://unknown.example' })).toEqual(off);
  });
});

describe('guards', () => {
  it('checks changes', () => {
    expect(isSettingsChange({ kind: 'set-site', origin: 'https://a.example', on: true })).toBe(true);
    expect(isSettingsChange({ kind: 'set-site', origin: 'https://a.example/', on: true })).toBe(false);
    expect(isSettingsChange({ kind: 'set-site', origin: 'chrome://settings', on: true })).toBe(false);
    expect(isSettingsChange({ kind: 'set-site', origin: 'https://a.example', on: 'yes' })).toBe(false);
    expect(isSettingsChange({ kind: 'forget-site', origin: 'https://a.example' })).toBe(true);
    expect(isSettingsChange({ kind: 'set-mode', mode: 'only-listed' })).toBe(true);
    expect(isSettingsChange({ kind: 'set-mode', mode: 'none' })).toBe(false);
    expect(isSettingsChange({ kind: 'other' })).toBe(false);
    expect(isSettingsChange(null)).toBe(false);
  });

  it('parses stored settings, dropping bad entries one by one', () => {
    expect(parseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('x')).toEqual(DEFAULT_SETTINGS);
    expect(
      parseSettings({
        mode: 'only-listed',
        sites: {
          'https://a.example': true,
          'https://b.example': false,
          'https://c.example/': true,
          x: false,
          d: 1,
        },
      }),
    ).toEqual({ mode: 'only-listed', sites: { 'https://a.example': true, 'https://b.example': false } });
    // An unknown mode falls back to the default, but the sites turned off stay off.
    expect(parseSettings({ mode: 'everything', sites: { 'https://b.example': false } })).toEqual({
      mode: 'all-except',
      sites: { 'https://b.example': false },
    });
    expect(isSettings({ mode: 'only-listed', sites: { 'https://a.example': true } })).toBe(true);
    expect(isSettings({ mode: 'only-listed', sites: { 'https://a.example/': true } })).toBe(false);
    expect(isSettings({ mode: 'only-listed' })).toBe(false);
  });
});

describe('matchPatternOf', () => {
  it('writes the port, the default one included, so an origin matches no other port', () => {
    expect(matchPatternOf('https://example.com')).toBe('https://example.com:443/*');
    expect(matchPatternOf('http://example.com')).toBe('http://example.com:80/*');
    expect(matchPatternOf('http://localhost:3000')).toBe('http://localhost:3000/*');
    expect(matchPatternOf('http://localhost:5173')).toBe('http://localhost:5173/*');
    expect(matchPatternOf('http://[::1]:8080')).toBe('http://[::1]:8080/*');
    expect(matchPatternOf('https://xn--bcher-kva.example')).toBe('https://xn--bcher-kva.example:443/*');
    expect(matchPatternOf('file://')).toBe('file:///*');
  });
});

describe('contentScriptTargets', () => {
  it('registers everywhere by default', () => {
    expect(contentScriptTargets(DEFAULT_SETTINGS)).toEqual({ matches: ['<all_urls>'], excludeMatches: [] });
  });

  it('excludes the sites turned off in all-except mode', () => {
    const settings: Settings = {
      mode: 'all-except',
      sites: { 'https://bank.example': false, 'https://app.example': true, 'http://localhost:3000': false },
    };
    expect(contentScriptTargets(settings)).toEqual({
      matches: ['<all_urls>'],
      excludeMatches: ['http://localhost:3000/*', 'https://bank.example:443/*'],
    });
  });

  it('matches only the sites turned on in only-listed mode, and nothing when none is', () => {
    const settings: Settings = {
      mode: 'only-listed',
      sites: { 'https://bank.example': false, 'https://app.example': true, 'http://127.0.0.1:8080': true },
    };
    expect(contentScriptTargets(settings)).toEqual({
      matches: ['http://127.0.0.1:8080/*', 'https://app.example:443/*'],
      excludeMatches: [],
    });
    expect(contentScriptTargets({ mode: 'only-listed', sites: {} })).toBeNull();
    expect(
      contentScriptTargets({ mode: 'only-listed', sites: { 'https://bank.example': false } }),
    ).toBeNull();
  });
});

describe('withoutPorts (Firefox)', () => {
  it('widens every pattern to its host on every port, once', () => {
    expect(
      withoutPorts({
        matches: ['<all_urls>'],
        excludeMatches: [
          'http://localhost:3000/*',
          'http://localhost:5173/*',
          'https://example.com:443/*',
          'http://[::1]:8080/*',
          'file:///*',
        ],
      }),
    ).toEqual({
      matches: ['<all_urls>'],
      excludeMatches: ['file:///*', 'http://[::1]/*', 'http://localhost/*', 'https://example.com/*'],
    });
  });

  it('keeps a site that is off unpatched on every port of its host', () => {
    const targets = contentScriptTargets({
      mode: 'all-except',
      sites: { 'http://127.0.0.1:3000': false, 'http://127.0.0.1:5173': true },
    });
    expect(targets && withoutPorts(targets)).toEqual({
      matches: ['<all_urls>'],
      excludeMatches: ['http://127.0.0.1/*'],
    });
  });
});
