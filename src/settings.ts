/**
 * Per-site capture settings and the pure rules over them: what a page's site (origin) is, whether
 * capture is on there, and which match patterns register the content scripts so that a site that is
 * off is never injected at all.
 */

/**
 * The global default.
 * - `all-except`: capture on every site unless the user turned it off (the default at install).
 * - `only-listed`: capture only on sites the user turned on.
 */
export type CaptureMode = 'all-except' | 'only-listed';

/** What the user chose; stored in `chrome.storage.local` under SETTINGS_STORAGE_KEY. */
export interface Settings {
  mode: CaptureMode;
  /**
   * The user's explicit choice per site: origin (as `siteOfUrl` gives it) → capture on (`true`) or
   * off (`false`). A site without an entry follows `mode`. Entries are kept when `mode` changes, so a
   * site turned off stays off whatever the default; the popup lists only those that differ from it.
   */
  sites: Record<string, boolean>;
}

export const SETTINGS_STORAGE_KEY = 'settings';

export const DEFAULT_SETTINGS: Settings = { mode: 'all-except', sites: {} };

/** Why the extension can never run on a page. */
export type RestrictedReason =
  /** chrome://, extension pages and others Chrome keeps extensions out of, or a tab whose URL we may not see. */
  | 'browser-page'
  /** The Chrome Web Store, where Chrome blocks every extension's scripts. */
  | 'web-store'
  /** Not an http, https or file page (data:, about:, ftp:...). */
  | 'not-a-site';

/** The site a page belongs to, or why the extension cannot run there. */
export type SiteAccess = { kind: 'site'; origin: string } | { kind: 'restricted'; reason: RestrictedReason };

const BROWSER_SCHEMES = new Set([
  'chrome:',
  'chrome-extension:',
  'chrome-untrusted:',
  'chrome-search:',
  'devtools:',
  'view-source:',
  'edge:',
  'brave:',
]);

/** The origin that stands for every `file:` page: file URLs have an opaque origin, and one pattern covers them. */
export const FILE_SITE = 'file://';

/**
 * The site of a page: its origin (scheme, host and port, as `URL.origin` writes it), or why the
 * extension cannot run there. `url` is undefined when Chrome hides a tab's URL from us, which it does
 * for exactly the pages our host permissions do not cover: those are treated as browser pages.
 */
export function siteOfUrl(url: string | undefined): SiteAccess {
  if (!url) return { kind: 'restricted', reason: 'browser-page' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'restricted', reason: 'not-a-site' };
  }
  if (BROWSER_SCHEMES.has(parsed.protocol)) return { kind: 'restricted', reason: 'browser-page' };
  // A blob: document runs in the origin that created it, which is written inside its URL.
  if (parsed.protocol === 'blob:') return siteOfUrl(parsed.pathname);
  if (parsed.protocol === 'file:') return { kind: 'site', origin: FILE_SITE };
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { kind: 'restricted', reason: 'not-a-site' };
  }
  if (isWebStore(parsed)) return { kind: 'restricted', reason: 'web-store' };
  // `*` is legal in a URL host but is a wildcard in a match pattern: such a site could not be matched
  // exactly, so it is not offered a setting (it follows the default).
  if (parsed.hostname.includes('*')) return { kind: 'restricted', reason: 'not-a-site' };
  return { kind: 'site', origin: parsed.origin };
}

function isWebStore(url: URL): boolean {
  if (url.hostname === 'chromewebstore.google.com') return true;
  return url.hostname === 'chrome.google.com' && /^\/webstore(\/|$)/.test(url.pathname);
}

/** True when `origin` is exactly what `siteOfUrl` returns for some page (the canonical form). */
export function isSiteOrigin(origin: string): boolean {
  const site = siteOfUrl(origin);
  return site.kind === 'site' && site.origin === origin;
}

/** Whether the agent is registered for documents of `origin` under `settings`. */
export function isCaptureOn(settings: Settings, origin: string): boolean {
  return settings.sites[origin] ?? settings.mode === 'all-except';
}

/** A site whose choice differs from the default, as the popup lists it. */
export interface SiteException {
  origin: string;
  on: boolean;
}

/** The sites whose choice differs from the default, sorted by origin. */
export function siteExceptions(settings: Settings): SiteException[] {
  const defaultOn = settings.mode === 'all-except';
  return Object.entries(settings.sites)
    .filter(([, on]) => on !== defaultOn)
    .map(([origin, on]) => ({ origin, on }))
    .sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0));
}

/** A change the popup asks for; the service worker applies it to the stored settings. */
export type SettingsChange =
  /** Turn capture on or off for one site (remembered whatever the default). */
  | { kind: 'set-site'; origin: string; on: boolean }
  /** Forget the choice for one site, so it follows the default again. */
  | { kind: 'forget-site'; origin: string }
  | { kind: 'set-mode'; mode: CaptureMode };

