import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type MouseEvent, useEffect, useRef, useState } from 'react';
import { t } from '../../src/i18n';
import type { StreamRecord } from '../../src/model';
import type { EventColumn } from '../columns';
import { type FilteredRows, rowAt, rowIndexOfSeq, sourceIndexOf, type TextMatcher } from '../event-filter';
import { FOLLOWING, followAfterRefilter, followAfterScroll, rowsSinceLeft } from '../follow';
import { formatBytes, formatClock, formatCount, formatDelta, kindLabel, utf8Length } from '../format';
import { clickRow, moveCursor, selectAll } from '../selection';
import { usePanelStore } from '../store';
import { Highlighted } from './Highlighted';
import { BAD_JSON_TITLE, ERROR_EVENT_TITLE, useBadJsonSeqs, useErrorSeqs } from './llm-message';
import { UnknownTime } from './UnknownTime';

/** Row height in px; the CSS gives header and body rows exactly this height. */
export const ROW_HEIGHT = 21;
const PREVIEW_CHARS = 300;

/** One line of data: line breaks shown as ↵, cut to what a row can show. */
function preview(data: string): string {
  const head = data.length > PREVIEW_CHARS ? `${data.slice(0, PREVIEW_CHARS)}…` : data;
  return head.replace(/\r\n|\r|\n/g, '↵');
}

const COLUMN_LABEL: Record<EventColumn, () => string> = {
  id: () => t('panelColumnId'),
  type: () => t('panelColumnType'),
  summary: () => t('panelColumnSummary'),
  data: () => t('panelColumnData'),
  time: () => t('panelColumnTime'),
  delta: () => t('panelColumnDelta'),
  size: () => t('panelColumnSize'),
};

function typeCell(record: StreamRecord, matcher: TextMatcher | null) {
  if (record.kind !== 'event') return <span className="kind">{kindLabel(record.kind)}</span>;
  return <Highlighted text={record.type} matcher={matcher} />;
}

interface EventTableProps {
  rows: FilteredRows;
  matcher: TextMatcher | null;
  columns: readonly EventColumn[];
  /** Connection start, for the Δ of the first record. */
  startedAt: number;
  /** The connection's read times are unknown (imported from a HAR): Time and Δ say so. */
  timesUnknown: boolean;
  connectionId: string;
  /** What an event means in one line (the Summary column), by `seq`. */
  summaryOf: ((seq: number) => string | undefined) | null;
  /** Copies the selected rows (Ctrl/⌘+C). */
  onCopyRows: () => void;
}

/**
 * The selected connection's records, virtualised so that 100 000 rows scroll smoothly: only the rows
 * in view are rendered, between two spacer rows that keep the scroll height. Every per-row figure is
 * O(1) in the number of rows (Δ reads the previous record of the source by position).
 */
