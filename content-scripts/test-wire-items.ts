/** Wire items (src/protocol.ts) for the relay's unit tests. */
import type { ConnectionInfo, StreamRecord } from '../src/model';
import { packRecords } from '../src/packed-records';
import type { WireItem } from '../src/protocol';
import { testInfo } from '../src/test-records';

export const wireStart = (id: string, patch?: Partial<ConnectionInfo>): WireItem => ({
  type: 'connection-start',
  connection: testInfo(id, patch),
});

/** `count` message events numbered from `from`, packed as the relay receives them. */
export const wireRecords = (id: string, from: number, count: number, data = 'x'): WireItem => ({
  type: 'packed-records',
  connectionId: id,
  bytes: (from + count) * 10,
  records: packRecords(
    Array.from(
      { length: count },
      (_, i): StreamRecord => ({
        seq: from + i,
        kind: 'event',
        id: '',
        type: 'message',
        data,
        time: from + i,
      }),
    ),
  ),
});

export const wireEnd = (id: string): WireItem => ({
  type: 'connection-end',
  connectionId: id,
  end: { state: 'completed', error: null, endedAt: 9 },
  bytes: 99,
});
