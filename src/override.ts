/**
 * Overrides: armed replays of a captured connection (docs/architecture.md, "Replay runs the same path
 * backwards"). The panel makes one from a connection, the service worker keeps it for the tab (or
 * pins it to the site), the relay holds its schedule (content-scripts/replay-schedule.ts) and the
 * page agent answers a matching request from it without reaching the network.
 *
 * Pure: the model, its defaults and the matching rule, shared by every context.
 */
import type { ConnectionInfo, HeaderMap, StreamChunk, StreamFormat, StreamRecord } from './model';

/**
 * Which requests an override answers.
 * - `exact`: the same method and URL.
 * - `ignore-query`: the same method and URL up to the query string (and fragment).
 * - `pattern`: the same method and a URL matching `pattern`, where `*` stands for any characters.
 */
export type OverrideMatchMode = 'exact' | 'ignore-query' | 'pattern';

export interface OverrideMatch {
  method: string;
  url: string;
  mode: OverrideMatchMode;
  /** Used when `mode` is `pattern`; `*` matches any run of characters, everything else itself. */
  pattern: string;
}

/** One read of the recorded body, as exports carry it: when (ms since the request) and its exact text. */
export interface ReplayChunk {
  elapsedMs: number;
  text: string;
}

/** What the override answers with: the recorded response and body. */
export interface OverrideResponse {
  status: number;
  statusText: string;
  headers: HeaderMap;
  format: StreamFormat;
  /** When the response headers arrived, ms after the request was made. */
  headersMs: number;
  /**
   * The body, read by read, with its exact text and chunk boundaries. For an `EventSource`
   * capture (which holds events, not bytes) each record is written as its own event-stream block.
   */
  chunks: ReplayChunk[];
}

/**
 * How the body is paced: at the recorded times scaled by `speed` (2: twice as fast), or all at
 * once (`speed` null: the whole body in one chunk as soon as the headers are sent).
 */
export interface OverrideTiming {
  speed: number | null;
}

/**
 * Key in `chrome.storage.local` of a flag the service worker keeps true while any override exists;
 * only then does it register the script that has a new document's relay ask for its tab's overrides
 * (extension/background/content-scripts.ts), so a page load otherwise costs no message.
 */
export const OVERRIDES_ARMED_KEY = 'overridesArmed';

/** Speeds the panel offers, and the bounds any stored speed is clamped to. */
export const REPLAY_SPEEDS = [0.25, 0.5, 1, 2, 5, 10] as const;
export const MIN_REPLAY_SPEED = 0.25;
export const MAX_REPLAY_SPEED = 10;

/** Statuses the "another status" fault offers. */
export const FAULT_STATUSES = [429, 500, 503] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

/**
 * A fault injected into the replay, for testing how a UI handles errors. Events are numbered from
 * 1, in the order the page would receive them (comments and `retry:` lines are not events).
 * - `cut`: the body stops right after event `afterEvent`, as a network error (the page's read
 *   rejects) or as a clean end.
 * - `drop-end-marker`: the protocol's end marker (`[DONE]`, `message_stop`…) is not sent.
 * - `stall`: nothing arrives for `seconds` before event `beforeEvent`.
 * - `status`: another HTTP status with `body` instead of the recorded response; a 429 carries
 *   `Retry-After: retryAfter` (seconds).
 * - `edit`: event `event` carries `data` instead of its recorded data.
 */
export type OverrideFault =
  | { kind: 'cut'; afterEvent: number; as: 'network-error' | 'clean-end' }
  | { kind: 'drop-end-marker' }
  | { kind: 'stall'; beforeEvent: number; seconds: number }
  | { kind: 'status'; status: FaultStatus; retryAfter: number; body: string }
  | { kind: 'edit'; event: number; data: string };

export type OverrideFaultKind = OverrideFault['kind'];

/** An armed replay. */
export interface Override {
  /** Unique; made by the panel. */
  id: string;
  match: OverrideMatch;
  response: OverrideResponse;
  timing: OverrideTiming;
  /** At most one of each kind. */
  faults: OverrideFault[];
  /** Switched off: kept and listed, but answers nothing. */
  enabled: boolean;
  /**
   * Pinned to the site (`origin`, the exact origin of the tab's page when it was armed): kept in
   * `chrome.storage.local` and armed in every tab of that site. Otherwise it ends with the tab's session.
   */
  pinned: boolean;
  origin: string;
  /** How many requests it answered. */
  served: number;
  /** The connection it was made from, as the panel knew it (for the list). */
  source: { connectionId: string; transport: ConnectionInfo['transport'] };
}