export function EventTable({
  rows,
  matcher,
  columns,
  startedAt,
  timesUnknown,
  connectionId,
  summaryOf,
  onCopyRows,
}: EventTableProps) {
  const selection = usePanelStore((s) => s.selection);
  const setSelection = usePanelStore((s) => s.setSelection);
  const setDetailOpen = usePanelStore((s) => s.setDetailOpen);
  const revealCount = usePanelStore((s) => s.revealCount);
  const badJson = useBadJsonSeqs(connectionId);
  const errorSeqs = useErrorSeqs(connectionId);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(FOLLOWING);
  const count = rows.length;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    // The sticky header row sits above the first row and covers what scrolls under it.
    paddingStart: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
  });

  // Another connection: start at its end, following.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the connection changes
  useEffect(() => setFollow(FOLLOWING), [connectionId]);

  // Another filter: the "new" count starts again from what it shows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the filter changes
  useEffect(() => setFollow((f) => followAfterRefilter(f, rows.length)), [rows.filterKey, rows.source]);

  // Following: new rows while at the end scroll past the end, which the browser clamps to it. Not
  // `scrollToIndex` for each, which reads the scroll height before and after it writes, each a forced
  // layout of the panel (25 % of the panel's thread at 1 000 events/s, `node bench/profile.mjs --panel
  // --rate 1000`); it still takes the table to its end when following starts.
  const atEnd = useRef(false);
  useEffect(() => {
    const el = scrollRef.current;
    if (!follow.following || count === 0 || !el) {
      atEnd.current = false;
      return;
    }
    if (atEnd.current) el.scrollTop = virtualizer.getTotalSize();
    else virtualizer.scrollToIndex(count - 1, { align: 'end' });
    atEnd.current = true;
  }, [count, follow.following, virtualizer]);

  // The event's detail opened below the table, which got shorter: the row it shows stays in view
  // (a row clicked in the lower half of the table was hidden by the pane it opened).
  const detailOpen = usePanelStore((s) => s.detailOpen);
  const viewHeight = virtualizer.scrollRect?.height ?? 0;
  const revealOnResize = useRef(false);
  useEffect(() => {
    revealOnResize.current = detailOpen;
  }, [detailOpen]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the table's height changes
  useEffect(() => {
    if (!revealOnResize.current || selection.cursor === null) return;
    revealOnResize.current = false;
    const index = rowIndexOfSeq(rows, selection.cursor);
    if (index !== -1) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [viewHeight]);

  // A search hit was revealed: scroll to it and take the focus, so ↑/↓ continue from there.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each reveal only
  useEffect(() => {
    if (revealCount === 0 || selection.cursor === null) return;
    const index = rowIndexOfSeq(rows, selection.cursor);
    if (index === -1) return;
    setFollow((f) => (index === count - 1 ? f : { following: false, rowsWhenLeft: count }));
    virtualizer.scrollToIndex(index, { align: 'center' });
    scrollRef.current?.querySelector<HTMLElement>('table.events')?.focus({ preventScroll: true });
  }, [revealCount]);

  function onScroll() {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT;
    setFollow((f) => followAfterScroll(f, atBottom, count));
  }

  function jumpToEnd() {
    setFollow(FOLLOWING);
    if (count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }

  function moveTo(delta: number, extend: boolean) {
    const next = moveCursor(selection, rows, delta, extend);
    setSelection(next);
    if (next.cursor !== null) virtualizer.scrollToIndex(rowIndexOfSeq(rows, next.cursor), { align: 'auto' });
  }

  function onKeyDown(event: KeyboardEvent) {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 2);
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: Number.NEGATIVE_INFINITY,
      End: Number.POSITIVE_INFINITY,
    };
    const delta = moves[event.key];
    if (delta !== undefined) {
      event.preventDefault();
      moveTo(delta, event.shiftKey);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (selection.cursor === null) moveTo(1, false);
      setDetailOpen(true);
    } else if (event.key === 'Escape') {
      setDetailOpen(false);
    } else if (
      (event.ctrlKey || event.metaKey) &&
      event.key.toLowerCase() === 'c' &&
      selection.seqs.size > 0
    ) {
      event.preventDefault();
      onCopyRows();
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      setSelection(selectAll(selection, rows));
    }
  }

  function onRowClick(event: MouseEvent, index: number) {
    const toggle = event.ctrlKey || event.metaKey;
    const next = clickRow(selection, rows, index, { extend: event.shiftKey, toggle });
    // A plain click opens the event; Shift/Ctrl only change which rows are selected.
    setSelection(next, event.shiftKey || toggle ? undefined : true);
  }

  function renderCell(column: EventColumn, record: StreamRecord, index: number) {
    switch (column) {
      case 'id':
        return (
          <td key={column} className="col-id id">
            <Highlighted text={record.id} matcher={matcher} />
          </td>
        );
      case 'type':
        return (
          <td key={column} className="col-type type">
            {typeCell(record, matcher)}
          </td>
        );
      case 'summary':
        return (
          <td key={column} className="col-summary summary">
            <Highlighted text={preview(summaryOf?.(record.seq) ?? '')} matcher={matcher} />
          </td>
        );
      case 'data':
        return (
          <td key={column} className="col-data data">
            <Highlighted text={preview(record.data)} matcher={matcher} />
          </td>
        );
      case 'time':
        return (
          <td key={column} className="col-time time">
            {timesUnknown ? <UnknownTime /> : formatClock(record.time)}
          </td>
        );
      case 'delta': {
        // The previous record of the source, not of the filtered rows: Δ is a fact of the stream.
        const previous = rows.source[sourceIndexOf(rows, index) - 1];
        return (
          <td key={column} className="col-delta num delta">
            {timesUnknown ? <UnknownTime /> : formatDelta(record.time - (previous?.time ?? startedAt))}
          </td>
        );
      }
      case 'size':
        return (
          <td
            key={column}
            className="col-size num size"
            title={
              record.truncatedFrom !== undefined
                ? t('panelTruncated', formatCount(record.truncatedFrom))
                : undefined
            }
          >
            {record.truncatedFrom !== undefined ? '✂ ' : ''}
            {formatBytes(utf8Length(record, record.data))}
          </td>
        );
    }
  }

  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const padTop = first ? first.start - ROW_HEIGHT : 0;
  const padBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const newRows = rowsSinceLeft(follow, count);

  return (
    <div className="event-table-wrap">
      <div className="scroll event-table" ref={scrollRef} onScroll={onScroll}>
        <table
          className="grid events"
          // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: an ARIA grid is a table the keyboard moves through (↑/↓)
          role="grid"
          aria-label={t('panelEventsLabel')}
          aria-rowcount={count + 1}
          aria-multiselectable
          tabIndex={0}
          onKeyDown={onKeyDown}
        >
          <colgroup>
            {columns.map((c) => (
              <col key={c} className={`col-${c}`} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} className={`col-${c}`} scope="col">
                  {COLUMN_LABEL[c]()}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {padTop > 0 && <tr className="spacer" style={{ height: padTop }} />}
            {items.map((item) => {
              const record = rowAt(rows, item.index);
              if (!record) return null;
              const selected = selection.seqs.has(record.seq);
              const isCursor = record.seq === selection.cursor;
              const bad = badJson.has(record.seq);
              const error = errorSeqs.has(record.seq);
              const className = [
                selected && 'selected',
                isCursor && 'cursor',
                record.kind !== 'event' && `kind-${record.kind}`,
                bad && 'bad-json',
                error && 'error-event',
              ]
                .filter(Boolean)
                .join(' ');
              return (
                <tr
                  key={record.seq}
                  aria-selected={selected}
                  aria-rowindex={item.index + 2}
                  data-seq={record.seq}
                  className={className || undefined}
                  title={bad ? BAD_JSON_TITLE : error ? ERROR_EVENT_TITLE : undefined}
                  onClick={(event) => onRowClick(event, item.index)}
                >
                  {columns.map((c) => renderCell(c, record, item.index))}
                </tr>
              );
            })}
            {padBottom > 0 && <tr className="spacer" style={{ height: padBottom }} />}
          </tbody>
        </table>
      </div>
      {newRows > 0 && (
        <button type="button" className="new-pill" onClick={jumpToEnd}>
          {t('panelNewRows', formatCount(newRows))}
        </button>
      )}
    </div>
  );
}
