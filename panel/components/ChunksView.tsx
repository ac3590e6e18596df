import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { type ChunkScan, type ChunkSummary, recordsOf } from '../../src/chunks/chunk-scan';
import { t } from '../../src/i18n';
import type { StreamChunk } from '../../src/model';
import { chunkScanOf } from '../connection-diagnosis';
import { formatBytes, formatClock, formatCount, formatDelta } from '../format';
import {
  appendChunks,
  chunksStartingIn,
  emptyRawTextRows,
  type RawTextRows,
  rowOfChunk,
  rowText,
  visibleParts,
} from '../raw-text-rows';
import { usePanelStore } from '../store';
import { ROW_HEIGHT } from './EventTable';
import { SplitPane } from './SplitPane';
import './chunks-view.css';

/** The size a virtualised list assumes before it measured its element (and when rendered to a string). */
const INITIAL_RECT = { width: 800, height: 400 };

/** Record links listed per chunk in full; more are shown as the first and the last. */
const MAX_LINKS = 3;

// Rows of each connection's raw text, grown as its chunks grow (keyed by the chunks array, which a
// connection keeps and appends to).
const rawRows = new WeakMap<readonly StreamChunk[], RawTextRows>();

function rawRowsOf(chunks: readonly StreamChunk[], count: number): RawTextRows {
  let rows = rawRows.get(chunks);
  if (!rows) {
    rows = emptyRawTextRows();
    rawRows.set(chunks, rows);
  }
  if (rows.chunkCount < count) appendChunks(rows, chunks);
  return rows;
}

/**
 * The chunks the page read for the selected connection: each with its time, size and the records it
 * completed (events split across chunks and chunks that completed none are marked), and the raw
 * text with the chunk boundaries marked. This is how a user sees something between server and page
 * buffer: many events per chunk after a silence.
 */
export function ChunksView() {
  const connectionId = usePanelStore((s) => s.selectedConnectionId);
  const view = usePanelStore((s) =>
    s.selectedConnectionId ? s.capture.connections.get(s.selectedConnectionId) : undefined,
  );
  const reveal = usePanelStore((s) => s.reveal);
  if (!view || connectionId === null)
    return <div className="events-empty">{t('chunksSelectConnection')}</div>;
  if (view.info.transport === 'eventsource')
    return <div className="events-empty">{t('chunksEventSource')}</div>;
  const chunks = view.chunks;
  const scan = chunkScanOf(view);
  if (chunks.length === 0 || !scan)
    return (
      <div className="events-empty">{view.records.length > 0 ? t('chunksUnavailable') : t('chunksNone')}</div>
    );
  return (
    <Chunks
      chunks={chunks}
      scan={scan}
      count={chunks.length}
      startedAt={view.info.startedAt}
      onRecord={(seq) => reveal(connectionId, seq)}
      resetKey={connectionId}
    />
  );
}

interface ChunksProps {
  chunks: readonly StreamChunk[];
  scan: ChunkScan;
  /** `chunks.length` when rendered: the array grows in place. */
  count: number;
  startedAt: number;
  /** Shows a record in the Events tab. */
  onRecord: (seq: number) => void;
  resetKey: string;
}

/** The chunk table above the raw text; both take their data as props (tested with fixtures). */
export function Chunks({ chunks, scan, count, startedAt, onRecord, resetKey }: ChunksProps) {
  const [selected, setSelected] = useState<number | null>(null);
  const rows = rawRowsOf(chunks, count);
  const rawRef = useRef<RawTextHandle | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the scan grows in place; count says when
  const summary = useMemo(() => {
    let events = 0;
    let split = 0;
    let empty = 0;
    for (const chunk of scan.chunks) {
      events += chunk.events;
      split += chunk.split.length;
      if (chunk.records === 0) empty++;
    }
    return { events, split, empty };
  }, [scan, count]);

  function select(index: number) {
    setSelected(index);
    rawRef.current?.scrollToRow(rowOfChunk(rows, index));
  }

  return (
    <div className="chunks-view" key={resetKey}>
      <p className="chunks-summary">
        {t(
          'chunksSummary',
          formatCount(scan.chunks.length),
          formatCount(summary.events),
          formatCount(summary.split),
          formatCount(summary.empty),
        )}
      </p>
      <SplitPane
        direction="column"
        storageKey="chunks-split"
        initial={0.5}
        label={t('chunksResize')}
        first={
          <ChunkTable
            scan={scan}
            count={scan.chunks.length}
            startedAt={startedAt}
            selected={selected}
            onSelect={select}
            onRecord={onRecord}
          />
        }
        second={<RawText rows={rows} count={rows.rowStarts.length} selected={selected} handle={rawRef} />}
      />
    </div>
  );
}

function completedCell(chunk: ChunkSummary, onRecord: (seq: number) => void) {
  if (chunk.records === 0) return <span className="chunk-none">{t('chunksNoRecord')}</span>;
  const link = (seq: number) => {
    const split = chunk.split.includes(seq);
    return (
      <button
        key={seq}
        type="button"
        className={split ? 'record-link split' : 'record-link'}
        title={split ? t('chunksSplitTitle', String(seq)) : t('chunksShowRecord', String(seq))}
        onClick={(event) => {
          event.stopPropagation();
          onRecord(seq);
        }}
      >
        #{seq}
      </button>
    );
  };
  // Many records: the first and the last (the range between them is consecutive), and the split ones.
  if (chunk.records <= MAX_LINKS) return recordsOf(chunk).map(link);
  const last = chunk.firstRecord + chunk.records - 1;
  const middle = chunk.split.filter((seq) => seq !== chunk.firstRecord && seq !== last).slice(0, 3);
  return (
    <>
      {link(chunk.firstRecord)}
      {middle.map(link)}
      <span className="muted">… </span>
      {link(last)}
    </>
  );
}

