import { describe, expect, it } from 'vitest';
import { chunkIndexOfRecord, scanChunks } from '../src/chunks/chunk-scan';
import { DEFAULT_PARSER_LIMITS } from '../src/limits';
import type { CaptureItem, WireItem } from '../src/protocol';
import { createRandom, randomInt } from '../src/sse/test-support';
import { testInfo } from '../src/test-records';
import { ChunkParsers } from './chunk-parsers';

const BODY =
  ': hi\r\nid: 1\ndata: a\r\n\r\ndata: b\rdata: c\r\rretry: 50\n\nevent: x\ndata: {"k":1}\n\ndata: é\n\n';

describe('the chunk scan and the panel’s parser agree', () => {
  it('on which chunk completed each record, under random splits and holes', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = createRandom(seed);
      const texts: string[] = [];
      let at = 0;
      while (at < BODY.length) {
        const next = Math.min(BODY.length, at + 1 + randomInt(random, 12));
        texts.push(BODY.slice(at, next));
        at = next;
      }
      // Every other seed loses a chunk (a hole the relay's buffer made).
      const hole = seed % 2 === 0 ? 1 + randomInt(random, texts.length - 1) : -1;
      const chunks = texts
        .map((text, i) => ({ seq: i + 1, time: i + 1, text }))
        .filter((chunk) => chunk.seq !== hole + 1);
      const parsers = new ChunkParsers(() => DEFAULT_PARSER_LIMITS);
      const start: WireItem = { type: 'connection-start', connection: testInfo('a') };
      const items: WireItem[] = chunks.map((chunk) => ({
        type: 'chunks',
        connectionId: 'a',
        firstSeq: chunk.seq,
        text: chunk.text,
        length: [chunk.text.length],
        time: [chunk.time],
        bytes: 0,
      }));
      const out: CaptureItem[] = parsers.toCaptureItems([start, ...items]);
      const records = out.flatMap((item) => (item.type === 'records' ? item.records : []));
      const scan = scanChunks('sse', chunks);
      for (const record of records) {
        const index = chunkIndexOfRecord(scan, record.seq);
        expect(scan.chunks[index]?.time, `seed ${seed}, record ${record.seq}`).toBe(record.time);
      }
      expect(
        scan.chunks.reduce((sum, c) => sum + c.records, 0),
        `seed ${seed}`,
      ).toBe(records.length);
    }
  });
});
