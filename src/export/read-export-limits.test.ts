/**
 * Hostile and odd import files (issue 7, "Bad input"): the reader never throws, keeps to
 * `IMPORT_LIMITS` at their exact edges, and treats keys like `__proto__` as data.
 */
import { describe, expect, it } from 'vitest';
import { createRandom, pick, randomInt } from '../sse/test-support';
import { IMPORT_LIMITS, type ImportResult, readExportText } from './read-export';
import { buildExportFile } from './write-export';

const read = (text: string): ImportResult => readExportText(text, new TextEncoder().encode(text).length);

const connection = (id: string, events: unknown[] = []) => ({
  id,
  transport: 'fetch',
  format: 'sse',
  url: 'https://a.example/',
  method: 'GET',
  requestHeaders: {},
  requestBody: null,
  status: 200,
  statusText: 'OK',
  responseHeaders: {},
  frameUrl: 'https://a.example/',
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: null,
  state: 'open',
  error: null,
  bytes: 0,
  events,
});
const file = (connections: unknown[]) => ({
  version: 1,
  exportedAt: '2026-01-01T00:00:00.000Z',
  tool: { name: 'SSE DevTools', version: '0.1.0' },
  connections,
});
const event = { id: '', type: 'message', data: '', time: '2026-01-01T00:00:00.000Z', elapsedMs: 0 };

describe('import limits at their edges', () => {
  it(`loads exactly ${IMPORT_LIMITS.maxConnections} connections and refuses one more`, () => {
    const connections = Array.from({ length: IMPORT_LIMITS.maxConnections }, (_, i) => connection(`c:${i}`));
    const atLimit = read(JSON.stringify(file(connections)));
    expect(atLimit.ok && atLimit.connections.length).toBe(IMPORT_LIMITS.maxConnections);
    connections.push(connection('c:extra'));
    expect(read(JSON.stringify(file(connections)))).toMatchObject({
      ok: false,
      problem: { reason: 'too-many', what: 'connections' },
    });
  });

  it(`loads exactly ${IMPORT_LIMITS.maxRecords} events and refuses one more`, () => {
    const events = new Array(IMPORT_LIMITS.maxRecords).fill(event);
    const atLimit = read(JSON.stringify(file([connection('a', events)])));
    expect(atLimit.ok && atLimit.connections[0]?.records.length).toBe(IMPORT_LIMITS.maxRecords);
    const over = read(JSON.stringify(file([connection('a', events), connection('b', [event])])));
    expect(over).toMatchObject({ ok: false, problem: { reason: 'too-many', what: 'records' } });
    // Half a million records take seconds to validate on a loaded machine.
  }, 60_000);

  it('refuses by size alone: a file one byte over the limit is not parsed', () => {
    expect(readExportText('{', IMPORT_LIMITS.maxBytes + 1)).toMatchObject({
      ok: false,
      problem: { reason: 'too-large' },
    });
    expect(readExportText('{', IMPORT_LIMITS.maxBytes)).toMatchObject({
      ok: false,
      problem: { reason: 'not-json' },
    });
  });
});

describe('odd and hostile content', () => {
  it('JSON nested 100 000 deep is foreign, not a crash', () => {
    expect(read(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toEqual({
      ok: false,
      problem: { reason: 'foreign' },
    });
    expect(read(`{"version":1,"connections":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`)).toMatchObject({
      ok: false,
      problem: { reason: 'invalid' },
    });
  });

  it('__proto__ and constructor keys pollute nothing', () => {
    const text = JSON.stringify(file([connection('a', [event])])).replace(
      '"requestHeaders":{}',
      '"requestHeaders":{"__proto__":"x","constructor":"y"}',
    );
    const result = read(text.replace('"version":1', '"__proto__":{"polluted":true},"version":1'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const headers = result.connections[0]?.info.requestHeaders ?? {};
    // A header named `__proto__` is not kept (as in live capture); it never becomes a prototype.
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(headers, 'constructor')?.value).toBe('y');
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('never throws on a valid export cut, spliced or corrupted at random', () => {
    const valid = JSON.stringify(
      buildExportFile(
        [
          {
            info: {
              id: 'x:1',
              transport: 'xhr',
              format: 'sse',
              url: 'https://a.example/s',
              method: 'POST',
              requestHeaders: { a: 'b' },
              requestBody: '{"q":1}',
              status: 200,
              statusText: 'OK',
              responseHeaders: {},
              frameUrl: 'https://a.example/',
              startedAt: 1_700_000_000_000,
              headersAt: 1_700_000_000_000,
            },
            records: [
              { seq: 1, kind: 'event', id: '1', type: 'message', data: '{"t":"é"}', time: 1_700_000_000_001 },
            ],
            bytes: 20,
            end: null,
          },
        ],
        { tool: { name: 'SSE DevTools', version: '0.1.0' } },
      ),
    );
    const random = createRandom(0x1e7);
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      'null',
      '1e999',
      '-0',
      'true',
      '"__proto__"',
      '\\u0000',
      ' ',
    ];
    for (let i = 0; i < 3000; i++) {
      let text = valid;
      for (let n = randomInt(random, 4) + 1; n > 0; n--) {
        const at = randomInt(random, text.length);
        const r = random();
        if (r < 0.3) text = text.slice(0, at);
        else if (r < 0.7) text = text.slice(0, at) + pick(random, pieces) + text.slice(at);
        else text = text.slice(0, at) + text.slice(at + randomInt(random, 20));
      }
      const result = read(text);
      if (!result.ok)
        expect(result.problem.reason, text).toMatch(/^(not-json|foreign|unsupported-version|invalid)$/);
    }
  });
});