/** A connection as an override is made from it: its info, and its chunks or (EventSource) its records. */
export interface OverrideSource {
  info: ConnectionInfo;
  records: readonly StreamRecord[];
  chunks?: readonly StreamChunk[];
}

/**
 * The body of `source` as replay chunks: its chunks when it has them (exact text and boundaries),
 * otherwise (an `EventSource` capture, or one that predates chunks) each record as an event-stream
 * block at its time, so that parsing the text again gives the same events.
 */
export function replayChunksOf(source: OverrideSource): ReplayChunk[] {
  const { startedAt } = source.info;
  const elapsed = (time: number) => Math.max(0, time - startedAt);
  if (source.chunks && source.chunks.length > 0) {
    return source.chunks.map((chunk) => ({ elapsedMs: elapsed(chunk.time), text: chunk.text }));
  }
  const chunks: ReplayChunk[] = [];
  let lastId = '';
  for (const record of source.records) {
    const text = recordBlock(record, lastId, source.info.format);
    lastId = record.id;
    if (text) chunks.push({ elapsedMs: elapsed(record.time), text });
  }
  return chunks;
}

/** One record as the text a server sends for it (event-stream block, or an NDJSON line). */
function recordBlock(record: StreamRecord, lastId: string, format: StreamFormat): string {
  if (format === 'ndjson') return record.kind === 'event' ? `${record.data}\n` : '';
  const id = record.id !== lastId ? `id: ${record.id}\n` : '';
  switch (record.kind) {
    case 'event': {
      const type = record.type === 'message' ? '' : `event: ${record.type}\n`;
      return `${id}${type}${dataLines(record.data)}\n`;
    }
    case 'comment':
      return `${id ? `${id}\n` : ''}: ${record.data}\n`;
    case 'retry':
      return `${id ? `${id}\n` : ''}retry: ${record.data}\n`;
    default:
      // An EventSource's open and error are not bytes of the stream.
      return '';
  }
}

/** `data` as `data:` lines (the parser joined several with LF). */
export function dataLines(data: string): string {
  return data
    .split('\n')
    .map((line) => `data: ${line}\n`)
    .join('');
}

/** The recorded response of `source`; an EventSource capture, which holds no headers, gets the event-stream ones. */
export function overrideResponseOf(source: OverrideSource): OverrideResponse {
  const { info } = source;
  const eventSource = info.transport === 'eventsource';
  return {
    status: eventSource ? 200 : info.status,
    statusText: eventSource ? 'OK' : info.statusText,
    headers: eventSource ? { 'content-type': 'text/event-stream' } : { ...info.responseHeaders },
    format: info.format,
    headersMs: Math.max(0, info.headersAt - info.startedAt),
    chunks: replayChunksOf(source),
  };
}

/** The origin of `url`, or '' when it has none. */
function originOf(url: string): string {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? '' : origin;
  } catch {
    return '';
  }
}

/**
 * The override "Replay in page" arms with one click: same method and URL, recorded timing, no
 * fault, for this tab only. `pageUrl`: the tab's page (its origin is what pinning keeps it to).
 */
