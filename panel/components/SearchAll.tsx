import { type KeyboardEvent, useDeferredValue, useMemo, useRef, useState } from 'react';
import { t } from '../../src/i18n';
import { DEFAULT_SORT, listConnections } from '../connection-query';
import {
  type FilteredRows,
  filterKeyOf,
  filterRows,
  type ParsedQuery,
  parseQuery,
  rowAt,
  rowIndexAfterSeq,
  rowIndexOfSeq,
} from '../event-filter';
import { formatCount } from '../format';
import { usePanelStore } from '../store';

const ALL = { text: '', state: 'all', sort: DEFAULT_SORT } as const;

/**
 * Search over every connection's events (text or /regex/, like the event filter). Enter goes to the
 * next hit and Shift+Enter to the previous: the hit's connection and event are selected and scrolled
 * into view. Each connection's hits are kept incrementally, so live streams cost only their new events.
 */
export function SearchAll() {
  const capture = usePanelStore((s) => s.capture);
  const imported = usePanelStore((s) => s.imported);
  const showComments = usePanelStore((s) => s.eventFilter.showComments);
  const sort = usePanelStore((s) => s.connectionQuery.sort);
  const [typed, setText] = useState('');
  // Searching re-tests every event of every connection: keep typing responsive (see useEventRows).
  const text = useDeferredValue(typed);
  const [position, setPosition] = useState<{ key: string; seq: number } | null>(null);
  const cache = useRef(new Map<string, FilteredRows>());
  const connections = listConnections(capture, imported, { ...ALL, sort }, 0);

  /** Each connection's hits for `search` (incremental per connection, like the event filter). */
  function hitsFor(search: string, query: ParsedQuery) {
    const hits: { key: string; rows: FilteredRows }[] = [];
    let total = 0;
    if (!query.ok || !query.matcher) return { hits, total };
    const key = filterKeyOf(search, null);
    const next = new Map<string, FilteredRows>();
    for (const { key: connectionKey, view } of connections) {
      const source = showComments ? view.records : view.events;
      const rows = filterRows(
        cache.current.get(connectionKey),
        source,
        { matcher: query.matcher, type: null },
        key,
      );
      next.set(connectionKey, rows);
      if (rows.length > 0) hits.push({ key: connectionKey, rows });
      total += rows.length;
    }
    // Cleared connections' entries go with them.
    cache.current = next;
    return { hits, total };
  }

  const query = useMemo(() => parseQuery(text), [text]);
  const { hits: hitsForShown, total } = hitsFor(text, query);

  /** 1-based number of the current hit among all, or 0 when there is none. */
  let ordinal = 0;
  if (position) {
    let before = 0;
    for (const hit of hitsForShown) {
      if (hit.key === position.key) {
        const index = rowIndexOfSeq(hit.rows, position.seq);
        ordinal = index === -1 ? 0 : before + index + 1;
        break;
      }
      before += hit.rows.length;
    }
  }

  function go(forward: boolean) {
    // Enter right after typing: the deferred hits may still be those of the previous text.
    const { hits } = typed === text ? { hits: hitsForShown } : hitsFor(typed, parseQuery(typed));
    if (hits.length === 0) return;
    let target: { key: string; seq: number } | null = null;
    const at = position ? hits.findIndex((h) => h.key === position.key) : -1;
    if (at !== -1 && position) {
      const rows = (hits[at] as (typeof hits)[number]).rows;
      // Rows are in seq order: the next hit is the first after the position, the previous the last before.
      const index = forward
        ? rowIndexAfterSeq(rows, position.seq)
        : rowIndexAfterSeq(rows, position.seq - 1) - 1;
      const record = rowAt(rows, index);
      if (record) target = { key: position.key, seq: record.seq };
    }
    if (!target) {
      const step = forward ? 1 : -1;
      const start = at === -1 ? (forward ? 0 : hits.length - 1) : (at + step + hits.length) % hits.length;
      const hit = hits[start] as (typeof hits)[number];
      const record = rowAt(hit.rows, forward ? 0 : hit.rows.length - 1);
      if (record) target = { key: hit.key, seq: record.seq };
    }
    if (!target) return;
    setPosition(target);
    usePanelStore.getState().reveal(target.key, target.seq);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      go(!event.shiftKey);
    } else if (event.key === 'Escape' && typed !== '') {
      setText('');
      setPosition(null);
    }
  }

  let status = '';
  if (!query.ok) status = t('panelSearchInvalid');
  else if (query.matcher)
    status =
      total === 0
        ? t('panelSearchNoMatches')
        : t('panelSearchCount', formatCount(ordinal), formatCount(total));

  return (
    <search className="search-all" aria-label={t('panelSearchAllLabel')}>
      <input
        type="search"
        className={query.ok ? 'filter-input' : 'filter-input invalid'}
        placeholder={t('panelSearchAllPlaceholder')}
        aria-label={t('panelSearchAllLabel')}
        aria-invalid={!query.ok}
        title={query.ok ? t('panelSearchAllTitle') : query.error}
        value={typed}
        onChange={(e) => {
          setText(e.target.value);
          setPosition(null);
        }}
        onKeyDown={onKeyDown}
        spellCheck={false}
      />
      <button
        type="button"
        className="icon"
        aria-label={t('panelSearchPrevious')}
        title={t('panelSearchPrevious')}
        disabled={total === 0}
        onClick={() => go(false)}
      >
        ▲
      </button>
      <button
        type="button"
        className="icon"
        aria-label={t('panelSearchNext')}
        title={t('panelSearchNext')}
        disabled={total === 0}
        onClick={() => go(true)}
      >
        ▼
      </button>
      {status && (
        <span className={query.ok ? 'search-status' : 'search-status invalid'} role="status">
          {status}
        </span>
      )}
    </search>
  );
}
