/**
 * Figure 6 (Node, no browser): MB/s of SSE turned into events by the agent's tap as the agent runs it
 * (`createStreamTap('sse')` fed 64 KiB `Uint8Array` chunks, writing into a `PackedRecordsBuilder`,
 * taken after every chunk as the channel takes it per batch) beside `eventsource-parser` alone
 * (`createParser` fed the same chunks decoded by one streaming `TextDecoder`), and beside decoding
 * alone, on the same input. The three are interleaved round by round in one process.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createParser } from 'eventsource-parser';
import { build } from 'vite';
import { eventsBody } from './server.mjs';
import { summarize } from './stats.mjs';

const CHUNK = 64 * 1024;

// A full collection before each timed run, the same for every contender (`--expose-gc` at runtime).
setFlagsFromString('--expose-gc');
const gc = /** @type {() => void} */ (runInNewContext('gc'));

/**
 * @typedef {{ count: number, take(): unknown }} Builder
 * @typedef {{ push(chunk: Uint8Array, time: number): unknown[], finish(time: number, completed: boolean): unknown[] }} Tap
 */

/**
 * Bundles src/sse/stream-tap.ts and src/packed-records.ts (TypeScript) into `outDir` so plain Node
 * can import them.
 * @param {string} outDir
 * @returns {Promise<{ createStreamTap: (format: 'sse' | 'ndjson', limits?: unknown, sink?: Builder) => Tap, PackedRecordsBuilder: new () => Builder }>}
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
        entry: {
          'stream-tap': resolve('src/sse/stream-tap.ts'),
          'packed-records': resolve('src/packed-records.ts'),
        },
        formats: ['es'],
        fileName: (_format, name) => `${name}.mjs`,
      },
    },
  });
  const tap = await import(pathToFileURL(resolve(outDir, 'stream-tap.mjs')).href);
  const packed = await import(pathToFileURL(resolve(outDir, 'packed-records.mjs')).href);
  return { createStreamTap: tap.createStreamTap, PackedRecordsBuilder: packed.PackedRecordsBuilder };
}

/**
 * @param {{ events: number, rounds: number, buildDir: string }} options
 * @param {(line: string) => void} log
 */
export async function parserThroughput({ events, rounds, buildDir }, log) {
  const { createStreamTap, PackedRecordsBuilder } = await loadStreamTap(buildDir);
  const body = eventsBody(events);
  /** @type {Uint8Array[]} */
  const chunks = [];
  for (let offset = 0; offset < body.length; offset += CHUNK) {
    chunks.push(new Uint8Array(body.buffer, body.byteOffset + offset, Math.min(CHUNK, body.length - offset)));
  }

  /** @type {Record<string, () => number>} each returns the number of events it produced */
  const contenders = {
    tap() {
      const builder = new PackedRecordsBuilder();
      const tap = createStreamTap('sse', undefined, builder);
      let count = 0;
      for (const chunk of chunks) {
        tap.push(chunk, 0);
        count += builder.count;
        builder.take();
      }
      tap.finish(0, true);
      return count + builder.count;
    },
    'eventsource-parser'() {
      const decoder = new TextDecoder();
      let count = 0;
      const parser = createParser({
        onEvent() {
          count++;
        },
      });
      for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
      parser.feed(decoder.decode());
      return count;
    },
    'decode only'() {
      const decoder = new TextDecoder();
      let chars = 0;
      for (const chunk of chunks) chars += decoder.decode(chunk, { stream: true }).length;
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
  return {
    bytes: body.length,
    events,
    chunkBytes: CHUNK,
    contenders: result,
    // Time of the tap ÷ time of eventsource-parser alone, median of each.
    tapOverParser:
      (summarize(seconds.tap ?? []).median ?? Number.NaN) /
      summarize(seconds['eventsource-parser'] ?? []).median,
  };
}
