import { type KeyboardEvent, memo, useEffect, useRef, useState } from 'react';
import { type Finding, isWorse, worstSeverity } from '../../src/diagnosis';
import { redactUrl } from '../../src/export/redact';
import { type MessageKey, t } from '../../src/i18n';
import type { ConnectionState, Transport } from '../../src/model';
import { chunksNotKeptOf, notKeptOf } from '../capture-model';
import { useCaptureDiagnosis } from '../connection-diagnosis';
import {
  type ConnectionSortKey,
  type ConnectionStateFilter,
  durationOf,
  type ListedConnection,
  listConnections,
  stateOf,
} from '../connection-query';
import { showDetailTab } from '../detail-tab-request';
import { formatBytes, formatClock, formatCount, formatDuration, splitUrl } from '../format';
import { usePanelStore } from '../store';
import { SEVERITY_ICON } from './DiagnosisView';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

const STATE_LABEL: Record<ConnectionState, MessageKey> = {
  open: 'panelStateOpen',
  completed: 'panelStateCompleted',
  cancelled: 'panelStateCancelled',
  aborted: 'panelStateAborted',
  error: 'panelStateError',
};

const COLUMNS: { key: ConnectionSortKey; label: MessageKey; className: string }[] = [
  { key: 'method', label: 'panelColumnMethod', className: 'col-method' },
  { key: 'url', label: 'panelColumnUrl', className: 'col-url' },
  { key: 'status', label: 'panelColumnStatus', className: 'col-status' },
  { key: 'state', label: 'panelColumnState', className: 'col-state' },
  { key: 'events', label: 'panelColumnEvents', className: 'col-events num' },
  { key: 'size', label: 'panelColumnSize', className: 'col-size num' },
  { key: 'duration', label: 'panelColumnDuration', className: 'col-duration num' },
  { key: 'started', label: 'panelColumnStarted', className: 'col-started' },
];

const TRANSPORT_NAME: Record<Transport, string> = {
  fetch: 'fetch',
  xhr: 'XMLHttpRequest',
  eventsource: 'EventSource',
};

const STATE_FILTERS: { value: ConnectionStateFilter; label: MessageKey }[] = [
  { value: 'all', label: 'panelFilterAll' },
  { value: 'live', label: 'panelFilterLive' },
  { value: 'ended', label: 'panelFilterEnded' },
];

interface ConnectionRowProps {
  listed: ListedConnection;
  selected: boolean;
  now: number;
  /** The connection's diagnosis, worst first. */
  findings: readonly Finding[] | undefined;
}

/**
 * A row renders again only when its connection changed, its selection changed, or (while live) the
 * clock ticked: with a thousand streams open, every batch would otherwise render every row.
 */
const ConnectionRow = memo(
  ConnectionRowContent,
  (before: ConnectionRowProps, after: ConnectionRowProps) =>
    before.listed.view === after.listed.view &&
    before.listed.key === after.listed.key &&
    before.listed.live === after.listed.live &&
    before.listed.imported === after.listed.imported &&
    before.selected === after.selected &&
    before.findings === after.findings &&
    (before.now === after.now || !after.listed.live),
);

/**
 * The connection's worst problems at a glance: shown for warnings and errors only (an info alone
 * is no reason to look); a click opens the Diagnosis tab.
 */
function DiagnosisBadge({
  connectionKey,
  findings,
}: {
  connectionKey: string;
  findings: readonly Finding[];
}) {
  const selectConnection = usePanelStore((s) => s.selectConnection);
  const worst = worstSeverity(findings);
  if (worst === null || !isWorse(worst, 'info')) return null;
  const shown = findings.filter((f) => isWorse(f.severity, 'info'));
  const title = [
    t('diagnosisBadgeTitle', formatCount(shown.length)),
    ...shown.map((f) => `• ${f.message}`),
  ].join('\n');
  return (
    <button
      type="button"
      className={`badge diagnosis-badge severity-${worst}`}
      title={title}
      aria-label={t('diagnosisBadgeTitle', formatCount(shown.length))}
      onClick={(event) => {
        event.stopPropagation();
        selectConnection(connectionKey);
        showDetailTab('diagnosis');
      }}
    >
      {SEVERITY_ICON[worst]} {shown.length}
    </button>
  );
}

