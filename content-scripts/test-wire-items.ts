/** Wire items (src/protocol.ts) for the relay's unit tests. */
import type { ConnectionInfo } from '../src/model';
import { infoChars, type WireItem } from '../src/protocol';
import { testInfo } from '../src/test-records';

/** A connection start with a minimal info (no URL or headers), so its characters are easy to count. */
export const wireStart = (id: string, patch?: Partial<ConnectionInfo>): WireItem => ({
  type: 'connection-start',
  connection: testInfo(id, {
    url: '',
    frameUrl: '',
    method: '',
    statusText: '',
    responseHeaders: {},
    ...patch,
  }),
});

/** Characters `wireStart(id)` counts against a bound (its id is not page-controlled text). */
export const startChars = (id: string): number =>
  infoChars((wireStart(id) as Extract<WireItem, { type: 'connection-start' }>).connection);

/** `count` chunks of `text` numbered from `from`, as the relay's decoders make them. */
export const wireChunks = (id: string, from: number, count: number, text = 'x'): WireItem => ({
  type: 'chunks',
  connectionId: id,
  firstSeq: from,
  text: text.repeat(count),
  length: Array.from({ length: count }, () => text.length),
  time: Array.from({ length: count }, (_, i) => from + i),
  bytes: (from + count - 1) * text.length,
});

/** `count` EventSource message records numbered from `from`. */
export const wireRecords = (id: string, from: number, count: number, data = 'x'): WireItem => ({
  type: 'records',
  connectionId: id,
  bytes: 0,
  records: Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    kind: 'event' as const,
    id: '',
    type: 'message',
    data,
    time: from + i,
  })),
});

export const wireEnd = (id: string): WireItem => ({
  type: 'connection-end',
  connectionId: id,
  end: { state: 'completed', error: null, endedAt: 9 },
  bytes: 99,
});

/** The seqs of the chunks and records among `items`. */
export const seqsOf = (items: readonly WireItem[]): number[] =>
  items.flatMap((item) =>
    item.type === 'chunks'
      ? item.length.map((_, i) => item.firstSeq + i)
      : item.type === 'records'
        ? item.records.map((r) => r.seq)
        : [],
  );
