import type { StreamRecord } from '../src/model';

/**
 * Filtering of a connection's timeline: a text or `/regex/flags` query over type, id and data, and a
 * type filter. The rows shown are kept incrementally: the capture model appends records in place, so
 * when only new records arrived, only they are examined.
 */

/** Decides whether a record matches a query, and where a query matches in a shown text. */
export interface TextMatcher {
  /** Whether the record's type, id or data matches. */
  test(record: StreamRecord): boolean;
  /** Whether a shown text (an event's summary) matches. */
  testText(text: string): boolean;
  /** `[start, end)` of the matches in `text`, at most `limit` of them, for highlighting. */
  ranges(text: string, limit?: number): [number, number][];
}

/** A parsed query: `matcher` is null for an empty query (everything matches). */
export type ParsedQuery =
  | { ok: true; matcher: TextMatcher | null; isRegex: boolean }
  | { ok: false; error: string };

/** `/pattern/flags`, the form DevTools' filters take for a regular expression. */
const REGEX_QUERY = /^\/(.+)\/([dgimsuvy]*)$/s;
const MAX_HIGHLIGHTS = 200;

// A lower-cased copy per record, made the first time a plain-text query examines it and kept while the
// record lives: typing a query re-tests every record, and lower-casing 2 MB of data on each keystroke
// is what made filtering slow.
const lowerHaystacks = new WeakMap<StreamRecord, string>();

function lowerHaystack(record: StreamRecord): string {
  let haystack = lowerHaystacks.get(record);
  if (haystack === undefined) {
    // U+0000 between the fields, so a query cannot match across two of them.
    haystack = `${record.type}\u0000${record.id}\u0000${record.data}`.toLowerCase();
    lowerHaystacks.set(record, haystack);
  }
  return haystack;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function rangesOf(pattern: RegExp, text: string, limit: number): [number, number][] {
  const out: [number, number][] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match && out.length < limit; match = pattern.exec(text)) {
    if (match[0].length === 0) {
      // An empty match (`/x*/`) highlights nothing; step past it or exec would loop forever.
      pattern.lastIndex++;
      continue;
    }
    out.push([match.index, match.index + match[0].length]);
  }
  return out;
}

