/**
 * `npm run replay -- FILE …`: bundles replay/cli.ts (TypeScript, sharing src/export with the panel)
 * for Node into .tmp/replay/<pid> (inside the project, so its dependencies resolve; one folder per
 * run, so several replays can run at once), runs it, and stops the server on Ctrl+C (SIGINT) or
 * SIGTERM.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';

const outDir = resolve(`.tmp/replay/${process.pid}`);
process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));
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
