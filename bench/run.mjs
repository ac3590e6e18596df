/**
 * `npm run bench`: builds the extension into .tmp/dist-bench, serves streams from a loopback server,
 * drives Chromium with and without the extension, and writes docs/performance.md and
 * docs/performance.json.
 *
 *   npm run bench                      full run (about 5–8 minutes on 2 cores), writes docs/
 *   npm run bench -- --quick           fewer runs, smaller sizes; writes .tmp/results-bench/
 *   npm run bench -- --only 1,4        only these figures (1–7; 7 is the panel opened on a full buffer)
 *   npm run bench -- --no-build        reuse the build in --dist
 *   npm run bench -- --dist <dir>      build into (or with --no-build, use) <dir>, default .tmp/dist-bench:
 *                                      engineers comparing their own builds use their own folder
 *   npm run bench -- --out <dir>       write the report elsewhere
 *   npm run bench -- --report-only     re-render performance.md from the performance.json in --out
 *                                      (after editing bench/analysis.md or bench/lib/report.mjs)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { scriptSizes } from './lib/agent-size.mjs';
import { chromiumVersion, launch } from './lib/browser.mjs';
import {
  copyFloor,
  floorBuild,
  pageLoad,
  pageLoadFloor,
  smallFetches,
  startupCost,
  streamConsumption,
} from './lib/page-figures.mjs';
import {
  latencyToPanel,
  openPanel,
  panelAtScale,
  snapshotToPanel,
  watchingPanel,
} from './lib/panel-figures.mjs';
import { parseOnPage, parserThroughput } from './lib/parser-throughput.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { startBenchServer } from './lib/server.mjs';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string' },
    'report-only': { type: 'boolean', default: false },
    dist: { type: 'string', default: '.tmp/dist-bench' },
  },
});

/** Sizes and repetitions; `quick` only checks that the harness works. */
const SIZES = options.quick
  ? {
      stream: { events: 50_000, runs: 3 },
      streamWithPanel: { events: 50_000, runs: 2 },
      fetches: { count: 200, runs: 3 },
      pageLoad: { frames: 20, runs: 3 },
      startup: { frames: 20, runs: 2 },
      latency: { rate: 1000, count: 1000, runs: 1 },
      scale: { count: 10_000, runs: 1 },
      parser: { events: 50_000, rounds: 3 },
      parseOnPage: { chars: 4 * 2 ** 20, rounds: 2 },
      snapshot: { connections: 4, eventsPerConnection: 10_000, runs: 1 },
    }
  : {
      stream: { events: 500_000, runs: 7 },
      streamWithPanel: { events: 500_000, runs: 7 },
      fetches: { count: 2000, runs: 7 },
      pageLoad: { frames: 20, runs: 30 },
      startup: { frames: 20, runs: 5 },
      latency: { rate: 1000, count: 5000, runs: 3 },
      scale: { count: 100_000, runs: 3 },
      parser: { events: 500_000, rounds: 7 },
      // The relay's buffer bound (src/limits.ts DEFAULT_BUFFER_LIMITS.maxChars).
      parseOnPage: { chars: 32 * 2 ** 20, rounds: 5 },
      // 4 × 83 750 events of 100 B: 33 500 000 characters, just under the 32 Mi (33 554 432) the relay
      // keeps, and each connection under the panel's 100 000 events.
      snapshot: { connections: 4, eventsPerConnection: 83_750, runs: 3 },
    };

const only = new Set((options.only ?? '1,2,3,4,5,6,7').split(',').map((s) => Number(s.trim())));
const outDir = resolve(options.out ?? (options.quick ? '.tmp/results-bench' : 'docs'));
const DIST = resolve(options.dist);
const t0 = performance.now();
const log = (/** @type {string} */ line) =>
  console.log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);

