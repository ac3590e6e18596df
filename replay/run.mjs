/**
 * `npm run replay -- FILE …`: bundles replay/cli.ts (TypeScript, sharing src/export with the panel)
 * for Node into .tmp/replay, runs it, and stops the server on Ctrl+C (SIGINT) or SIGTERM.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';

const outDir = resolve('.tmp/replay');
await build({
  configFile: false,
  logLevel: 'error',
  build: {
    outDir,
    emptyOutDir: true,
    minify: false,
    target: 'node20',
    ssr: resolve('replay/cli.ts'),
    rolldownOptions: { output: { entryFileNames: 'cli.mjs' } },
  },
});
const { main } = await import(pathToFileURL(resolve(outDir, 'cli.mjs')).href);
const result = await main(process.argv.slice(2), {
  out: (line) => console.log(line),
  error: (line) => console.error(line),
});
if (typeof result === 'number') process.exit(result);
const stop = async () => {
  await result();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
