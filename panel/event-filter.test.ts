import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../src/model';
import { testRecords } from '../src/test-records';
import {
  filterKeyOf,
  filterRows,
  indexOfSeqIn,
  MAX_TYPES_LISTED,
  parseQuery,
  type RowFilter,
  rowAt,
  rowIndexAfterSeq,
  rowIndexOfSeq,
  typesSeen,
} from './event-filter';

const records = testRecords([
  ['event', 'message', '{"text":"Hello"}', '1'],
  ['comment', '', 'ping'],
  ['event', 'token', '{"text":"WORLD"}', '2'],
  ['event', 'done', '[DONE]', 'hello-id'],
  ['retry', '', '3000'],
]);

function filterOf(query: string, type: string | null = null): RowFilter {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(parsed.error);
  return { matcher: parsed.matcher, type };
}

const seqsOf = (rows: ReturnType<typeof filterRows>) =>
  Array.from({ length: rows.length }, (_, i) => rowAt(rows, i)?.seq);

describe('parseQuery', () => {
  it('treats plain text as a case-insensitive substring of type, id or data', () => {
    const rows = filterRows(undefined, records, filterOf('hello'), filterKeyOf('hello', null));
    // "Hello" in data of 1, "hello-id" as the id of 4.
    expect(seqsOf(rows)).toEqual([1, 4]);
    expect(seqsOf(filterRows(undefined, records, filterOf('TOKEN'), 'k'))).toEqual([3]);
  });

  it('does not match across two fields', () => {
    // type "token" + id "2" must not make "token2" or "n2" match.
    expect(seqsOf(filterRows(undefined, records, filterOf('n2'), 'k'))).toEqual([]);
  });

  it('takes /regex/flags, case-sensitive unless i is given', () => {
    expect(seqsOf(filterRows(undefined, records, filterOf('/^\\{.*WORLD/'), 'k'))).toEqual([3]);
    expect(seqsOf(filterRows(undefined, records, filterOf('/world/'), 'k'))).toEqual([]);
    expect(seqsOf(filterRows(undefined, records, filterOf('/world/i'), 'k'))).toEqual([3]);
    // `g` would make RegExp.test stateful and skip every other match: it must not change the result.
    expect(seqsOf(filterRows(undefined, records, filterOf('/text/g'), 'k'))).toEqual([1, 3]);
    // Anchors apply to each field: the type "done".
    expect(seqsOf(filterRows(undefined, records, filterOf('/^done$/'), 'k'))).toEqual([4]);
  });

  it('reports an invalid regex as an error instead of throwing', () => {
    const parsed = parseQuery('/([a-/');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/Invalid regular expression/);
    expect(parseQuery('/x/gg').ok).toBe(false);
  });

  it('reads text with slashes that is not /…/flags as plain text', () => {
    const parsed = parseQuery('/v1/chat');
    expect(parsed).toMatchObject({ ok: true, isRegex: false });
    expect(parseQuery('/')).toMatchObject({ ok: true, isRegex: false });
  });

  it('finds match ranges for highlighting, case-insensitively for text, skipping empty regex matches', () => {
    const text = parseQuery('lo');
    if (!text.ok || !text.matcher) throw new Error('query');
    expect(text.matcher.ranges('Hello LOL')).toEqual([
      [3, 5],
      [6, 8],
    ]);
    const regex = parseQuery('/o*/');
    if (!regex.ok || !regex.matcher) throw new Error('query');
    expect(regex.matcher.ranges('foo bar o')).toEqual([
      [1, 3],
      [8, 9],
    ]);
    expect(text.matcher.ranges('lololololo', 2)).toHaveLength(2);
    // Regex metacharacters in plain text are literal.
    const literal = parseQuery('a.b(');
    if (!literal.ok || !literal.matcher) throw new Error('query');
    expect(literal.matcher.ranges('axb( a.b(')).toEqual([[5, 9]]);
  });
});

