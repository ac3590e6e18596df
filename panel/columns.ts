import { loadPreference, savePreference } from './persisted';

/**
 * Columns of the event table; `data` is always shown. `summary` (what the event means, one line) is
 * shown only for streams of a recognised shape.
 */
export type EventColumn = 'id' | 'type' | 'summary' | 'data' | 'time' | 'delta' | 'size';

export const EVENT_COLUMNS: readonly EventColumn[] = [
  'id',
  'type',
  'summary',
  'data',
  'time',
  'delta',
  'size',
];
/** Columns the user may hide. */
export const HIDEABLE_COLUMNS: readonly EventColumn[] = ['id', 'type', 'summary', 'time', 'delta', 'size'];

const STORAGE_KEY = 'hiddenEventColumns';

function isColumnList(value: unknown): value is EventColumn[] {
  return Array.isArray(value) && value.every((c) => HIDEABLE_COLUMNS.includes(c));
}

/** The hidden columns the user chose last time (none by default). */
export function loadHiddenColumns(): ReadonlySet<EventColumn> {
  return new Set(loadPreference<EventColumn[]>(STORAGE_KEY, [], isColumnList));
}

export function saveHiddenColumns(hidden: ReadonlySet<EventColumn>): void {
  savePreference(STORAGE_KEY, [...hidden]);
}
