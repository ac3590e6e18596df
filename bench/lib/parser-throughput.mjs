/**
 * Figure 6 and "where the parse runs" (Node, no browser).
 *
 * Figure 6: MB/s of SSE text turned into events by our parser as the panel runs it, beside
 * `eventsource-parser` on the same text. The relay decodes each read once into a text chunk; the
 * panel feeds each chunk's text to `createStreamTap('sse').pushText`, whose parser makes
 * `StreamRecord` objects with its default collector (panel/chunk-parsers.ts). So both parsers get the
 * same strings, decoded once before timing; decoding the bytes alone (what the relay does per read)
 * is timed as a baseline. The three are interleaved round by round in one process.
 *
 * Parse on the page: the other place the parse could run is the relay, on the page's thread, in
 * slices when a panel attaches. That is timed here too: a buffer of 32 Mi characters of SSE (the
 * relay's bound) parsed in slices of stored chunks, with the total (what the page's thread would pay)
 * and the longest slice (its longest task).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createParser } from 'eventsource-parser';
import { build } from 'vite';
import { eventsBody } from './server.mjs';
import { summarize } from './stats.mjs';

/** Bytes per read: what the page's reader gets from a fast local stream (figure 1 sees 64 KiB reads). */
const CHUNK = 64 * 1024;

// A full collection before each timed run, the same for every contender (`--expose-gc` at runtime).
setFlagsFromString('--expose-gc');
const gc = /** @type {() => void} */ (runInNewContext('gc'));

/**
 * @typedef {{ pushText(text: string, bytes: number, time: number): unknown[], finish(time: number, completed: boolean): unknown[] }} Tap
 */

/**
 * Bundles src/sse/stream-tap.ts (TypeScript) into `outDir` so plain Node can import it.
 * @param {string} outDir
 * @returns {Promise<{ createStreamTap: (format: 'sse' | 'ndjson') => Tap }>}
 */
async function loadStreamTap(outDir) {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'node20',
      lib: {
        entry: { 'stream-tap': resolve('src/sse/stream-tap.ts') },
        formats: ['es'],
        fileName: (_format, name) => `${name}.mjs`,
      },
    },
  });
  const tap = await import(pathToFileURL(resolve(outDir, 'stream-tap.mjs')).href);
  return { createStreamTap: tap.createStreamTap };
}

/**
 * `body` cut into reads of CHUNK bytes.
 * @param {Buffer} body
 */
function readsOf(body) {
  /** @type {Uint8Array[]} */
  const reads = [];
  for (let offset = 0; offset < body.length; offset += CHUNK) {
    reads.push(new Uint8Array(body.buffer, body.byteOffset + offset, Math.min(CHUNK, body.length - offset)));
  }
  return reads;
}

/**
 * The reads as the relay makes them into text chunks: one streaming decoder, each read decoded once.
 * @param {Uint8Array[]} reads
 */
function textChunksOf(reads) {
  const decoder = new TextDecoder();
  const texts = reads.map((read) => decoder.decode(read, { stream: true }));
  const tail = decoder.decode();
  if (tail) texts.push(tail);
  return texts;
}

/**
 * @param {{ events: number, rounds: number, buildDir: string }} options
 * @param {(line: string) => void} log
 */
export async function parserThroughput({ events, rounds, buildDir }, log) {
  const { createStreamTap } = await loadStreamTap(buildDir);
  const body = eventsBody(events);
  const reads = readsOf(body);
  const texts = textChunksOf(reads);

  /** @type {Record<string, () => number>} each returns the number of events it produced */
  const contenders = {
    tap() {
      const tap = createStreamTap('sse');
      let count = 0;
      for (const text of texts) count += tap.pushText(text, 0, 0).length;
      return count + tap.finish(0, true).length;
    },
    'eventsource-parser'() {
      let count = 0;
      const parser = createParser({
        onEvent() {
          count++;
        },
      });
      for (const text of texts) parser.feed(text);
      return count;
    },
    'decode only'() {
      const decoder = new TextDecoder();
      let chars = 0;
      for (const read of reads) chars += decoder.decode(read, { stream: true }).length;
      chars += decoder.decode().length;
      return chars === body.length ? events : -1;
    },
  };

  /** @type {Record<string, number[]>} */
  const seconds = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let round = -1; round < rounds; round++) {
    for (const [name, run] of Object.entries(contenders)) {
      gc();
      const start = performance.now();
      const produced = run();
      const elapsed = (performance.now() - start) / 1000;
      if (produced !== events) throw new Error(`${name} produced ${produced} events, expected ${events}`);
      if (round >= 0) seconds[name]?.push(elapsed);
    }
    if (round >= 0) log(`  round ${round + 1}/${rounds}`);
  }
  const mb = body.length / 1e6;
  const result = Object.fromEntries(
    Object.entries(seconds).map(([name, s]) => [
      name,
      { mbPerS: summarize(s.map((t) => mb / t)), seconds: s },
    ]),
  );
  const pairRatios = (seconds.tap ?? []).map(
    (t, i) => t / /** @type {number} */ (seconds['eventsource-parser']?.[i]),
  );
  return {
    bytes: body.length,
    events,
    chunkBytes: CHUNK,
    chunks: texts.length,
    contenders: result,
    // Time of the tap ÷ time of eventsource-parser, median of each, on the same decoded text.
    tapOverParser:
      (summarize(seconds.tap ?? []).median ?? Number.NaN) /
      summarize(seconds['eventsource-parser'] ?? []).median,
    pairRatios: summarize(pairRatios),
  };
}

