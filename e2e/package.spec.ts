/**
 * The release zip (`npm run package`): what it holds is a valid MV3 extension, and nothing else, with
 * package.json's version, icons of the sizes the manifest says, a minimum Chrome version and exactly
 * the permissions docs/privacy.md justifies; then its contents, loaded in Chromium as a user would
 * load them, capture a stream.
 *
 * The zip is made from the `dist/` the e2e run uses (`--no-build`), by the same script as a release.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { z } from 'zod';
import { pngSize } from '../build/png';
import { openReader, readStream, sse } from './panel-helpers';
import { expect, test } from './support/fixtures';
import { connectionRows, eventRows } from './support/panel';

/** Where the zip's contents are unpacked for Chromium to load (fixed now, filled in beforeAll). */
const UNPACKED = join(tmpdir(), `sse-devtools-package-${process.pid}`);

/** The pages an extension package may hold: the manifest's own, and the panel the DevTools page opens. */
const PAGES = ['extension/devtools/devtools.html', 'extension/popup/index.html', 'panel/index.html'];

const file = z.string().min(1);
/** Pixel size → PNG, as `icons` and `action.default_icon` name them. */
const iconSet = z.record(z.string().regex(/^\d+$/), file);

/**
 * The manifest keys this extension may use, in their Manifest V3 form (strict: an unknown or MV2-only
 * key such as `browser_action`, `page_action` or a string `content_security_policy` is refused).
 */
const manifestSchema = z
  .object({
    manifest_version: z.literal(3),
    name: z.string().min(1).max(75),
    version: z.string().regex(/^\d+(\.\d+){0,3}$/),
    default_locale: z.string(),
    description: z.string(),
    minimum_chrome_version: z.string().regex(/^\d+(\.\d+){0,3}$/),
    permissions: z.array(z.string()),
    host_permissions: z.array(z.string()),
    background: z.object({ service_worker: file, type: z.literal('module') }).strict(),
    devtools_page: file,
    icons: iconSet,
    action: z.object({ default_title: z.string(), default_popup: file, default_icon: iconSet }).strict(),
    content_security_policy: z.object({ extension_pages: z.string() }).strict(),
    web_accessible_resources: z
      .array(
        z
          .object({ resources: z.array(file), matches: z.array(z.string()), use_dynamic_url: z.boolean() })
          .partial({ use_dynamic_url: true })
          .strict(),
      )
      .optional(),
  })
  .strict();

type Manifest = z.infer<typeof manifestSchema>;

let zipName = '';
let entries: Record<string, Uint8Array> = {};

test.beforeAll(async () => {
  const out = await mkdtemp(join(tmpdir(), 'sse-devtools-zip-'));
  try {
    const { stdout } = await promisify(execFile)('node', ['build/package.mjs', '--no-build', '--out', out]);
    zipName = /wrote (.+?) \(/.exec(stdout)?.[1]?.split('/').at(-1) ?? '';
    entries = unzipSync(new Uint8Array(await readFile(join(out, zipName))));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  await rm(UNPACKED, { recursive: true, force: true });
  for (const [path, bytes] of Object.entries(entries)) {
    await mkdir(dirname(join(UNPACKED, path)), { recursive: true });
    await writeFile(join(UNPACKED, path), bytes);
  }
});

test.afterAll(() => rm(UNPACKED, { recursive: true, force: true }));

const text = (path: string) => new TextDecoder().decode(entries[path]);

/** The permissions docs/privacy.md justifies: the backticked first cell of each row of its permission table. */
async function justifiedPermissions(): Promise<string[]> {
  const privacy = await readFile('docs/privacy.md', 'utf8');
  const section = privacy.split('## Why it needs each permission')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1] as string).sort();
}

