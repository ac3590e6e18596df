/**
 * Every message that crosses a context boundary, named by direction:
 * page agent → relay (`PageToRelay`), relay ⇄ background, panel ⇄ background.
 * Capture items (`CaptureItem`) travel unchanged from the agent to the panel's store.
 */
import type { ConnectionEnd, ConnectionInfo, StreamRecord } from './model';
import { isPackedRecordsShape, type PackedRecords, unpackRecords } from './packed-records';
import { isSettings, isSettingsChange, type Settings, type SettingsChange } from './settings';

/** Bumped whenever a message shape changes incompatibly. */
export const PROTOCOL_VERSION = 1;

/** Name of the DOM event on which the agent hands its MessagePort to the relay. */
export const AGENT_HANDSHAKE_EVENT = 'sse-devtools:agent-port';
/** Name of the DOM event the relay fires when it starts, so an agent that started first hands over again. */
export const RELAY_READY_EVENT = 'sse-devtools:relay-ready';

/** Port names for `chrome.runtime.connect`. */
export const RELAY_PORT_NAME = 'sse-devtools-relay';
export const PANEL_PORT_NAME = 'sse-devtools-panel';

// ---------------------------------------------------------------------------------------------
// Capture items: produced by the agent, buffered by the relay, applied by the panel store.

/** A stream was recognised; the page is about to read it. */
export interface ConnectionStartItem {
  type: 'connection-start';
  connection: ConnectionInfo;
}

/** New timeline records of a connection; `bytes` is the running total of body bytes read. */
export interface RecordsItem {
  type: 'records';
  connectionId: string;
  records: StreamRecord[];
  bytes: number;
}

/** A connection ended. */
export interface ConnectionEndItem {
  type: 'connection-end';
  connectionId: string;
  end: ConnectionEnd;
  bytes: number;
}

/**
 * Records of a connection up to `lastSeq` exist, but were not all kept on the way (the relay's
 * per-connection limit, a full capture buffer): the receiver counts those it lacks as not kept.
 * Only the relay makes these (src/limits.ts); one from the agent is ignored.
 */
export interface RecordsNotKeptItem {
  type: 'records-not-kept';
  connectionId: string;
  lastSeq: number;
  bytes: number;
}

/**
 * A relay (one document of one frame, named by a random `relayId`) has not forwarded `count`
 * connections so far, because too many were open at once (RelayLimits.maxOpenConnections). The
 * count only grows, so a replay is harmless. Only the relay makes these; one from the agent is ignored.
 */
export interface ConnectionsNotKeptItem {
  type: 'connections-not-kept';
  relayId: string;
  count: number;
}

/** What the agent captured; idempotent when replayed (records carry `seq`). */
export type CaptureItem =
  | ConnectionStartItem
  | RecordsItem
  | ConnectionEndItem
  | RecordsNotKeptItem
  | ConnectionsNotKeptItem;

/** `RecordsItem` as it travels from the agent to the panel: the records in columns (src/packed-records.ts). */
export interface PackedRecordsItem {
  type: 'packed-records';
  connectionId: string;
  records: PackedRecords;
  bytes: number;
}

/**
 * A capture item on the wire (agent → relay → service worker → panel). The relay and the service
 * worker route these without unpacking; the panel turns them into `CaptureItem`s with
 * `wireToCaptureItems`, which checks every record.
 */
export type WireItem =
  | ConnectionStartItem
  | PackedRecordsItem
  | ConnectionEndItem
  | RecordsNotKeptItem
  | ConnectionsNotKeptItem;

// ---------------------------------------------------------------------------------------------
// Page agent → relay, over a private MessagePort.

/** A batch of capture items from the agent. */
export interface AgentBatchMessage {
  type: 'agent-batch';
  v: typeof PROTOCOL_VERSION;
  items: WireItem[];
}
export type PageToRelay = AgentBatchMessage;

// ---------------------------------------------------------------------------------------------
// Relay ⇄ background, over a `chrome.runtime.Port` named RELAY_PORT_NAME.

