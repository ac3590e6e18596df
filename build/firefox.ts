/**
 * The Firefox build (`npm run build:firefox`): the same sources as the Chrome build, a manifest
 * rewritten for Gecko, and written to `dist-firefox/`. Kept here, apart from vite.config.ts, so the
 * Chrome build reads exactly as before and this file is the one place that knows about Firefox.
 */

/** Which browser a build is for: `SSE_BROWSER=firefox` selects Firefox, anything else Chrome. */
export type TargetBrowser = 'chrome' | 'firefox';

export function targetBrowser(env: NodeJS.ProcessEnv = process.env): TargetBrowser {
  return env.SSE_BROWSER === 'firefox' ? 'firefox' : 'chrome';
}

/**
 * Whether this build carries the test hooks (`SSE_TEST_HOOKS=1`, Firefox only): see
 * extension/background/firefox-test-hooks.ts. Never set for a build anyone installs.
 */
export function withTestHooks(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SSE_TEST_HOOKS === '1';
}

/** The add-on's id: Firefox needs one for `storage` and for an MV3 add-on to install at all. */
export const GECKO_ID = 'sse-devtools@sse-devtools.dev';

/**
 * The oldest Firefox with everything the extension uses: MV3 content scripts registered in the
 * MAIN world (`scripting.registerContentScripts` with `world`, 128) and the manifest's
 * `data_collection_permissions` (140, the ESR after 128; web-ext lint asks for it).
 */
export const FIREFOX_MIN_VERSION = '140.0';

/** Firefox for Android learnt `data_collection_permissions` two versions later than desktop. */
export const FIREFOX_ANDROID_MIN_VERSION = '142.0';

/** Where each build is written. */
export function outDirOf(browser: TargetBrowser, testHooks: boolean): string {
  if (browser === 'chrome') return 'dist';
  return testHooks ? 'dist-firefox-test' : 'dist-firefox';
}

/** The subset of the manifest this rewrite touches; the rest is passed through as is. */
interface SourceManifest {
  background?: { service_worker?: string; scripts?: string[]; type?: string };
  minimum_chrome_version?: string;
  [key: string]: unknown;
}

/**
 * The Chrome manifest rewritten for Firefox:
 * - `background.scripts` instead of `service_worker` (Firefox runs MV3 background scripts in an
 *   event page, not a service worker); `type: module` is kept, @crxjs writes the loader;
 * - `browser_specific_settings.gecko`: the id, the minimum version, and no data collection;
 * - no `minimum_chrome_version` (Firefox ignores it, web-ext lint warns about it).
 */
export function firefoxManifest<M extends SourceManifest>(manifest: M, testHooks: boolean): M {
  const { minimum_chrome_version: _chromeOnly, background, ...rest } = manifest;
  const script = testHooks
    ? 'extension/background/firefox-test-background.ts'
    : (background?.service_worker ?? background?.scripts?.[0]);
  if (!script) throw new Error('manifest.json has no background script to carry over to Firefox');
  return {
    ...rest,
    background: { scripts: [script], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        data_collection_permissions: { required: ['none'] },
      },
      // Firefox for Android has no DevTools to show the panel in; this only states the version that
      // knows `data_collection_permissions`, should the add-on ever be installed there.
      gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
    },
  } as unknown as M;
}
