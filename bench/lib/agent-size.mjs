/**
 * Size of the scripts the extension puts into frames, as built, and which source modules each is
 * made of:
 * - the page agent (`content-scripts/page-agent.js`, MAIN world), injected into every frame;
 * - the relay's first part (`content-scripts/relay.js`, ISOLATED world), injected into every frame:
 *   all of the relay a document loads before its first stream;
 * - the relay proper (`content-scripts/relay-main.js`, an ES module), imported by the first part only
 *   when its document's agent first sends something.
 * Each is rebuilt here exactly as vite.config.ts builds it (IIFE or ES, chrome116), unminified, to
 * apportion the built file's minified bytes among modules by their share of the unminified output.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

/** The scripts, by the name the report uses: source entry, format, built file under dist/. */
const SCRIPTS = {
  agent: { entry: 'content-scripts/page-agent.ts', format: 'iife', file: 'content-scripts/page-agent.js' },
  relayFirstPart: { entry: 'content-scripts/relay.ts', format: 'iife', file: 'content-scripts/relay.js' },
  relayMain: { entry: 'content-scripts/relay-main.ts', format: 'es', file: 'content-scripts/relay-main.js' },
};

/**
 * @param {string} entry
 * @param {'iife' | 'es'} format
 * @returns {Promise<Record<string, number>>} rendered (unminified) length by module
 */
async function modulesOf(entry, format) {
  const output = /** @type {any} */ (
    await build({
      configFile: false,
      logLevel: 'warn',
      build: {
        write: false,
        minify: false,
        sourcemap: false,
        target: 'chrome116',
        rolldownOptions: { treeshake: { propertyReadSideEffects: false } },
        lib: {
          entry: resolve(entry),
          formats: [format],
          name: 'sseDevtools_bench',
          fileName: () => 'a.js',
        },
      },
    })
  );
  const chunk = (Array.isArray(output) ? output[0] : output).output.find(
    (/** @type {any} */ o) => o.type === 'chunk',
  );
  /** @type {Record<string, number>} */
  const modules = {};
  for (const [id, info] of Object.entries(chunk.modules)) {
    modules[relative(process.cwd(), id)] = /** @type {any} */ (info).renderedLength;
  }
  return modules;
}

/**
 * @param {string} dist the benchmark's build (what is injected)
 */
export async function scriptSizes(dist) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const [name, { entry, format, file }] of Object.entries(SCRIPTS)) {
    const built = readFileSync(join(dist, file));
    const modules = await modulesOf(entry, /** @type {'iife' | 'es'} */ (format));
    const total = Object.values(modules).reduce((a, b) => a + b, 0);
    const byModule = Object.entries(modules)
      .filter(([, length]) => length > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([module, length]) => ({
        module,
        unminifiedBytes: length,
        estimatedMinifiedBytes: Math.round((length / total) * built.length),
      }));
    out[name] = { file, minifiedBytes: built.length, gzipBytes: gzipSync(built).length, byModule };
  }
  return out;
}