describe('filterRows', () => {
  it('with no filter shows every record without building an index', () => {
    const rows = filterRows(undefined, records, { matcher: null, type: null }, filterKeyOf('', null));
    expect(rows.indices).toBeNull();
    expect(rows.length).toBe(5);
  });

  it('filters by type, combined with the text query', () => {
    expect(seqsOf(filterRows(undefined, records, filterOf('', 'token'), 'k'))).toEqual([3]);
    expect(seqsOf(filterRows(undefined, records, filterOf('hello', 'done'), 'k'))).toEqual([4]);
  });

  it('examines only appended records when the source and filter are unchanged', () => {
    const source: StreamRecord[] = testRecords([
      ['event', 'message', 'a match'],
      ['event', 'message', 'b'],
    ]);
    let tested = 0;
    const base = filterOf('match');
    const counting: RowFilter = {
      type: null,
      matcher: base.matcher && {
        ranges: base.matcher.ranges,
        testText: base.matcher.testText,
        test: (r) => {
          tested++;
          return base.matcher?.test(r) ?? true;
        },
      },
    };
    const key = filterKeyOf('match', null);
    const first = filterRows(undefined, source, counting, key);
    expect(tested).toBe(2);
    expect(filterRows(first, source, counting, key)).toBe(first);
    source.push(...testRecords([['event', 'message', 'another match']], 3));
    const second = filterRows(first, source, counting, key);
    expect(tested).toBe(3);
    expect(seqsOf(second)).toEqual([1, 3]);
    // The earlier value still shows what it showed.
    expect(seqsOf(first)).toEqual([1]);
    // A new filter key re-examines everything.
    filterRows(second, source, counting, filterKeyOf('other', null));
    expect(tested).toBe(6);
  });

  it('starts over for another source array (another connection, or after Clear)', () => {
    const key = filterKeyOf('hello', null);
    const first = filterRows(undefined, records, filterOf('hello'), key);
    const other = testRecords([['event', 'message', 'hello there']]);
    expect(seqsOf(filterRows(first, other, filterOf('hello'), key))).toEqual([1]);
  });
});

describe('seq lookups', () => {
  it('finds a record by seq directly or by binary search when seqs have gaps', () => {
    expect(indexOfSeqIn(records, 4)).toBe(3);
    const gapped = testRecords(
      [
        ['event', 'm', 'a'],
        ['event', 'm', 'b'],
      ],
      10,
    );
    gapped.push(...testRecords([['event', 'm', 'c']], 50));
    expect(indexOfSeqIn(gapped, 11)).toBe(1);
    expect(indexOfSeqIn(gapped, 50)).toBe(2);
    expect(indexOfSeqIn(gapped, 12)).toBe(-1);
  });

  it('finds the row of a seq among filtered rows, and the first row after a seq', () => {
    const rows = filterRows(undefined, records, filterOf('', null), 'k');
    const events = filterRows(undefined, records, filterOf('/./'), 'k2');
    expect(rowIndexOfSeq(rows, 5)).toBe(4);
    const hello = filterRows(undefined, records, filterOf('hello'), 'k3');
    expect(rowIndexOfSeq(hello, 4)).toBe(1);
    expect(rowIndexOfSeq(hello, 3)).toBe(-1);
    expect(rowIndexAfterSeq(hello, 1)).toBe(1);
    expect(rowIndexAfterSeq(hello, 4)).toBe(2);
    expect(rowIndexAfterSeq(events, 0)).toBe(0);
  });
});

describe('typesSeen', () => {
  it('counts event types incrementally, ignoring comments and retry records', () => {
    const source = [...records];
    const first = typesSeen(undefined, source);
    expect([...first.counts]).toEqual([
      ['message', 1],
      ['token', 1],
      ['done', 1],
    ]);
    expect(typesSeen(first, source)).toBe(first);
    source.push(...testRecords([['event', 'token', 'x']], 6));
    expect(typesSeen(first, source).counts.get('token')).toBe(2);
  });

  it('lists at most MAX_TYPES_LISTED types and says when there were more', () => {
    const many = testRecords(
      Array.from(
        { length: MAX_TYPES_LISTED + 3 },
        (_, i) => ['event', `t${i}`, ''] as ['event', string, string],
      ),
    );
    const seen = typesSeen(undefined, many);
    expect(seen.counts.size).toBe(MAX_TYPES_LISTED);
    expect(seen.overflow).toBe(true);
  });
});

describe('filterRows over the Summary column', () => {
  const records: StreamRecord[] = testRecords([
    ['event', 'message', '{"choices":[{"delta":{"content":" world"}}]}'],
    ['event', 'message', '{"choices":[{"delta":{"tool_calls":[]}}]}'],
  ]);
  const summaries = new Map([
    [1, '" world"'],
    [2, 'tool_call get_weather {"ci'],
  ]);
  const summaryOf = (record: StreamRecord) => summaries.get(record.seq);

  it('matches a query found only in an event’s summary, plain or /regex/', () => {
    const plain = parseQuery('get_weather');
    const regex = parseQuery('/^tool_call /');
    if (!plain.ok || !regex.ok) throw new Error('bad query');
    const withSummaries = (matcher: typeof plain.matcher) => ({ matcher, type: null, summaryOf });
    expect(seqsOf(filterRows(undefined, records, withSummaries(plain.matcher), 'a'))).toEqual([2]);
    expect(seqsOf(filterRows(undefined, records, withSummaries(regex.matcher), 'b'))).toEqual([2]);
    expect(seqsOf(filterRows(undefined, records, { matcher: plain.matcher, type: null }, 'c'))).toEqual([]);
  });

  it('a key that names the summaries changes when they appear', () => {
    expect(filterKeyOf('x', null, 'undecided')).not.toBe(filterKeyOf('x', null, 'summaries'));
  });
});