/** Parses what the user typed into a filter box. Never throws: a bad regex is an `error`. */
export function parseQuery(query: string): ParsedQuery {
  if (query === '') return { ok: true, matcher: null, isRegex: false };
  const regex = REGEX_QUERY.exec(query);
  if (regex) {
    const [, source = '', flags = ''] = regex;
    let tester: RegExp;
    let finder: RegExp;
    try {
      new RegExp(source, flags); // throws on a bad pattern or bad or repeated flags
      // `g` and `y` make `test` stateful; the tester drops them, the highlighter needs `g`.
      tester = new RegExp(source, flags.replace(/[gy]/g, ''));
      finder = new RegExp(source, `${flags.replace(/[gy]/g, '')}g`);
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    return {
      ok: true,
      isRegex: true,
      matcher: {
        test: (r) => tester.test(r.type) || tester.test(r.id) || tester.test(r.data),
        testText: (text) => tester.test(text),
        ranges: (text, limit = MAX_HIGHLIGHTS) => rangesOf(finder, text, limit),
      },
    };
  }
  const needle = query.toLowerCase();
  const finder = new RegExp(escapeRegExp(query), 'gi');
  return {
    ok: true,
    isRegex: false,
    matcher: {
      test: (r) => lowerHaystack(r).includes(needle),
      testText: (text) => text.toLowerCase().includes(needle),
      ranges: (text, limit = MAX_HIGHLIGHTS) => rangesOf(finder, text, limit),
    },
  };
}

/** What the event table shows of a connection's timeline. */
export interface RowFilter {
  matcher: TextMatcher | null;
  /** Only records of this event type; null for every type. */
  type: string | null;
  /** The summary of a record (the Summary column), which the query also searches. */
  summaryOf?: (record: StreamRecord) => string | undefined;
}

/**
 * The rows a filter lets through, as positions in `source` (ascending). `indices` is shared with
 * later versions and only ever appended to, so a value never changes what it shows: read the first
 * `length` entries.
 */
export interface FilteredRows {
  readonly source: readonly StreamRecord[];
  /** Positions in `source` of the rows, or null when every record is a row. */
  readonly indices: readonly number[] | null;
  /** Number of rows. */
  readonly length: number;
  /** How many records of `source` have been examined. */
  readonly scanned: number;
  /** Identifies the filter these rows were computed for. */
  readonly filterKey: string;
}

/**
 * A key that changes exactly when the filter's outcome may change. `summaries` names the summaries
 * the query searches: when a stream's shape is recognised its earlier events gain summaries, so
 * the rows are computed again.
 */
export function filterKeyOf(query: string, type: string | null, summaries = ''): string {
  return `${type ?? '*'}\u0000${query}\u0000${summaries}`;
}

/**
 * Rows of `source` that pass `filter`. With `previous` computed for the same `source` array and key,
 * only the records appended since are examined (O(new records)); otherwise all are.
 */
export function filterRows(
  previous: FilteredRows | undefined,
  source: readonly StreamRecord[],
  filter: RowFilter,
  filterKey: string,
): FilteredRows {
  if (!filter.matcher && filter.type === null) {
    if (previous?.source === source && previous.indices === null && previous.scanned === source.length) {
      return previous;
    }
    return { source, indices: null, length: source.length, scanned: source.length, filterKey };
  }
  const reuse = previous?.source === source && previous.filterKey === filterKey && previous.indices !== null;
  if (reuse && previous.scanned === source.length) return previous;
  const indices = reuse ? (previous.indices as number[]) : [];
  // A shared array may already be longer than `previous` saw if a newer value extended it.
  if (reuse) indices.length = previous.length;
  const { matcher, type, summaryOf } = filter;
  for (let i = reuse ? previous.scanned : 0; i < source.length; i++) {
    const record = source[i] as StreamRecord;
    if (type !== null && record.type !== type) continue;
    if (matcher && !matcher.test(record)) {
      const summary = summaryOf?.(record);
      if (summary === undefined || !matcher.testText(summary)) continue;
    }
    indices.push(i);
  }
  return { source, indices, length: indices.length, scanned: source.length, filterKey };
}

/** Position in `rows.source` of row `index`. */
export function sourceIndexOf(rows: FilteredRows, index: number): number {
  return rows.indices ? (rows.indices[index] ?? -1) : index;
}

/** The record shown in row `index`; undefined outside the rows. */
export function rowAt(rows: FilteredRows, index: number): StreamRecord | undefined {
  // The arrays behind `rows` may have grown since: never read past `length`.
  if (index < 0 || index >= rows.length) return undefined;
  return rows.source[sourceIndexOf(rows, index)];
}

/** Position of the record with `seq` in a seq-ordered list, by binary search; -1 when absent. */
export function indexOfSeqIn(records: readonly StreamRecord[], seq: number): number {
  // Records are numbered from 1 without gaps unless the capture dropped some: try the direct hit first.
  if (records[seq - 1]?.seq === seq) return seq - 1;
  let low = 0;
  let high = records.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const midSeq = (records[mid] as StreamRecord).seq;
    if (midSeq === seq) return mid;
    if (midSeq < seq) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** The row showing the record with `seq`, by binary search (rows are in seq order); -1 when hidden. */
export function rowIndexOfSeq(rows: FilteredRows, seq: number): number {
  if (!rows.indices) {
    const index = indexOfSeqIn(rows.source, seq);
    return index < rows.length ? index : -1;
  }
  let low = 0;
  let high = rows.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const midSeq = (rows.source[rows.indices[mid] as number] as StreamRecord).seq;
    if (midSeq === seq) return mid;
    if (midSeq < seq) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** The first row whose seq is greater than `seq` (rows.length when none). */
export function rowIndexAfterSeq(rows: FilteredRows, seq: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((rowAt(rows, mid) as StreamRecord).seq <= seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Most distinct event types listed for one connection; the page chooses the types. */
export const MAX_TYPES_LISTED = 500;

/** Event types seen in a connection, with counts; extended incrementally like `FilteredRows`. */
export interface TypesSeen {
  readonly source: readonly StreamRecord[];
  /** Up to `MAX_TYPES_LISTED` types, in the order first seen. */
  readonly counts: ReadonlyMap<string, number>;
  /** Whether more types than `MAX_TYPES_LISTED` were seen. */
  readonly overflow: boolean;
  readonly scanned: number;
}

export function typesSeen(previous: TypesSeen | undefined, source: readonly StreamRecord[]): TypesSeen {
  if (previous?.source === source && previous.scanned === source.length) return previous;
  const reuse = previous?.source === source;
  const counts = new Map(reuse ? previous.counts : []);
  let overflow = reuse ? previous.overflow : false;
  for (let i = reuse ? previous.scanned : 0; i < source.length; i++) {
    const record = source[i] as StreamRecord;
    if (record.kind !== 'event') continue;
    const count = counts.get(record.type);
    if (count !== undefined) counts.set(record.type, count + 1);
    else if (counts.size < MAX_TYPES_LISTED) counts.set(record.type, 1);
    else overflow = true;
  }
  return { source, counts, overflow, scanned: source.length };
}
