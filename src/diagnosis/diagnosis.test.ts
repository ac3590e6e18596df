import { describe, expect, it } from 'vitest';
import { chunksOf } from '../chunks/test-support';
import { connectionToStreamText } from '../export/sse-text';
import { ALL_FIXTURES } from '../llm/test-support';
import type { ConnectionEnd, ConnectionInfo, StreamChunk, StreamRecord } from '../model';
import { createEventStreamParser } from '../sse/event-stream-parser';
import { createNdjsonParser } from '../sse/ndjson-parser';
import { testInfo } from '../test-records';
import {
  createDiagnoser,
  type DiagnosisInput,
  type DiagnosticCode,
  diagnose,
  diagnoseAll,
  type Finding,
  meantField,
} from '.';

const WELL_FORMED_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

interface Options {
  headers?: Record<string, string>;
  end?: ConnectionEnd['state'] | null;
  /** Time of each chunk; default 100 ms apart. */
  times?: number[];
  info?: Partial<ConnectionInfo>;
}

/** A connection whose page read these chunks, its records parsed from them as the relay does. */
function connection(texts: string[], options: Options = {}): DiagnosisInput {
  const info = testInfo('c1', {
    responseHeaders: options.headers ?? WELL_FORMED_HEADERS,
    ...options.info,
  });
  const chunks: StreamChunk[] = chunksOf(texts).map((chunk, i) => ({
    ...chunk,
    time: options.times?.[i] ?? chunk.time,
  }));
  const parser = info.format === 'ndjson' ? createNdjsonParser() : createEventStreamParser();
  const records = chunks.flatMap((chunk) => parser.feed(chunk.text, chunk.time));
  const last = chunks.at(-1)?.time ?? info.startedAt;
  const state = options.end === undefined ? 'completed' : options.end;
  return {
    info,
    records,
    chunks,
    end: state === null ? null : { state, error: null, endedAt: last + 1 },
  };
}

const codes = (findings: Finding[]) => findings.map((f) => f.code);
const find = (findings: Finding[], code: DiagnosticCode) => findings.find((f) => f.code === code);

const events = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => `data: {"n":${from + i}}\n\n`).join('');