/** Live capture items, or the relay's whole buffer when `snapshot` is true. */
export interface RelayCaptureMessage {
  type: 'relay-capture';
  v: typeof PROTOCOL_VERSION;
  snapshot: boolean;
  items: WireItem[];
}
/** How many of this document's connections exist and are open; sent when either changes. */
export interface RelayStatusMessage {
  type: 'relay-status';
  v: typeof PROTOCOL_VERSION;
  /** Connections captured in this document so far. */
  total: number;
  /** Connections still open. */
  live: number;
}
export type RelayToBackground = RelayCaptureMessage | RelayStatusMessage;

/** Whether any panel watches this tab; on `true` the relay sends a snapshot, then live items. */
export interface PanelAttachedMessage {
  type: 'panel-attached';
  attached: boolean;
}
export type BackgroundToRelay = PanelAttachedMessage;

/**
 * Sent by the service worker to every frame of a tab (`chrome.tabs.sendMessage`) when a panel or the
 * popup starts watching it: relays with captures that have no port (they reconnect only when they
 * have something to say, so a stopped worker may sleep) connect and report.
 */
export interface RelayWakeMessage {
  type: 'relay-wake';
}

// ---------------------------------------------------------------------------------------------
// Panel ⇄ background, over a `chrome.runtime.Port` named PANEL_PORT_NAME.

/** First message of a panel port: which tab it shows. */
export interface PanelHelloMessage {
  type: 'panel-hello';
  v: typeof PROTOCOL_VERSION;
  tabId: number;
}
export type PanelToBackground = PanelHelloMessage;

/** Capture items of the panel's tab, from one frame's relay. */
export interface PanelCaptureMessage {
  type: 'panel-capture';
  items: WireItem[];
}
/** The inspected tab started loading a new document (navigation, reload, back/forward). */
export interface TabNavigatedMessage {
  type: 'tab-navigated';
  url: string;
}
/**
 * A document of the panel's tab went away (unloaded, or put in the back/forward cache) while these
 * connections of it were open, as far as the service worker saw: nothing more will arrive for them
 * unless the document comes back from the cache.
 */
export interface DocumentLeftMessage {
  type: 'document-left';
  connectionIds: string[];
}
export type BackgroundToPanel = PanelCaptureMessage | TabNavigatedMessage | DocumentLeftMessage;

// ---------------------------------------------------------------------------------------------
// Popup ⇄ background: one-off messages (`chrome.runtime.sendMessage`), each answered by a reply.
// The background also sends each reply type unasked to every extension page when it changes.

/** Asks for a tab's stream counts; answered with `TabStatsMessage`. */
export interface TabStatsRequestMessage {
  type: 'tab-stats-request';
  v: typeof PROTOCOL_VERSION;
  tabId: number;
}
/** Asks for the settings; answered with `SettingsMessage`. */
export interface SettingsRequestMessage {
  type: 'settings-request';
  v: typeof PROTOCOL_VERSION;
}
/**
 * Changes the settings; answered with `SettingsMessage` once they are stored and the content scripts
 * re-registered, so a reload after the answer loads the page under the new settings.
 */
export interface SettingsChangeMessage {
  type: 'settings-change';
  v: typeof PROTOCOL_VERSION;
  change: SettingsChange;
}
export type PopupToBackground = TabStatsRequestMessage | SettingsRequestMessage | SettingsChangeMessage;

/** Streams of a tab's current documents, summed over its frames: captured so far, and still open. */
export interface TabStatsMessage {
  type: 'tab-stats';
  tabId: number;
  total: number;
  live: number;
  /**
   * In a reply only: capture is on for the tab's site, but its page has no relay (it was loaded
   * before capture was on, or in the instant after install before the content scripts were
   * registered), so nothing on it is captured until it is reloaded.
   */
  unpatched?: boolean;
}
/** The current settings. */
export interface SettingsMessage {
  type: 'settings';
  settings: Settings;
}
export type BackgroundToPopup = TabStatsMessage | SettingsMessage;

// ---------------------------------------------------------------------------------------------
// Factories.

export function createAgentBatch(items: WireItem[]): AgentBatchMessage {
  return { type: 'agent-batch', v: PROTOCOL_VERSION, items };
}

export function createRelayCapture(items: WireItem[], snapshot: boolean): RelayCaptureMessage {
  return { type: 'relay-capture', v: PROTOCOL_VERSION, snapshot, items };
}

