import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { crx } from '@crxjs/vite-plugin';
import react from '@vitejs/plugin-react';
import { build, defineConfig, type Plugin } from 'vite';
import { agentPrivateNamesPattern } from './build/agent-private-names.ts';
import { firefoxManifest, outDirOf, targetBrowser, withTestHooks } from './build/firefox';
import { extensionIcons } from './build/icons.ts';
import { withPackageVersion } from './build/version.ts';
import manifestSource from './manifest.json' with { type: 'json' };

/** manifest.json with package.json's version, the only place the version is written. */
const manifest = withPackageVersion(manifestSource);

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
  'page-agent': { entry: 'content-scripts/page-agent.ts', format: 'iife' },
  relay: { entry: 'content-scripts/relay.ts', format: 'iife' },
  // Registered after the relay only while some override exists: has the relay ask for them.
  'relay-armed': { entry: 'content-scripts/relay-armed.ts', format: 'iife' },
  // The relay proper, imported by the relay's first part when its document reads a first stream (an
  // ES module, as `import()` wants; web-accessible only at a per-session random URL).
  'relay-main': { entry: 'content-scripts/relay-main.ts', format: 'es' },
  // Replay in the relay (an override's schedule), imported by the relay proper with the tab's first
  // overrides (an ES module, web-accessible like relay-main).
  'relay-replay': { entry: 'content-scripts/relay-replay-link.ts', format: 'es' },
  // Injected by the service worker into the page's world, only in the frames of a tab with armed
  // overrides (replay): the page agent in every other frame carries none of it.
  'replay-agent': { entry: 'content-scripts/replay-agent.ts', format: 'iife' },
} as const;

function contentScripts(): Plugin {
  let outDir = 'dist';
  let mode = 'production';
  let sourcemap: boolean | 'inline' | 'hidden' = false;
  return {
    name: 'sse-devtools-content-scripts',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
      mode = config.mode;
      sourcemap = config.build.sourcemap;
    },
    async closeBundle() {
      // The relay proper is imported from the content script, so it must be web-accessible: only at a
      // per-session random URL (`use_dynamic_url`), which a page cannot guess to detect the extension.
      // Added here, after crxjs wrote the manifest: crxjs checks that manifest assets exist before
      // this plugin builds them.
      const manifestPath = resolve(outDir, 'manifest.json');
      const built = JSON.parse(await readFile(manifestPath, 'utf8'));
      built.web_accessible_resources = [
        ...(built.web_accessible_resources ?? []),
        {
          resources: ['content-scripts/relay-main.js', 'content-scripts/relay-replay.js'],
          matches: ['<all_urls>'],
          use_dynamic_url: true,
        },
      ];
      await writeFile(manifestPath, `${JSON.stringify(built, null, 2)}\n`);
      for (const [name, { entry, format }] of Object.entries(CONTENT_SCRIPTS)) {
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
            // Only when asked (`npm run package -- --sourcemap`), like the rest of the build.
            sourcemap,
            target: 'chrome116',
            // Property reads whose value is unused may be dropped: the content scripts read
            // page-facing properties through captured getters (calls, which stay), and this drops the
            // unused module-level reads of src/limits.ts (about 200 B of the agent, in every frame).
            rolldownOptions: {
              treeshake: { propertyReadSideEffects: false },
              // Vite keeps the white space of ES-module libraries; this one is loaded into pages, not bundled again.
              // The page agent's own property names are shortened too (build/agent-private-names.ts).
              output: {
                minify:
                  mode === 'production' &&
                  (name === 'page-agent' ? { mangleProps: { include: agentPrivateNamesPattern() } } : true),
              },
            },
            lib: {
              entry: resolve(entry),
              formats: [format],
              name: `sseDevtools_${name.replaceAll('-', '_')}`,
              fileName: () => `${name}.js`,
            },
          },
        });
      }
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    crx({ manifest: browserManifest, browser }),
    contentScripts(),
    extensionIcons(browserManifest),
  ],
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
