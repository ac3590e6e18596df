/**
 * Figures 4 and 5: the panel, opened as a tab (`panel/index.html?tabId=N`) beside the page it
 * watches, in the "with" browser. Each run navigates the page afresh, which clears the panel (no
 * "Preserve log"), so every run starts from an empty panel that auto-selects the new connection.
 *
 * Times that span the page and the panel are epoch times (`performance.timeOrigin +
 * performance.now()`) taken in two renderer processes of the same browser. Both derive from the same
 * system clock, but each process fixes its time origin separately, so they may be offset by a small
 * amount (not measured here).
 */
import { quantile, summarize } from './stats.mjs';

/**
 * @typedef {import('./browser.mjs').BenchBrowser} BenchBrowser
 * @typedef {import('./server.mjs').BenchServer} BenchServer
 * @typedef {import('@playwright/test').Page} Page
 */

/** Rendered event rows (the table is virtualised); see panel/components/EventTable.tsx. */
const EVENT_DATA_CELLS = 'table.events tbody tr:not(.spacer) td.data';

/**
 * Runs in the panel page before its own scripts: wraps `chrome.runtime.connect` so that, while
 * `globalThis.__benchArrivals` is set, every `panel-capture` message is stamped per event `seq`
 * (`"seq":k` in an event the message's text chunks complete; a carry per connection joins events
 * cut between chunks) three times: when it reaches the panel (before the panel's listener runs:
 * `arrived`), when the listener returned (the panel parsed the chunks into records: `parsed`), and in
 * an animation frame callback requested then, which runs after the panel's own store update that the
 * listener scheduled for the next frame (`applied`; panel/background-link.ts; React renders an
 * external store's update before that callback returns, so this is after that render). Lets figure 4 split the latency into transport (page → panel's port), the
 * panel's parse, and its store update with its render. Costs nothing while unset.
 */
function recordArrivals() {
  const g = /** @type {any} */ (globalThis);
  const runtime = g.chrome?.runtime;
  if (!runtime?.connect) return;
  const connect = runtime.connect.bind(runtime);
  /** @type {Map<string, string>} */
  const carry = new Map();
  runtime.connect = (/** @type {any[]} */ ...args) => {
    const port = connect(...args);
    const addListener = port.onMessage.addListener.bind(port.onMessage);
    port.onMessage.addListener = (/** @type {Function} */ listener) =>
      addListener((/** @type {any} */ message, /** @type {any} */ from) => {
        const stamps = g.__benchArrivals;
        if (!stamps || message?.type !== 'panel-capture') return listener(message, from);
        const at = performance.timeOrigin + performance.now();
        /** @type {number[]} */
        const seqs = [];
        let chunks = 0;
        for (const item of message.items ?? []) {
          if (item?.type !== 'chunks') continue;
          chunks += item.length.length;
          const blocks = ((carry.get(item.connectionId) ?? '') + item.text).split('\n\n');
          carry.set(item.connectionId, blocks.pop() ?? '');
          for (const block of blocks) {
            const match = /"seq":(\d+)/.exec(block);
            if (match) seqs.push(Number(match[1]));
          }
        }
        for (const seq of seqs) stamps.arrived.set(seq, at);
        g.__benchMessages = (g.__benchMessages ?? 0) + 1;
        g.__benchMessageEvents = (g.__benchMessageEvents ?? 0) + seqs.length;
        g.__benchMessageChunks = (g.__benchMessageChunks ?? 0) + chunks;
        try {
          return listener(message, from);
        } finally {
          const parsed = performance.timeOrigin + performance.now();
          for (const seq of seqs) stamps.parsed.set(seq, parsed);
          requestAnimationFrame(() => {
            const applied = performance.timeOrigin + performance.now();
            for (const seq of seqs) stamps.applied.set(seq, applied);
          });
        }
      });
    return port;
  };
}

/**
 * @param {BenchBrowser} browser
 * @param {BenchServer} server
 * @returns {Promise<Page>} the panel, watching `browser.page`
 */
export async function openPanel(browser, server) {
  await browser.page.goto(server.url('/blank?panel-bench'));
  const tabId = await browser.tabIdOf(browser.page);
  const panel = await browser.context.newPage();
  await panel.addInitScript(recordArrivals);
  await panel.addInitScript(installTotals);
  await panel.goto(`chrome-extension://${browser.extensionId}/panel/index.html?tabId=${tabId}`);
  await panel.waitForLoadState('load');
  return panel;
}