export function createRelayStatus(total: number, live: number): RelayStatusMessage {
  return { type: 'relay-status', v: PROTOCOL_VERSION, total, live };
}

export function createTabNavigated(url: string): TabNavigatedMessage {
  return { type: 'tab-navigated', url };
}

export function createDocumentLeft(connectionIds: string[]): DocumentLeftMessage {
  return { type: 'document-left', connectionIds };
}

export function createPanelAttached(attached: boolean): PanelAttachedMessage {
  return { type: 'panel-attached', attached };
}

export function createRelayWake(): RelayWakeMessage {
  return { type: 'relay-wake' };
}

export function createPanelHello(tabId: number): PanelHelloMessage {
  return { type: 'panel-hello', v: PROTOCOL_VERSION, tabId };
}

export function createPanelCapture(items: WireItem[]): PanelCaptureMessage {
  return { type: 'panel-capture', items };
}

export function createTabStatsRequest(tabId: number): TabStatsRequestMessage {
  return { type: 'tab-stats-request', v: PROTOCOL_VERSION, tabId };
}

export function createSettingsRequest(): SettingsRequestMessage {
  return { type: 'settings-request', v: PROTOCOL_VERSION };
}

export function createSettingsChange(change: SettingsChange): SettingsChangeMessage {
  return { type: 'settings-change', v: PROTOCOL_VERSION, change };
}

export function createTabStats(
  tabId: number,
  total: number,
  live: number,
  unpatched?: boolean,
): TabStatsMessage {
  return { type: 'tab-stats', tabId, total, live, ...(unpatched && { unpatched }) };
}

export function createSettingsMessage(settings: Settings): SettingsMessage {
  return { type: 'settings', settings };
}

// ---------------------------------------------------------------------------------------------
// Guards. Messages from the page are untrusted: check every field the receivers rely on.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isStringMap(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) if (!isString(value[key])) return false;
  return true;
}

const TRANSPORTS = ['fetch', 'xhr', 'eventsource'];
const FORMATS = ['sse', 'ndjson'];
const END_STATES = ['completed', 'cancelled', 'aborted', 'error'];
const RECORD_KINDS = ['event', 'comment', 'retry', 'open', 'error'];

export function isConnectionInfo(value: unknown): value is ConnectionInfo {
  return (
    isRecord(value) &&
    isString(value.id) &&
    TRANSPORTS.includes(value.transport as string) &&
    FORMATS.includes(value.format as string) &&
    isString(value.url) &&
    isString(value.method) &&
    isStringMap(value.requestHeaders) &&
    (value.requestBody === null || isString(value.requestBody)) &&
    isNumber(value.status) &&
    isString(value.statusText) &&
    isStringMap(value.responseHeaders) &&
    isString(value.frameUrl) &&
    isNumber(value.startedAt) &&
    isNumber(value.headersAt)
  );
}

export function isStreamRecord(value: unknown): value is StreamRecord {
  return (
    isRecord(value) &&
    isNumber(value.seq) &&
    RECORD_KINDS.includes(value.kind as string) &&
    isString(value.id) &&
    isString(value.type) &&
    isString(value.data) &&
    isNumber(value.time) &&
    (value.retry === undefined || isNumber(value.retry)) &&
    (value.truncatedFrom === undefined || isNumber(value.truncatedFrom)) &&
    (value.attempt === undefined || isNumber(value.attempt))
  );
}

export function isCaptureItem(value: unknown): value is CaptureItem {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'connection-start':
      return isConnectionInfo(value.connection);
    case 'records':
      return (
        isString(value.connectionId) &&
        isNumber(value.bytes) &&
        Array.isArray(value.records) &&
        value.records.every(isStreamRecord)
      );
    case 'records-not-kept':
      return isString(value.connectionId) && isNumber(value.lastSeq) && isNumber(value.bytes);
    case 'connections-not-kept':
      return isString(value.relayId) && isNumber(value.count);
    case 'connection-end': {
      const end = value.end;
      return (
        isString(value.connectionId) &&
        isNumber(value.bytes) &&
        isRecord(end) &&
        END_STATES.includes(end.state as string) &&
        (end.error === null || isString(end.error)) &&
        isNumber(end.endedAt)
      );
    }
    default:
      return false;
  }
}

