/**
 * `npm run package`: builds the extension and writes `sse-devtools-<version>.zip`, the file to upload
 * to the Chrome Web Store or attach to a release, holding only what the extension loads: no source
 * maps unless `--sourcemap` asks for them (then the build writes them too), nothing but `dist/`.
 *
 * The zip is reproducible: entries sorted, one fixed timestamp, so the same build gives the same bytes.
 * Plain JavaScript because Node runs it as is; the build itself is vite.config.ts.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `Usage: npm run package [-- options]

Builds the extension into dist/ and writes sse-devtools-<version>.zip (version from package.json).

Options:
  --sourcemap    build and include source maps (left out by default)
  --no-build     zip the dist/ already built instead of building it
  --out DIR      where to write the zip (default: the repository's root)
  -h, --help     show this help`;

/** Zip entries' modification time: fixed, so that a zip depends only on the files (DOS dates start in 1980). */
const ENTRY_TIME = new Date(1980, 0, 1);

/** Whether a file of the build goes into the zip (`path` relative to dist/, with `/`). */
export function belongsInPackage(path, { sourcemaps }) {
  // Dot folders are tools' bookkeeping (Vite's .vite/), never read by Chrome.
  if (path.split('/').some((part) => part.startsWith('.'))) return false;
  if (path.endsWith('.map')) return sourcemaps;
  return true;
}

async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/**
 * Zips `dist` into `outDir`/sse-devtools-<version>.zip and returns its path and entries. Refuses a
 * build whose manifest version is not package.json's (a stale dist/ with --no-build).
 */
export async function writePackage({ dist = join(ROOT, 'dist'), outDir = ROOT, sourcemaps = false } = {}) {
  const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  const manifest = JSON.parse(await readFile(join(dist, 'manifest.json'), 'utf8'));
  if (manifest.version !== version) {
    throw new Error(
      `${dist}/manifest.json has version ${manifest.version}, package.json ${version}: build again`,
    );
  }
  const paths = (await filesUnder(dist)).filter((path) => belongsInPackage(path, { sourcemaps }));
  const entries = {};
  for (const path of paths) entries[path] = [await readFile(join(dist, path)), { mtime: ENTRY_TIME }];
  const file = join(outDir, `sse-devtools-${version}.zip`);
  await writeFile(file, zipSync(entries, { level: 9 }));
  return { file, paths };
}

async function main() {
  let options;
  try {
    options = parseArgs({
      options: {
        sourcemap: { type: 'boolean', default: false },
        'no-build': { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`package: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  if (!options['no-build']) {
    const { build } = await import('vite');
    // vite.config.ts is read as for `npm run build`; only the source maps differ.
    await build({ root: ROOT, logLevel: 'warn', build: { sourcemap: options.sourcemap } });
  }
  const outDir = options.out ? resolve(process.cwd(), options.out) : ROOT;
  const { file, paths } = await writePackage({ outDir, sourcemaps: options.sourcemap });
  const size = (await readFile(file)).byteLength;
  console.log(
    `package: wrote ${relative(process.cwd(), file) || file} (${paths.length} files, ${(size / 1024).toFixed(1)} KiB)`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`package: ${error.message ?? error}`);
    process.exit(1);
  });
}