describe('diagnosis: one fixture per code', () => {
  it('buffered-delivery: many events per chunk after long silence, naming compression', () => {
    const input = connection([events(10), events(10, 11), events(10, 21)], {
      times: [3000, 5000, 7000],
      headers: { ...WELL_FORMED_HEADERS, 'content-encoding': 'gzip' },
    });
    const finding = find(diagnose(input), 'buffered-delivery');
    expect(finding?.severity).toBe('warning');
    expect(finding?.evidence.join('\n')).toMatch(/Content-Encoding: gzip/);
    expect(finding?.evidence[0]).toBe('Chunk 1 at +2.0 s completed 10 events after 2.0 s of silence.');
  });

  it('buffered-delivery: from records alone when the chunks are unknown (records read together share a time)', () => {
    const input = connection([events(10), events(10, 11)], { times: [3000, 5000] });
    expect(codes(diagnose({ ...input, chunks: undefined }))).toContain('buffered-delivery');
  });

  it('no buffered-delivery for events arriving one per chunk, or a burst holding few of them', () => {
    const steady = connection(
      Array.from({ length: 40 }, (_, i) => events(1, i)),
      {},
    );
    expect(codes(diagnose(steady))).not.toContain('buffered-delivery');
    const texts = [events(5), ...Array.from({ length: 20 }, (_, i) => events(1, i))];
    const mostlySteady = connection(texts, { times: texts.map((_, i) => 2000 + i * 100) });
    expect(codes(diagnose(mostlySteady))).not.toContain('buffered-delivery');
  });

  it('content-type-not-event-stream: an event stream served as NDJSON', () => {
    const input = connection(['data: {"a":1}\n\ndata: {"a":2}\n\n'], {
      headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' },
      info: { format: 'ndjson' },
    });
    expect(find(diagnose(input), 'content-type-not-event-stream')?.severity).toBe('error');
  });

  it('content-type-not-event-stream: a body parsed as SSE whose Content-Type says otherwise', () => {
    const input = connection(['data: a\n\n'], {
      headers: { 'content-type': 'text/plain', 'cache-control': 'no-cache' },
    });
    expect(codes(diagnose(input))).toContain('content-type-not-event-stream');
  });

  it('charset-not-utf8', () => {
    const input = connection(['data: a\n\n'], {
      headers: { 'content-type': 'text/event-stream; charset=ISO-8859-1', 'cache-control': 'no-cache' },
    });
    expect(find(diagnose(input), 'charset-not-utf8')?.message).toMatch(/ISO-8859-1/);
    const utf8 = connection(['data: a\n\n'], {
      headers: { 'content-type': 'text/event-stream; charset="utf-8"', 'cache-control': 'no-cache' },
    });
    expect(codes(diagnose(utf8))).not.toContain('charset-not-utf8');
  });

  it('no-cache-control (info), absent when no-cache or no-store is sent', () => {
    const input = connection(['data: a\n\n'], { headers: { 'content-type': 'text/event-stream' } });
    expect(find(diagnose(input), 'no-cache-control')?.severity).toBe('info');
    const noStore = connection(['data: a\n\n'], {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' },
    });
    expect(codes(diagnose(noStore))).not.toContain('no-cache-control');
  });

  it('unterminated-final-event, only when the body completed', () => {
    const texts = ['data: a\n\n', 'data: last'];
    expect(find(diagnose(connection(texts)), 'unterminated-final-event')?.evidence[0]).toMatch(/"last"/);
    expect(codes(diagnose(connection(texts, { end: 'cancelled' })))).not.toContain(
      'unterminated-final-event',
    );
    expect(codes(diagnose(connection(texts, { end: null })))).not.toContain('unterminated-final-event');
  });

  it('cr-line-endings', () => {
    expect(codes(diagnose(connection(['data: a\r\rdata: b\r\r'])))).toContain('cr-line-endings');
  });

  it('mixed-line-endings', () => {
    const findings = diagnose(connection(['data: a\r\n\r\n', 'data: b\n\n']));
    expect(codes(findings)).toContain('mixed-line-endings');
    expect(codes(findings)).not.toContain('cr-line-endings');
  });

  it('bom-inside-stream', () => {
    expect(codes(diagnose(connection(['data: a\n\n', '\ufeffdata: b\n\n'])))).toContain('bom-inside-stream');
  });

  it('unknown-field, with the field a typo meant', () => {
    const finding = find(diagnose(connection(['date: {"a":1}\n\ndata: {"a":2}\n\n'])), 'unknown-field');
    expect(finding?.message).toMatch(/"date".*"data" was probably meant/);
    expect(meantField('evnt')).toBe('event');
    expect(meantField('colour')).toBeNull();
  });

  it('invalid-retry', () => {
    expect(codes(diagnose(connection(['retry: 3s\ndata: a\n\n'])))).toContain('invalid-retry');
  });

  it('low-retry, also from the records alone', () => {
    const input = connection(['retry: 100\ndata: a\n\n']);
    expect(codes(diagnose(input))).toContain('low-retry');
    expect(codes(diagnose({ ...input, chunks: undefined }))).toContain('low-retry');
    expect(codes(diagnose(connection(['retry: 3000\ndata: a\n\n'])))).not.toContain('low-retry');
  });

  it('id-with-nul', () => {
    expect(codes(diagnose(connection(['id: 1\0\ndata: a\n\n'])))).toContain('id-with-nul');
  });

  it('non-json-data: plain text among JSON events of the same type, not [DONE], empty data or other types', () => {
    const findings = diagnose(
      connection([
        'data: {"a":1}\n\ndata: {"a":2}\n\ndata: oops\n\nevent: ping\ndata: hi\n\ndata: [DONE]\n\n',
      ]),
    );
    const finding = find(findings, 'non-json-data');
    expect(finding?.evidence).toEqual(['Event #3: "oops"']);
    expect(findings.filter((f) => f.code === 'non-json-data')).toHaveLength(1);
  });

  it('eventsource-reconnecting', () => {
    const records: StreamRecord[] = [];
    let seq = 0;
    for (let attempt = 1; attempt <= 4; attempt++) {
      const base = attempt * 1000;
      records.push({ seq: ++seq, kind: 'open', id: '', type: '', data: '', time: base, attempt });
      records.push({
        seq: ++seq,
        kind: 'event',
        id: '',
        type: 'message',
        data: 'x',
        time: base + 5,
        attempt,
      });
      records.push({
        seq: ++seq,
        kind: 'error',
        id: '',
        type: '',
        data: 'reconnecting',
        time: base + 10,
        attempt,
      });
    }
    const info = testInfo('es', { transport: 'eventsource', responseHeaders: {}, status: 0 });
    const finding = find(diagnose({ info, records, end: null }), 'eventsource-reconnecting');
    expect(finding?.message).toMatch(/4 times, about every 1\.0 s/);
  });

  it('idle-without-heartbeat: 30 s and more without a byte, also before the end', () => {
    expect(codes(diagnose(connection(['data: a\n\n', 'data: b\n\n'], { times: [1100, 32_000] })))).toContain(
      'idle-without-heartbeat',
    );
    const quiet = connection(['data: a\n\n'], { times: [1100], end: 'error' });
    expect(codes(diagnose({ ...quiet, end: { state: 'error', error: 'x', endedAt: 40_000 } }))).toContain(
      'idle-without-heartbeat',
    );
    const pinged = ['data: a\n\n', ': ping\n', ': ping\n', ': ping\n', 'data: b\n\n'];
    const times = [1100, 11_000, 21_000, 31_000, 41_000];
    const heartbeats = connection(pinged, { times });
    expect(codes(diagnose(heartbeats))).not.toContain('idle-without-heartbeat');
    // Without the chunks, the comment records break the silence as well.
    expect(codes(diagnose({ ...heartbeats, chunks: undefined }))).not.toContain('idle-without-heartbeat');
  });

  it('http1-connection-limit, and connection-limit-protocol-unknown when no entry gave the protocol', () => {
    const spans = (protocol?: string) =>
      Array.from({ length: 7 }, (_, i) =>
        connection(['data: a\n\n'], {
          info: { id: `s${i}`, startedAt: 1000 + i, ...(protocol && { nextHopProtocol: protocol }) },
          end: null,
        }),
      );
    const http1 = diagnoseAll(spans('http/1.1'));
    expect(codes(http1.get('s6') ?? [])).toContain('http1-connection-limit');
    expect(codes(diagnoseAll(spans()).get('s0') ?? [])).toContain('connection-limit-protocol-unknown');
    expect(codes(diagnoseAll(spans('h2')).get('s0') ?? [])).toEqual([]);
    expect(diagnoseAll(spans('http/1.1').slice(0, 6)).get('s0')).toEqual([]);
  });

  it('llm-truncated: a warning when the server cut it, info when the page stopped reading', () => {
    const body = [
      'data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n',
    ];
    expect(find(diagnose(connection(body)), 'llm-truncated')?.severity).toBe('warning');
    expect(find(diagnose(connection(body, { end: 'cancelled' })), 'llm-truncated')?.severity).toBe('info');
    expect(codes(diagnose(connection([...body, 'data: [DONE]\n\n'])))).not.toContain('llm-truncated');
  });
});

