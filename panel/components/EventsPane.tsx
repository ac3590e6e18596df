import { useEffect, useRef, useState } from 'react';
import { exportConnection } from '../../src/export/write-export';
import { t } from '../../src/i18n';
import { chunksNotKeptOf, notKeptOf } from '../capture-model';
import {
  EVENT_COLUMNS,
  type EventColumn,
  HIDEABLE_COLUMNS,
  loadHiddenColumns,
  saveHiddenColumns,
} from '../columns';
import { formatCount } from '../format';
import { selectedRecords } from '../selection';
import { selectedConnectionView, usePanelStore } from '../store';
import { useEventRows } from '../use-event-rows';
import { EventDetail } from './EventDetail';
import { EventTable } from './EventTable';
import { PaneErrorBoundary } from './PaneErrorBoundary';
import { SplitPane } from './SplitPane';
import { useCopyFeedback } from './use-copy-feedback';

const COLUMN_MENU_LABEL: Record<EventColumn, () => string> = {
  id: () => t('panelColumnId'),
  type: () => t('panelColumnType'),
  summary: () => t('panelColumnSummaryLong'),
  data: () => t('panelColumnData'),
  time: () => t('panelColumnTime'),
  delta: () => t('panelColumnDeltaLong'),
  size: () => t('panelColumnSize'),
};

