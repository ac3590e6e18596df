/**
 * Where the time goes: CPU profiles (V8 sampling profiler over CDP) of one benchmark workload, with
 * an unminified build so function names are readable. Prints self time by function.
 *
 *   node bench/profile.mjs [--without] [--panel] [--text-decoder-stream] [--events N] [--no-build]
 *                          [--dist <dir>] (default .tmp/dist-bench-profile; an unminified build is made there)
 *   node bench/profile.mjs --page-load [--without] [--no-build]
 *   node bench/profile.mjs --fetches 2000 [--without] [--no-build]
 *   node bench/profile.mjs --panel --rate 1000 --events 5000 [--no-build]
 *
 * The page reads `/sse/fast?count=N` (default 500 000 events, figure 1) with a reader, or through
 * `TextDecoderStream`; with the extension (default) or `--without` it; with `--panel` the panel is
 * open on the page's tab and is profiled too. `--page-load` profiles loading the page of 20 iframes of
 * figure 3 instead; `--rate R` paces the stream at R events/s (`/sse/rate`, figure 4's stream) (same-origin iframes run in the page's renderer, so their agents are in the profile);
 * `--fetches N` profiles N sequential small JSON fetches (figure 2). Profiles are written to .tmp/bench-profile-*.cpuprofile
 * (open them in DevTools ▸ Performance).
 *
 * The page's profile covers the agent (MAIN world) and the relay (ISOLATED world): both run on the
 * page's main thread, in the same V8 isolate.
 */
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launch } from './lib/browser.mjs';
import { openPanel } from './lib/panel-figures.mjs';
import { startBenchServer } from './lib/server.mjs';

const { values: options } = parseArgs({
  options: {
    without: { type: 'boolean', default: false },
    panel: { type: 'boolean', default: false },
    'text-decoder-stream': { type: 'boolean', default: false },
    events: { type: 'string', default: '500000' },
    'no-build': { type: 'boolean', default: false },
    'page-load': { type: 'boolean', default: false },
    fetches: { type: 'string' },
    rate: { type: 'string' },
    dist: { type: 'string', default: '.tmp/dist-bench-profile' },
  },
});
const events = Number(options.events);
const mode = options['text-decoder-stream'] ? 'text-decoder-stream' : 'reader';
const label = `${options.without ? 'without' : 'with'}${options.panel ? '-panel' : ''}${options.rate ? `-rate${options.rate}` : ''}-${options['page-load'] ? 'page-load' : options.fetches ? 'fetches' : mode}`;
const DIST = resolve(options.dist);

/**
 * @param {any} profile a CDP Profiler.Profile
 * @param {number} top
 */