function ConnectionRowContent({ listed, selected, now, findings }: ConnectionRowProps) {
  const selectConnection = usePanelStore((s) => s.selectConnection);
  const { view, key, live, imported } = listed;
  const { info, end } = view;
  // Secret parameters (`?key=`…) stay masked in the list; the Request tab shows them on demand.
  const url = redactUrl(info.url, false);
  const { origin, path } = splitUrl(url);
  const state = stateOf(view);
  const notKept = notKeptOf(view);
  const chunksNotKept = chunksNotKeptOf(view);
  const notKeptText =
    [
      notKept > 0 && t('panelNotKept', formatCount(notKept)),
      chunksNotKept > 0 && t('panelChunksNotKept', formatCount(chunksNotKept)),
    ]
      .filter(Boolean)
      .join('\n') || null;
  return (
    <tr
      className={
        [selected && 'selected', live && 'live', imported && 'imported'].filter(Boolean).join(' ') ||
        undefined
      }
      aria-selected={selected}
      data-connection-id={key}
      onClick={() => selectConnection(key)}
      title={[end?.error ?? url, notKeptText].filter(Boolean).join('\n')}
    >
      <td className="method">{info.method}</td>
      <td className="url">
        <span
          className={`badge transport-${info.transport}`}
          title={t('panelTransportTitle', TRANSPORT_NAME[info.transport])}
        >
          {info.transport === 'eventsource' ? 'ES' : info.transport}
        </span>{' '}
        {info.replayOf !== undefined && (
          <>
            <span className="badge replayed" title={t('replayedTitle')}>
              {t('replayedBadge')}
            </span>{' '}
          </>
        )}
        {findings && <DiagnosisBadge connectionKey={key} findings={findings} />}
        <span className="path">{path}</span> <span className="origin">{origin}</span>
      </td>
      {/* An EventSource page never sees the status (model.ts): say so rather than show 0. */}
      <td
        className={info.status >= 400 ? 'status bad' : 'status'}
        title={info.status === 0 ? t('panelNotVisibleToPage') : undefined}
      >
        {info.status === 0 ? '—' : info.status}
      </td>
      <td className={`state state-${state}${live ? ' is-live' : ''}`}>{t(STATE_LABEL[state])}</td>
      <td className="num">
        {formatCount(view.events.length)}
        {notKeptText && (
          <>
            {' '}
            <span className="not-kept" role="img" title={notKeptText} aria-label={notKeptText}>
              ⚠
            </span>
          </>
        )}
      </td>
      {/* Nor the bytes: an EventSource hands the page events, never the body. */}
      {info.transport === 'eventsource' ? (
        <td className="num" title={t('panelNotVisibleToPage')}>
          —
        </td>
      ) : (
        <td className="num">{formatBytes(view.bytes)}</td>
      )}
      <td className="num">{formatDuration(durationOf(view, live, now))}</td>
      <td className="time">{formatClock(info.startedAt)}</td>
    </tr>
  );
}

