/**
 * Helpers shared by the `src/sse` unit tests (not shipped: only test files import this module).
 */
import type { StreamFormat, StreamRecord } from '../model';
import type { ParserLimits } from './event-stream-parser';
import { createStreamTap } from './stream-tap';

const encoder = new TextEncoder();

/** A seeded PRNG (mulberry32): the same seed gives the same sequence, so a failure replays. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomInt(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/** One element of a non-empty list. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[randomInt(random, items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Concatenates UTF-8 encoded strings and raw byte lists into one byte array. */
export function bytesOf(...parts: (string | readonly number[])[]): Uint8Array {
  const pieces = parts.map((part) =>
    typeof part === 'string' ? encoder.encode(part) : Uint8Array.from(part),
  );
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** Every byte its own chunk. */
export function splitEveryByte(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
}

/**
 * Cuts `bytes` at random boundaries (each boundary cut with a per-call probability),
 * sometimes inserting empty chunks, which pages do read.
 */
export function splitRandomly(bytes: Uint8Array, random: () => number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  const cutProbability = 0.02 + random() * 0.5;
  let start = 0;
  for (let i = 1; i < bytes.length; i++) {
    if (random() < cutProbability) {
      chunks.push(bytes.subarray(start, i));
      start = i;
      if (random() < 0.05) chunks.push(new Uint8Array(0));
    }
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

/** Same for strings, cutting between UTF-16 units. */
export function splitStringRandomly(text: string, random: () => number): string[] {
  const chunks: string[] = [];
  const cutProbability = 0.02 + random() * 0.5;
  let start = 0;
  for (let i = 1; i < text.length; i++) {
    if (random() < cutProbability) {
      chunks.push(text.slice(start, i));
      start = i;
    }
  }
  chunks.push(text.slice(start));
  return chunks;
}

/**
 * Taps `chunks` as one stream: chunk i is read at time i + 1, the end at chunks.length + 1.
 * Returns every record, in order.
 */
export function tapAll(
  format: StreamFormat,
  chunks: readonly Uint8Array[],
  options: { limits?: ParserLimits; completed?: boolean } = {},
): StreamRecord[] {
  const tap = createStreamTap(format, options.limits);
  const records: StreamRecord[] = [];
  chunks.forEach((chunk, i) => {
    records.push(...tap.push(chunk, i + 1));
  });
  records.push(...tap.finish(chunks.length + 1, options.completed ?? true));
  return records;
}

/** A record as `[kind, id, type, data]`, the shape the fixture tables use. */
export type Row = [kind: StreamRecord['kind'], id: string, type: string, data: string];

export function rowsOf(records: readonly StreamRecord[]): Row[] {
  return records.map((r) => [r.kind, r.id, r.type, r.data]);
}

/** Records without `time`, which depends on the split; everything else must not. */
export function withoutTime(records: readonly StreamRecord[]): Omit<StreamRecord, 'time'>[] {
  return records.map(({ time: _time, ...rest }) => rest);
}

/** Checks that `seq` runs 1, 2, 3… and `time` never goes back. Returns a problem or null. */
export function timelineProblem(records: readonly StreamRecord[]): string | null {
  let lastTime = -Infinity;
  for (const [i, r] of records.entries()) {
    if (r.seq !== i + 1) return `record ${i} has seq ${r.seq}`;
    if (r.time < lastTime) return `record ${i} has time ${r.time} < ${lastTime}`;
    lastTime = r.time;
  }
  return null;
}
