import { resolve } from 'node:path';
import { crx } from '@crxjs/vite-plugin';
import react from '@vitejs/plugin-react';
import { build, defineConfig, type Plugin } from 'vite';
import { firefoxManifest, outDirOf, targetBrowser, withTestHooks } from './build/firefox';
import manifest from './manifest.json' with { type: 'json' };

// `npm run build:firefox` builds the same sources for Firefox into dist-firefox/ (build/firefox.ts).
const browser = targetBrowser();
const testHooks = browser === 'firefox' && withTestHooks();
const browserManifest = browser === 'firefox' ? firefoxManifest(manifest, testHooks) : manifest;

/**
 * Content scripts are not declared in the manifest: the service worker registers them per site with
 * `chrome.scripting.registerContentScripts`, so a site the user turned off is not patched at all.
 * Each is built here as one self-contained IIFE at a fixed path (`dist/content-scripts/<name>.js`);
 * an ES-module loader would run the MAIN-world agent after the page's first scripts.
 */
const CONTENT_SCRIPTS = {
  'page-agent': 'content-scripts/page-agent.ts',
  relay: 'content-scripts/relay.ts',
} as const;

function contentScripts(): Plugin {
  let outDir = 'dist';
  let mode = 'production';
  return {
    name: 'sse-devtools-content-scripts',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
      mode = config.mode;
    },
    async closeBundle() {
      for (const [name, entry] of Object.entries(CONTENT_SCRIPTS)) {
        await build({
          configFile: false,
          logLevel: 'warn',
          mode,
          // The agent mimics a few browser-specific behaviours (content-scripts/agent/env.d.ts).
          define: { 'import.meta.env.SSE_BROWSER': JSON.stringify(browser) },
          build: {
            outDir: resolve(outDir, 'content-scripts'),
            emptyOutDir: false,
            minify: mode === 'production',
            sourcemap: false,
            target: 'chrome116',
            // Property reads whose value is unused may be dropped: the content scripts read
            // page-facing properties through captured getters (calls, which stay), and this drops the
            // unused module-level reads of src/limits.ts (about 200 B of the agent, in every frame).
            rolldownOptions: { treeshake: { propertyReadSideEffects: false } },
            lib: {
              entry: resolve(entry),
              formats: ['iife'],
              name: `sseDevtools_${name.replace('-', '_')}`,
              fileName: () => `${name}.js`,
            },
          },
        });
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), crx({ manifest: browserManifest, browser }), contentScripts()],
  // Copied as is into dist/: _locales (chrome.i18n) and other static files.
  publicDir: 'extension/public',
  build: {
    outDir: outDirOf(browser, testHooks),
    target: 'chrome116',
    rollupOptions: {
      input: { panel: 'panel/index.html' },
    },
  },
});
