/** Relay items (content-scripts/relay-body.ts, src/protocol.ts) for the relay's unit tests. */
import type { ConnectionInfo } from '../src/model';
import { infoChars } from '../src/protocol';
import { testInfo } from '../src/test-records';
import type { RelayItem } from './relay-body';

type WireItem = RelayItem;

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

/** `count` chunks of `text` (as text cells) numbered from `from`, as the relay's decoders make them. */
export const wireChunks = (id: string, from: number, count: number, text = 'x'): WireItem => ({
  type: 'body',
  connectionId: id,
  cells: Array.from({ length: count }, (_, i) => ({ seq: from + i, time: from + i, data: text })),
  bytes: (from + count - 1) * text.length,
  text: { decoder: null, nextSeq: 1 },
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
    item.type === 'body'
      ? item.cells.map((cell) => cell.seq)
      : item.type === 'records'
        ? item.records.map((r) => r.seq)
        : [],
  );
