import type { StreamChunk, StreamFormat, StreamRecord } from '../model';
import type { RecordSink } from './event-stream-parser';
import { createStreamTap } from './stream-tap';

/** Records rebuilt from a body, and how many the body holds (more than `records` beyond the bound). */
export interface ParsedBody {
  records: StreamRecord[];
  count: number;
}

/**
 * The records the capture derives from a body read as these chunks, each at its own read time: the
 * same parser and limits as the relay, so records rebuilt from a file equal the captured ones.
 * `completed`: the body ended normally, so a last NDJSON line without newline counts (an
 * unterminated SSE event never does). Beyond `maxRecords` records are only counted, not kept, so a
 * file too big to import is measured without being held.
 */
export function recordsOfChunks(
  format: StreamFormat,
  chunks: readonly Pick<StreamChunk, 'time' | 'text'>[],
  completed: boolean,
  endTime = chunks.at(-1)?.time ?? 0,
  maxRecords = Number.POSITIVE_INFINITY,
): ParsedBody {
  const records: StreamRecord[] = [];
  let count = 0;
  const keep = (record: StreamRecord, truncatedFrom?: number) => {
    count++;
    if (records.length >= maxRecords) return;
    if (truncatedFrom !== undefined) record.truncatedFrom = truncatedFrom;
    records.push(record);
  };
  const sink: RecordSink = {
    event(seq, id, type, data, time, truncatedFrom) {
      keep({ seq, kind: 'event', id, type, data, time }, truncatedFrom);
    },
    comment(seq, id, data, time, truncatedFrom) {
      keep({ seq, kind: 'comment', id, type: '', data, time }, truncatedFrom);
    },
    retry(seq, id, data, time, retry) {
      keep({ seq, kind: 'retry', id, type: '', data, time, ...(retry !== undefined && { retry }) });
    },
  };
  const tap = createStreamTap(format, undefined, sink);
  // The byte count is the file's business, not the parser's.
  for (const chunk of chunks) tap.pushText(chunk.text, 0, chunk.time);
  tap.finish(endTime, completed);
  return { records, count };
}