function notesOf(chunk: ChunkSummary): string {
  const notes: string[] = [];
  if (chunk.split.length > 0) notes.push(t('chunksSplitNote', formatCount(chunk.split.length)));
  if (chunk.endsInside) notes.push(t('chunksEndsInside'));
  return notes.join(' · ');
}

function ChunkTable({
  scan,
  count,
  startedAt,
  selected,
  onSelect,
  onRecord,
}: {
  scan: ChunkScan;
  count: number;
  startedAt: number;
  selected: number | null;
  onSelect: (index: number) => void;
  onRecord: (seq: number) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    initialRect: INITIAL_RECT,
    paddingStart: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const padTop = first ? first.start - ROW_HEIGHT : 0;
  const padBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  return (
    <div className="scroll" ref={scrollRef}>
      <table className="grid chunks" aria-label={t('chunksLabel')} aria-rowcount={count + 1}>
        <colgroup>
          <col className="col-seq" />
          <col className="col-time" />
          <col className="col-delta" />
          <col className="col-size" />
          <col className="col-completed" />
          <col className="col-notes" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('chunksColumnSeq')}
            </th>
            <th scope="col">{t('panelColumnTime')}</th>
            <th scope="col" className="num">
              {t('panelColumnDelta')}
            </th>
            <th scope="col" className="num">
              {t('panelColumnSize')}
            </th>
            <th scope="col">{t('chunksColumnCompleted')}</th>
            <th scope="col">{t('chunksColumnNotes')}</th>
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && <tr className="spacer" style={{ height: padTop }} />}
          {items.map((item) => {
            const chunk = scan.chunks[item.index];
            if (!chunk) return null;
            const previous = scan.chunks[item.index - 1];
            const burst = chunk.events > 1;
            return (
              <tr
                key={chunk.seq}
                data-chunk-seq={chunk.seq}
                aria-rowindex={item.index + 2}
                aria-selected={selected === item.index}
                className={
                  [selected === item.index && 'selected', chunk.records === 0 && 'no-record']
                    .filter(Boolean)
                    .join(' ') || undefined
                }
                onClick={() => onSelect(item.index)}
              >
                <td className="num">{chunk.seq}</td>
                <td className="time">{formatClock(chunk.time)}</td>
                <td className="num delta">{formatDelta(chunk.time - (previous?.time ?? startedAt))}</td>
                <td className="num">{formatBytes(chunk.bytes)}</td>
                <td className="completed">
                  {burst && <span className="chunk-count">{formatCount(chunk.events)} ·</span>}{' '}
                  {completedCell(chunk, onRecord)}
                </td>
                <td className="notes">{notesOf(chunk)}</td>
              </tr>
            );
          })}
          {padBottom > 0 && <tr className="spacer" style={{ height: padBottom }} />}
        </tbody>
      </table>
    </div>
  );
}

interface RawTextHandle {
  scrollToRow(index: number): void;
}

/** The raw text, one row per line (long lines wrapped into several), chunk starts marked. */
function RawText({
  rows,
  count,
  selected,
  handle,
}: {
  rows: RawTextRows;
  count: number;
  selected: number | null;
  handle: { current: RawTextHandle | null };
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => RAW_ROW_HEIGHT,
    overscan: 30,
    initialRect: INITIAL_RECT,
  });
  handle.current = { scrollToRow: (index) => virtualizer.scrollToIndex(index, { align: 'start' }) };
  return (
    <div className="scroll raw-text" ref={scrollRef} role="document" aria-label={t('chunksRawLabel')}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const { start, end, text } = rowText(rows, item.index);
          const marks = chunksStartingIn(rows, start, end);
          const pieces: React.ReactNode[] = [];
          const pushText = (piece: string) => {
            for (const part of visibleParts(piece))
              pieces.push(
                part.escape ? (
                  <span key={pieces.length} className="raw-escape">
                    {part.text}
                  </span>
                ) : (
                  part.text
                ),
              );
          };
          let at = start;
          for (const chunkIndex of marks) {
            const offset = rows.chunkStarts[chunkIndex] as number;
            if (offset > at) pushText(text.slice(at - start, offset - start));
            const seq = rows.chunkSeqs[chunkIndex] as number;
            pieces.push(
              <span
                key={`m${seq}`}
                className={selected === chunkIndex ? 'chunk-mark selected' : 'chunk-mark'}
                title={t('chunksMarkTitle', String(seq))}
                data-chunk-mark={seq}
              >
                {seq}
              </span>,
            );
            at = offset;
          }
          if (at < end) pushText(text.slice(at - start));
          return (
            <div
              key={item.index}
              className="raw-row"
              style={{ transform: `translateY(${item.start}px)`, height: RAW_ROW_HEIGHT }}
            >
              {pieces}
            </div>
          );
        })}
      </div>
    </div>
  );
}

const RAW_ROW_HEIGHT = 18;