describe('diagnosis: no finding above info on well-formed streams', () => {
  const notAboveInfo = (findings: Finding[]) => findings.filter((f) => f.severity !== 'info');

  for (const [name, fixture] of Object.entries(ALL_FIXTURES)) {
    it(name, () => {
      const records = fixture();
      const info = testInfo(name, { responseHeaders: WELL_FORMED_HEADERS });
      // The stream as its server would send it, one event per chunk at the fixture's times.
      const chunks = records.map((record, i) => ({
        seq: i + 1,
        time: record.time,
        text: connectionToStreamText({ info, records: [record] }),
      }));
      const end: ConnectionEnd = {
        state: 'completed',
        error: null,
        endedAt: (records.at(-1)?.time ?? 0) + 5,
      };
      expect(notAboveInfo(diagnose({ info, records, chunks, end }))).toEqual([]);
      expect(notAboveInfo(diagnose({ info, records, end }))).toEqual([]);
    });
  }

  it('a steady stream with heartbeats, CRLF throughout, ids and retry', () => {
    const texts = Array.from({ length: 50 }, (_, i) =>
      i % 10 === 0 ? ': ping\r\n' : `id: ${i}\r\nevent: tick\r\ndata: {"i":${i}}\r\n\r\n`,
    );
    expect(notAboveInfo(diagnose(connection(['retry: 3000\r\n', ...texts])))).toEqual([]);
  });
});

describe('createDiagnoser', () => {
  it('gives the same findings fed batch by batch as at once', () => {
    const input = connection([events(10), events(10, 11), 'date: x\n\n', 'data: tail'], {
      times: [3000, 5000, 5100, 5200],
      headers: { 'content-type': 'text/event-stream' },
    });
    const diagnoser = createDiagnoser(input.info);
    const chunks = input.chunks ?? [];
    for (let i = 1; i <= chunks.length; i++) {
      const shown = chunks.slice(0, i);
      const time = shown.at(-1)?.time ?? 0;
      diagnoser.push(
        input.records.filter((r) => r.time <= time),
        shown,
      );
    }
    expect(diagnoser.findings(input.info, input.end)).toEqual(diagnose(input));
  });

  it('reads only what a growing array gained when given the same array again', () => {
    const input = connection([events(10), events(10, 11), 'date: x\n\n', 'data: tail'], {
      times: [3000, 5000, 5100, 5200],
    });
    const diagnoser = createDiagnoser(input.info);
    const records: StreamRecord[] = [];
    const chunks: StreamChunk[] = [];
    for (const chunk of input.chunks ?? []) {
      chunks.push(chunk);
      for (const record of input.records) if (record.time === chunk.time) records.push(record);
      diagnoser.push(records, chunks);
    }
    expect(diagnoser.findings(input.info, input.end)).toEqual(diagnose(input));
  });
});