function ColumnsMenu({
  hidden,
  onChange,
}: {
  hidden: ReadonlySet<EventColumn>;
  onChange(next: Set<EventColumn>): void;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [open]);
  return (
    <div className="menu-anchor" ref={root}>
      <button
        type="button"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
      >
        {t('panelColumns')} ▾
      </button>
      {open && (
        <fieldset className="popover" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <legend className="visually-hidden">{t('panelColumns')}</legend>
          {HIDEABLE_COLUMNS.map((c) => (
            <label key={c} className="check">
              <input
                type="checkbox"
                checked={!hidden.has(c)}
                onChange={(e) => {
                  const next = new Set(hidden);
                  if (e.target.checked) next.delete(c);
                  else next.add(c);
                  onChange(next);
                }}
              />
              {COLUMN_MENU_LABEL[c]()}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}

/**
 * The Events tab: a filter bar (text or /regex/, type, comments, columns, copy, count), the event
 * table and, once an event is opened, its detail below a resizable handle.
 */
export function EventsPane() {
  const { view, source, rows, query, types, summaryOf } = useEventRows();
  const filter = usePanelStore((s) => s.eventFilter);
  const setEventFilter = usePanelStore((s) => s.setEventFilter);
  const selection = usePanelStore((s) => s.selection);
  const detailOpen = usePanelStore((s) => s.detailOpen);
  const connectionId = usePanelStore((s) => s.selectedConnectionId);
  const selectedSeq = usePanelStore((s) => s.selectedSeq);
  const [hidden, setHidden] = useState(loadHiddenColumns);
  const [feedback, copy] = useCopyFeedback();

  if (!view || connectionId === null) return <div className="events-empty">{t('panelSelectConnection')}</div>;

  // Id stays even while every id is empty, as in Chrome's EventStream view: an empty last event ID is
  // itself what a user debugging reconnects wants to see. Columns menu hides it.
  // The Summary column is on by default, for streams whose shape is recognised.
  const columns = EVENT_COLUMNS.filter((c) => !hidden.has(c) && (c !== 'summary' || summaryOf !== null));
  const timelineOnly = view.records.length - view.events.length;
  const notKept = notKeptOf(view);
  const chunksNotKept = chunksNotKeptOf(view);
  const filtered = !query.ok || query.matcher !== null || filter.type !== null;
  const matcher = query.ok ? query.matcher : null;

  function copyRows() {
    const state = usePanelStore.getState();
    const current = selectedConnectionView(state);
    if (!current) return;
    const records = selectedRecords(state.selection, current.records);
    const { events } = exportConnection({
      info: current.info,
      records,
      bytes: current.bytes,
      end: current.end,
    });
    copy(JSON.stringify(events, null, 2));
  }

  const table =
    rows.length > 0 ? (
      <EventTable
        rows={rows}
        matcher={matcher}
        columns={columns}
        startedAt={view.info.startedAt}
        timesUnknown={view.info.timesUnknown === true}
        connectionId={connectionId}
        summaryOf={summaryOf}
        onCopyRows={copyRows}
      />
    ) : (
      <div className="events-empty">
        {source.length === 0 ? (
          <p>{view.end ? t('panelNoEventsEnded') : t('panelNoEventsYet')}</p>
        ) : (
          <>
            <p>{t('panelNoEventsMatch')}</p>
            <button type="button" onClick={() => setEventFilter({ query: '', type: null })}>
              {t('panelClearFilter')}
            </button>
          </>
        )}
      </div>
    );

  return (
    <div className="events-pane-body">
      <search className="filter-bar" aria-label={t('panelEventFilterLabel')}>
        <input
          type="search"
          className={query.ok ? 'filter-input' : 'filter-input invalid'}
          placeholder={t('panelEventFilterPlaceholder')}
          aria-label={t('panelEventFilterLabel')}
          aria-invalid={!query.ok}
          aria-describedby={query.ok ? undefined : 'event-filter-error'}
          value={filter.query}
          onChange={(e) => setEventFilter({ query: e.target.value })}
          spellCheck={false}
        />
        <select
          aria-label={t('panelTypeFilterLabel')}
          value={filter.type ?? ''}
          onChange={(e) => setEventFilter({ type: e.target.value === '' ? null : e.target.value })}
        >
          <option value="">{t('panelAllTypes')}</option>
          {[...(types?.counts ?? [])].map(([type, n]) => (
            <option key={type} value={type}>
              {t('panelTypeOption', type, formatCount(n))}
            </option>
          ))}
          {filter.type !== null && !types?.counts.has(filter.type) && (
            <option value={filter.type}>{filter.type}</option>
          )}
        </select>
        <label className="check" title={t('panelShowCommentsTitle')}>
          <input
            type="checkbox"
            checked={filter.showComments}
            onChange={(e) => setEventFilter({ showComments: e.target.checked })}
          />
          {t('panelShowComments', formatCount(timelineOnly))}
        </label>
        <ColumnsMenu
          hidden={hidden}
          onChange={(next) => {
            setHidden(next);
            saveHiddenColumns(next);
          }}
        />
        <span className="divider" />
        <button
          type="button"
          onClick={copyRows}
          disabled={selection.seqs.size === 0}
          title={t('panelCopyRowsTitle')}
        >
          {t('panelCopyRows', formatCount(selection.seqs.size))}
        </button>
        {feedback && (
          <span className="feedback" role="status">
            {feedback}
          </span>
        )}
        <span className="spacer" />
        {!query.ok && (
          <span id="event-filter-error" className="filter-error" role="alert">
            {query.error}
          </span>
        )}
        <span className={filtered ? 'row-count filtered' : 'row-count'}>
          {t('panelRowCount', formatCount(rows.length), formatCount(source.length))}
        </span>
      </search>
      {/* Always a SplitPane, so that opening the detail does not remount the table (focus, scroll). */}
      <SplitPane
        direction="column"
        storageKey="eventDetailSplit"
        initial={0.55}
        min={0.15}
        label={t('panelResizeDetail')}
        collapsed={!detailOpen || selection.cursor === null}
        first={table}
        second={
          <PaneErrorBoundary resetKey={`${connectionId} ${selectedSeq}`}>
            <EventDetail onClose={() => usePanelStore.getState().setDetailOpen(false)} />
          </PaneErrorBoundary>
        }
      />
      {(notKept > 0 || chunksNotKept > 0) && (
        <div className="events-footer not-kept-footer" role="status">
          {notKept > 0 && <span>{t('panelNotKeptFooter', formatCount(notKept))}</span>}
          {chunksNotKept > 0 && <span>{t('panelChunksNotKeptFooter', formatCount(chunksNotKept))}</span>}
          <button
            type="button"
            className="link"
            onClick={() => usePanelStore.getState().setSettingsOpen(true)}
          >
            {t('panelSettings')}
          </button>
        </div>
      )}
    </div>
  );
}
