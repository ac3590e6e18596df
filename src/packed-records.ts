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

/** A string → index table with no prototype, so no key is inherited (or planted by a page). */
const newIndex = () => ({ __proto__: null }) as unknown as Record<string, number | undefined>;

/**
 * Builds one connection's `PackedRecords` record by record, without making record objects: the
 * parsers write into it directly on the page's thread (figure 1 of docs/performance.md), and `take`
 * hands over what was added so far and starts a new batch.
 */
export class PackedRecordsBuilder {
  // Written for the page's world: indexed stores and `+=`, no `push`, `join` or `Map`, which a page
  // may replace after load.
  private seq: number[] = [];
  private kinds = '';
  private time: number[] = [];
  private text = '';
  private length: number[] = [];
  private types: string[] = [];
  private type: number[] = [];
  private ids: string[] = [];
  private id: number[] = [];
  private extra: number[] = [];
  private typeIndex = newIndex();
  // Most records repeat the previous record's type: checked before the index.
  private lastType = '';
  private lastTypeIndex = -1;
  // Ids are interned against the previous record only: a stream either keeps one id for many
  // records or gives each event its own, and an index entry per unique id costs more than it saves.
  private lastId = '';
  private lastIdIndex = -1;

  /** Records added since the last `take`. */
  get count(): number {
    return this.seq.length;
  }

  add(
    seq: number,
    kind: StreamRecordKind,
    id: string,
    type: string,
    data: string,
    time: number,
    retry: number | undefined,
    truncatedFrom: number | undefined,
    attempt: number | undefined,
  ): void {
    const i = this.seq.length;
    this.seq[i] = seq;
    this.kinds += KIND_CODES[kind];
    this.time[i] = time;
    this.text += data;
    this.length[i] = data.length;
    if (this.lastTypeIndex === -1 || type !== this.lastType) {
      let t = this.typeIndex[type];
      if (t === undefined) {
        t = this.types.length;
        this.types[t] = type;
        this.typeIndex[type] = t;
      }
      this.lastType = type;
      this.lastTypeIndex = t;
    }
    this.type[i] = this.lastTypeIndex;
    if (this.lastIdIndex === -1 || id !== this.lastId) {
      this.lastIdIndex = this.ids.length;
      this.ids[this.lastIdIndex] = id;
      this.lastId = id;
    }
    this.id[i] = this.lastIdIndex;
    const extra = this.extra;
    if (retry !== undefined) {
      extra[extra.length] = i;
      extra[extra.length] = 0;
      extra[extra.length] = retry;
    }
    if (truncatedFrom !== undefined) {
      extra[extra.length] = i;
      extra[extra.length] = 1;
      extra[extra.length] = truncatedFrom;
    }
    if (attempt !== undefined) {
      extra[extra.length] = i;
      extra[extra.length] = 2;
      extra[extra.length] = attempt;
    }
  }

  addRecord(record: StreamRecord): void {
    this.add(
      record.seq,
      record.kind,
      record.id,
      record.type,
      record.data,
      record.time,
      record.retry,
      record.truncatedFrom,
      record.attempt,
    );
  }

  /** The records added since the last call, in columns; the builder starts empty again. */
  take(): PackedRecords {
    const packed: PackedRecords = {
      seq: this.seq,
      kind: this.kinds,
      time: this.time,
      text: this.text,
      length: this.length,
      types: this.types,
      type: this.type,
      ids: this.ids,
      id: this.id,
      extra: this.extra,
    };
    this.seq = [];
    this.kinds = '';
    this.time = [];
    this.text = '';
    this.length = [];
    this.types = [];
    this.type = [];
    this.ids = [];
    this.id = [];
    this.extra = [];
    this.typeIndex = newIndex();
    this.lastTypeIndex = -1;
    this.lastIdIndex = -1;
    return packed;
  }
}

export function packRecords(records: readonly StreamRecord[]): PackedRecords {
  const builder = new PackedRecordsBuilder();
  for (const record of records) builder.addRecord(record);
  return builder.take();
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