/**
 * @param {BenchBrowser} browser
 * @param {Page} panel
 * @param {BenchServer} server
 * @param {string} tag
 */
async function freshRun(browser, panel, server, tag) {
  await browser.page.goto(server.url(`/blank?${tag}`));
  // The navigation clears the panel; wait until it shows no connection.
  await panel.waitForFunction(() => document.querySelectorAll('tr[data-connection-id]').length === 0);
}

/**
 * Figure 4: a stream at `rate` events/s for `count` events; for each event, the time from the page
 * having read the chunk that completed it to its row being in the panel's DOM.
 * @param {BenchBrowser} browser
 * @param {Page} panel
 * @param {BenchServer} server
 * @param {{ rate: number, count: number, runs: number }} size
 * @param {(line: string) => void} log
 */
export async function latencyToPanel(browser, panel, server, { rate, count, runs }, log) {
  /** @type {number[]} */
  const all = [];
  /** Page read → the message at the panel's port. */
  /** @type {number[]} */
  const transport = [];
  /** Page read → the panel's store update done. */
  /** @type {number[]} */
  const toApplied = [];
  /** At the port → the panel's listener returned (chunks parsed into records). */
  /** @type {number[]} */
  const parse = [];
  /** Listener returned → the store update that it scheduled done. */
  /** @type {number[]} */
  const apply = [];
  /** Store update done → the row in the DOM. */
  /** @type {number[]} */
  const render = [];
  const perRun = [];
  for (let run = -1; run < runs; run++) {
    await freshRun(browser, panel, server, `latency-${run}`);
    await panel.evaluate((selector) => {
      const g = /** @type {any} */ (globalThis);
      /** @type {Map<number, number>} */
      const seen = new Map();
      let mutations = 0;
      const stamp = () => {
        mutations++;
        const time = performance.timeOrigin + performance.now();
        for (const cell of document.querySelectorAll(selector)) {
          const match = /"seq":(\d+)/.exec(cell.textContent ?? '');
          if (match) {
            const seq = Number(match[1]);
            if (!seen.has(seq)) seen.set(seq, time);
          }
        }
      };
      const observer = new MutationObserver(stamp);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      g.__benchLatency = { seen, observer, mutations: () => mutations };
      g.__benchArrivals = { arrived: new Map(), parsed: new Map(), applied: new Map() };
      g.__benchMessages = 0;
      g.__benchMessageEvents = 0;
      g.__benchMessageChunks = 0;
    }, EVENT_DATA_CELLS);

    const page = await browser.page.evaluate(
      async (url) => {
        /** @type {[number, number][]} */
        const read = [];
        const decoder = new TextDecoder();
        const response = await fetch(url);
        if (!response.body) throw new Error('no body');
        const reader = response.body.getReader();
        let carry = '';
        let reads = 0;
        for (;;) {
          const { done, value } = await reader.read();
          const time = performance.timeOrigin + performance.now();
          if (done) break;
          reads++;
          const blocks = (carry + decoder.decode(value, { stream: true })).split('\n\n');
          carry = blocks.pop() ?? '';
          for (const block of blocks) {
            const match = /"seq":(\d+)/.exec(block);
            if (match) read.push([Number(match[1]), time]);
          }
        }
        return { read, reads };
      },
      server.url(`/sse/rate?count=${count}&rate=${rate}`),
    );

    // Let the last batch reach the panel (or give up after 10 s and count what is missing).
    await panel
      .waitForFunction((last) => /** @type {any} */ (globalThis).__benchLatency.seen.has(last), count, {
        timeout: 10_000,
      })
      .catch(() => {});
    const seen = await panel.evaluate(() => {
      const state = /** @type {any} */ (globalThis).__benchLatency;
      state.observer.disconnect();
      const g = /** @type {any} */ (globalThis);
      const { arrived, parsed, applied } = g.__benchArrivals;
      g.__benchArrivals = undefined;
      return {
        entries: [...state.seen.entries()],
        mutations: state.mutations(),
        arrived: [...arrived.entries()],
        parsed: [...parsed.entries()],
        applied: [...applied.entries()],
        messages: g.__benchMessages,
        messageEvents: g.__benchMessageEvents,
        messageChunks: g.__benchMessageChunks,
      };
    });
    const seenAt = new Map(seen.entries);
    const arrivedAt = new Map(seen.arrived);
    const parsedAt = new Map(seen.parsed);
    const appliedAt = new Map(seen.applied);
    const latencies = [];
    for (const [seq, readAt] of page.read) {
      const shownAt = seenAt.get(seq);
      const arrived = arrivedAt.get(seq);
      const parsed = parsedAt.get(seq);
      const applied = appliedAt.get(seq);
      if (shownAt !== undefined) latencies.push(shownAt - readAt);
      if (run < 0 || arrived === undefined || parsed === undefined || applied === undefined) continue;
      transport.push(arrived - readAt);
      toApplied.push(applied - readAt);
      parse.push(parsed - arrived);
      apply.push(applied - parsed);
      if (shownAt !== undefined) render.push(shownAt - applied);
    }
    if (run === -1) continue; // identical warm-up run, not counted
    all.push(...latencies);
    perRun.push({
      events: count,
      pageReads: page.reads,
      rowsSeen: latencies.length,
      mutationCallbacks: seen.mutations,
      messagesToPanel: seen.messages,
      eventsPerMessage: seen.messageEvents / seen.messages,
      chunksPerMessage: seen.messageChunks / seen.messages,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      max: Math.max(...latencies),
    });
    log(
      `  run ${run + 1}/${runs}: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p95 ${quantile(latencies, 0.95).toFixed(1)} ms, ${latencies.length}/${count} rows seen, ${seen.messages} messages reached the panel`,
    );
  }
  return {
    rate,
    count,
    runs,
    p50: quantile(all, 0.5),
    p95: quantile(all, 0.95),
    p99: quantile(all, 0.99),
    max: Math.max(...all),
    coverage: all.length / (count * runs),
    // Page read → the message carrying the event reaches the panel's port listener.
    // Both tabs must render: a hidden tab's frames (and so its DOM updates' paints) are throttled.
    visibility: {
      page: await browser.page.evaluate(() => document.visibilityState),
      panel: await panel.evaluate(() => document.visibilityState),
    },
    transport: quantiles(transport),
    // Page read → the panel's store holds the event's record.
    toApplied: quantiles(toApplied),
    // In the panel: parse (port → listener returned), store update, render (→ row in the DOM).
    parse: quantiles(parse),
    apply: quantiles(apply),
    render: quantiles(render),
    perRunP95: summarize(perRun.map((r) => r.p95)),
    perRun,
  };
}

