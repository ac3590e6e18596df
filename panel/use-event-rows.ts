import { useDeferredValue, useMemo, useRef } from 'react';
import type { StreamRecord } from '../src/model';
import type { ConnectionView } from './capture-model';
import { messageOf, shapeDecidedOf, summariesOf } from './components/llm-message';
import {
  type FilteredRows,
  filterKeyOf,
  filterRows,
  type ParsedQuery,
  parseQuery,
  type TypesSeen,
  typesSeen,
} from './event-filter';
import { selectedConnectionView, usePanelStore } from './store';

const NO_RECORDS: readonly StreamRecord[] = [];

/** What the event table of the selected connection shows. */
export interface EventRows {
  view: ConnectionView | undefined;
  /** The records the table draws from: events, or the whole timeline with comments shown. */
  source: readonly StreamRecord[];
  rows: FilteredRows;
  query: ParsedQuery;
  types: TypesSeen | null;
  /** The summary of an event by `seq`, when the stream's shape is recognised; else null. */
  summaryOf: ((seq: number) => string | undefined) | null;
}

/**
 * The selected connection's rows under the current filter. The connection's arrays grow in place and
 * its view object changes on every update, so each update filters only the records it added.
 */
export function useEventRows(): EventRows {
  const view = usePanelStore(selectedConnectionView);
  const { query: typed, type, showComments } = usePanelStore((s) => s.eventFilter);
  // A new query re-tests every record (100 000 of them take a few hundred ms): the filter box shows
  // each keystroke at once and the table follows when React has time.
  const text = useDeferredValue(typed);
  const query = useMemo(() => parseQuery(text), [text]);
  const source = view ? (showComments ? view.records : view.events) : NO_RECORDS;
  const rowsCache = useRef<FilteredRows | undefined>(undefined);
  const typesCache = useRef<TypesSeen | undefined>(undefined);
  // The reassembler behind the summaries is brought up to date before the rows are filtered.
  const recognised = view ? messageOf(view) !== null : false;
  const decided = view ? shapeDecidedOf(view) : false;
  // One function per connection: it reads the connection's reassembler, which grows in place.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `view.info` is the connection
  const summaryOf = useMemo(() => (view && recognised ? summariesOf(view) : null), [view?.info, recognised]);
  // `view` stands for its version: the arrays are the same objects after an append.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  const rows = useMemo(() => {
    const matcher = query.ok ? query.matcher : null;
    rowsCache.current = filterRows(
      rowsCache.current,
      source,
      { matcher, type, summaryOf: summaryOf ? (record) => summaryOf(record.seq) : undefined },
      filterKeyOf(query.ok ? text : '', type, decided ? (summaryOf ? 'summaries' : 'none') : 'undecided'),
    );
    return rowsCache.current;
  }, [view, source, query, text, type, summaryOf, decided]);
  const types = useMemo(() => {
    if (!view) return null;
    typesCache.current = typesSeen(typesCache.current, view.events);
    return typesCache.current;
  }, [view]);
  return { view, source, rows, query, types, summaryOf };
}