function selfTimes(profile, top = 30) {
  const deltas = profile.timeDeltas;
  /** @type {Map<number, number>} */
  const selfByNode = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  /** @type {Map<string, number>} */
  const byFunction = new Map();
  /** @type {Map<string, number>} */
  const byFile = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = selfByNode.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? url.replace(/^.*\/(?=[^/]+$)/, '') : '';
    const key = `${functionName || '(anonymous)'}  ${file}${file ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    const fileKey = file || functionName;
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + ms);
    if (functionName !== '(idle)') total += ms;
  }
  const rows = [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { total, rows, files: [...byFile.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8) };
}

/**
 * @param {import('@playwright/test').CDPSession} session
 */
async function startProfiler(session) {
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
}

/**
 * @param {string} label
 * @param {import('@playwright/test').CDPSession} session
 */
async function stopProfiler(label, session) {
  const { profile } = await session.send('Profiler.stop');
  await writeFile(resolve(`.tmp/bench-profile-${label}.cpuprofile`), JSON.stringify(profile));
  const { total, rows, files } = selfTimes(profile);
  console.log(
    `\n${label}: ${total.toFixed(0)} ms of non-idle samples (profile in .tmp/bench-profile-${label}.cpuprofile)`,
  );
  console.log(`by script: ${files.map(([f, ms]) => `${f} ${ms.toFixed(1)} ms`).join(', ')}`);
  for (const [name, ms] of rows.filter(([n]) => !n.startsWith('(idle)'))) {
    console.log(`${ms.toFixed(1).padStart(9)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${name}`);
  }
}

async function main() {
  if (!options.without && !options['no-build']) {
    // Unminified: a production build without minification (a development build's panel expects
    // Vite's dev server), with the content scripts of a development build, which are not minified.
    const vite = (/** @type {string[]} */ args) => {
      const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--emptyOutDir', ...args], {
        stdio: 'inherit',
      });
      if (built.status !== 0) throw new Error('vite build failed');
    };
    vite(['--minify', 'false', '--outDir', DIST]);
    vite(['--mode', 'development', '--outDir', `${DIST}-dev`]);
    cpSync(`${DIST}-dev/content-scripts`, `${DIST}/content-scripts`, { recursive: true });
  }
  const server = await startBenchServer();
  const browser = await launch(options.without ? 'without' : 'with', DIST);
  try {
    const panel = options.panel ? await openPanel(browser, server) : null;
    const url = server.url(
      options.rate ? `/sse/rate?count=${events}&rate=${options.rate}` : `/sse/fast?count=${events}`,
    );
    const readAll = async () =>
      browser.page.evaluate(
        async ({ url, mode }) => {
          const start = performance.now();
          const body = /** @type {ReadableStream<Uint8Array>} */ ((await fetch(url)).body);
          const reader =
            mode === 'reader' ? body.getReader() : body.pipeThrough(new TextDecoderStream()).getReader();
          let reads = 0;
          for (;;) {
            const { done } = await reader.read();
            if (done) break;
            reads++;
          }
          return { ms: performance.now() - start, reads };
        },
        { url, mode },
      );
    if (options['page-load']) {
      await browser.page.goto(server.url('/frames?n=20&r=warm'), { waitUntil: 'load' });
      await browser.page.goto('about:blank');
      const session = await browser.context.newCDPSession(browser.page);
      await startProfiler(session);
      await browser.page.goto(server.url('/frames?n=20&r=profiled'), { waitUntil: 'load' });
      await stopProfiler(`page-${label}`, session);
      return;
    }
    if (options.fetches) {
      const fetchAll = (/** @type {number} */ count) =>
        browser.page.evaluate(async (count) => {
          const start = performance.now();
          for (let i = 0; i < count; i++) await (await fetch(`/json?i=${i}`)).json();
          return performance.now() - start;
        }, count);
      await browser.page.goto(server.url('/blank?warm'));
      await fetchAll(Number(options.fetches));
      const session = await browser.context.newCDPSession(browser.page);
      await startProfiler(session);
      console.log(`${options.fetches} fetches in ${(await fetchAll(Number(options.fetches))).toFixed(0)} ms`);
      await stopProfiler(`page-${label}`, session);
      return;
    }
    // One unprofiled warm-up, as in the benchmark.
    await browser.page.goto(server.url('/blank?warm'));
    await readAll();
    await browser.page.goto(server.url('/blank?profiled'));
    if (panel)
      await panel.waitForFunction(() => document.querySelectorAll('tr[data-connection-id]').length === 0);
    const pageSession = await browser.context.newCDPSession(browser.page);
    const panelSession = panel ? await browser.context.newCDPSession(panel) : null;
    await startProfiler(pageSession);
    if (panelSession) await startProfiler(panelSession);
    const result = await readAll();
    // Let trailing batches be handled (relay, panel) before stopping.
    await new Promise((r) => setTimeout(r, panel ? 5000 : 500));
    console.log(`read ${events} events in ${result.ms.toFixed(0)} ms, ${result.reads} reads`);
    if (panel) console.log('panel shows:', await panel.locator('tr[data-connection-id]').allInnerTexts());
    await stopProfiler(`page-${label}`, pageSession);
    if (panelSession) await stopProfiler(`panel-${label}`, panelSession);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