/** @param {number[]} samples */
function quantiles(samples) {
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95), max: Math.max(...samples) };
}

/**
 * The panel's heap after two full collections (`--expose-gc`, `--enable-precise-memory-info`).
 * @param {Page} panel
 */
async function panelHeap(panel) {
  return panel.evaluate(async () => {
    const g = /** @type {any} */ (globalThis);
    g.gc();
    await new Promise((r) => setTimeout(r, 50));
    g.gc();
    return /** @type {any} */ (performance).memory.usedJSHeapSize;
  });
}

/**
 * The events filter box (panel/components/EventsPane.tsx, labelled "Filter events"; the connection
 * list has a filter box of its own); the first selector that matches wins.
 */
const FILTER_INPUTS = ['input[aria-label="Filter events"]', '.events-pane .filter-bar input'];

/**
 * @param {Page} panel
 * @returns {Promise<string | null>} the selector of the filter box, or null when the panel has none
 */
async function filterInput(panel) {
  for (const selector of FILTER_INPUTS) if ((await panel.locator(selector).count()) > 0) return selector;
  return null;
}

/**
 * Figure 5: one connection of `count` events as fast as the loopback allows: time until the panel's
 * connection row shows `count` events, the panel's heap, a text filter over them, and opening a large
 * event.
 * @param {BenchBrowser} browser
 * @param {Page} panel
 * @param {BenchServer} server
 * @param {{ count: number, runs: number }} size
 * @param {(line: string) => void} log
 */
