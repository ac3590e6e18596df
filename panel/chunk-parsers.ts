/**
 * Where the events of fetch and XHR streams are derived: the relay forwards the text chunks the page
 * read, and the panel parses them here, in its own process, so the page's thread never parses at all
 * (docs/performance.md, "Where the parse runs"). One parser per open connection, fed each chunk once
 * (chunks carry seq, so a snapshot replayed after a reconnect adds nothing).
 */

import type { ParserLimits } from '../src/limits';
import type { StreamChunk, StreamRecord } from '../src/model';
import { type CaptureItem, chunksOf, isWireItem } from '../src/protocol';
import { createStreamTap, type StreamTap } from '../src/sse/stream-tap';

interface OpenParser {
  format: 'sse' | 'ndjson';
  tap: StreamTap;
  /** Highest chunk seq fed or known lost. */
  lastSeq: number;
  /** Records made by earlier taps of this connection (a tap starts afresh after a hole). */
  seqBase: number;
  /** Chunks are missing before the next one: start a fresh tap there. */
  hole: boolean;
}

export class ChunkParsers {
  private readonly open = new Map<string, OpenParser>();

  constructor(private readonly limits: () => ParserLimits) {}

  /**
   * Checked wire items → capture items: chunk items become their chunks plus the records they
   * complete; anything that does not check out is dropped (the page can forge anything).
   */
  toCaptureItems(items: readonly unknown[]): CaptureItem[] {
    const out: CaptureItem[] = [];
    for (const item of items) {
      if (!isWireItem(item)) continue;
      switch (item.type) {
        case 'connection-start': {
          const { id, transport, format } = item.connection;
          if (transport !== 'eventsource' && !this.open.has(id)) this.open.set(id, this.fresh(format, 0, 0));
          out.push(item);
          break;
        }
        case 'chunks': {
          const parser = this.open.get(item.connectionId);
          if (!parser) break;
          const chunks: StreamChunk[] = [];
          const records: StreamRecord[] = [];
          for (const chunk of chunksOf(item)) {
            if (chunk.seq <= parser.lastSeq) continue;
            if (parser.hole || chunk.seq !== parser.lastSeq + 1) this.restart(parser);
            parser.lastSeq = chunk.seq;
            chunks.push(chunk);
            this.feed(parser, records, parser.tap.pushText(chunk.text, 0, chunk.time));
          }
          if (chunks.length === 0) break;
          out.push({ type: 'chunks', connectionId: item.connectionId, chunks, bytes: item.bytes });
          if (records.length > 0)
            out.push({ type: 'records', connectionId: item.connectionId, records, bytes: item.bytes });
          break;
        }
        case 'chunks-not-kept': {
          const parser = this.open.get(item.connectionId);
          if (parser && item.lastSeq > parser.lastSeq) {
            parser.lastSeq = item.lastSeq;
            parser.hole = true;
          }
          out.push(item);
          break;
        }
        case 'connection-end': {
          const parser = this.open.get(item.connectionId);
          this.open.delete(item.connectionId);
          if (parser) {
            const records: StreamRecord[] = [];
            this.feed(parser, records, parser.tap.finish(item.end.endedAt, item.bodyCompleted === true));
            if (records.length > 0) {
              out.push({ type: 'records', connectionId: item.connectionId, records, bytes: item.bytes });
            }
          }
          out.push(item);
          break;
        }
        default:
          out.push(item);
      }
    }
    return out;
  }

  /** These connections' documents went away: nothing more arrives for them. */
  forget(connectionIds: readonly string[]): void {
    for (const id of connectionIds) this.open.delete(id);
  }

  private fresh(format: 'sse' | 'ndjson', lastSeq: number, seqBase: number): OpenParser {
    return { format, tap: createStreamTap(format, this.limits()), lastSeq, seqBase, hole: false };
  }

  /**
   * After a hole (chunks the relay's buffer could not keep), a fresh parser starts at the next chunk:
   * the first event after the hole may be cut, but none is made of text from both sides of it.
   */
  private restart(parser: OpenParser): void {
    const next = this.fresh(parser.format, parser.lastSeq, parser.seqBase + parser.tap.recordCount);
    Object.assign(parser, next);
  }

  private feed(parser: OpenParser, out: StreamRecord[], records: readonly StreamRecord[]): void {
    for (const record of records) {
      if (parser.seqBase > 0) record.seq += parser.seqBase;
      out.push(record);
    }
  }
}
