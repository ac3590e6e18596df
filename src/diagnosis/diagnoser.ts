/**
 * The diagnosis of one connection: what is wrong with its stream, from its headers, its records and,
 * when known, the chunks the page read (most format problems are visible only in the raw text).
 * Incremental, so a live view can push every batch: each record and chunk is looked at once, and
 * the findings are derived from running counts.
 */
import { type ChunkScan, type ChunkScanner, createChunkScanner, type TextPlace } from '../chunks/chunk-scan';
import { createReassembler, END_MARKERS, type LlmMessage } from '../llm';
import { parseEvent } from '../llm/json';
import type { ConnectionEnd, ConnectionInfo, StreamChunk, StreamRecord } from '../model';
import { streamFormatOf } from '../sse/media-type';
import type { Finding } from './types';

/** A chunk completing at least this many events after {@link BURST_GAP_MS} of silence is a burst. */
export const BURST_EVENTS = 5;
/** Silence before a burst, in ms. */
export const BURST_GAP_MS = 1000;
/** Buffered delivery: at least this share of the events arrived in bursts… */
export const BURST_SHARE = 0.5;
/** …of a stream of at least this many events. */
export const BURST_MIN_EVENTS = 5;
/**
 * Without chunks, records read within this many ms of each other count as one read (an EventSource
 * dispatches a network chunk's events one by one, each stamped when dispatched).
 */
export const SAME_READ_MS = 4;
/** Silence at least this long (ms) is longer than common proxy idle timeouts. */
export const IDLE_MS = 30_000;
/** A `retry` below this (ms) makes every client of a failing server reconnect in a storm. */
export const LOW_RETRY_MS = 1000;
/** An EventSource reconnecting at least this many times keeps reconnecting. */
export const RECONNECTS = 3;

/** What the diagnosis of one connection reads. */
export interface DiagnosisInput {
  info: ConnectionInfo;
  records: readonly StreamRecord[];
  end: ConnectionEnd | null;
  /** The chunks the page read; absent when not known (EventSource, a capture without chunks). */
  chunks?: readonly StreamChunk[];
}

/** Diagnoses one connection, fed as it grows. */
export interface Diagnoser {
  /** Takes records and chunks not seen yet (by `seq`); the arrays may be the same growing ones. */
  push(records: readonly StreamRecord[], chunks?: readonly StreamChunk[]): void;
  /** The findings for what was pushed, with the connection's current info and end. */
  findings(info: ConnectionInfo, end: ConnectionEnd | null): Finding[];
  /** The chunk scan, once a chunk was pushed (the chunk view shows it). */
  readonly scan: ChunkScan | null;
  /** The LLM message the records carry, if any. */
  readonly message: LlmMessage | null;
}

interface Read {
  time: number;
  events: number;
  chunkSeq: number | null;
}

interface Burst {
  time: number;
  events: number;
  gapMs: number;
  chunkSeq: number | null;
}

interface TypeJson {
  json: number;
  other: number;
  firstOther: { seq: number; data: string }[];
}

const SSE_FIELD_LINE = /^(?:data|event|id|retry)?:/;
const COMPRESSED = /\b(gzip|br|deflate|zstd|compress)\b/i;
const LOOPBACK_HOST = /^(localhost|127(?:\.\d+){3}|\[::1\]|.+\.localhost)$/i;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const where = (place: TextPlace) => `line ${place.line} (chunk ${place.chunkSeq})`;
const quote = (text: string, max = 60) => JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

