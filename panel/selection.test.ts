import { describe, expect, it } from 'vitest';
import { testRecords } from '../src/test-records';
import { filterKeyOf, filterRows, parseQuery } from './event-filter';
import { clickRow, EMPTY_SELECTION, moveCursor, selectAll, selectedRecords, selectOnly } from './selection';

const records = testRecords(
  Array.from(
    { length: 10 },
    (_, i) => ['event', i % 2 ? 'odd' : 'even', `data ${i + 1}`] as ['event', string, string],
  ),
);
const all = filterRows(undefined, records, { matcher: null, type: null }, filterKeyOf('', null));
const odd = filterRows(undefined, records, { matcher: null, type: 'odd' }, filterKeyOf('', 'odd'));
const plain = { extend: false, toggle: false };
const seqs = (s: { seqs: ReadonlySet<number> }) => [...s.seqs].sort((a, b) => a - b);

describe('clickRow', () => {
  it('a plain click selects only that row and makes it the cursor and anchor', () => {
    const s = clickRow(selectOnly(1), all, 3, plain);
    expect(s.cursor).toBe(4);
    expect(s.anchor).toBe(4);
    expect(seqs(s)).toEqual([4]);
  });

  it('Shift extends from the anchor, in either direction, over the shown rows only', () => {
    const from = clickRow(EMPTY_SELECTION, all, 2, plain);
    expect(seqs(clickRow(from, all, 5, { extend: true, toggle: false }))).toEqual([3, 4, 5, 6]);
    expect(seqs(clickRow(from, all, 0, { extend: true, toggle: false }))).toEqual([1, 2, 3]);
    // Among odd rows (seqs 2, 4, 6, 8, 10), from seq 4 to seq 8.
    const oddFrom = clickRow(EMPTY_SELECTION, odd, 1, plain);
    expect(seqs(clickRow(oddFrom, odd, 3, { extend: true, toggle: false }))).toEqual([4, 6, 8]);
  });

  it('Ctrl toggles one row and keeps the others', () => {
    let s = clickRow(EMPTY_SELECTION, all, 0, plain);
    s = clickRow(s, all, 4, { extend: false, toggle: true });
    expect(seqs(s)).toEqual([1, 5]);
    s = clickRow(s, all, 0, { extend: false, toggle: true });
    expect(seqs(s)).toEqual([5]);
    // Ctrl+Shift adds a range to what is selected.
    s = clickRow(s, all, 7, { extend: true, toggle: true });
    expect(seqs(s)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('moveCursor', () => {
  it('moves by one and stops at the ends', () => {
    let s = moveCursor(EMPTY_SELECTION, all, 1, false);
    expect(s.cursor).toBe(1);
    s = moveCursor(s, all, -1, false);
    expect(s.cursor).toBe(1);
    s = moveCursor(selectOnly(10), all, 1, false);
    expect(s.cursor).toBe(10);
    expect(moveCursor(EMPTY_SELECTION, all, -1, false).cursor).toBe(10);
    expect(moveCursor(selectOnly(3), all, Number.POSITIVE_INFINITY, false).cursor).toBe(10);
  });

  it('moves among the filtered rows; a cursor hidden by the filter starts over', () => {
    expect(moveCursor(selectOnly(4), odd, 1, false).cursor).toBe(6);
    expect(moveCursor(selectOnly(3), odd, 1, false).cursor).toBe(2);
  });

  it('Shift+arrow extends from the anchor', () => {
    let s = selectOnly(5);
    s = moveCursor(s, all, 1, true);
    s = moveCursor(s, all, 1, true);
    expect(s.cursor).toBe(7);
    expect(seqs(s)).toEqual([5, 6, 7]);
    s = moveCursor(s, all, -3, true);
    expect(seqs(s)).toEqual([4, 5]);
  });

  it('does nothing without rows', () => {
    const nothing = parseQuery('zzz');
    if (!nothing.ok) throw new Error(nothing.error);
    const none = filterRows(undefined, records, { matcher: nothing.matcher, type: null }, 'k');
    expect(none.length).toBe(0);
    expect(moveCursor(selectOnly(2), none, 1, false)).toEqual(selectOnly(2));
  });
});

describe('selectedRecords', () => {
  it('returns the selected records in timeline order', () => {
    const s = { cursor: 2, anchor: 2, seqs: new Set([7, 2, 4]) };
    expect(selectedRecords(s, records).map((r) => r.data)).toEqual(['data 2', 'data 4', 'data 7']);
  });
});

describe('selectAll', () => {
  it('selects every shown row and keeps the cursor', () => {
    const s = selectAll(selectOnly(4), odd);
    expect(seqs(s)).toEqual([2, 4, 6, 8, 10]);
    expect(s.cursor).toBe(4);
    expect(selectAll(EMPTY_SELECTION, all).cursor).toBe(10);
  });
});
