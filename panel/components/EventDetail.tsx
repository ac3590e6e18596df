import { useMemo, useState } from 'react';
import { allExpanded, defaultStyles, JsonView, type Props as JsonViewProps } from 'react-json-view-lite';
import 'react-json-view-lite/dist/index.css';
import { nestsDeeperThan } from '../../src/bounded-json';
import { t } from '../../src/i18n';
import type { StreamRecord } from '../../src/model';
import { indexOfSeqIn } from '../event-filter';
import { formatBytes, formatClock, formatCount, kindLabel, tryParseJson, utf8Length } from '../format';
import { selectedConnectionView, usePanelStore } from '../store';
import { UnknownTime } from './UnknownTime';
import { useCopyFeedback } from './use-copy-feedback';

type DataMode = 'tree' | 'raw';

/** Above this many characters the tree starts with only its first level open. */
const BIG_PAYLOAD_CHARS = 100_000;
/** Above this many characters (but not big) it opens two levels rather than all. */
const MEDIUM_PAYLOAD_CHARS = 20_000;
/** A big payload whose top level has more entries than this starts as raw text: the tree renders every entry. */
const MAX_ROOT_ENTRIES_SHOWN = 1000;

const openTwoLevels = (level: number) => level < 2;
const openFirstLevel = (level: number) => level < 1;

/** The library's layout classes, with colours from the panel's theme variables (panel.css). */
export const JSON_TREE_STYLES: JsonViewProps['style'] = {
  ...defaultStyles,
  container: 'json-tree',
  label: 'json-label',
  clickableLabel: 'json-label json-clickable',
  nullValue: 'json-null',
  undefinedValue: 'json-null',
  stringValue: 'json-string',
  booleanValue: 'json-boolean',
  numberValue: 'json-number',
  otherValue: 'json-other',
  punctuation: 'json-punctuation',
  expandIcon: `${defaultStyles.expandIcon} json-expander`,
  collapseIcon: `${defaultStyles.collapseIcon} json-expander`,
  collapsedContent: `${defaultStyles.collapsedContent} json-collapsed`,
  // Strings as JSON literals, so a "\n" inside one shows as \n and a value stays on its line.
  stringifyStringValues: true,
  ariaLables: { collapseJson: t('panelJsonCollapse'), expandJson: t('panelJsonExpand') },
};

function entryCount(value: object): number {
  return Array.isArray(value) ? value.length : Object.keys(value).length;
}

interface EventDataProps {
  record: StreamRecord;
  /** The connection's read times are unknown (imported from a HAR). */
  timesUnknown: boolean;
  mode: DataMode;
  setMode(mode: DataMode): void;
  onClose?: () => void;
}

function EventData({ record, timesUnknown, mode, setMode, onClose }: EventDataProps) {
  const [treeAnyway, setTreeAnyway] = useState(false);
  const [feedback, copy] = useCopyFeedback();
  const parsed = useMemo(() => tryParseJson(record.data), [record]);
  const tree = typeof parsed === 'object' && parsed !== null ? parsed : null;
  // The tree renders each open level as nested elements: a deep value opens one level at a time.
  const deep = useMemo(() => tree !== null && nestsDeeperThan(tree), [tree]);
  const big = deep || record.data.length > BIG_PAYLOAD_CHARS;
  const tooWide = tree !== null && big && entryCount(tree) > MAX_ROOT_ENTRIES_SHOWN && !treeAnyway;
  const shown: DataMode = tree && mode === 'tree' && !tooWide ? 'tree' : 'raw';
  const expand = big
    ? openFirstLevel
    : record.data.length > MEDIUM_PAYLOAD_CHARS
      ? openTwoLevels
      : allExpanded;

  return (
    <section className="event-detail" aria-label={t('panelEventDataLabel')}>
      <header>
        <span className="detail-title">
          {record.kind === 'event' ? <b>{record.type}</b> : <b className="kind">{kindLabel(record.kind)}</b>}
          {' · '}
          {t('panelDetailId', record.id === '' ? '—' : record.id)}
          {' · '}
          {timesUnknown ? <UnknownTime /> : formatClock(record.time)}
          {' · '}
          {formatBytes(utf8Length(record, record.data))}
          {record.truncatedFrom !== undefined && (
            <span className="warn"> · {t('panelTruncated', formatCount(record.truncatedFrom))}</span>
          )}
        </span>
        <span className="spacer" />
        {tree && (
          <fieldset className="segmented">
            <legend className="visually-hidden">{t('panelDataView')}</legend>
            <button type="button" aria-pressed={mode === 'tree'} onClick={() => setMode('tree')}>
              {t('panelTree')}
            </button>
            <button type="button" aria-pressed={mode === 'raw'} onClick={() => setMode('raw')}>
              {t('panelRaw')}
            </button>
          </fieldset>
        )}
        <button type="button" onClick={() => copy(record.data)}>
          {t('panelCopy')}
        </button>
        {feedback && (
          <span className="feedback" role="status">
            {feedback}
          </span>
        )}
        {onClose && (
          <button
            type="button"
            className="icon close"
            aria-label={t('panelCloseDetail')}
            title={t('panelCloseDetail')}
            onClick={onClose}
          >
            ×
          </button>
        )}
      </header>
      {tooWide && mode === 'tree' && (
        <p className="note">
          {t('panelTreeTooWide', formatCount(entryCount(tree)))}{' '}
          <button type="button" onClick={() => setTreeAnyway(true)}>
            {t('panelShowTreeAnyway')}
          </button>
        </p>
      )}
      {shown === 'tree' && tree ? (
        <div className="data-body json">
          <JsonView data={tree} style={JSON_TREE_STYLES} shouldExpandNode={expand} />
        </div>
      ) : (
        <pre className="data data-body">{record.data}</pre>
      )}
    </section>
  );
}

/**
 * The selected event: its data as a collapsible JSON tree or as raw text, copyable. With `onClose`, a
 * close button (the Events tab); other views embed it without one.
 */
export function EventDetail({ onClose }: { onClose?: () => void }) {
  const view = usePanelStore(selectedConnectionView);
  const seq = usePanelStore((s) => s.selectedSeq);
  // The user's choice of tree or raw holds while they move from event to event.
  const [mode, setMode] = useState<DataMode>('tree');
  const record = view && seq !== null ? view.records[indexOfSeqIn(view.records, seq)] : undefined;
  if (!view || !record) return null;
  // Keyed by event, so that "show the tree anyway" applies to one event only.
  return (
    <EventData
      key={`${view.info.id}:${record.seq}`}
      record={record}
      timesUnknown={view.info.timesUnknown === true}
      mode={mode}
      setMode={setMode}
      onClose={onClose}
    />
  );
}