/** `settings` with `change` applied (a new object; `settings` is not modified). */
export function applySettingsChange(settings: Settings, change: SettingsChange): Settings {
  switch (change.kind) {
    case 'set-site':
      return { ...settings, sites: { ...settings.sites, [change.origin]: change.on } };
    case 'forget-site': {
      const { [change.origin]: _forgotten, ...sites } = settings.sites;
      return { ...settings, sites };
    }
    case 'set-mode':
      return { ...settings, mode: change.mode };
  }
}

const MODES: readonly string[] = ['all-except', 'only-listed'] satisfies CaptureMode[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isSettingsChange(value: unknown): value is SettingsChange {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'set-site':
      return typeof value.origin === 'string' && isSiteOrigin(value.origin) && typeof value.on === 'boolean';
    case 'forget-site':
      return typeof value.origin === 'string';
    case 'set-mode':
      return MODES.includes(value.mode as string);
    default:
      return false;
  }
}

/**
 * Settings read back from storage (or a message), made well-formed: an unknown mode becomes the
 * default and entries that are not canonical origins with a boolean are dropped. Entries are kept
 * one by one, so one bad entry does not turn a site the user turned off back on.
 */
export function parseSettings(value: unknown): Settings {
  if (!isRecord(value)) return DEFAULT_SETTINGS;
  const mode = MODES.includes(value.mode as string) ? (value.mode as CaptureMode) : DEFAULT_SETTINGS.mode;
  const sites: Record<string, boolean> = {};
  if (isRecord(value.sites)) {
    for (const [origin, on] of Object.entries(value.sites)) {
      if (typeof on === 'boolean' && isSiteOrigin(origin)) sites[origin] = on;
    }
  }
  return { mode, sites };
}

/** True when `value` is already well-formed settings (what `parseSettings` would return unchanged). */
export function isSettings(value: unknown): value is Settings {
  if (!isRecord(value) || !MODES.includes(value.mode as string) || !isRecord(value.sites)) return false;
  return Object.entries(value.sites).every(([origin, on]) => typeof on === 'boolean' && isSiteOrigin(origin));
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * The match pattern that matches exactly the documents of `origin` (a canonical site origin).
 *
 * Chrome's match patterns accept a port (`http://localhost:3000/*`) and compare it with the URL's
 * effective port; a pattern without one matches every port. So the port is always written, the
 * scheme's default included (`https://example.com:443/*` matches `https://example.com/` and not
 * `https://example.com:8443/`): two origins on one host with different ports never share a pattern.
 * The host is written as is: no `*.` wildcard, so subdomains are other sites. All `file:` pages are
 * one site (their origins are opaque), matched by `file:///*`.
 */
export function matchPatternOf(origin: string): string {
  if (origin === FILE_SITE) return 'file:///*';
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}:${url.port || DEFAULT_PORTS[url.protocol]}/*`;
}

/** Where the content scripts are registered (`matches` / `excludeMatches` of `registerContentScripts`). */
export interface ContentScriptTargets {
  matches: string[];
  excludeMatches: string[];
}

/**
 * Where to register the page agent and relay under `settings`, or `null` when nowhere (nothing is
 * turned on in `only-listed` mode): the scripts must then be unregistered, since `matches` may not
 * be empty.
 */
export function contentScriptTargets(settings: Settings): ContentScriptTargets | null {
  const patterns = (on: boolean) =>
    Object.entries(settings.sites)
      .filter(([, value]) => value === on)
      .map(([origin]) => matchPatternOf(origin))
      .sort();
  if (settings.mode === 'all-except') return { matches: ['<all_urls>'], excludeMatches: patterns(false) };
  const matches = patterns(true);
  return matches.length > 0 ? { matches, excludeMatches: [] } : null;
}

/**
 * The targets for Firefox, whose match patterns cannot hold a port: there `http://localhost:3000/*`
 * matches nothing and `http://localhost/*` matches every port. Each pattern is widened to its host
 * on every port, so a switch acts on the whole host: a site turned off leaves every port of its host
 * unpatched (off still means not patched), and in `only-listed` mode a site turned on also patches
 * its host's other ports (README, "Firefox").
 */
export function withoutPorts(targets: ContentScriptTargets): ContentScriptTargets {
  const widen = (patterns: string[]) =>
    [
      ...new Set(
        patterns.map((pattern) => pattern.replace(/^([a-z]+:\/\/(?:\[[^\]]+\]|[^/:]+)):\d+\//, '$1/')),
      ),
    ].sort();
  return { matches: widen(targets.matches), excludeMatches: widen(targets.excludeMatches) };
}
