/**
 * Differential test against `eventsource-parser` on generated streams: both must dispatch the same
 * events (type, data), comments and retry values in the same order. The ids are compared too,
 * except on streams with an `id:` in a block without data: there eventsource-parser knowingly
 * differs (it forgets the id at the blank line; the spec and Chromium keep it), see the last test.
 */
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { createStreamTap } from './stream-tap';
import {
  createRandom,
  pick,
  randomInt,
  splitRandomly,
  splitStringRandomly,
  tapAll,
  timelineProblem,
} from './test-support';

const enc = new TextEncoder();

/** A timeline entry both parsers can produce; `id` is the last event ID, for events only. */
type Entry =
  | { kind: 'event'; type: string; data: string; id: string }
  | { kind: 'comment'; text: string }
  | { kind: 'retry'; value: number };

const VALUE_PIECES = ['a', 'b', 'x y', ' ', '  ', ':', ': ', 'é', '😀', '漢字', '\0', '\t', 'data:', '1'];
const TERMINATORS = ['\n', '\r', '\r\n'];

function randomValue(random: () => number): string {
  let value = '';
  const n = randomInt(random, 5);
  for (let i = 0; i < n; i++) value += pick(random, VALUE_PIECES);
  return value;
}

/**
 * A random stream: blocks of random field lines, each line ended by LF, CR or CRLF, blocks ended
 * by a blank line, sometimes extra blank lines and an unterminated last block.
 * With `idOnlyWithData`, `id` lines appear only in blocks that also have a data line, so the two
 * parsers must agree on ids too. (Merging of a bare CR with a following LF can only join blocks,
 * so a block with an `id` still has data after the merge.)
 */
function randomStream(random: () => number, idOnlyWithData: boolean): string {
  let text = '';
  const blocks = 1 + randomInt(random, 12);
  for (let b = 0; b < blocks; b++) {
    const lines: string[] = [];
    let hasData = false;
    const lineCount = randomInt(random, 6);
    for (let l = 0; l < lineCount; l++) {
      const r = random();
      if (r < 0.35) {
        hasData = true;
        lines.push(pick(random, ['data: ', 'data:', 'data:  ']) + randomValue(random));
      } else if (r < 0.4) {
        hasData = true;
        lines.push('data');
      } else if (r < 0.5) {
        lines.push(
          random() < 0.2
            ? pick(random, ['event', 'event:'])
            : `event: ${pick(random, ['a', 'b', 'ping', 'é'])}`,
        );
      } else if (r < 0.62) {
        lines.push(pick(random, ['id: ', 'id:', 'id']) + (random() < 0.1 ? 'bad\0id' : randomValue(random)));
      } else if (r < 0.72) {
        lines.push(
          pick(random, ['retry: ', 'retry:']) +
            (random() < 0.6
              ? String(randomInt(random, 100000))
              : pick(random, ['1a', '', ' 5', '-1', '2.5'])),
        );
      } else if (r < 0.85) {
        lines.push(`:${randomValue(random)}`);
      } else {
        lines.push(pick(random, ['foo: bar', 'foo', 'Data: x', ' data: y', 'dat: z']));
      }
    }
    if (idOnlyWithData && !hasData) {
      for (let l = 0; l < lines.length; l++) {
        if ((lines[l] ?? '').startsWith('id')) lines[l] = ': no id here';
      }
    }
    for (const line of lines) text += line + pick(random, TERMINATORS);
    const last = b === blocks - 1;
    if (!last || random() < 0.7) {
      text += pick(random, TERMINATORS);
      while (random() < 0.15) text += pick(random, TERMINATORS);
    }
  }
  // eventsource-parser waits for the character after a final CR (it may be a CRLF) and never
  // gets one; end such streams with a LF, which makes the CR a CRLF and changes nothing for us.
  if (text.endsWith('\r')) text += '\n';
  return text;
}

function ours(text: string, random: () => number): Entry[] {
  const records = tapAll('sse', splitRandomly(enc.encode(text), random));
  expect(timelineProblem(records)).toBeNull();
  return records.map((r): Entry => {
    if (r.kind === 'event') return { kind: 'event', type: r.type, data: r.data, id: r.id };
    if (r.kind === 'comment') return { kind: 'comment', text: r.data };
    return { kind: 'retry', value: r.retry ?? Number.NaN };
  });
}

function theirs(text: string, random: () => number): Entry[] {
  const entries: Entry[] = [];
  // eventsource-parser's event.id is the id set in this block, if any; the last event ID is
  // the last one it reported.
  let lastEventId = '';
  const parser = createParser({
    onEvent(event) {
      if (event.id !== undefined) lastEventId = event.id;
      entries.push({ kind: 'event', type: event.event ?? 'message', data: event.data, id: lastEventId });
    },
    onComment(text) {
      entries.push({ kind: 'comment', text });
    },
    onRetry(value) {
      entries.push({ kind: 'retry', value });
    },
  });
  for (const chunk of splitStringRandomly(text, random)) parser.feed(chunk);
  return entries;
}

const withoutIds = (entries: Entry[]) => entries.map((e) => (e.kind === 'event' ? { ...e, id: null } : e));

describe('differential: eventsource-parser', () => {
  it('agrees on events, ids, comments and retries when every id comes with data', () => {
    const random = createRandom(20240601);
    let events = 0;
    for (let i = 0; i < 400; i++) {
      const text = randomStream(random, true);
      const expected = theirs(text, random);
      expect(ours(text, random), JSON.stringify(text)).toEqual(expected);
      events += expected.filter((e) => e.kind === 'event').length;
    }
    expect(events).toBeGreaterThan(500); // the generator really produces events
  });

  it('agrees on everything but ids on any stream', () => {
    const random = createRandom(77);
    let idLessBlocks = 0;
    for (let i = 0; i < 400; i++) {
      const text = randomStream(random, false);
      const expected = theirs(text, random);
      const actual = ours(text, random);
      expect(withoutIds(actual), JSON.stringify(text)).toEqual(withoutIds(expected));
      if (JSON.stringify(actual) !== JSON.stringify(expected)) idLessBlocks++;
    }
    expect(idLessBlocks).toBeGreaterThan(0); // the generator does reach the known difference
  });

  it('known difference: an id in a block without data is kept for later events (spec, Chromium)', () => {
    const text = 'id: 7\n\ndata: a\n\nid: 8\n: no data here\n\ndata: b\n\n';
    const tap = createStreamTap('sse');
    const records = tap.push(enc.encode(text), 1);
    // OUR behaviour: the last event ID buffer survives the data-less dispatch.
    expect(records.filter((r) => r.kind === 'event').map((r) => [r.id, r.data])).toEqual([
      ['7', 'a'],
      ['8', 'b'],
    ]);
    // eventsource-parser reports neither id: it clears its id at every blank line.
    // Should this start failing, it now keeps the id, and the test above can compare ids always.
    const reported: (string | undefined)[] = [];
    const parser = createParser({ onEvent: (event) => reported.push(event.id) });
    parser.feed(text);
    expect(reported).toEqual([undefined, undefined]);
  });
});