test('the release zip holds a valid MV3 extension with the version, icons and permissions it should', async () => {
  const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  expect(zipName).toBe(`sse-devtools-${version}.zip`);
  const manifest: Manifest = manifestSchema.parse(JSON.parse(text('manifest.json')));
  expect(manifest.version).toBe(version);
  // The service worker registers the content scripts with `matchOriginAsFallback`, which Chrome takes
  // from 119 on; an older Chrome refuses the whole registration, and nothing would be captured.
  expect(Number(manifest.minimum_chrome_version)).toBeGreaterThanOrEqual(119);

  // Every file the manifest names is there; every icon is a PNG of the size it is named for.
  const resources = manifest.web_accessible_resources?.flatMap((entry) => entry.resources) ?? [];
  for (const path of [
    manifest.background.service_worker,
    manifest.devtools_page,
    manifest.action.default_popup,
    ...resources,
  ]) {
    expect(entries[path], path).toBeDefined();
  }
  const icons = [...Object.entries(manifest.icons), ...Object.entries(manifest.action.default_icon)];
  expect(Object.keys(manifest.icons)).toEqual(expect.arrayContaining(['16', '32', '48', '128']));
  for (const [size, path] of icons) {
    const bytes = entries[path];
    expect(bytes, path).toBeDefined();
    expect(pngSize(bytes as Uint8Array), path).toEqual({ width: Number(size), height: Number(size) });
  }
  // The dimmed toolbar icon the service worker shows where capture is off.
  for (const size of [16, 32]) {
    expect(pngSize(entries[`icons/icon-off-${size}.png`] as Uint8Array)).toEqual({
      width: size,
      height: size,
    });
  }

  // The description comes from each locale, within the store's 132 characters.
  const descriptionKey = /^__MSG_(\w+)__$/.exec(manifest.description)?.[1] ?? '';
  for (const locale of ['en', 'zh_CN']) {
    const messages = JSON.parse(text(`_locales/${locale}/messages.json`)) as Record<
      string,
      { message: string }
    >;
    expect(messages[descriptionKey]?.message.length, locale).toBeGreaterThan(20);
    expect(messages[descriptionKey]?.message.length, locale).toBeLessThanOrEqual(132);
  }
  expect(entries[`_locales/${manifest.default_locale}/messages.json`]).toBeDefined();

  // Exactly the permissions the privacy page justifies, no more (and none left unjustified).
  expect([...manifest.permissions, ...manifest.host_permissions].sort()).toEqual(
    await justifiedPermissions(),
  );
  expect(manifest.permissions.sort()).toEqual(['scripting', 'storage', 'webNavigation']);
  expect(manifest.host_permissions).toEqual(['<all_urls>']);
});

test('the release zip holds only what the extension loads: no source maps, test pages or stray files', () => {
  const paths = Object.keys(entries);
  expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
  expect(paths.filter((p) => p.endsWith('.html')).sort()).toEqual(PAGES);
  expect(paths.filter((p) => /(^|\/)(e2e|test|tests|pages|\.[^/]+)(\/|$)|\.test\./.test(p))).toEqual([]);
  // Every file is reached from the manifest: named by the manifest, a locale, or by name in another file.
  const textFiles = paths.filter((p) => /\.(js|html|css|json)$/.test(p)).map(text);
  const named = (path: string) => {
    const name = path.split('/').at(-1) as string;
    return textFiles.some(
      (content) => content.includes(path) || content.includes(`/${name}`) || content.includes(`./${name}`),
    );
  };
  // …and every file a script or page names by its path is there (the registered content scripts, the
  // dimmed icons, the panel).
  const mentioned = textFiles.flatMap((content) =>
    [
      ...content.matchAll(
        /["'`/]((?:assets|content-scripts|icons|panel|extension)\/[\w./-]+\.(?:js|css|html|png))["'`]/g,
      ),
    ].map((m) => m[1] as string),
  );
  expect(mentioned).toEqual(
    expect.arrayContaining(['content-scripts/page-agent.js', 'icons/icon-off-16.png']),
  );
  expect([...new Set(mentioned)].filter((path) => !entries[path])).toEqual([]);
  const unreached = paths.filter(
    (p) => p !== 'manifest.json' && !/^_locales\/\w+\/messages\.json$/.test(p) && !named(p),
  );
  expect(unreached).toEqual([]);
});

test.describe('loaded from the zip’s contents', () => {
  test.use({ extensionDir: UNPACKED });

  test('captures a stream and shows it in the panel', async ({
    page,
    server,
    tabIdOf,
    openPanel,
    serviceWorker,
  }) => {
    expect(await serviceWorker.evaluate(() => chrome.runtime.getManifest().version)).toBe(
      JSON.parse(await readFile('package.json', 'utf8')).version,
    );
    server.stream('/release', {
      steps: [
        { write: sse({ id: '1', data: '{"n":1}' }) },
        { pause: 10 },
        { write: sse({ id: '2', event: 'done', data: '{"n":2}' }) },
      ],
    });
    await openReader(page, server, '/p/release.html');
    const panel = await openPanel(await tabIdOf(page));
    await readStream(page, server, '/release');
    await expect(connectionRows(panel)).toHaveCount(1);
    await expect(connectionRows(panel).first().locator('td.state')).toHaveText('completed');
    await connectionRows(panel).first().click();
    await expect(eventRows(panel)).toHaveCount(2);
    await expect(eventRows(panel).nth(1)).toContainText('done');
  });
});