async function main() {
  if (options['report-only']) {
    const result = JSON.parse(await readFile(join(outDir, 'performance.json'), 'utf8'));
    await writeFile(join(outDir, 'performance.md'), renderMarkdown(result));
    log(`rewrote ${join(outDir, 'performance.md')} from performance.json`);
    return;
  }
  const startedAt = new Date();
  const loadAtStart = loadavg();
  if (!options['no-build'] || !existsSync(join(DIST, 'manifest.json'))) {
    log(`building the extension into ${DIST}`);
    const built = spawnSync(
      'npx',
      ['vite', 'build', '--outDir', DIST, '--emptyOutDir', '--logLevel', 'warn'],
      {
        stdio: 'inherit',
      },
    );
    if (built.status !== 0) throw new Error('vite build failed');
  }
  const scripts = await scriptSizes(DIST);

  /** @type {Record<string, unknown>} */
  const figures = {};
  if (only.has(6)) {
    log('6. parser throughput (Node)');
    figures.parser = await parserThroughput({ ...SIZES.parser, buildDir: resolve('.tmp/bench-build') }, log);
    log(`6. the parse on the page's thread instead, in slices (${SIZES.parseOnPage.chars} characters)`);
    figures.parseOnPage = await parseOnPage(
      { ...SIZES.parseOnPage, buildDir: resolve('.tmp/bench-build') },
      log,
    );
  }

  const server = await startBenchServer();
  const needsWithout = [1, 2, 3].some((n) => only.has(n));
  const needsWith = [1, 2, 3, 4, 5, 7].some((n) => only.has(n));
  const withExt = needsWith ? await launch('with', DIST) : null;
  const withoutExt = needsWithout ? await launch('without', DIST) : null;
  try {
    if (withExt && withoutExt) {
      const browsers = { with: withExt, without: withoutExt };
      if (only.has(1)) {
        log(`1a. stream, fetch + reader (${SIZES.stream.events} events)`);
        const reader = await streamConsumption(browsers, server, SIZES.stream, 'reader', log);
        log(`1b. stream, pipeThrough(new TextDecoderStream())`);
        const textDecoderStream = await streamConsumption(
          browsers,
          server,
          SIZES.stream,
          'text-decoder-stream',
          log,
        );
        figures.stream = { reader, textDecoderStream };
        log('1. floor: the copy capture makes, in a page without the extension');
        figures.copyFloor = await copyFloor(withoutExt, server, {
          bytes: reader.bytes,
          // The relay's buffer bound in characters (src/limits.ts DEFAULT_BUFFER_LIMITS.maxChars): one
          // byte each in this ASCII stream.
          keptBytes: SIZES.parseOnPage.chars,
          read: 2 ** 20,
          runs: SIZES.stream.runs,
        });
      }
      if (only.has(2)) {
        log(`2. ${SIZES.fetches.count} sequential small JSON fetches`);
        figures.fetches = await smallFetches(browsers, server, SIZES.fetches, log);
      }
      if (only.has(3)) {
        log(`3. page load with ${SIZES.pageLoad.frames} iframes`);
        figures.pageLoad = await pageLoad(browsers, server, SIZES.pageLoad, log);
        log(`3. start-up cost per frame (CPU profile of the page load, ${SIZES.startup.runs} runs each)`);
        figures.startup = await startupCost(browsers, server, SIZES.startup, log);
        log(`3. the same page load's floor: our two scripts emptied, then none at all`);
        const floor = await launch('floor', await floorBuild(DIST));
        try {
          figures.pageLoadFloor = await pageLoadFloor(
            { floor, without: withoutExt },
            server,
            SIZES.pageLoad,
            log,
          );
        } finally {
          await floor.close();
        }
      }
    }
    if (withExt && only.has(7)) {
      // Before any panel watches the tab: the relay must buffer, and the panel open late.
      log(
        `7. panel opened on a tab whose buffer holds ${SIZES.snapshot.connections} × ${SIZES.snapshot.eventsPerConnection} events`,
      );
      figures.snapshot = await snapshotToPanel(withExt, server, SIZES.snapshot, log);
    }
    if (withExt && withoutExt && only.has(1)) {
      const panel = await openPanel(withExt, server);
      log(`1a. stream, fetch + reader, a panel watching the tab (${SIZES.streamWithPanel.events} events)`);
      figures.streamWithPanel = await streamConsumption(
        { with: withExt, without: withoutExt },
        server,
        SIZES.streamWithPanel,
        'reader',
        log,
        watchingPanel(panel),
      );
      await panel.close();
    }
    await withoutExt?.close();
    if (withExt && (only.has(4) || only.has(5))) {
      const panel = await openPanel(withExt, server);
      if (only.has(4)) {
        log(`4. latency to the panel at ${SIZES.latency.rate} events/s`);
        figures.latency = await latencyToPanel(withExt, panel, server, SIZES.latency, log);
      }
      if (only.has(5)) {
        log(`5. panel at scale (${SIZES.scale.count} events)`);
        figures.scale = await panelAtScale(withExt, panel, server, SIZES.scale, log);
      }
    }
  } finally {
    await withExt?.close();
    await withoutExt?.close();
    await server.close();
  }

  const result = {
    date: startedAt.toISOString(),
    mode: options.quick ? 'quick' : 'full',
    figuresRun: [...only].sort(),
    durationSeconds: (performance.now() - t0) / 1000,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: totalmem() / 2 ** 30,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadavg(),
    },
    chromium: chromiumVersion(),
    source: sourceState(),
    node: process.version,
    sizes: SIZES,
    scriptSizes: scripts,
    figures,
  };
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'performance.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(outDir, 'performance.md'), renderMarkdown(result));
  log(`wrote ${join(outDir, 'performance.md')} and performance.json`);
}

/** The commit the work tree is on, and how many files differ from it (the build is of the work tree). */
function sourceState() {
  const git = (/** @type {string[]} */ args) =>
    spawnSync('git', args, { encoding: 'utf8' }).stdout?.trim() ?? '';
  const changed = git(['status', '--porcelain']).split('\n').filter(Boolean).length;
  return { commit: git(['rev-parse', '--short', 'HEAD']), changedFiles: changed };
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