/** The tab's connections: filter by URL and live/ended, sort by any column, imported files apart. */
export function ConnectionList() {
  const capture = usePanelStore((s) => s.capture);
  const imported = usePanelStore((s) => s.imported);
  const query = usePanelStore((s) => s.connectionQuery);
  const setQuery = usePanelStore((s) => s.setConnectionQuery);
  const selectedId = usePanelStore((s) => s.selectedConnectionId);
  const selectConnection = usePanelStore((s) => s.selectConnection);
  const revealCount = usePanelStore((s) => s.revealCount);
  const anyLive = capture.order.some((key) => !imported.has(key) && !capture.connections.get(key)?.end);
  const now = useNow(anyLive);
  const listed = listConnections(capture, imported, query, now);
  const diagnosis = useCaptureDiagnosis();
  const scrollRef = useRef<HTMLDivElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each reveal only
  useEffect(() => {
    if (revealCount === 0 || selectedId === null) return;
    scrollRef.current
      ?.querySelector(`tr[data-connection-id="${CSS.escape(selectedId)}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  }, [revealCount]);

  function sortBy(key: ConnectionSortKey) {
    setQuery({ sort: { key, descending: query.sort.key === key ? !query.sort.descending : false } });
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const index = listed.findIndex((c) => c.key === selectedId);
    const next = listed[index === -1 ? 0 : index + (event.key === 'ArrowDown' ? 1 : -1)];
    if (!next) return;
    selectConnection(next.key);
    scrollRef.current
      ?.querySelector(`tr[data-connection-id="${CSS.escape(next.key)}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  }

  const firstImported = listed.findIndex((c) => c.imported);
  const fileNames = [...new Set([...imported.values()].map((from) => from.fileName))].join(', ');

  return (
    <>
      <search className="filter-bar" aria-label={t('panelConnectionFilterLabel')}>
        <input
          type="search"
          className="filter-input"
          placeholder={t('panelConnectionFilterPlaceholder')}
          aria-label={t('panelConnectionFilterLabel')}
          value={query.text}
          onChange={(e) => setQuery({ text: e.target.value })}
          spellCheck={false}
        />
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('panelStateFilterLabel')}</legend>
          {STATE_FILTERS.map((f) => (
            <button
              key={f.value}
              type="button"
              aria-pressed={query.state === f.value}
              onClick={() => setQuery({ state: f.value })}
            >
              {t(f.label)}
            </button>
          ))}
        </fieldset>
      </search>
      <div className="scroll" ref={scrollRef}>
        <table
          className="grid connections"
          // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: an ARIA grid is a table the keyboard moves through (↑/↓)
          role="grid"
          aria-label={t('panelConnectionsLabel')}
          tabIndex={0}
          onKeyDown={onKeyDown}
        >
          <colgroup>
            {COLUMNS.map((c) => (
              <col key={c.key} className={c.className} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {COLUMNS.map((c) => {
                const sorted = query.sort.key === c.key;
                return (
                  <th
                    key={c.key}
                    className={c.className}
                    scope="col"
                    aria-sort={sorted ? (query.sort.descending ? 'descending' : 'ascending') : 'none'}
                  >
                    <button type="button" className="sort" onClick={() => sortBy(c.key)}>
                      {t(c.label)}
                      {sorted ? (query.sort.descending ? ' ▼' : ' ▲') : ''}
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {listed.map((c, index) => (
              <ConnectionGroupRow
                key={c.key}
                showHeader={index === firstImported}
                fileNames={fileNames}
                count={listed.length - firstImported}
              >
                <ConnectionRow
                  listed={c}
                  selected={c.key === selectedId}
                  now={now}
                  findings={diagnosis.get(c.key)}
                />
              </ConnectionGroupRow>
            ))}
          </tbody>
        </table>
        {listed.length === 0 && (
          <div className="events-empty">
            <p>{t('panelNoConnectionsMatch')}</p>
            <button type="button" onClick={() => setQuery({ text: '', state: 'all' })}>
              {t('panelClearFilter')}
            </button>
          </div>
        )}
      </div>
    </>
  );
}

function ConnectionGroupRow({
  showHeader,
  fileNames,
  count,
  children,
}: {
  showHeader: boolean;
  fileNames: string;
  count: number;
  children: React.ReactNode;
}) {
  return (
    <>
      {showHeader && (
        <tr className="group">
          <td colSpan={COLUMNS.length}>
            <span className="badge imported">{t('panelImportedBadge')}</span>{' '}
            {t('panelImportedGroup', fileNames, formatCount(count))}
          </td>
        </tr>
      )}
      {children}
    </>
  );
}