export async function panelAtScale(browser, panel, server, { count, runs }, log) {
  const ingest = [];
  const incomplete = [];
  const filter = [];
  /** @type {string | null} */
  let filterUnavailable = null;
  for (let run = 0; run < runs; run++) {
    await freshRun(browser, panel, server, `scale-${run}`);
    const heapBefore = await panelHeap(panel);
    await panel.evaluate((count) => {
      const g = /** @type {any} */ (globalThis);
      g.__benchScale = { shownAt: 0, renders: 0, lastShown: 0, lastChangeAt: performance.now() };
      const check = () => {
        g.__benchScale.renders++;
        const cell = document.querySelector('tr[data-connection-id] td.num');
        const shown = Number((cell?.textContent ?? '').replace(/\D/g, ''));
        if (shown !== g.__benchScale.lastShown) {
          g.__benchScale.lastShown = shown;
          g.__benchScale.lastChangeAt = performance.now();
        }
        if (shown >= count && g.__benchScale.shownAt === 0) {
          g.__benchScale.shownAt = performance.timeOrigin + performance.now();
          observer.disconnect();
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    }, count);
    const page = await browser.page.evaluate(
      async (url) => {
        const startedAt = performance.timeOrigin + performance.now();
        const response = await fetch(url);
        if (!response.body) throw new Error('no body');
        const reader = response.body.getReader();
        for (;;) {
          const { done } = await reader.read();
          if (done) break;
        }
        return { startedAt, readAt: performance.timeOrigin + performance.now() };
      },
      server.url(`/sse/fast?count=${count}`),
    );
    // Until the count is shown, or it has not changed for 15 s (events were lost on the way).
    for (;;) {
      const state = await panel.evaluate(() => {
        const scale = /** @type {any} */ (globalThis).__benchScale;
        return { done: scale.shownAt > 0, quietMs: performance.now() - scale.lastChangeAt };
      });
      if (state.done || state.quietMs > 15_000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const shown = await panel.evaluate(() => /** @type {any} */ (globalThis).__benchScale);
    const heapAfter = await panelHeap(panel);
    const entry = {
      complete: shown.shownAt > 0,
      eventsShown: shown.lastShown,
      msToPanel: shown.shownAt > 0 ? shown.shownAt - page.startedAt : Number.NaN,
      msPageRead: page.readAt - page.startedAt,
      mutationCallbacks: shown.renders,
      heapBefore,
      heapAfter,
    };
    if (!entry.complete) {
      incomplete.push(entry);
      log(`  ingest ${run + 1}/${runs}: the panel stopped at ${entry.eventsShown} of ${count} events`);
      continue;
    }
    ingest.push(entry);
    log(
      `  ingest ${run + 1}/${runs}: ${(entry.msToPanel / 1000).toFixed(2)} s to panel (page read in ${(entry.msPageRead / 1000).toFixed(2)} s), heap ${(heapAfter / 2 ** 20).toFixed(1)} MiB`,
    );

    const selector = await filterInput(panel);
    if (selector === null) {
      filterUnavailable = `no filter box in the panel (looked for ${FILTER_INPUTS.join(', ')})`;
    } else {
      try {
        filter.push(await applyFilter(panel, selector));
      } catch (error) {
        await panel.screenshot({ path: '.tmp/bench-filter-failure.png' });
        throw error;
      }
      log(`  filter: ${filter[filter.length - 1]?.ms.toFixed(1)} ms`);
    }
  }

  const big = await openLargeEvent(browser, panel, server, log);
  return {
    count,
    runs,
    msToPanel: summarize(ingest.map((r) => r.msToPanel)),
    msPageRead: summarize(ingest.map((r) => r.msPageRead)),
    heapAfterBytes: summarize(ingest.map((r) => r.heapAfter)),
    heapBeforeBytes: summarize(ingest.map((r) => r.heapBefore)),
    ingest,
    incomplete,
    filter: filter.length > 0 ? { ms: summarize(filter.map((f) => f.ms)), runs: filter } : null,
    filterUnavailable: filter.length > 0 ? null : filterUnavailable,
    openLargeEvent: big,
  };
}

/**
 * Types a filter that matches 11 of the events (`"seq":4242` is in events 4242 and 42420–42429) and
 * times it from the input event to the event table showing only matching rows; then clears it.
 * @param {Page} panel
 * @param {string} selector the filter box
 */
export async function applyFilter(panel, selector) {
  const result = await panel.evaluate(
    async ({ selector, cells }) => {
      const input = /** @type {HTMLInputElement} */ (document.querySelector(selector));
      const setValue = /** @type {(this: HTMLInputElement, v: string) => void} */ (
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set
      );
      const query = '"seq":4242';
      const matches = () => {
        const shown = [...document.querySelectorAll(cells)].map((c) => c.textContent ?? '');
        return shown.length > 0 && shown.length <= 11 && shown.every((text) => text.includes(query));
      };
      const start = performance.now();
      const done = new Promise((resolve, reject) => {
        const observer = new MutationObserver(() => {
          if (!matches()) return;
          observer.disconnect();
          resolve(performance.now());
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        setTimeout(() => {
          observer.disconnect();
          reject(new Error('the filter did not narrow the table within 30 s'));
        }, 30_000);
      });
      setValue.call(input, query);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const inDom = /** @type {number} */ (await done);
      // A task posted from requestAnimationFrame runs after that frame's layout and paint.
      await new Promise((r) =>
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = r;
          channel.port2.postMessage(null);
        }),
      );
      const painted = performance.now();
      const rows = document.querySelectorAll(cells).length;
      setValue.call(input, '');
      input.dispatchEvent(new Event('input', { bubbles: true }));
      return { ms: inDom - start, msToFrame: painted - start, rows };
    },
    { selector, cells: EVENT_DATA_CELLS },
  );
  return result;
}

/** The event detail region (panel/components/EventDetail.tsx). */
const EVENT_DETAIL = '[aria-label="Event data"], .event-detail';

/**
 * Clicks what `target` names in the panel and times until the DOM stops changing (300 ms without a
 * mutation), and until the frame showing the last change has been rendered: a task posted from that
 * frame's requestAnimationFrame callback runs after its style, layout and paint.
 * @param {Page} panel
 * @param {{ row: string } | { button: string }} target the event row whose data starts with `row`, or
 *   the button whose text is `button`
 */
function timeClick(panel, target) {
  return panel.evaluate(
    async ({ target, cells, detail }) => {
      const element =
        'row' in target
          ? [...document.querySelectorAll(cells)]
              .find((c) => (c.textContent ?? '').startsWith(target.row))
              ?.closest('tr')
          : [...document.querySelectorAll(`${detail} button`)].find(
              (b) => (b.textContent ?? '').trim() === target.button,
            );
      if (!(element instanceof HTMLElement)) return null;
      let lastMutation = 0;
      let mutations = 0;
      let renderedAfterLast = 0;
      const whenRendered = (/** @type {number} */ mutationTime) =>
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            if (mutationTime === lastMutation) renderedAfterLast = performance.now();
          };
          channel.port2.postMessage(null);
        });
      const observer = new MutationObserver(() => {
        mutations++;
        lastMutation = performance.now();
        whenRendered(lastMutation);
      });
      observer.observe(document.body, {
        childList: true,
        subtree: true,
        characterData: true,
        attributes: true,
      });
      const start = performance.now();
      element.click();
      for (;;) {
        await new Promise((r) => setTimeout(r, 50));
        if (
          renderedAfterLast > 0 &&
          renderedAfterLast >= lastMutation &&
          performance.now() - lastMutation > 300
        ) {
          break;
        }
        if (performance.now() - start > 60_000) throw new Error('the panel kept changing for 60 s');
      }
      observer.disconnect();
      return {
        ms: lastMutation - start,
        msToFrame: renderedAfterLast - start,
        mutations,
        detailChars: document.querySelector(detail)?.textContent?.length ?? 0,
      };
    },
    { target, cells: EVENT_DATA_CELLS, detail: EVENT_DETAIL },
  );
}

/**
 * Opens (clicks) a ~2 MiB JSON event and times it until the detail is complete and rendered; then,
 * when the detail offers a raw-text view ("Raw"), times switching to it.
 * @param {BenchBrowser} browser
 * @param {Page} panel
 * @param {BenchServer} server
 * @param {(line: string) => void} log
 */
async function openLargeEvent(browser, panel, server, log) {
  const open = [];
  const raw = [];
  const row = '{"seq":11,"items"';
  for (let run = -1; run < 3; run++) {
    await freshRun(browser, panel, server, `big-event-${run}`);
    await browser.page.evaluate(async (url) => {
      const response = await fetch(url);
      await response.text();
    }, server.url('/sse/big-event'));
    await panel.waitForFunction(
      ({ cells, row }) =>
        [...document.querySelectorAll(cells)].some((c) => (c.textContent ?? '').startsWith(row)),
      { cells: EVENT_DATA_CELLS, row },
      { timeout: 30_000 },
    );
    const opened = await timeClick(panel, { row });
    if (!opened) throw new Error('no row for the large event');
    if (opened.detailChars === 0) throw new Error(`clicking the large event showed no ${EVENT_DETAIL}`);
    const asRaw = await timeClick(panel, { button: 'Raw' });
    if (asRaw && asRaw.detailChars < server.bigEventChars) {
      throw new Error(`the raw view shows ${asRaw.detailChars} chars, the event has ${server.bigEventChars}`);
    }
    if (run === -1) continue; // identical warm-up, not counted
    open.push(opened);
    if (asRaw) raw.push(asRaw);
    log(
      `  open ${(server.bigEventChars / 2 ** 20).toFixed(1)} MiB event: ${opened.ms.toFixed(0)} ms to DOM, ${opened.msToFrame.toFixed(0)} ms rendered` +
        (asRaw
          ? `; raw view ${asRaw.ms.toFixed(0)} ms to DOM, ${asRaw.msToFrame.toFixed(0)} ms rendered`
          : ''),
    );
  }
  // The raw view is a choice that lasts from event to event; leave the default for later runs.
  await timeClick(panel, { button: 'Tree' });
  return {
    dataChars: server.bigEventChars,
    ms: summarize(open.map((r) => r.ms)),
    msToFrame: summarize(open.map((r) => r.msToFrame)),
    runs: open,
    raw:
      raw.length > 0
        ? {
            ms: summarize(raw.map((r) => r.ms)),
            msToFrame: summarize(raw.map((r) => r.msToFrame)),
            runs: raw,
          }
        : null,
  };
}

/**
 * Runs in the panel page before its own scripts: defines `__benchTotals()`, what its connection list
 * shows, summed over the rows: events shown, events not kept (the ⚠ beside the count says how many;
 * chunks not kept are not events),
 * rows, and rows whose stream ended. (Extension pages forbid `eval`, so helpers are installed so.)
 */
function installTotals() {
  /** @type {any} */ (globalThis).__benchTotals = () => {
    let shown = 0;
    let notKept = 0;
    let ended = 0;
    const rows = document.querySelectorAll('tr[data-connection-id]');
    for (const row of rows) {
      const cell = row.querySelector('td.num');
      const warning = cell?.querySelector('.not-kept');
      const digits = (/** @type {string | null | undefined} */ text) =>
        Number((text ?? '').replace(/\D/g, ''));
      shown += digits(cell?.firstChild?.textContent);
      // The title has a line per kind ("N events not kept", "M chunks not kept"; the panel in English).
      if (warning)
        notKept += digits(/([\d,.\s]+) events not kept/.exec(warning.getAttribute('title') ?? '')?.[1]);
      if (!row.querySelector('td.state.is-live')) ended++;
    }
    return { shown, notKept, rows: rows.length, ended };
  };
}

/**
 * For figure 1 with a panel watching the tab: before each "with" run, the panel is empty; after it,
 * the harness waits until the panel has every event of the ended stream (shown or counted as not
 * kept: the panel keeps 100 000 events per connection by default) and says how long that took.
 * @param {Page} panel watching the "with" browser's page
 * @returns {import('./page-figures.mjs').WatchingPanel}
 */
export function watchingPanel(panel) {
  return {
    async before() {
      await panel.waitForFunction(() => document.querySelectorAll('tr[data-connection-id]').length === 0);
    },
    async after(events) {
      const start = performance.now();
      await panel.waitForFunction(
        (events) => {
          const t = /** @type {any} */ (globalThis).__benchTotals();
          return t.rows === 1 && t.ended === 1 && t.shown + t.notKept >= events;
        },
        events,
        { timeout: 180_000, polling: 50 },
      );
      return performance.now() - start;
    },
  };
}

/**
 * Runs in the panel page before its own scripts: stamps (epoch clock) the first moment the panel
 * shows `expected` events over `connections` ended rows, from a MutationObserver on the document.
 * @param {{ expected: number, connections: number }} arg
 */
function watchForAll({ expected, connections }) {
  const g = /** @type {any} */ (globalThis);
  const count = () => g.__benchTotals();
  g.__benchAll = { shownAt: 0, last: null, mutations: 0 };
  const observer = new MutationObserver(() => {
    g.__benchAll.mutations++;
    const t = count();
    g.__benchAll.last = t;
    if (t.rows === connections && t.ended === connections && t.shown + t.notKept >= expected) {
      g.__benchAll.shownAt = performance.timeOrigin + performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

/**
 * Runs in the watched page: collects `longtask` entries (PerformanceObserver) and the longest delay
 * of a 4 ms timer chain (a heartbeat: how long the thread was not free to run it), from `start()`
 * until `stop()`.
 */
function watchMainThread() {
  const g = /** @type {any} */ (globalThis);
  /** @type {{ startTime: number, duration: number }[]} */
  const tasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      tasks.push({ startTime: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  let from = 0;
  let running = false;
  let maxDelay = 0;
  let ticks = 0;
  const beat = (/** @type {number} */ due) => {
    if (!running) return;
    const now = performance.now();
    ticks++;
    if (now - due > maxDelay) maxDelay = now - due;
    const next = now + 4;
    setTimeout(() => beat(next), 4);
  };
  g.__benchMainThread = {
    start() {
      from = performance.now();
      running = true;
      maxDelay = 0;
      ticks = 0;
      beat(from);
    },
    stop() {
      running = false;
      const inWindow = tasks.filter((t) => t.startTime >= from);
      return {
        longTasks: inWindow.length,
        longestTaskMs: inWindow.reduce((m, t) => Math.max(m, t.duration), 0),
        longTaskMs: inWindow.reduce((n, t) => n + t.duration, 0),
        longestTimerDelayMs: maxDelay,
        ticks,
        windowMs: performance.now() - from,
      };
    },
  };
}

/**
 * A trace (CDP `Tracing`, the categories DevTools' Performance panel records) of the whole browser,
 * from its start until `stop()`; `stop` returns the tasks of the main thread of the renderer showing
 * `pageUrl`: each task's wall time and the CPU time its thread spent in it. The two differ by the
 * time the thread was descheduled (other load on the machine), so the CPU time says what the task
 * itself cost.
 * @param {BenchBrowser} browser
 */
async function traceTasks(browser) {
  const session = await browser.context.newCDPSession(browser.page);
  /** @type {any[]} */
  const events = [];
  session.on('Tracing.dataCollected', (data) => events.push(...data.value));
  await session.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: ['toplevel', 'disabled-by-default-devtools.timeline'],
      excludedCategories: ['*'],
    },
  });
  return {
    /** @param {string} pageUrl */
    async stop(pageUrl) {
      const complete = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
      await session.send('Tracing.end');
      await complete;
      await session.detach().catch(() => {});
      const started = events.find((e) => e.name === 'TracingStartedInBrowser');
      const frame = started?.args?.data?.frames?.find((/** @type {any} */ f) => f.url === pageUrl);
      const pid = frame?.processId;
      const main = events.find(
        (e) => e.pid === pid && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
      );
      if (pid === undefined || !main) return null;
      const tasks = events.filter(
        (e) => e.pid === pid && e.tid === main.tid && e.ph === 'X' && e.name === 'RunTask',
      );
      const wall = tasks.map((e) => (e.dur ?? 0) / 1000);
      const cpu = tasks.map((e) => (e.tdur ?? 0) / 1000);
      return {
        tasks: tasks.length,
        longestTaskMs: Math.max(0, ...wall),
        longestTaskCpuMs: Math.max(0, ...cpu),
        tasksOver50Ms: wall.filter((ms) => ms >= 50).length,
        tasksOver50MsCpu: cpu.filter((ms) => ms >= 50).length,
        busyCpuMs: cpu.reduce((a, b) => a + b, 0),
      };
    },
  };
}

/**
 * New figure: a panel opened on a tab whose relay buffer holds `connections` ended streams of
 * `eventsPerConnection` 100-byte events (all together just under the relay's 32 Mi-character bound,
 * each under the panel's 100 000 events per connection). The relay sends its snapshot when the panel
 * attaches, and the panel parses it. Measured: the page's main thread from the panel's creation until
 * the panel shows every event (long tasks, and the longest delay of a 4 ms timer), and the time from
 * the panel page's navigation start until it shows every event.
 * @param {BenchBrowser} browser
 * @param {BenchServer} server
 * @param {{ connections: number, eventsPerConnection: number, runs: number }} size
 * @param {(line: string) => void} log
 */
export async function snapshotToPanel(browser, server, { connections, eventsPerConnection, runs }, log) {
  const expected = connections * eventsPerConnection;
  const results = [];
  /** @type {any[]} */
  const incomplete = [];
  for (let run = -1; run < runs; run++) {
    await browser.page.goto(server.url(`/blank?snapshot-${run}`));
    await browser.page.evaluate(watchMainThread);
    const read = await browser.page.evaluate(
      async ({ url, connections }) => {
        let bytes = 0;
        for (let i = 0; i < connections; i++) {
          const response = await fetch(`${url}&c=${i}`);
          bytes += (await response.arrayBuffer()).byteLength;
        }
        return bytes;
      },
      { url: server.url(`/sse/fast?count=${eventsPerConnection}`), connections },
    );
    if (read !== expected * 100) throw new Error(`the page read ${read} bytes, expected ${expected * 100}`);
    // Let the relay take the last chunks and the ends before the panel opens.
    await browser.page.waitForTimeout(1000);
    const tabId = await browser.tabIdOf(browser.page);
    const trace = await traceTasks(browser);
    await browser.page.evaluate(() => /** @type {any} */ (globalThis).__benchMainThread.start());
    const panel = await browser.context.newPage();
    try {
      await panel.addInitScript(installTotals);
      await panel.addInitScript(watchForAll, { expected, connections });
      await panel.goto(`chrome-extension://${browser.extensionId}/panel/index.html?tabId=${tabId}`);
      const waitStart = performance.now();
      /** @type {string | null} */
      let failure = null;
      await panel
        .waitForFunction(() => /** @type {any} */ (globalThis).__benchAll?.shownAt > 0, undefined, {
          timeout: 180_000,
          polling: 100,
        })
        .catch((error) => {
          failure = `${String(error.message).split('\n')[0]} after ${((performance.now() - waitStart) / 1000).toFixed(1)} s`;
        });
      const shown = await panel.evaluate(() => {
        const g = /** @type {any} */ (globalThis);
        return {
          shownAt: g.__benchAll.shownAt,
          last: g.__benchAll.last,
          mutations: g.__benchAll.mutations,
          timeOrigin: performance.timeOrigin,
        };
      });
      // A moment after the panel shows it all, so that the relay's trailing work is in the window.
      await browser.page.waitForTimeout(500);
      const thread = await browser.page.evaluate(() =>
        /** @type {any} */ (globalThis).__benchMainThread.stop(),
      );
      const traced = await trace.stop(browser.page.url());
      if (!(shown.shownAt > 0)) {
        const entry = { run, failure, last: shown.last };
        if (run >= 0) incomplete.push(entry);
        log(
          `  run ${run + 1}/${runs}: the panel did not show all ${expected} events: ${JSON.stringify(entry)}`,
        );
        continue;
      }
      const entry = {
        msUntilShown: shown.shownAt - shown.timeOrigin,
        eventsShown: shown.last.shown,
        eventsNotKept: shown.last.notKept,
        ...thread,
        trace: traced,
      };
      if (run === -1) continue; // identical warm-up, not counted
      results.push(entry);
      log(
        `  run ${run + 1}/${runs}: all ${expected} events shown ${(entry.msUntilShown / 1000).toFixed(2)} s after the panel's start (${entry.eventsNotKept} not kept); page: ${thread.longTasks} long tasks, longest ${thread.longestTaskMs.toFixed(0)} ms, longest timer delay ${thread.longestTimerDelayMs.toFixed(0)} ms; traced: longest task ${traced ? `${traced.longestTaskMs.toFixed(0)} ms wall, ${traced.longestTaskCpuMs.toFixed(0)} ms CPU` : 'not found'}`,
      );
    } finally {
      await panel.close();
    }
  }
  return {
    connections,
    eventsPerConnection,
    chars: expected * 100,
    runs,
    msUntilShown: summarize(results.map((r) => r.msUntilShown)),
    longestTaskMs: summarize(results.map((r) => r.longestTaskMs)),
    longestTimerDelayMs: summarize(results.map((r) => r.longestTimerDelayMs)),
    traced: results.every((r) => r.trace)
      ? {
          longestTaskMs: summarize(results.map((r) => r.trace.longestTaskMs)),
          longestTaskCpuMs: summarize(results.map((r) => r.trace.longestTaskCpuMs)),
          busyCpuMs: summarize(results.map((r) => r.trace.busyCpuMs)),
        }
      : null,
    perRun: results,
    incomplete,
  };
}
