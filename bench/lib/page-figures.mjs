/**
 * Figures 1–3: the same page workload in both configurations, interleaved run by run
 * (with, without, with, without, …), each run in a freshly navigated document.
 *
 * Timing is taken inside the page with `performance.now()`, so Playwright's round trips are not in it.
 */
import { cp, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { comparePairs, summarize } from './stats.mjs';

/**
 * @typedef {import('./browser.mjs').BenchBrowser} BenchBrowser
 * @typedef {import('./server.mjs').BenchServer} BenchServer
 */

/**
 * Runs `once(browser, runIndex)` `runs` times per configuration, interleaved, after one identical
 * warm-up run per configuration that is not counted. `afterWith`, when given, runs untimed after each
 * "with" run, before the next "without" one starts (to let a panel finish its work, so that it does
 * not compete with the other configuration's run).
 * @template T
 * @param {{ with: BenchBrowser, without: BenchBrowser }} browsers
 * @param {number} runs
 * @param {(browser: BenchBrowser, run: number) => Promise<T>} once
 * @param {(line: string) => void} log
 * @param {(result: T, run: number) => Promise<void>} [afterWith]
 * @returns {Promise<{ with: T[], without: T[] }>}
 */
export async function interleaved(browsers, runs, once, log, afterWith) {
  await afterWith?.(await once(browsers.with, -1), -1);
  await once(browsers.without, -1);
  /** @type {{ with: T[], without: T[] }} */
  const results = { with: [], without: [] };
  for (let run = 0; run < runs; run++) {
    const withResult = await once(browsers.with, run);
    await afterWith?.(withResult, run);
    results.with.push(withResult);
    results.without.push(await once(browsers.without, run));
    log(`  run ${run + 1}/${runs}`);
  }
  return results;
}

/** Whether the page's `fetch` is the agent's wrapper: guards against comparing "without" with "without". */
const FETCH_IS_PATCHED = () => !/\[native code\]/.test(Function.prototype.toString.call(window.fetch));

/**
 * @param {BenchBrowser} browser
 * @param {boolean} patched
 */
async function expectAgent(browser, patched) {
  const actual = await browser.page.evaluate(FETCH_IS_PATCHED);
  if (actual !== patched) {
    throw new Error(`${browser.config}: the page's fetch is ${actual ? '' : 'not '}patched`);
  }
}

/**
 * @param {BenchBrowser} browser
 * @param {BenchServer} server
 * @param {string} tag
 */
async function freshDocument(browser, server, tag) {
  await browser.page.goto(server.url(`/blank?${tag}`));
  await expectAgent(browser, browser.config === 'with');
  // Same collection point for both configurations, so neither run starts with the other's garbage.
  await browser.page.evaluate(() => /** @type {any} */ (globalThis).gc?.());
}

/**
 * What figure 1 does around each "with" run when a panel watches the tab: `before` after the fresh
 * document (wait until the panel is empty), `after` once the page has read it all (wait until the
 * panel shows every event; returns how long that took after the read, in ms).
 * @typedef {{ before(): Promise<void>, after(events: number): Promise<number> }} WatchingPanel
 */

/**
 * Figure 1's floor, in a page without the extension: the time to copy `bytes` in reads of `read`
 * bytes into memory that is kept, up to `keptBytes` (the relay's buffer bound; past it, the oldest
 * copy's memory is written again, as the relay gives back what it lets go), and the time to copy the
 * same reads into one reused buffer. Capture must copy each read (the page keeps its own chunk); the
 * difference between the two is what writing fresh memory costs (a page fault per 4 KiB).
 * @param {BenchBrowser} browser
 * @param {BenchServer} server
 * @param {{ bytes: number, keptBytes: number, read: number, runs: number }} size
 */
export async function copyFloor(browser, server, { bytes, keptBytes, read, runs }) {
  /** @type {{ keptMs: number, reusedMs: number }[]} */
  const samples = [];
  for (let run = 0; run < runs; run++) {
    await freshDocument(browser, server, `copy-floor-${run}`);
    samples.push(
      await browser.page.evaluate(
        ([total, kept, size]) => {
          const source = new Uint8Array(size).fill(97);
          const reads = Math.ceil(total / size);
          const slots = Math.max(1, Math.floor(kept / size));
          /** @type {Uint8Array[]} */
          const held = [];
          let t0 = performance.now();
          for (let i = 0; i < reads; i++) {
            const copy = i < slots ? new Uint8Array(size) : /** @type {Uint8Array} */ (held[i % slots]);
            copy.set(source);
            if (i < slots) held.push(copy);
          }
          const keptMs = performance.now() - t0;
          const one = new Uint8Array(size);
          t0 = performance.now();
          for (let i = 0; i < reads; i++) one.set(source);
          return { keptMs, reusedMs: performance.now() - t0 };
        },
        [bytes, keptBytes, read],
      ),
    );
  }
  return {
    bytes,
    keptBytes,
    read,
    kept: summarize(samples.map((s) => s.keptMs)),
    reused: summarize(samples.map((s) => s.reusedMs)),
  };
}

/**
 * Figure 1: read an event stream to its end with fetch + reader, or through `TextDecoderStream`;
 * with `panel`, a panel watches the "with" browser's tab.
 * @param {{ with: BenchBrowser, without: BenchBrowser }} browsers
 * @param {BenchServer} server
 * @param {{ events: number, runs: number }} size
 * @param {'reader' | 'text-decoder-stream'} mode
 * @param {(line: string) => void} log
 * @param {WatchingPanel} [panel]
 */
export async function streamConsumption(browsers, server, { events, runs }, mode, log, panel) {
  const url = server.url(`/sse/fast?count=${events}`);
  /** @type {number[]} */
  const panelMsAfterRead = [];
  const samples = await interleaved(
    browsers,
    runs,
    async (browser, run) => {
      await freshDocument(browser, server, `stream-${mode}${panel ? '-panel' : ''}-${run}`);
      if (panel && browser.config === 'with') await panel.before();
      return browser.page.evaluate(
        async ({ url, mode }) => {
          const start = performance.now();
          const response = await fetch(url);
          if (!response.body) throw new Error('no body');
          let units = 0;
          let reads = 0;
          if (mode === 'reader') {
            const reader = response.body.getReader();
            for (;;) {
              const { done, value } = await reader.read();
              if (done) break;
              units += value.byteLength;
              reads++;
            }
          } else {
            const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
            for (;;) {
              const { done, value } = await reader.read();
              if (done) break;
              units += value.length;
              reads++;
            }
          }
          return { ms: performance.now() - start, units, reads };
        },
        { url, mode },
      );
    },
    log,
    panel
      ? async (_result, run) => {
          const ms = await panel.after(events);
          if (run >= 0) panelMsAfterRead.push(ms);
        }
      : undefined,
  );
  const expected = events * 100;
  for (const r of [...samples.with, ...samples.without]) {
    if (r.units !== expected) throw new Error(`stream read ${r.units} units, expected ${expected}`);
  }
  return {
    ...comparePairs(
      samples.with.map((r) => r.ms),
      samples.without.map((r) => r.ms),
    ),
    bytes: expected,
    events,
    readsPerRun: {
      with: samples.with.map((r) => r.reads),
      without: samples.without.map((r) => r.reads),
    },
    ...(panel && { panelMsAfterRead: summarize(panelMsAfterRead) }),
  };
}

/**
 * Figure 2: `count` sequential fetches of a small JSON response, each read with `.json()`.
 * @param {{ with: BenchBrowser, without: BenchBrowser }} browsers
 * @param {BenchServer} server
 * @param {{ count: number, runs: number }} size
 * @param {(line: string) => void} log
 */
export async function smallFetches(browsers, server, { count, runs }, log) {
  const samples = await interleaved(
    browsers,
    runs,
    async (browser, run) => {
      await freshDocument(browser, server, `json-${run}`);
      return browser.page.evaluate(
        async ({ count }) => {
          const start = performance.now();
          let sum = 0;
          for (let i = 0; i < count; i++) {
            const response = await fetch(`/json?i=${i}`);
            sum += (await response.json()).i;
          }
          return { ms: performance.now() - start, sum };
        },
        { count },
      );
    },
    log,
  );
  return {
    ...comparePairs(
      samples.with.map((r) => r.ms),
      samples.without.map((r) => r.ms),
    ),
    count,
  };
}

/**
 * Figure 3: load a page with `frames` iframes; navigation timing of the top document.
 * @param {{ with: BenchBrowser, without: BenchBrowser }} browsers
 * @param {BenchServer} server
 * @param {{ frames: number, runs: number }} size
 * @param {(line: string) => void} log
 */
export async function pageLoad(browsers, server, { frames, runs }, log) {
  const samples = await interleaved(
    browsers,
    runs,
    async (browser, run) => {
      // Leave the previous document first, so its unload is not part of this navigation.
      await browser.page.goto('about:blank');
      await browser.page.evaluate(() => /** @type {any} */ (globalThis).gc?.());
      await browser.page.goto(server.url(`/frames?n=${frames}&r=${browser.config}-${run}`), {
        waitUntil: 'load',
      });
      const timing = await browser.page.evaluate(async () => {
        let nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
        while (nav.loadEventEnd === 0) {
          await new Promise((r) => setTimeout(r, 10));
          nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
        }
        return {
          domContentLoaded: nav.domContentLoadedEventEnd - nav.startTime,
          load: nav.loadEventEnd - nav.startTime,
          frames: document.querySelectorAll('iframe').length,
        };
      });
      if (timing.frames !== frames) throw new Error(`page has ${timing.frames} iframes, expected ${frames}`);
      if (run === -1) {
        // The agent must be in every frame "with" and in none "without".
        const patched = await Promise.all(browser.page.frames().map((f) => f.evaluate(FETCH_IS_PATCHED)));
        const expected = browser.config === 'with';
        if (patched.length !== frames + 1 || patched.some((p) => p !== expected)) {
          throw new Error(
            `${browser.config}: agent in ${patched.filter(Boolean).length}/${patched.length} frames`,
          );
        }
      }
      return timing;
    },
    log,
  );
  return {
    frames,
    domContentLoaded: comparePairs(
      samples.with.map((r) => r.domContentLoaded),
      samples.without.map((r) => r.domContentLoaded),
    ),
    load: comparePairs(
      samples.with.map((r) => r.load),
      samples.without.map((r) => r.load),
    ),
  };
}

/**
 * A copy of the build in `dist` whose two per-frame scripts (agent and relay's first part) are empty
 * files, registered exactly as the real ones: loaded as the `floor` configuration, it measures what
 * Chromium's injection of two scripts into every frame costs before any of our code runs.
 * @param {string} dist
 * @returns {Promise<string>} the copy's folder
 */
export async function floorBuild(dist) {
  const floor = resolve('.tmp', `${basename(dist)}-floor`);
  await cp(dist, floor, { recursive: true, force: true });
  for (const file of ['page-agent.js', 'relay.js']) await writeFile(join(floor, 'content-scripts', file), '');
  return floor;
}

/**
 * Figure 3's floor: the page load of `pageLoad` with the `floor` browser in place of "with", first
 * with the emptied scripts registered, then with no content script at all (the extension's service
 * worker alone: its listeners, which Chrome calls at each navigation).
 * @param {{ floor: BenchBrowser, without: BenchBrowser }} browsers
 * @param {BenchServer} server
 * @param {{ frames: number, runs: number }} sizes
 * @param {(line: string) => void} log
 */
export async function pageLoadFloor({ floor, without }, server, sizes, log) {
  log('  scripts registered but empty');
  const emptyScripts = await pageLoad({ with: floor, without }, server, sizes, log);
  const worker = floor.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  if (!worker) throw new Error('floor: no service worker');
  await worker.evaluate(() => chrome.scripting.unregisterContentScripts());
  log('  no content scripts');
  const noScripts = await pageLoad({ with: floor, without }, server, sizes, log);
  return { emptyScripts, noScripts };
}

/** The extension's scripts, by the name of their built file (bench/lib/agent-size.mjs). */
const EXTENSION_SCRIPTS = ['page-agent.js', 'relay.js', 'relay-main.js'];

/**
 * Self time of a CDP profile, in ms: by the extension's script files, and in all (idle left out).
 * @param {any} profile a CDP Profiler.Profile
 */
function profileSelfTimes(profile) {
  /** @type {Map<number, number>} */
  const selfByNode = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  }
  /** @type {Record<string, number>} */
  const byScript = Object.fromEntries(EXTENSION_SCRIPTS.map((name) => [name, 0]));
  let busy = 0;
  for (const node of profile.nodes) {
    const ms = selfByNode.get(node.id) ?? 0;
    if (ms === 0 || node.callFrame.functionName === '(idle)') continue;
    busy += ms;
    const { url } = node.callFrame;
    if (!url.startsWith('chrome-extension://')) continue;
    const file = url.replace(/^.*\//, '');
    if (file in byScript) byScript[file] = (byScript[file] ?? 0) + ms;
  }
  return { byScript, busy };
}

/**
 * Figure 3, start-up cost: the page of `frames` iframes loaded under the V8 sampling profiler (CDP,
 * 50 µs), interleaved with and without the extension. Same-origin iframes run on the page's thread,
 * so one profile covers every frame's agent and relay. Reports the self time of each of the
 * extension's scripts (their evaluation and what they call), and the thread's busy time with and
 * without; native work (injecting the scripts, creating the relay's isolated world) is not in any
 * script's self time, but is in the busy time.
 * @param {{ with: BenchBrowser, without: BenchBrowser }} browsers
 * @param {BenchServer} server
 * @param {{ frames: number, runs: number }} size
 * @param {(line: string) => void} log
 */
export async function startupCost(browsers, server, { frames, runs }, log) {
  /** @type {Map<BenchBrowser, import('@playwright/test').CDPSession>} */
  const sessions = new Map();
  for (const browser of [browsers.with, browsers.without]) {
    const session = await browser.context.newCDPSession(browser.page);
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 50 });
    sessions.set(browser, session);
  }
  const samples = await interleaved(
    browsers,
    runs,
    async (browser, run) => {
      const session = /** @type {import('@playwright/test').CDPSession} */ (sessions.get(browser));
      await browser.page.goto('about:blank');
      await browser.page.evaluate(() => /** @type {any} */ (globalThis).gc?.());
      await session.send('Profiler.start');
      await browser.page.goto(server.url(`/frames?n=${frames}&r=profile-${browser.config}-${run}`), {
        waitUntil: 'load',
      });
      const { profile } = await session.send('Profiler.stop');
      return profileSelfTimes(profile);
    },
    log,
  );
  for (const session of sessions.values()) await session.detach().catch(() => {});
  const documents = frames + 1;
  /** @type {Record<string, { ms: import('./stats.mjs').Summary, perFrameMs: number }>} */
  const byScript = {};
  for (const name of EXTENSION_SCRIPTS) {
    const ms = summarize(samples.with.map((r) => r.byScript[name] ?? 0));
    byScript[name] = { ms, perFrameMs: ms.median / documents };
  }
  const busy = comparePairs(
    samples.with.map((r) => r.busy),
    samples.without.map((r) => r.busy),
  );
  return {
    frames,
    documents,
    runs,
    samplingIntervalUs: 50,
    byScript,
    busy,
    addedBusyPerFrameMs: (busy.with.median - busy.without.median) / documents,
  };
}
