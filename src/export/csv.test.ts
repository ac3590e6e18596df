import { describe, expect, it } from 'vitest';
import type { ConnectionInfo, StreamRecord } from '../model';
import { CSV_COLUMNS, eventsToCsv } from './csv';

const info: ConnectionInfo = {
  id: 'c:1',
  transport: 'fetch',
  format: 'sse',
  url: 'https://api.example.com/v1/chat?a=1,2',
  method: 'POST',
  requestHeaders: {},
  requestBody: null,
  status: 200,
  statusText: 'OK',
  responseHeaders: {},
  frameUrl: 'https://app.example.com/',
  startedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
  headersAt: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
};
const at = (ms: number) => info.startedAt + ms;

/** A small RFC 4180 reader, to check that the writer's quoting round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('eventsToCsv', () => {
  it('writes a header and one row per record, quoting commas, quotes and line breaks', () => {
    const records: StreamRecord[] = [
      { seq: 1, kind: 'event', id: '1', type: 'message', data: '{"a":"x, \\"y\\""}', time: at(10.5) },
      { seq: 2, kind: 'comment', id: '1', type: '', data: 'ping', time: at(20) },
      {
        seq: 3,
        kind: 'event',
        id: '2',
        type: 'multi',
        data: 'line 1\nline 2',
        time: at(30),
        truncatedFrom: 99,
      },
    ];
    const csv = eventsToCsv([{ info, records, bytes: 0, end: null }]);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1)).toEqual([
      [
        'c:1',
        info.url,
        '1',
        'event',
        '1',
        'message',
        '2026-01-02T03:04:05.016Z',
        '10.5',
        '{"a":"x, \\"y\\""}',
        '',
      ],
      ['c:1', info.url, '2', 'comment', '1', '', '2026-01-02T03:04:05.026Z', '20', 'ping', ''],
      ['c:1', info.url, '3', 'event', '2', 'multi', '2026-01-02T03:04:05.036Z', '30', 'line 1\nline 2', '99'],
    ]);
  });

  it('keeps page data inert in a spreadsheet: formula-like cells get a leading quote', () => {
    const records: StreamRecord[] = [
      { seq: 1, kind: 'event', id: '', type: '=cmd', data: '=HYPERLINK("http://evil")', time: at(1) },
      { seq: 2, kind: 'event', id: '@x', type: 'message', data: '+1', time: at(2) },
    ];
    const rows = parseCsv(eventsToCsv([{ info, records, bytes: 0, end: null }]));
    expect(rows[1]?.slice(4, 9)).toEqual([
      '',
      "'=cmd",
      expect.any(String),
      '1',
      `'=HYPERLINK("http://evil")`,
    ]);
    expect(rows[2]?.[4]).toBe("'@x");
    expect(rows[2]?.[8]).toBe("'+1");
  });

  it('leaves time and elapsed empty for a connection whose read times a file did not hold', () => {
    const records: StreamRecord[] = [
      { seq: 1, kind: 'event', id: '', type: 'message', data: 'x', time: at(0) },
    ];
    const rows = parseCsv(
      eventsToCsv([{ info: { ...info, timesUnknown: true }, records, bytes: 0, end: null }]),
    );
    expect(rows[1]?.slice(6, 8)).toEqual(['', '']);
  });

  it('writes only the header for no records', () => {
    expect(eventsToCsv([])).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });
});

describe('eventsToCsv and secrets', () => {
  it('redacts secret URL parameters unless asked to include them', () => {
    const secret = { ...info, url: 'https://g.example.com/s?alt=sse&key=AIza-1' };
    const record: StreamRecord = { seq: 1, kind: 'event', id: '', type: 'message', data: 'x', time: at(1) };
    const connection = { info: secret, records: [record], bytes: 1, end: null };
    expect(eventsToCsv([connection])).toContain('https://g.example.com/s?alt=sse&key=[redacted]');
    expect(eventsToCsv([connection])).not.toContain('AIza');
    expect(eventsToCsv([connection], true)).toContain('key=AIza-1');
  });
});