/** The known field a typo most likely meant (`date` → `data`), by edit distance ≤ 2. */
export function meantField(name: string): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const field of ['data', 'event', 'id', 'retry']) {
    const distance = editDistance(name.toLowerCase(), field);
    if (distance < bestDistance) {
      best = field;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 3;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** A header value by lower-case name, or undefined. */
const header = (info: ConnectionInfo, name: string): string | undefined => info.responseHeaders[name];

export function createDiagnoser(initial: ConnectionInfo): Diagnoser {
  const eventSource = initial.transport === 'eventsource';
  let scanner: ChunkScanner | null = null;
  const reassembler = createReassembler();
  let lastRecordSeq = 0;
  let lastChunkSeq = 0;
  // Where the growing arrays were read to, so a push reads only what was added.
  let recordIndex = 0;
  let chunkIndex = 0;
  let scannedChunks = 0;

  // Reads (chunks, or groups of records read at once) and what they tell about delivery.
  const reads: { last: Read | null; count: number } = { last: null, count: 0 };
  let totalEvents = 0;
  let burstEvents = 0;
  const bursts: Burst[] = [];
  let burstCount = 0;
  let longestSilence = { gapMs: 0, from: 0, to: 0 };
  let recordReadOpen: Read | null = null; // the last group of records, while no chunks are known

  let comments = 0;
  let lowestRetry: { value: number; seq: number } | null = null;
  let reconnects = 0;
  let attemptsWithoutEvents = 0;
  let eventsThisAttempt = 0;
  let firstReconnectTime: number | null = null;
  let lastReconnectTime: number | null = null;
  const jsonByType = new Map<string, TypeJson>();
  // NDJSON connections: lines, and lines that are event-stream fields.
  let lines = 0;
  let sseFieldLines = 0;

  function closeRead(read: Read, previousTime: number): void {
    const gapMs = read.time - previousTime;
    if (gapMs > longestSilence.gapMs) longestSilence = { gapMs, from: previousTime, to: read.time };
    totalEvents += read.events;
    if (read.events >= BURST_EVENTS && gapMs >= BURST_GAP_MS) {
      burstEvents += read.events;
      burstCount++;
      if (bursts.length < 5)
        bursts.push({ time: read.time, events: read.events, gapMs, chunkSeq: read.chunkSeq });
    }
    reads.last = read;
    reads.count++;
  }

  function takeRecord(record: StreamRecord): void {
    switch (record.kind) {
      case 'comment':
        comments++;
        break;
      case 'retry':
        if (
          record.retry !== undefined &&
          record.retry < LOW_RETRY_MS &&
          (!lowestRetry || record.retry < lowestRetry.value)
        )
          lowestRetry = { value: record.retry, seq: record.seq };
        break;
      case 'error':
        if (record.data === 'reconnecting') {
          reconnects++;
          if (eventsThisAttempt === 0) attemptsWithoutEvents++;
          eventsThisAttempt = 0;
          firstReconnectTime ??= record.time;
          lastReconnectTime = record.time;
        }
        break;
      case 'event': {
        eventsThisAttempt++;
        if (initial.format === 'ndjson') {
          lines++;
          if (SSE_FIELD_LINE.test(record.data)) sseFieldLines++;
        }
        if (record.truncatedFrom !== undefined) break;
        const parsed = parseEvent(record);
        if (parsed.kind === 'done' || parsed.kind === 'empty') break;
        // `event: error` with plain text is an error message, not broken JSON (as in src/llm).
        if (parsed.kind === 'text' && record.type === 'error') break;
        let counts = jsonByType.get(record.type);
        if (!counts) {
          counts = { json: 0, other: 0, firstOther: [] };
          jsonByType.set(record.type, counts);
        }
        if (parsed.kind === 'json') counts.json++;
        else {
          counts.other++;
          if (counts.firstOther.length < 3) counts.firstOther.push({ seq: record.seq, data: record.data });
        }
        break;
      }
      case 'open':
        break;
    }
  }

  /** Records grouped into reads, for connections whose chunks are unknown. */
  function takeRecordRead(record: StreamRecord): void {
    // Comments and retry values are bytes read too (a heartbeat breaks a silence); open and error
    // records of an EventSource are not.
    if (record.kind === 'open' || record.kind === 'error') return;
    const events = record.kind === 'event' ? 1 : 0;
    if (recordReadOpen && record.time - recordReadOpen.time <= SAME_READ_MS) {
      recordReadOpen.events += events;
      return;
    }
    if (recordReadOpen) closeRead(recordReadOpen, reads.last?.time ?? initial.headersAt);
    recordReadOpen = { time: record.time, events, chunkSeq: null };
  }

  return {
    get scan() {
      return scanner?.scan ?? null;
    },
    get message() {
      return reassembler.snapshot();
    },
    push(records, chunks) {
      const fromRecord = resumeAt(records, recordIndex, lastRecordSeq);
      for (let i = fromRecord; i < records.length; i++) {
        const record = records[i] as StreamRecord;
        if (record.seq <= lastRecordSeq) continue;
        lastRecordSeq = record.seq;
        takeRecord(record);
        if (!scanner) takeRecordRead(record);
      }
      if (fromRecord < records.length)
        reassembler.push(fromRecord === 0 ? records : records.slice(fromRecord));
      recordIndex = records.length;
      if (!chunks || chunks.length === 0 || eventSource) return;
      if (!scanner) {
        scanner = createChunkScanner(initial.format);
        // Reads from records so far are superseded by the chunks.
        reads.last = null;
        reads.count = 0;
        totalEvents = 0;
        burstEvents = 0;
        burstCount = 0;
        bursts.length = 0;
        longestSilence = { gapMs: 0, from: 0, to: 0 };
        recordReadOpen = null;
      }
      for (let i = resumeAt(chunks, chunkIndex, lastChunkSeq); i < chunks.length; i++) {
        const chunk = chunks[i] as StreamChunk;
        if (chunk.seq <= lastChunkSeq) continue;
        lastChunkSeq = chunk.seq;
        scanner.push([chunk]);
      }
      chunkIndex = chunks.length;
      const summaries = scanner.scan.chunks;
      for (; scannedChunks < summaries.length; scannedChunks++) {
        const summary = summaries[scannedChunks];
        if (!summary) break;
        closeRead(
          { time: summary.time, events: summary.events, chunkSeq: summary.seq },
          reads.last?.time ?? initial.headersAt,
        );
      }
    },
    findings(info, end) {
      if (end && scanner && !scanner.scan.ended) scanner.end(end.state === 'completed');
      const out: Finding[] = [];
      const scan = scanner?.scan ?? null;
      // Delivery figures including the group of records still open.
      let total = totalEvents;
      let inBursts = burstEvents;
      let burstList = bursts;
      let burstReads = burstCount;
      let silence = longestSilence;
      if (recordReadOpen) {
        const open = recordReadOpen;
        const gapMs = open.time - (reads.last?.time ?? info.headersAt);
        total += open.events;
        if (gapMs > silence.gapMs) silence = { gapMs, from: open.time - gapMs, to: open.time };
        if (open.events >= BURST_EVENTS && gapMs >= BURST_GAP_MS) {
          inBursts += open.events;
          burstReads++;
          if (burstList.length < 5)
            burstList = [...burstList, { time: open.time, events: open.events, gapMs, chunkSeq: null }];
        }
      }
      const lastReadTime = recordReadOpen?.time ?? reads.last?.time ?? null;
      if (end && lastReadTime !== null && end.endedAt - lastReadTime > silence.gapMs)
        silence = { gapMs: end.endedAt - lastReadTime, from: lastReadTime, to: end.endedAt };

      const crossOrigin =
        originOf(info.url) !== originOf(info.frameUrl.replace(/^about:\w+ \((.*)\)$/, '$1'));
      const headersSeen = !eventSource;

      // Buffered delivery.
      if (total >= BURST_MIN_EVENTS && inBursts >= BURST_SHARE * total && inBursts > 0) {
        const causes: string[] = [];
        const encoding = header(info, 'content-encoding');
        if (encoding && COMPRESSED.test(encoding))
          causes.push(
            `The response is compressed (Content-Encoding: ${encoding}): the compressor holds events until its buffer fills.`,
          );
        else if (headersSeen && crossOrigin && encoding === undefined)
          causes.push(
            'Content-Encoding is not visible to the page for this cross-origin response (Access-Control-Expose-Headers does not list it): compression may hold events back.',
          );
        if (headersSeen && header(info, 'x-accel-buffering')?.trim().toLowerCase() !== 'no')
          causes.push('The response has no X-Accel-Buffering: no, so a proxy such as nginx may buffer it.');
        const host = (() => {
          try {
            return new URL(info.url).hostname;
          } catch {
            return '';
          }
        })();
        if (LOOPBACK_HOST.test(host))
          causes.push(
            'It comes from a local server: a development server or its proxy (webpack-dev-server, Vite, Next.js rewrites) may compress or buffer it.',
          );
        causes.push('Or the page’s main thread was busy and read several network chunks at once.');
        out.push({
          code: 'buffered-delivery',
          severity: 'warning',
          message: `Events arrive held back and released in bursts: ${inBursts} of ${total} events came in ${burstReads} ${burstReads === 1 ? 'read' : 'reads'} of ${BURST_EVENTS} or more after at least ${seconds(BURST_GAP_MS)} of silence.`,
          evidence: [
            ...burstList.map(
              (burst) =>
                `${burst.chunkSeq === null ? 'A read' : `Chunk ${burst.chunkSeq}`} at +${seconds(burst.time - info.startedAt)} completed ${burst.events} events after ${seconds(burst.gapMs)} of silence.`,
            ),
            ...causes.map((cause) => `Likely cause: ${cause}`),
          ],
          fix: 'Send each event as soon as it is written: turn off compression for text/event-stream (or flush the compressor after each event), send X-Accel-Buffering: no and turn off proxy buffering (nginx proxy_buffering off), and do not stream through a dev server proxy that buffers.',
        });
      }

      // Headers (not visible for an EventSource).
      if (headersSeen) {
        const contentType = header(info, 'content-type');
        // Line-delimited JSON whose lines are mostly event-stream fields is SSE under a wrong type.
        const sseInNdjson = info.format === 'ndjson' && lines > 1 && sseFieldLines >= 0.8 * lines;
        if ((info.format === 'sse' && streamFormatOf(contentType) !== 'sse') || sseInNdjson) {
          out.push({
            code: 'content-type-not-event-stream',
            severity: 'error',
            message: `The body is an event stream but its Content-Type is ${contentType === undefined ? 'missing' : quote(contentType)}: EventSource refuses it, and clients that pick their parser by this header read it wrong.`,
            evidence: [
              `Content-Type: ${contentType ?? '(none)'}`,
              ...(sseInNdjson
                ? ['Its lines are event-stream fields (data:, event:, id:) separated by blank lines.']
                : []),
            ],
            fix: 'Send Content-Type: text/event-stream.',
          });
        }
        const charset = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1] : undefined;
        if (charset && !/^utf-?8$/i.test(charset)) {
          out.push({
            code: 'charset-not-utf8',
            severity: 'warning',
            message: `The Content-Type names the charset ${charset}, but event streams are always UTF-8: EventSource ignores it, and a client that honours it decodes every non-ASCII character differently.`,
            evidence: [`Content-Type: ${contentType}`],
            fix: 'Encode the stream as UTF-8 and send Content-Type: text/event-stream (with charset=utf-8 or none).',
          });
        }
        const cacheControl = header(info, 'cache-control');
        if (!cacheControl || !/\bno-(cache|store)\b/i.test(cacheControl)) {
          out.push({
            code: 'no-cache-control',
            severity: 'info',
            message:
              'The response does not say Cache-Control: no-cache, so a cache or proxy between server and page may hold or store the stream.',
            evidence: [cacheControl ? `Cache-Control: ${cacheControl}` : 'No Cache-Control header.'],
            fix: 'Send Cache-Control: no-cache with event streams.',
          });
        }
      }

      // Format problems, from the raw text.
      if (scan && info.format === 'sse') {
        if (scan.unterminated && end?.state === 'completed') {
          out.push({
            code: 'unterminated-final-event',
            severity: 'warning',
            message:
              'The stream ended inside an event (no blank line after its last line): EventSource and spec-following parsers drop that event.',
            evidence: [
              `Its data begins ${quote(scan.unterminated.data)}, at ${where(scan.unterminated.place)}.`,
            ],
            fix: 'End every event with a blank line (\\n\\n), the last one too, before closing the response.',
          });
        }
        const endings = scan.lineEndings;
        const kinds = (endings.lf > 0 ? 1 : 0) + (endings.crlf > 0 ? 1 : 0) + (endings.cr > 0 ? 1 : 0);
        if (endings.cr > 0 && kinds === 1) {
          out.push({
            code: 'cr-line-endings',
            severity: 'warning',
            message:
              'Lines end with a lone CR: EventSource accepts it, but many hand-written and library parsers split only on LF and see one endless line.',
            evidence: [
              `${endings.cr} lines end in CR, from ${endings.firstCr ? where(endings.firstCr) : 'the start'}.`,
            ],
            fix: 'End lines with LF (\\n).',
          });
        } else if (kinds > 1) {
          const parts = [
            endings.lf > 0 &&
              `${endings.lf} LF${endings.firstLf ? ` (first at ${where(endings.firstLf)})` : ''}`,
            endings.crlf > 0 &&
              `${endings.crlf} CRLF${endings.firstCrlf ? ` (first at ${where(endings.firstCrlf)})` : ''}`,
            endings.cr > 0 &&
              `${endings.cr} CR${endings.firstCr ? ` (first at ${where(endings.firstCr)})` : ''}`,
          ].filter(Boolean);
          out.push({
            code: 'mixed-line-endings',
            severity: 'warning',
            message:
              'The stream mixes line endings: parsers that split on one kind (a "\\n\\n" search) miss event boundaries written with the other.',
            evidence: [`Line endings: ${parts.join(', ')}.`],
            fix: 'Use one line ending throughout, preferably LF; look for a layer that rewrites or adds its own.',
          });
        }
        if (scan.bomLines > 0 && scan.firstBom) {
          out.push({
            code: 'bom-inside-stream',
            severity: 'warning',
            message:
              'A byte order mark (U+FEFF) starts a line inside the stream: only one at the very start is dropped, so the field on that line is not recognised and is ignored.',
            evidence: [
              `${scan.bomLines} line${scan.bomLines === 1 ? '' : 's'} begin with U+FEFF, first at ${where(scan.firstBom)}.`,
            ],
            fix: 'Write the BOM at most once, before the first byte of the stream (or not at all); a layer that encodes each write separately adds one per chunk.',
          });
        }
        for (const field of scan.unknownFields) {
          const meant = meantField(field.name);
          out.push({
            code: 'unknown-field',
            severity: 'warning',
            message: `The field ${quote(field.name, 30)} is not an event-stream field, so every client ignores its lines${meant ? `; ${quote(meant)} was probably meant` : ''}.`,
            evidence: [
              `${field.count} line${field.count === 1 ? '' : 's'}, first at ${where(field.first)}: ${quote(field.example, 80)}`,
            ],
            fix: `Use only data:, event:, id: and retry: (a comment starts with a colon)${meant ? `; write ${meant}: instead of ${field.name}:` : ''}.`,
          });
        }
        if (scan.invalidRetries.length > 0) {
          out.push({
            code: 'invalid-retry',
            severity: 'warning',
            message:
              'A retry: value is not a whole number of milliseconds, so clients ignore it and keep their default reconnection delay.',
            evidence: scan.invalidRetries
              .slice(0, 3)
              .map((retry) => `retry: ${quote(retry.value, 30)} at ${where(retry.place)}`),
            fix: 'Send retry: with ASCII digits only, in milliseconds (retry: 5000).',
          });
        }
        if (scan.nulIds > 0 && scan.firstNulId) {
          out.push({
            code: 'id-with-nul',
            severity: 'warning',
            message:
              'An id: value contains NUL, so clients ignore it: the last event ID does not change, and a reconnect resumes from an older event.',
            evidence: [
              `${scan.nulIds} id: line${scan.nulIds === 1 ? '' : 's'}, first at ${where(scan.firstNulId)}.`,
            ],
            fix: 'Use ids without NUL (U+0000) characters.',
          });
        }
      }
      if (lowestRetry) {
        out.push({
          code: 'low-retry',
          severity: 'warning',
          message: `The stream sets retry: ${lowestRetry.value}: when the server fails, every client reconnects after ${lowestRetry.value} ms, a storm that keeps a struggling server down.`,
          evidence: [`retry: ${lowestRetry.value} (record #${lowestRetry.seq}).`],
          fix: `Use a reconnection time of a few seconds (retry: 3000 or more), with jitter on the server side when many clients connect.`,
        });
      }

      // Non-JSON data among JSON events of the same type.
      for (const [type, counts] of jsonByType) {
        if (counts.other === 0 || counts.json < 2 || counts.json < counts.other) continue;
        out.push({
          code: 'non-json-data',
          severity: 'warning',
          message: `${counts.other} ${quote(type, 30)} event${counts.other === 1 ? ' has' : 's have'} data that is not JSON, while ${counts.json} others of the type are: a client that parses every event's data as JSON throws on ${counts.other === 1 ? 'it' : 'them'}.`,
          evidence: counts.firstOther.map((event) => `Event #${event.seq}: ${quote(event.data)}`),
          fix: 'Send JSON in every event of the type, or give the other events their own event: type (a heartbeat is better sent as a comment).',
        });
      }

      // Connection problems.
      if (
        eventSource &&
        reconnects >= RECONNECTS &&
        firstReconnectTime !== null &&
        lastReconnectTime !== null
      ) {
        const every = reconnects > 1 ? (lastReconnectTime - firstReconnectTime) / (reconnects - 1) : 0;
        out.push({
          code: 'eventsource-reconnecting',
          severity: 'warning',
          message: `The EventSource keeps reconnecting: ${reconnects} times${every > 0 ? `, about every ${seconds(every)}` : ''}; each time the server ends the response (or fails), the browser opens a new request.`,
          evidence: [
            `${reconnects + 1} connection attempts${attemptsWithoutEvents > 0 ? `, ${attemptsWithoutEvents} of them without any event` : ''}.`,
          ],
          fix: 'Keep the response open instead of ending it after each event (a server or function timeout cuts it too); if the server means to poll, use fetch on an interval; make it answer 204 to stop the client.',
        });
      }
      if (!eventSource && silence.gapMs >= IDLE_MS) {
        out.push({
          code: 'idle-without-heartbeat',
          severity: 'warning',
          message: `The stream was silent for ${seconds(silence.gapMs)}${comments > 0 ? ' although it sends comments, too rarely' : ' with no heartbeat comments'}: proxies and load balancers close connections idle that long (nginx and AWS ALB after 60 s, Heroku 55 s, Cloudflare 100 s, some 30 s).`,
          evidence: [
            `No byte from +${seconds(silence.from - info.startedAt)} to +${seconds(silence.to - info.startedAt)}.`,
            `${comments} comment line${comments === 1 ? '' : 's'} in the stream.`,
          ],
          fix: 'Send a comment line (": ping") every 15 s or so while there is nothing else to send.',
        });
      }

      // Truncated LLM stream (the Message view flags it too).
      const message = reassembler.snapshot();
      // An error event the provider sent says why it ended; the Message view shows it.
      if (message && end && !message.terminated && message.errors.length === 0) {
        const pageStopped = end.state === 'cancelled' || end.state === 'aborted';
        out.push({
          code: 'llm-truncated',
          severity: pageStopped ? 'info' : 'warning',
          message: `The ${message.shape} stream ended (${end.state}) without its end marker ${END_MARKERS[message.shape]}: the answer is cut short${pageStopped ? ', because the page stopped reading (a Stop button?)' : ''}.`,
          evidence: [
            `State ${end.state}${end.error ? `: ${end.error}` : ''}; finish reason ${message.finishReason ?? 'none'}.`,
          ],
          fix: pageStopped
            ? 'Nothing to fix if the user stopped the answer.'
            : 'Look for what cut the stream: a proxy or function timeout, a server error after the headers, a network failure.',
        });
      }
      return out;
    },
  };
}

/**
 * Where to go on reading a growing array pushed again: at `index` when the item before it is the
 * last one taken (the same array, appended to), else from the start (the seqs skip what was taken).
 */
function resumeAt(items: readonly { seq: number }[], index: number, lastSeq: number): number {
  return index > 0 && index <= items.length && items[index - 1]?.seq === lastSeq ? index : 0;
}

/** Diagnoses a whole connection at once. */
export function diagnose(input: DiagnosisInput): Finding[] {
  const diagnoser = createDiagnoser(input.info);
  diagnoser.push(input.records, input.chunks);
  return diagnoser.findings(input.info, input.end);
}
