/**
 * Bundles a module and what it imports into one browser script (IIFE) with Vite's `build()`, kept
 * in memory, so the real client libraries run in a test page served by the loopback server.
 */
import { build, type Rollup } from 'vite';

/** The IIFE text of `entry` (an absolute path); its exports become the global `name`. */
export async function bundleForBrowser(entry: string, name: string): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      minify: false,
      target: 'chrome116',
      lib: { entry, formats: ['iife'], name, fileName: () => `${name}.js` },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk');
  if (chunk?.type !== 'chunk') throw new Error(`the ${name} bundle has no chunk`);
  return chunk.code;
}
