/**
 * Fuzz: random byte arrays (NUL, CR, LF, field names, UTF-8 fragments, encoded lone surrogates,
 * invalid bytes), cut at random, never make the tap throw, and the cut never changes the records
 * (only their `time`). Run with the default limits and with tiny ones, so truncation of data and
 * of long lines is split at every position too.
 */
import { describe, expect, it } from 'vitest';
import { type RelayItem, toWireItems } from '../../content-scripts/relay-body';
import { RelayDecoders } from '../../content-scripts/relay-decoders';
import { ChunkParsers } from '../../panel/chunk-parsers';
import { DEFAULT_PARSER_LIMITS } from '../limits';
import type { StreamFormat, StreamRecord } from '../model';
import type { AgentChunk } from '../protocol';
import { testInfo } from '../test-records';
import type { ParserLimits } from './event-stream-parser';
import {
  createRandom,
  pick,
  randomInt,
  splitEveryByte,
  splitRandomly,
  tapAll,
  timelineProblem,
  withoutTime,
} from './test-support';

const enc = new TextEncoder();

/** Byte sequences the fuzzer strings together. */
const ATOMS: number[][] = [
  ...[
    'data',
    'data:',
    'data: ',
    'id:',
    'id',
    'event:',
    'retry:',
    'retry: 12',
    ':',
    ' ',
    '\t',
    'x',
    'ab',
    '\u001e',
  ].map((s) => [...enc.encode(s)]),
  [10],
  [13],
  [13, 10],
  [10, 10],
  [0],
  [0xef, 0xbb, 0xbf], // BOM
  [0xff],
  [0xfe],
  [0x80],
  [0xc3],
  [0xc3, 0xa9], // é
  [0xe2, 0x82],
  [0xe6, 0xbc, 0xa2], // 漢
  [0xf0, 0x9f, 0x98, 0x80], // 😀
  [0xf0, 0x9f],
  [0xed, 0xa0, 0x80], // lone high surrogate as (invalid) UTF-8
  [0xed, 0xbf, 0xbf], // lone low surrogate as (invalid) UTF-8
  [0xc0, 0xaf], // overlong
  [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
];

function randomBytes(random: () => number): Uint8Array {
  const out: number[] = [];
  const n = randomInt(random, 40);
  for (let i = 0; i < n; i++) {
    if (random() < 0.15) out.push(randomInt(random, 256));
    else out.push(...pick(random, ATOMS));
  }
  return Uint8Array.from(out);
}

const CASES: { format: StreamFormat; limits?: ParserLimits; label: string }[] = [
  { format: 'sse', label: 'sse, default limits' },
  { format: 'sse', limits: { maxEventChars: 3 }, label: 'sse, maxEventChars 3' },
  { format: 'ndjson', label: 'ndjson, default limits' },
  { format: 'ndjson', limits: { maxEventChars: 3 }, label: 'ndjson, maxEventChars 3' },
];

describe('fuzz: splitting never changes the records', () => {
  for (const [index, { format, limits, label }] of CASES.entries()) {
    it(`${label}: 2000 random streams`, () => {
      const random = createRandom(0xf022 + index);
      for (let i = 0; i < 2000; i++) {
        const bytes = randomBytes(random);
        const completed = random() < 0.8;
        const whole = withoutTime(tapAll(format, [bytes], { limits, completed }));
        const chunks = i % 10 === 0 ? splitEveryByte(bytes) : splitRandomly(bytes, random);
        const split = tapAll(format, chunks, { limits, completed });
        const context = `bytes [${bytes.join(',')}] cut ${chunks.map((c) => c.length).join(',')}`;
        expect(withoutTime(split), context).toEqual(whole);
        expect(timelineProblem(split), context).toBeNull();
      }
    });
  }
});

describe('fuzz: relay decoders + panel parsers give exactly what one tap over the bytes gives', () => {
  for (const [index, { format, limits, label }] of CASES.entries()) {
    it(`${label}: 1000 random streams, in random agent messages`, () => {
      const random = createRandom(0xc011 + index);
      for (let i = 0; i < 1000; i++) {
        const bytes = randomBytes(random);
        const completed = random() < 0.8;
        const reads = splitRandomly(bytes, random);
        const expected = tapAll(format, reads, { limits, completed });
        const decoders = new RelayDecoders();
        const parsers = new ChunkParsers(() => limits ?? DEFAULT_PARSER_LIMITS);
        const received: StreamRecord[] = [];
        const toPanel = (relayItems: RelayItem[]) => {
          const items = toWireItems(relayItems);
          for (const item of parsers.toCaptureItems(items))
            if (item.type === 'records') received.push(...item.records);
        };
        toPanel(decoders.track([{ type: 'connection-start', connection: testInfo('c', { format }) }]));
        let message: AgentChunk[] = [];
        reads.forEach((read, n) => {
          message.push({
            connectionId: 'c',
            time: n + 1,
            bytes: read.slice().buffer,
            offset: 0,
            length: read.length,
          });
          if (random() < 0.5) {
            toPanel(decoders.decode(message));
            message = [];
          }
        });
        message.push({ connectionId: 'c', time: reads.length + 1, completed });
        toPanel(decoders.decode(message));
        const end = {
          state: completed ? 'completed' : 'aborted',
          error: null,
          endedAt: reads.length + 1,
        } as const;
        toPanel(decoders.track([{ type: 'connection-end', connectionId: 'c', end }]));
        expect(received, `bytes [${bytes.join(',')}]`).toEqual(expected);
      }
    });
  }
});