/**
 * Routing check of a wire item: connection starts and ends fully, packed records by shape only
 * (no per-record work on the page's thread or in the service worker; the panel checks them all).
 */
export function isWireItem(value: unknown): value is WireItem {
  if (!isRecord(value)) return false;
  if (value.type === 'packed-records') {
    return isString(value.connectionId) && isNumber(value.bytes) && isPackedRecordsShape(value.records);
  }
  return value.type !== 'records' && isCaptureItem(value);
}

/** Wire items → capture items, dropping any whose records do not all check out. */
export function wireToCaptureItems(items: readonly unknown[]): CaptureItem[] {
  const out: CaptureItem[] = [];
  for (const item of items) {
    if (!isWireItem(item)) continue;
    if (item.type !== 'packed-records') {
      out.push(item);
      continue;
    }
    const records = unpackRecords(item.records);
    if (records) out.push({ type: 'records', connectionId: item.connectionId, records, bytes: item.bytes });
  }
  return out;
}

export function isAgentBatch(value: unknown): value is AgentBatchMessage {
  return (
    isRecord(value) &&
    value.type === 'agent-batch' &&
    value.v === PROTOCOL_VERSION &&
    Array.isArray(value.items) &&
    value.items.every(isWireItem)
  );
}

export function isRelayCapture(value: unknown): value is RelayCaptureMessage {
  return (
    isRecord(value) &&
    value.type === 'relay-capture' &&
    value.v === PROTOCOL_VERSION &&
    typeof value.snapshot === 'boolean' &&
    Array.isArray(value.items)
  );
}

export function isRelayStatus(value: unknown): value is RelayStatusMessage {
  return (
    isRecord(value) &&
    value.type === 'relay-status' &&
    value.v === PROTOCOL_VERSION &&
    Number.isInteger(value.total) &&
    Number.isInteger(value.live) &&
    (value.total as number) >= 0 &&
    (value.live as number) >= 0
  );
}

export function isTabNavigated(value: unknown): value is TabNavigatedMessage {
  return isRecord(value) && value.type === 'tab-navigated' && isString(value.url);
}

export function isDocumentLeft(value: unknown): value is DocumentLeftMessage {
  return (
    isRecord(value) &&
    value.type === 'document-left' &&
    Array.isArray(value.connectionIds) &&
    value.connectionIds.every(isString)
  );
}

export function isRelayWake(value: unknown): value is RelayWakeMessage {
  return isRecord(value) && value.type === 'relay-wake';
}

export function isPanelAttached(value: unknown): value is PanelAttachedMessage {
  return isRecord(value) && value.type === 'panel-attached' && typeof value.attached === 'boolean';
}

export function isPanelHello(value: unknown): value is PanelHelloMessage {
  return (
    isRecord(value) &&
    value.type === 'panel-hello' &&
    value.v === PROTOCOL_VERSION &&
    Number.isInteger(value.tabId)
  );
}

export function isPanelCapture(value: unknown): value is PanelCaptureMessage {
  return isRecord(value) && value.type === 'panel-capture' && Array.isArray(value.items);
}

export function isTabStatsRequest(value: unknown): value is TabStatsRequestMessage {
  return (
    isRecord(value) &&
    value.type === 'tab-stats-request' &&
    value.v === PROTOCOL_VERSION &&
    Number.isInteger(value.tabId)
  );
}

export function isSettingsRequest(value: unknown): value is SettingsRequestMessage {
  return isRecord(value) && value.type === 'settings-request' && value.v === PROTOCOL_VERSION;
}

export function isSettingsChangeMessage(value: unknown): value is SettingsChangeMessage {
  return (
    isRecord(value) &&
    value.type === 'settings-change' &&
    value.v === PROTOCOL_VERSION &&
    isSettingsChange(value.change)
  );
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

export function isTabStats(value: unknown): value is TabStatsMessage {
  return (
    isRecord(value) &&
    value.type === 'tab-stats' &&
    Number.isInteger(value.tabId) &&
    isCount(value.total) &&
    isCount(value.live) &&
    (value.unpatched === undefined || typeof value.unpatched === 'boolean')
  );
}

export function isSettingsMessage(value: unknown): value is SettingsMessage {
  return isRecord(value) && value.type === 'settings' && isSettings(value.settings);
}
