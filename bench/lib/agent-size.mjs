/**
 * Size of the page agent (the script injected into every frame) as built, and which source modules
 * it is made of: the agent is rebuilt here exactly as vite.config.ts builds it (IIFE, minified,
 * chrome116), once more without minification to apportion the minified bytes among modules by
 * their share of the unminified output.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const AGENT_ENTRY = 'content-scripts/page-agent.ts';

/**
 * @param {boolean} minify
 * @returns {Promise<{ code: string, modules: Record<string, number> }>}
 */
async function buildAgent(minify) {
  const output = /** @type {any} */ (
    await build({
      configFile: false,
      logLevel: 'warn',
      build: {
        write: false,
        minify,
        sourcemap: false,
        target: 'chrome116',
        lib: {
          entry: resolve(AGENT_ENTRY),
          formats: ['iife'],
          name: 'sseDevtools_page_agent',
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
  return { code: chunk.code, modules };
}

/**
 * @param {string} builtFile the agent in the benchmark's build (what is injected)
 */
export async function agentSize(builtFile) {
  const built = readFileSync(builtFile);
  const plain = await buildAgent(false);
  const total = Object.values(plain.modules).reduce((a, b) => a + b, 0);
  const byModule = Object.entries(plain.modules)
    .filter(([, length]) => length > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([module, length]) => ({
      module,
      unminifiedBytes: length,
      estimatedMinifiedBytes: Math.round((length / total) * built.length),
    }));
  return { minifiedBytes: built.length, gzipBytes: gzipSync(built).length, byModule };
}