/**
 * An LLM's answer as OpenAI's chat completions stream it: one event per token, about 130
 * characters each, most of them the same envelope.
 * @param {number} chars at least this many characters
 */
function tokenStreamText(chars) {
  const words = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.', '\\n'];
  const parts = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const event = `data: {"id":"chatcmpl-8x","object":"chat.completion.chunk","created":1700000000,"choices":[{"index":0,"delta":{"content":"${words[i % words.length]}"}}]}\n\n`;
    parts.push(event);
    length += event.length;
  }
  return parts.join('');
}

/**
 * What "the relay parses when a panel attaches, in slices" would cost the page's thread: a buffer
 * of `chars` characters of SSE kept as the relay keeps it (text chunks of one 64 KiB read each),
 * parsed by our parser with its default collector (records as objects, which is what would then be
 * sent), one slice of `chunksPerSlice` chunks per task. Reports the total (the page's CPU time), the
 * longest and the median slice and the number of slices, median over `rounds`.
 * @param {{ chars: number, rounds: number, buildDir: string }} options
 * @param {(line: string) => void} log
 */
export async function parseOnPage({ chars, rounds, buildDir }, log) {
  const { createStreamTap } = await loadStreamTap(buildDir);
  const bodies = {
    'bench events (100 B)': textChunksOf(readsOf(eventsBody(Math.ceil(chars / 100)))),
    'LLM token events (≈ 150 B)': textChunksOf(readsOf(Buffer.from(tokenStreamText(chars), 'utf8'))),
  };
  /** @type {Record<string, any>} */
  const out = {};
  for (const [name, texts] of Object.entries(bodies)) {
    const totalChars = texts.reduce((n, t) => n + t.length, 0);
    /** @type {Record<string, any>} */
    const bySlice = {};
    for (const chunksPerSlice of [1, 16]) {
      const totals = [];
      const longest = [];
      const typical = [];
      let records = 0;
      let slices = 0;
      for (let round = -1; round < rounds; round++) {
        gc();
        const tap = createStreamTap('sse');
        let made = 0;
        let max = 0;
        let sum = 0;
        let count = 0;
        /** @type {number[]} */
        const each = [];
        for (let at = 0; at < texts.length; at += chunksPerSlice) {
          const start = performance.now();
          for (const text of texts.slice(at, at + chunksPerSlice)) made += tap.pushText(text, 0, 0).length;
          const ms = performance.now() - start;
          sum += ms;
          count++;
          each.push(ms);
          if (ms > max) max = ms;
        }
        if (round < 0) continue;
        totals.push(sum);
        longest.push(max);
        typical.push(summarize(each).median);
        records = made;
        slices = count;
      }
      bySlice[`${chunksPerSlice}`] = {
        sliceChars: Math.round(totalChars / slices),
        slices,
        records,
        totalMs: summarize(totals),
        longestSliceMs: summarize(longest),
        // The median slice: what a slice costs when the thread is not descheduled or collecting.
        medianSliceMs: summarize(typical),
      };
    }
    out[name] = { chars: totalChars, chunks: texts.length, bySlice };
    log(
      `  parse on the page, ${name}: ${(totalChars / 2 ** 20).toFixed(1)} Mi chars in ${bySlice['1'].totalMs.median.toFixed(0)} ms, longest 64 KiB slice ${bySlice['1'].longestSliceMs.median.toFixed(1)} ms, longest 1 MiB slice ${bySlice['16'].longestSliceMs.median.toFixed(1)} ms`,
    );
  }
  return { chars, rounds, bodies: out };
}