export function createOverride(id: string, source: OverrideSource, pageUrl: string): Override {
  const { info } = source;
  return {
    id,
    match: { method: info.method, url: info.url, mode: 'exact', pattern: info.url },
    response: overrideResponseOf(source),
    timing: { speed: 1 },
    faults: [],
    enabled: true,
    pinned: false,
    origin: originOf(pageUrl) || originOf(info.frameUrl) || originOf(info.url),
    served: 0,
    source: { connectionId: info.id, transport: info.transport },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The match as a regular expression's source, tested against `METHOD URL` (the method upper-cased,
 * the URL absolute). The page agent tests only this: it carries no URL parsing of its own.
 */
export function matchSource(match: OverrideMatch): string {
  const method = escapeRegExp(match.method.toUpperCase());
  switch (match.mode) {
    case 'exact':
      return `^${method} ${escapeRegExp(match.url)}$`;
    case 'ignore-query': {
      const base = match.url.replace(/[?#].*$/, '');
      return `^${method} ${escapeRegExp(base)}(?:[?#].*)?$`;
    }
    case 'pattern':
      return `^${method} ${match.pattern.split('*').map(escapeRegExp).join('.*')}$`;
  }
}

/** Whether a request of `method` to the absolute `url` is one `match` answers. */
export function matchesRequest(match: OverrideMatch, method: string, url: string): boolean {
  return new RegExp(matchSource(match)).test(`${method.toUpperCase()} ${url}`);
}

/** `speed` within the offered bounds (null: all at once). */
export function clampSpeed(speed: number | null): number | null {
  if (speed === null || !Number.isFinite(speed)) return null;
  return Math.min(MAX_REPLAY_SPEED, Math.max(MIN_REPLAY_SPEED, speed));
}

/** `faults` with `fault` in place of any of its kind. */
export function withFault(faults: readonly OverrideFault[], fault: OverrideFault): OverrideFault[] {
  return [...faults.filter((f) => f.kind !== fault.kind), fault];
}

/** `faults` without the one of `kind`. */
export function withoutFault(faults: readonly OverrideFault[], kind: OverrideFaultKind): OverrideFault[] {
  return faults.filter((f) => f.kind !== kind);
}

/** What the panel may change of an armed override. */
export type OverridePatch = Partial<Pick<Override, 'match' | 'timing' | 'faults' | 'enabled' | 'pinned'>>;

/** `override` with `patch` applied, its speed clamped. */
export function patchOverride(override: Override, patch: OverridePatch): Override {
  const next = { ...override, ...patch };
  return { ...next, timing: { speed: clampSpeed(next.timing.speed) } };
}

// ---------------------------------------------------------------------------------------------
// Checks: overrides come back from storage and across ports; a malformed one is dropped.

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isHeaderMap(value: unknown): value is HeaderMap {
  return isObject(value) && Object.values(value).every(isString);
}

export function isOverrideMatch(value: unknown): value is OverrideMatch {
  return (
    isObject(value) &&
    isString(value.method) &&
    isString(value.url) &&
    isString(value.pattern) &&
    ['exact', 'ignore-query', 'pattern'].includes(value.mode as string)
  );
}

export function isOverrideFault(value: unknown): value is OverrideFault {
  if (!isObject(value)) return false;
  switch (value.kind) {
    case 'cut':
      return isCount(value.afterEvent) && (value.as === 'network-error' || value.as === 'clean-end');
    case 'drop-end-marker':
      return true;
    case 'stall':
      return isCount(value.beforeEvent) && isNumber(value.seconds) && value.seconds >= 0;
    case 'status':
      return (
        FAULT_STATUSES.includes(value.status as FaultStatus) &&
        isCount(value.retryAfter) &&
        isString(value.body)
      );
    case 'edit':
      return isCount(value.event) && isString(value.data);
    default:
      return false;
  }
}

function isOverrideResponse(value: unknown): value is OverrideResponse {
  return (
    isObject(value) &&
    isCount(value.status) &&
    isString(value.statusText) &&
    isHeaderMap(value.headers) &&
    (value.format === 'sse' || value.format === 'ndjson') &&
    isNumber(value.headersMs) &&
    Array.isArray(value.chunks) &&
    value.chunks.every((c) => isObject(c) && isNumber(c.elapsedMs) && isString(c.text))
  );
}

export function isOverride(value: unknown): value is Override {
  return (
    isObject(value) &&
    isString(value.id) &&
    isOverrideMatch(value.match) &&
    isOverrideResponse(value.response) &&
    isObject(value.timing) &&
    (value.timing.speed === null || isNumber(value.timing.speed)) &&
    Array.isArray(value.faults) &&
    value.faults.every(isOverrideFault) &&
    typeof value.enabled === 'boolean' &&
    typeof value.pinned === 'boolean' &&
    isString(value.origin) &&
    isCount(value.served) &&
    isObject(value.source) &&
    isString(value.source.connectionId) &&
    ['fetch', 'xhr', 'eventsource'].includes(value.source.transport as string)
  );
}
