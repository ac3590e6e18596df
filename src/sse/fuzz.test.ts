/**
 * Seeded fuzz against a reference: random bytes and mutated valid SSE (NUL, CR, LF, stray and
 * invalid UTF-8 bytes inserted, bytes deleted or flipped), cut at random, give exactly the records a
 * line-by-line transcription of the spec's algorithm
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation)
 * makes of the whole body, and the tap never throws. stream-tap.fuzz.test.ts checks that any split
 * equals the whole; this checks that the whole is right.
 */
import { describe, expect, it } from 'vitest';
import { createRandom, pick, type Row, randomInt, rowsOf, splitRandomly, tapAll } from './test-support';

/**
 * The spec's interpretation of a decoded body, plus what the tap adds: comments (one leading space
 * dropped) and `retry:` values of ASCII digits, each stamped with the last event ID dispatched so far.
 */
function reference(text: string): Row[] {
  const rows: Row[] = [];
  let data = '';
  let hasData = false;
  let type = '';
  let idBuffer = '';
  let lastEventId = '';
  // Lines end at CRLF, LF or CR; an unterminated last line is never processed (discarded at the end).
  const lines = text.split(/\r\n|\n|\r/);
  lines.pop();
  for (const line of lines) {
    if (line === '') {
      lastEventId = idBuffer;
      if (hasData) rows.push(['event', lastEventId, type || 'message', data]);
      data = '';
      hasData = false;
      type = '';
      continue;
    }
    if (line.startsWith(':')) {
      rows.push(['comment', lastEventId, '', line.slice(line.startsWith(': ') ? 2 : 1)]);
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      data = hasData ? `${data}\n${value}` : value;
      hasData = true;
    } else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) idBuffer = value;
    else if (field === 'retry' && /^[0-9]+$/.test(value)) rows.push(['retry', lastEventId, '', value]);
  }
  return rows;
}

const enc = new TextEncoder();

/** A valid body: events, comments, ids, types and retries, with every kind of line ending. */
function validSse(random: () => number): string {
  let text = random() < 0.1 ? '\uFEFF' : '';
  const end = () => pick(random, ['\n', '\r', '\r\n']);
  for (let i = randomInt(random, 8) + 1; i > 0; i--) {
    if (random() < 0.3) text += `:${pick(random, [' ping', '', 'x:y', '  two'])}${end()}`;
    if (random() < 0.4) text += `id: ${pick(random, ['1', '', 'a b', 'é'])}${end()}`;
    if (random() < 0.3) text += `event: ${pick(random, ['delta', '', 'done', 'message'])}${end()}`;
    if (random() < 0.2)
      text += `retry: ${pick(random, ['0', '3000', '99999999999999999999', 'x1', ''])}${end()}`;
    for (let d = randomInt(random, 3); d > 0; d--) {
      text += `${pick(random, ['data: ', 'data:', 'data'])}${pick(random, ['{"t":"hé"}', 'x', '', ' lead', '漢😀'])}${end()}`;
    }
    text += end();
  }
  return text;
}

const STRAY_BYTES = [0x00, 0x0a, 0x0d, 0x3a, 0x20, 0xff, 0xfe, 0x80, 0xc3, 0xe2, 0xed, 0xf0, 0xc0];

/** A few insertions, deletions and flips. */
function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = [...bytes];
  for (let n = randomInt(random, 8) + 1; n > 0; n--) {
    const at = randomInt(random, out.length + 1);
    const r = random();
    if (r < 0.4) out.splice(at, 0, pick(random, STRAY_BYTES));
    else if (r < 0.7) out.splice(at, 1);
    else if (at < out.length) out[at] = randomInt(random, 256);
  }
  return Uint8Array.from(out);
}

describe('fuzz: the tap makes of any split what the spec makes of the whole body', () => {
  const cases: [label: string, make: (random: () => number) => Uint8Array][] = [
    ['valid SSE', (random) => enc.encode(validSse(random))],
    ['mutated SSE', (random) => mutate(enc.encode(validSse(random)), random)],
    [
      'random bytes',
      (random) => Uint8Array.from({ length: randomInt(random, 300) }, () => randomInt(random, 256)),
    ],
  ];
  for (const [index, [label, make]] of cases.entries()) {
    it(`${label}: 1500 bodies, each cut at random`, () => {
      const random = createRandom(0xfa22 + index);
      for (let i = 0; i < 1500; i++) {
        const bytes = make(random);
        const chunks = splitRandomly(bytes, random);
        const context = `bytes [${bytes.join(',')}] cut ${chunks.map((c) => c.length).join(',')}`;
        const expected = reference(new TextDecoder().decode(bytes));
        expect(rowsOf(tapAll('sse', chunks)), context).toEqual(expected);
      }
    });
  }
});

describe('malformed values', () => {
  it('a retry too large for a number is kept as text without a retry number; what follows is unaffected', () => {
    const huge = '9'.repeat(400);
    const records = tapAll('sse', [
      enc.encode(`retry: ${huge}\nretry: 99999999999999999999\n\ndata: after\n\n`),
    ]);
    expect(records.map((r) => [r.kind, r.data, r.retry])).toEqual([
      ['retry', huge, undefined],
      ['retry', '99999999999999999999', 1e20],
      ['event', 'after', undefined],
    ]);
    for (const record of records) expect(Object.values(record).every((v) => v !== Infinity)).toBe(true);
  });

  it('NUL bytes stay in data and types; an id with NUL is ignored', () => {
    const records = tapAll('sse', [enc.encode('id: ok\n\nid: a\0b\nevent: t\0\ndata: x\0y\n\n')]);
    expect(rowsOf(records)).toEqual([['event', 'ok', 't\0', 'x\0y']]);
  });

  it('invalid UTF-8 becomes U+FFFD, split anywhere', () => {
    const bytes = Uint8Array.from([...enc.encode('data: a'), 0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x0a, 0x0a]);
    const whole = rowsOf(tapAll('sse', [bytes]));
    expect(whole).toEqual([['event', '', 'message', 'a\uFFFD\uFFFD(\uFFFD\uFFFD\uFFFD']]);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(rowsOf(tapAll('sse', [bytes.subarray(0, cut), bytes.subarray(cut)]))).toEqual(whole);
    }
  });
});
