/**
 * The pictures of the Timing view, drawn as SVG by React: the phases of a request (as DevTools'
 * Network ▸ Timing shows them), event arrivals over time with stalls shaded, and the gap distribution.
 * Colours are CSS classes over panel.css's variables, so light and dark themes both read.
 */
import { type RefObject, useEffect, useRef, useState } from 'react';
import { t } from '../../src/i18n';
import type { StreamRecord } from '../../src/model';
import { arrivalHistogram, axisTicks, STALL_MS, type Stall, type TimingStats } from '../../src/timing';
import { formatClock, formatDuration } from '../format';

/** `0.4 ms`, `12 ms`, `1.2 s`: sub-10 ms figures keep a decimal, since gaps between tokens are that small. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0';
  return ms < 10 ? `${ms.toFixed(1)} ms` : formatDuration(ms);
}

/** Width of an element in CSS pixels, following resizes. */
function useWidth(ref: RefObject<HTMLElement | null>, fallback: number): number {
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(120, Math.floor(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

interface Phase {
  label: string;
  from: number;
  to: number;
  className: string;
}

/** Request phases as a waterfall: one row per phase, its bar placed on the request's time axis. */
export function PhaseBars({ stats }: { stats: TimingStats }) {
  const total = Math.max(stats.durationMs, 1);
  const phases: Phase[] = [
    { label: t('timingPhaseHeaders'), from: 0, to: stats.timeToHeadersMs, className: 'phase-wait' },
  ];
  const firstEvent = stats.timeToFirstEventMs;
  const firstToken = stats.timeToFirstContentMs;
  if (firstEvent !== null) {
    phases.push({
      label: t('timingPhaseFirstEvent'),
      from: stats.timeToHeadersMs,
      to: firstEvent,
      className: 'phase-first-event',
    });
    if (firstToken !== null && firstToken > firstEvent) {
      phases.push({
        label: t('timingPhaseFirstToken'),
        from: firstEvent,
        to: firstToken,
        className: 'phase-first-token',
      });
    }
    phases.push({
      label: stats.ended ? t('timingPhaseStreaming') : t('timingPhaseStreamingSoFar'),
      from: Math.max(firstEvent, firstToken ?? firstEvent),
      to: stats.durationMs,
      className: 'phase-streaming',
    });
  }
  return (
    <div className="timing-phases">
      {phases.map((phase) => (
        <div className="timing-phase" key={phase.className}>
          <span className="timing-phase-label">{phase.label}</span>
          <span className="timing-phase-track">
            <span
              className={`timing-phase-bar ${phase.className}`}
              style={{
                left: `${(phase.from / total) * 100}%`,
                width: `max(2px, ${(Math.max(0, phase.to - phase.from) / total) * 100}%)`,
              }}
            />
          </span>
          <span className="timing-phase-value">{formatMs(Math.max(0, phase.to - phase.from))}</span>
        </div>
      ))}
    </div>
  );
}

const CHART_HEIGHT = 150;
const MARGIN = { left: 34, right: 10, top: 16, bottom: 30 };
const RUG_HEIGHT = 6;
/** Stall bands drawn at most (a page can send thousands of slow events; the list says how many). */
const MAX_STALL_BANDS = 500;

export interface ArrivalChartProps {
  records: readonly StreamRecord[];
  stats: TimingStats;
  /** Request start: the chart's time zero. */
  startedAt: number;
  firstContentTime: number | null;
  selectedSeq: number | null;
  onSelectStall: (stall: Stall) => void;
}

/** Events per interval over the life of the request, each event's exact time as a tick below, stalls shaded. */
export function ArrivalChart({
  records,
  stats,
  startedAt,
  firstContentTime,
  selectedSeq,
  onSelectStall,
}: ArrivalChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 600);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = CHART_HEIGHT - MARGIN.top - MARGIN.bottom - RUG_HEIGHT - 2;
  const span = Math.max(stats.durationMs, 1);
  const x = (time: number) => MARGIN.left + ((time - startedAt) / span) * plotW;
  const histogram = arrivalHistogram(
    records,
    startedAt,
    startedAt + span,
    Math.max(10, Math.min(120, plotW / 5)),
  );
  const maxCount = Math.max(1, histogram.maxCount);
  const barW = (histogram.bucketMs / span) * plotW;
  const plotBottom = MARGIN.top + plotH;

  // One tick per pixel column that holds an event: bounded by the width, whatever the event count.
  const columns = new Uint8Array(Math.ceil(width) + 1);
  let rug = '';
  for (const record of records) {
    if (record.kind !== 'event') continue;
    const column = Math.round(x(record.time));
    if (column < 0 || column > width || columns[column]) continue;
    columns[column] = 1;
    rug += `M${column} ${plotBottom + 2}v${RUG_HEIGHT}`;
  }
  const axisY = plotBottom + RUG_HEIGHT + 3;
  const ticks = axisTicks(span, Math.max(2, Math.floor(plotW / 80)));

  return (
    <div className="timing-chart" ref={box}>
      <svg width={width} height={CHART_HEIGHT} role="img" aria-label={t('timingChartLabel')}>
        <title>{t('timingChartLabel')}</title>
        {stats.stalls.slice(0, MAX_STALL_BANDS).map((stall) => {
          const left = x(stall.start);
          const bandW = Math.max(2, x(stall.end) - left);
          const selected = stall.seq === selectedSeq;
          return (
            // biome-ignore lint/a11y/noStaticElementInteractions: the stall table below offers the same action to the keyboard
            <g
              key={stall.seq}
              className={selected ? 'timing-stall-band selected' : 'timing-stall-band'}
              onClick={() => onSelectStall(stall)}
            >
              <title>{t('timingStallTitle', formatMs(stall.gapMs), formatClock(stall.end))}</title>
              <rect x={left} y={MARGIN.top - 12} width={bandW} height={plotH + 12 + RUG_HEIGHT + 2} />
              {bandW > 34 && (
                <text x={left + bandW / 2} y={MARGIN.top - 3} textAnchor="middle">
                  {formatMs(stall.gapMs)}
                </text>
              )}
            </g>
          );
        })}
        {histogram.counts.map((count, i) => {
          if (count === 0) return null;
          const from = histogram.from + i * histogram.bucketMs;
          const h = Math.max(1, (count / maxCount) * plotH);
          return (
            <rect
              // biome-ignore lint/suspicious/noArrayIndexKey: a bucket is its position
              key={i}
              className="timing-bar"
              x={x(from) + 0.5}
              y={plotBottom - h}
              width={Math.max(1, barW - 1)}
              height={h}
            >
              <title>
                {t(
                  'timingBucket',
                  String(count),
                  formatMs(from - startedAt),
                  formatMs(from - startedAt + histogram.bucketMs),
                )}
              </title>
            </rect>
          );
        })}
        <path className="timing-rug" d={rug} />
        <line
          className="timing-axis"
          x1={MARGIN.left}
          x2={MARGIN.left + plotW}
          y1={plotBottom}
          y2={plotBottom}
        />
        <text className="timing-axis-label" x={MARGIN.left - 4} y={MARGIN.top + 4} textAnchor="end">
          {histogram.maxCount}
        </text>
        <text className="timing-axis-label" x={MARGIN.left - 4} y={plotBottom} textAnchor="end">
          0
        </text>
        {firstContentTime !== null && (
          <line
            className="timing-marker-token"
            x1={x(firstContentTime)}
            x2={x(firstContentTime)}
            y1={MARGIN.top - 4}
            y2={plotBottom + RUG_HEIGHT + 2}
          >
            <title>{`${t('timingLegendFirstToken')}: ${formatMs(firstContentTime - startedAt)}`}</title>
          </line>
        )}
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              className="timing-axis"
              x1={x(startedAt + tick)}
              x2={x(startedAt + tick)}
              y1={axisY}
              y2={axisY + 3}
            />
            <text
              className="timing-axis-label"
              x={x(startedAt + tick)}
              y={axisY + 14}
              textAnchor={tick === 0 ? 'start' : 'middle'}
            >
              {formatMs(tick)}
            </text>
          </g>
        ))}
      </svg>
      <div className="timing-legend">
        <span className="timing-key timing-key-bar" />
        {t('timingLegendEvents')} ({formatMs(histogram.bucketMs)})
        {firstContentTime !== null && (
          <>
            <span className="timing-key timing-key-token" />
            {t('timingLegendFirstToken')}
          </>
        )}
        {stats.stalls.length > 0 && (
          <>
            <span className="timing-key timing-key-stall" />
            {t('timingLegendStall')} (≥ {formatMs(STALL_MS)})
          </>
        )}
      </div>
    </div>
  );
}

/** p50, p95 and max gap as bars against the stall threshold, so a slow tail stands out. */
export function GapBars({ stats }: { stats: TimingStats }) {
  const gaps = stats.gaps;
  if (!gaps) return null;
  const scale = Math.max(gaps.max, STALL_MS);
  const rows: [string, number][] = [
    ['p50', gaps.p50],
    ['p95', gaps.p95],
    [t('timingMaxGap'), gaps.max],
  ];
  const threshold = (STALL_MS / scale) * 100;
  return (
    <div className="timing-gaps">
      {rows.map(([label, value]) => (
        <div className="timing-gap" key={label}>
          <span className="timing-gap-label">{label}</span>
          <span className="timing-gap-track">
            <span
              className={value >= STALL_MS ? 'timing-gap-bar stalled' : 'timing-gap-bar'}
              style={{ width: `max(1px, ${(value / scale) * 100}%)` }}
            />
            <span className="timing-gap-threshold" style={{ left: `${threshold}%` }} />
          </span>
          <span className="timing-gap-value">{formatMs(value)}</span>
        </div>
      ))}
    </div>
  );
}
