/**
 * Records in columns, for the trip from the page agent to the panel.
 *
 * Why: the agent and the relay share the page's main thread, and structured-cloning an array of
 * record objects (serialising and deserialising every object and string) was most of the capture's
 * cost on a fast stream (docs/performance.md, figure 1). In columns, a batch is one string and a few
 * arrays of numbers: cheap to clone, and the relay and the service worker pass it on without
 * unpacking. The panel unpacks it, checking everything (the page can forge anything the agent sends).
 */
import type { StreamRecord, StreamRecordKind } from './model';

/** A batch of one connection's records in columns; index `i` of every column is record `i`. */
export interface PackedRecords {
  seq: number[];
  /** One character per record: see KIND_CODES. */
  kind: string;
  time: number[];
  /** Every record's `data`, concatenated. */
  text: string;
  /** Length of each record's `data` within `text`. */
  length: number[];
  /** Distinct event types of the batch, and each record's index into it. */
  types: string[];
  type: number[];
  /** Distinct last-event IDs of the batch, and each record's index into it. */
  ids: string[];
  id: number[];
  /** The rare optional fields, flat: record index, field code (EXTRA_FIELDS), value; repeated. */
  extra: number[];
}

const KIND_CODES: Record<StreamRecordKind, string> = {
  event: 'e',
  comment: 'c',
  retry: 'r',
  open: 'o',
  error: 'x',
};
const KIND_OF_CODE: Record<string, StreamRecordKind> = {
  e: 'event',
  c: 'comment',
  r: 'retry',
  o: 'open',
  x: 'error',
};
const EXTRA_FIELDS = ['retry', 'truncatedFrom', 'attempt'] as const;

export function packRecords(records: readonly StreamRecord[]): PackedRecords {
  const seq: number[] = [];
  const time: number[] = [];
  const length: number[] = [];
  const type: number[] = [];
  const id: number[] = [];
  const extra: number[] = [];
  const types: string[] = [];
  const ids: string[] = [];
  const typeIndex = new Map<string, number>();
  const idIndex = new Map<string, number>();
  const texts: string[] = [];
  let kind = '';
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as StreamRecord;
    seq[i] = record.seq;
    time[i] = record.time;
    kind += KIND_CODES[record.kind];
    texts[i] = record.data;
    length[i] = record.data.length;
    let t = typeIndex.get(record.type);
    if (t === undefined) {
      t = types.length;
      types[t] = record.type;
      typeIndex.set(record.type, t);
    }
    type[i] = t;
    let d = idIndex.get(record.id);
    if (d === undefined) {
      d = ids.length;
      ids[d] = record.id;
      idIndex.set(record.id, d);
    }
    id[i] = d;
    for (let f = 0; f < EXTRA_FIELDS.length; f++) {
      const value = record[EXTRA_FIELDS[f] as (typeof EXTRA_FIELDS)[number]];
      if (value !== undefined) extra.push(i, f, value);
    }
  }
  return { seq, kind, time, text: texts.join(''), length, types, type, ids, id, extra };
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumberArray = (v: unknown, n: number): v is number[] =>
  Array.isArray(v) && v.length === n && v.every(isFiniteNumber);
const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Cheap shape check for routing (no per-record work): the columns are there and agree in count. */
export function isPackedRecordsShape(value: unknown): value is PackedRecords {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  if (!Array.isArray(p.seq) || typeof p.kind !== 'string' || typeof p.text !== 'string') return false;
  const n = p.seq.length;
  return (
    p.kind.length === n &&
    [p.time, p.length, p.type, p.id].every((column) => Array.isArray(column) && column.length === n) &&
    Array.isArray(p.types) &&
    Array.isArray(p.ids) &&
    Array.isArray(p.extra)
  );
}

/** The records of a packed batch, or `null` when anything in it is inconsistent. */
export function unpackRecords(value: unknown): StreamRecord[] | null {
  if (!isPackedRecordsShape(value)) return null;
  const n = value.seq.length;
  const { kind, text, types, ids, extra } = value;
  if (
    !isNumberArray(value.seq, n) ||
    !isNumberArray(value.time, n) ||
    !isNumberArray(value.length, n) ||
    !isNumberArray(value.type, n) ||
    !isNumberArray(value.id, n) ||
    !isStringArray(types) ||
    !isStringArray(ids) ||
    !isNumberArray(extra, extra.length) ||
    extra.length % 3 !== 0
  ) {
    return null;
  }
  const records: StreamRecord[] = new Array(n);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const recordKind = KIND_OF_CODE[kind[i] as string];
    const dataLength = value.length[i] as number;
    const type = types[value.type[i] as number];
    const id = ids[value.id[i] as number];
    if (
      !recordKind ||
      type === undefined ||
      id === undefined ||
      dataLength < 0 ||
      !Number.isInteger(dataLength)
    ) {
      return null;
    }
    records[i] = {
      seq: value.seq[i] as number,
      kind: recordKind,
      id,
      type,
      data: text.slice(offset, offset + dataLength),
      time: value.time[i] as number,
    };
    offset += dataLength;
  }
  if (offset !== text.length) return null;
  for (let e = 0; e < extra.length; e += 3) {
    const record = records[extra[e] as number];
    const field = EXTRA_FIELDS[extra[e + 1] as number];
    if (!record || !field) return null;
    record[field] = extra[e + 2] as number;
  }
  return records;
}

/**
 * Records `start` to `end` (exclusive) of a packed batch, still packed: the relay cuts a batch at a
 * limit without unpacking it. `types` and `ids` are kept whole (indexes into them stay valid).
 */
export function slicePackedRecords(records: PackedRecords, start: number, end: number): PackedRecords {
  let from = 0;
  for (let i = 0; i < start; i++) from += records.length[i] ?? 0;
  let to = from;
  for (let i = start; i < end; i++) to += records.length[i] ?? 0;
  const extra: number[] = [];
  for (let e = 0; e + 2 < records.extra.length; e += 3) {
    const index = records.extra[e] as number;
    if (index >= start && index < end)
      extra.push(index - start, records.extra[e + 1] as number, records.extra[e + 2] as number);
  }
  return {
    seq: records.seq.slice(start, end),
    kind: records.kind.slice(start, end),
    time: records.time.slice(start, end),
    text: records.text.slice(from, to),
    length: records.length.slice(start, end),
    types: records.types,
    type: records.type.slice(start, end),
    ids: records.ids,
    id: records.id.slice(start, end),
    extra,
  };
}
