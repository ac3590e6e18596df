import { type KeyboardEvent, type ReactNode, useMemo } from 'react';
import { t } from '../../src/i18n';
import type { StreamRecord } from '../../src/model';
import { computeTiming, STALL_MS, type Stall } from '../../src/timing';
import { formatClock } from '../format';
import { usePanelStore } from '../store';
import { EventDetail } from './EventDetail';
import { useLlmMessage } from './llm-message';
import { ArrivalChart, formatMs, GapBars, PhaseBars } from './timing-chart';
import './timing-view.css';

/** Stall rows listed at most; the chart and the count still cover every stall. */
const MAX_STALL_ROWS = 200;
const PREVIEW_CHARS = 300;

/** The record with this seq: records are in seq order from 1, so the index is a direct hit unless some were dropped. */
function recordAt(records: readonly StreamRecord[], seq: number): StreamRecord | undefined {
  const direct = records[seq - 1];
  return direct?.seq === seq ? direct : records.find((r) => r.seq === seq);
}

function formatRate(perSecond: number | null): string {
  if (perSecond === null) return '—';
  return `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString()}/s`;
}

function Figure({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="timing-figure">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/**
 * Where the selected connection's time went: latencies, rates, gap distribution, stalls (clickable:
 * they select the event that ended them) and a chart of arrivals. Every time is a record's read
 * time, so a panel that opens late shows the same figures as one that watched live.
 */
export function TimingView() {
  const connectionId = usePanelStore((s) => s.selectedConnectionId);
  const view = usePanelStore((s) =>
    s.selectedConnectionId ? s.capture.connections.get(s.selectedConnectionId) : undefined,
  );
  const selectedSeq = usePanelStore((s) => s.selectedSeq);
  const selectEvent = usePanelStore((s) => s.selectEvent);
  const message = useLlmMessage(connectionId);
  const firstContentTime = message?.firstContentTime ?? null;
  const outputTokens = message?.usage?.outputTokens ?? null;
  // `view` changes identity on every update of the connection (its `version`), and only then.
  const stats = useMemo(
    () =>
      view
        ? computeTiming({
            startedAt: view.info.startedAt,
            headersAt: view.info.headersAt,
            records: view.records,
            endedAt: view.end?.endedAt ?? null,
            firstContentTime,
            outputTokens,
          })
        : null,
    [view, firstContentTime, outputTokens],
  );
  if (!view || !stats) return <div className="events-empty">{t('timingSelectConnection')}</div>;
  if (view.info.timesUnknown) {
    // Nothing here may be derived from the records' placeholder times; duration and count are facts of the file.
    return (
      <div className="timing-view scroll">
        <p className="timing-source">{t('timingTimesUnknown')}</p>
        <dl className="timing-figures">
          <Figure
            label={stats.ended ? t('timingDuration') : t('timingDurationSoFar')}
            value={formatMs(stats.durationMs)}
          />
          <Figure label={t('timingEvents')} value={stats.eventCount.toLocaleString()} />
        </dl>
      </div>
    );
  }

  const selectStall = (stall: Stall) => selectEvent(stall.seq);
  const onStallKey = (event: KeyboardEvent, stall: Stall) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      selectStall(stall);
    }
  };
  const gaps = stats.gaps;
  const shownStalls = stats.stalls.slice(0, MAX_STALL_ROWS);

  return (
    <div className="timing-view scroll">
      <p className="timing-source">{t('timingSource')}</p>
      <dl className="timing-figures">
        <Figure label={t('timingToHeaders')} value={formatMs(stats.timeToHeadersMs)} />
        <Figure
          label={t('timingToFirstEvent')}
          value={stats.timeToFirstEventMs === null ? '—' : formatMs(stats.timeToFirstEventMs)}
        />
        <Figure
          label={t('timingToFirstToken')}
          value={stats.timeToFirstContentMs === null ? '—' : formatMs(stats.timeToFirstContentMs)}
        />
        <Figure
          label={stats.ended ? t('timingDuration') : t('timingDurationSoFar')}
          value={formatMs(stats.durationMs)}
        />
        <Figure label={t('timingEvents')} value={stats.eventCount.toLocaleString()} />
        <Figure label={t('timingEventsPerSecond')} value={formatRate(stats.eventsPerSecond)} />
        <Figure label={t('timingTokensPerSecond')} value={formatRate(stats.tokensPerSecond)} />
        {message?.serverTokensPerSecond !== undefined && (
          // Ollama's own figure counts generation only; ours also counts the wait for the first token.
          <Figure
            label={t('timingServerTokensPerSecond')}
            value={formatRate(message.serverTokensPerSecond)}
          />
        )}
        <Figure
          label={t('timingStallCount')}
          value={
            <span className={stats.stalls.length > 0 ? 'timing-bad' : undefined}>{stats.stalls.length}</span>
          }
        />
      </dl>
      <PhaseBars stats={stats} />
      <h3 className="timing-heading">{t('timingChart')}</h3>
      {stats.eventCount === 0 ? (
        <p className="timing-empty">{t('timingNoEvents')}</p>
      ) : (
        <ArrivalChart
          records={view.records}
          stats={stats}
          startedAt={view.info.startedAt}
          firstContentTime={firstContentTime}
          selectedSeq={selectedSeq}
          onSelectStall={selectStall}
        />
      )}
      {gaps && (
        <>
          <h3 className="timing-heading">{t('timingGaps')}</h3>
          <GapBars stats={stats} />
        </>
      )}
      <h3 className="timing-heading">{t('timingStalls', formatMs(STALL_MS))}</h3>
      {stats.stalls.length === 0 ? (
        <p className="timing-empty">{t('timingNoStalls', formatMs(STALL_MS))}</p>
      ) : (
        <table
          className="grid timing-stalls"
          // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: rows select an event, as in the event table
          role="grid"
          aria-label={t('timingStalls', formatMs(STALL_MS))}
        >
          <thead>
            <tr>
              <th>{t('timingStallAt')}</th>
              <th>{t('timingStallGap')}</th>
              <th>{t('timingStallResumed')}</th>
            </tr>
          </thead>
          <tbody>
            {shownStalls.map((stall) => {
              const selected = stall.seq === selectedSeq;
              const resumed = recordAt(view.records, stall.seq);
              return (
                <tr
                  key={stall.seq}
                  className={selected ? 'selected' : undefined}
                  aria-selected={selected}
                  tabIndex={0}
                  title={t('timingStallTitle', formatMs(stall.gapMs), formatClock(stall.end))}
                  onClick={() => selectStall(stall)}
                  onKeyDown={(event) => onStallKey(event, stall)}
                >
                  <td className="time">{formatMs(stall.start - view.info.startedAt)}</td>
                  <td className="time timing-bad">{formatMs(stall.gapMs)}</td>
                  <td className="timing-stall-event">
                    <span className="time">{formatClock(stall.end)}</span>{' '}
                    <span className="type">{resumed?.type}</span>{' '}
                    <span className="data">
                      {resumed?.data.slice(0, PREVIEW_CHARS).replace(/\r\n|\r|\n/g, '↵')}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {stats.stalls.length > shownStalls.length && (
        <p className="timing-empty">
          {t('timingMoreStalls', String(stats.stalls.length - shownStalls.length))}
        </p>
      )}
      <EventDetail />
    </div>
  );
}
