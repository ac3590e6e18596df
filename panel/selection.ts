import type { StreamRecord } from '../src/model';
import { type FilteredRows, indexOfSeqIn, rowAt, rowIndexOfSeq } from './event-filter';

/**
 * Selection in the event table, by record `seq` (stable while rows are filtered or appended):
 * `cursor` is the event shown in the detail pane and moved by ↑/↓, `seqs` the rows selected for
 * copying (Shift extends from `anchor`, Ctrl/⌘ toggles one row).
 */
export interface Selection {
  cursor: number | null;
  anchor: number | null;
  seqs: ReadonlySet<number>;
}

export const EMPTY_SELECTION: Selection = { cursor: null, anchor: null, seqs: new Set() };

/** Only `seq` selected. */
export function selectOnly(seq: number | null): Selection {
  return seq === null ? EMPTY_SELECTION : { cursor: seq, anchor: seq, seqs: new Set([seq]) };
}

function range(rows: FilteredRows, from: number, to: number): Set<number> {
  const seqs = new Set<number>();
  const [low, high] = from <= to ? [from, to] : [to, from];
  for (let i = low; i <= high; i++) {
    const record = rowAt(rows, i);
    if (record) seqs.add(record.seq);
  }
  return seqs;
}

/** Modifier keys of a click or key press. */
export interface SelectModifiers {
  /** Shift: select the range from the anchor. */
  extend: boolean;
  /** Ctrl or ⌘: add or remove one row, keeping the rest. */
  toggle: boolean;
}

/** A click on row `index`. */
export function clickRow(
  selection: Selection,
  rows: FilteredRows,
  index: number,
  mods: SelectModifiers,
): Selection {
  const record = rowAt(rows, index);
  if (!record) return selection;
  const seq = record.seq;
  if (mods.extend && selection.anchor !== null) {
    const anchorIndex = rowIndexOfSeq(rows, selection.anchor);
    const seqs = range(rows, anchorIndex === -1 ? index : anchorIndex, index);
    if (mods.toggle) for (const s of selection.seqs) seqs.add(s);
    return { cursor: seq, anchor: selection.anchor, seqs };
  }
  if (mods.toggle) {
    const seqs = new Set(selection.seqs);
    if (seqs.has(seq)) seqs.delete(seq);
    else seqs.add(seq);
    return { cursor: seq, anchor: seq, seqs };
  }
  return selectOnly(seq);
}

/**
 * ↑/↓ (`delta` -1/+1), PageUp/PageDown (± a page), Home/End (±Infinity): moves the cursor within the
 * rows; with Shift the selection extends from the anchor. With no cursor among the rows, ↓ starts at
 * the first row and ↑ at the last.
 */
export function moveCursor(
  selection: Selection,
  rows: FilteredRows,
  delta: number,
  extend: boolean,
): Selection {
  if (rows.length === 0) return selection;
  const current = selection.cursor === null ? -1 : rowIndexOfSeq(rows, selection.cursor);
  const target =
    current === -1
      ? delta > 0
        ? 0
        : rows.length - 1
      : Math.min(rows.length - 1, Math.max(0, current + delta));
  const record = rowAt(rows, target);
  if (!record) return selection;
  if (extend && selection.anchor !== null) {
    const anchorIndex = rowIndexOfSeq(rows, selection.anchor);
    return {
      cursor: record.seq,
      anchor: selection.anchor,
      seqs: range(rows, anchorIndex === -1 ? target : anchorIndex, target),
    };
  }
  return selectOnly(record.seq);
}

/** The selected records in seq order, looked up in `records` (O(k log n) for k selected). */
export function selectedRecords(selection: Selection, records: readonly StreamRecord[]): StreamRecord[] {
  const out: StreamRecord[] = [];
  for (const seq of [...selection.seqs].sort((a, b) => a - b)) {
    const record = records[indexOfSeqIn(records, seq)];
    if (record) out.push(record);
  }
  return out;
}

/** Every row selected; the cursor stays where it was (or goes to the last row). */
export function selectAll(selection: Selection, rows: FilteredRows): Selection {
  if (rows.length === 0) return selection;
  const seqs = range(rows, 0, rows.length - 1);
  const cursor = selection.cursor ?? rowAt(rows, rows.length - 1)?.seq ?? null;
  return { cursor, anchor: selection.anchor ?? cursor, seqs };
}
