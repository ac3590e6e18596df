/**
 * `npm run package:firefox`: zips dist-firefox/ into web-ext-artifacts/ with Mozilla's `web-ext
 * build`, and checks it with `web-ext lint`, run on the zip's own contents (unpacked into a temporary
 * folder), so what is checked is exactly what is shipped.
 *
 * Fails on any lint error, and on any warning that is not one of KNOWN_WARNINGS: each of those is
 * explained in the README ("Firefox" ▸ "web-ext lint"), and a new one must be fixed or explained too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SOURCE = resolve('dist-firefox');
const ARTIFACTS = resolve('web-ext-artifacts');
const WEB_EXT = resolve('node_modules/.bin/web-ext');

/** Warnings explained in the README: code and the file it is reported in (a pattern). */
const KNOWN_WARNINGS = [
  // React DOM's code for `dangerouslySetInnerHTML` and SVG markup, which the extension never uses.
  { code: 'UNSAFE_VAR_ASSIGNMENT', file: /^assets\/jsx-runtime-[\w-]+\.js$/ },
  // zod 4's probe whether `Function` may be called (it may not under the extension's CSP; zod then
  // validates without generated code).
  { code: 'DANGEROUS_EVAL', file: /^assets\/panel-[\w-]+\.js$/ },
  // The Markdown renderer (loaded on first use): decode-named-character-reference sets the innerHTML
  // of a detached <i> to `&name;`, a name micromark has checked is alphanumeric, to decode it; and
  // micromark's own parser has a `document().write` (its API, not the DOM's).
  { code: 'UNSAFE_VAR_ASSIGNMENT', file: /^assets\/Markdown-[\w-]+\.js$/ },
];

const { version } = JSON.parse(readFileSync(join(SOURCE, 'manifest.json'), 'utf8'));
const zip = join(ARTIFACTS, `sse-devtools-firefox-${version}.zip`);
execFileSync(
  WEB_EXT,
  [
    'build',
    '--source-dir',
    SOURCE,
    '--artifacts-dir',
    ARTIFACTS,
    '--filename',
    `sse-devtools-firefox-${version}.zip`,
    '--overwrite-dest',
  ],
  { stdio: 'inherit' },
);

const unpacked = mkdtempSync(join(tmpdir(), 'sse-devtools-firefox-zip-'));
try {
  execFileSync('unzip', ['-q', zip, '-d', unpacked]);
  let output;
  try {
    output = execFileSync(WEB_EXT, ['lint', '--source-dir', unpacked, '--output', 'json', '--no-input'], {
      encoding: 'utf8',
    });
  } catch (error) {
    // web-ext lint exits non-zero when it finds errors; its report is still on stdout.
    output = error.stdout;
  }
  const report = JSON.parse(output);
  const lineOf = (m) => `${m.code} ${m.file ?? ''}${m.line ? `:${m.line}` : ''}: ${m.message}`;
  const unexplained = report.warnings.filter(
    (m) => !KNOWN_WARNINGS.some((known) => known.code === m.code && known.file.test(m.file ?? '')),
  );
  for (const m of report.errors) console.error(`error   ${lineOf(m)}`);
  for (const m of report.warnings) {
    console.log(`${unexplained.includes(m) ? 'warning (unexplained)' : 'warning (see README)'} ${lineOf(m)}`);
  }
  console.log(
    `web-ext lint of ${zip}: ${report.errors.length} errors, ${report.warnings.length} warnings ` +
      `(${unexplained.length} unexplained), ${report.notices.length} notices`,
  );
  if (report.errors.length > 0 || unexplained.length > 0) process.exitCode = 1;
} finally {
  rmSync(unpacked, { recursive: true, force: true });
}
