/**
 * Every message that crosses a context boundary, named by direction:
 * page agent → relay (`PageToRelay`), relay ⇄ background, panel ⇄ background.
 * Capture items (`CaptureItem`) travel unchanged from the agent to the panel's store.
 */
import type { ConnectionEnd, ConnectionInfo, HeaderMap, StreamChunk, StreamRecord, Transport } from './model';
import { isOverride, isOverrideFault, isOverrideMatch, type Override, type OverridePatch } from './override';
import { isSettings, isSettingsChange, type Settings, type SettingsChange } from './settings';
import { streamFormatOf } from './sse/media-type';

/** Bumped whenever a message shape changes incompatibly. */
export const PROTOCOL_VERSION = 1;

/** The cancelable DOM event in which the relay offers the agent its MessagePort (see PageToRelay). */
export const RELAY_PORT_EVENT = 'sse-devtools:port';
/**
 * Set on the extension's isolated-world global by the relay's first part, in every frame it runs in:
 * the service worker looks for it to tell a page loaded before capture was on (no relay) from one
 * that is patched but has not read a stream yet (a relay that never connected). Pages cannot see it.
 */
export const RELAY_PRESENT_GLOBAL = 'sseDevtoolsRelay';
/**
 * Set on the same global by the relay's first part: the function that asks the service worker for
 * the tab's overrides. `content-scripts/relay-armed.ts` calls it; the service worker registers that
 * script after the relay only while some override exists (extension/background/content-scripts.ts).
 */
export const RELAY_ARMED_GLOBAL = 'sseDevtoolsRelayArmed';
/** The DOM event the agent fires when it starts, so a relay that started first offers its port again. */
export const AGENT_READY_EVENT = 'sse-devtools:ready';

/** Port names for `chrome.runtime.connect`. */
export const RELAY_PORT_NAME = 'sse-devtools-relay';
export const PANEL_PORT_NAME = 'sse-devtools-panel';

// ---------------------------------------------------------------------------------------------
// Capture items: made by the relay from what the agent read, buffered by the relay, routed by the
// service worker, applied by the panel (which parses chunks into records, panel/chunk-parsers.ts).

/** A stream was recognised; the page is about to read it. */
export interface ConnectionStartItem {
  type: 'connection-start';
  connection: ConnectionInfo;
}

/**
 * Chunks of a fetch or XHR connection's body, in columns: chunk `i` has seq `firstSeq + i`, was read
 * at `time[i]` and is the next `length[i]` characters of `text`. One string and two number arrays
 * are cheap to clone and to serialise. `bytes`: body bytes read so far (counted by the relay).
 */
export interface ChunksItem {
  type: 'chunks';
  connectionId: string;
  firstSeq: number;
  text: string;
  length: number[];
  time: number[];
  bytes: number;
}

/**
 * Records the browser parsed itself (an `EventSource`'s): the page saw these, never bytes. Also what
 * the panel's parser makes of chunks (CaptureItem).
 */
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
  /**
   * The body was read to its end (not cut by an error, abort or cancel): the parser may complete a
   * last line-delimited JSON record that had no newline. Set by the relay from the agent's finish.
   */
  bodyCompleted?: boolean;
}

/**
 * Records (EventSource) or chunks (fetch, XHR) of a connection up to `lastSeq` exist, but were not
 * all kept on the way (a full capture buffer): the receiver counts those it lacks as not kept.
 * Only the relay makes these (src/limits.ts).
 */
export interface NotKeptItem {
  type: 'records-not-kept' | 'chunks-not-kept';
  connectionId: string;
  lastSeq: number;
  bytes: number;
}

/**
 * A relay (one document of one frame, named by a random `relayId`) has not forwarded `count`
 * connections so far, because too many were open at once or its buffer was full of open ones
 * (src/limits.ts). The count only grows, so a replay is harmless. Only the relay makes these.
 */
export interface ConnectionsNotKeptItem {
  type: 'connections-not-kept';
  relayId: string;
  count: number;
}

/**
 * A capture item on the wire (relay → service worker → panel). The service worker routes these
 * without looking inside; the panel checks every field (`isWireItem`), parses chunks into records.
 */
export type WireItem =
  | ConnectionStartItem
  | ChunksItem
  | RecordsItem
  | ConnectionEndItem
  | NotKeptItem
  | ConnectionsNotKeptItem;

/** What the panel's store applies: wire items, with each chunk item's text cut into `StreamChunk`s. */
export type CaptureItem =
  | ConnectionStartItem
  | { type: 'chunks'; connectionId: string; chunks: StreamChunk[]; bytes: number }
  | RecordsItem
  | ConnectionEndItem
  | NotKeptItem
  | ConnectionsNotKeptItem;

/** The `StreamChunk`s a chunk item carries. */
export function chunksOf(item: ChunksItem): StreamChunk[] {
  const chunks: StreamChunk[] = [];
  let offset = 0;
  for (let i = 0; i < item.length.length; i++) {
    const length = item.length[i] ?? 0;
    chunks.push({
      seq: item.firstSeq + i,
      time: item.time[i] ?? 0,
      text: item.text.slice(offset, offset + length),
    });
    offset += length;
  }
  return chunks;
}

/** Characters a page controls in a connection's info: URLs, method, status text, headers, body. */
export function infoChars(info: ConnectionInfo): number {
  let chars = info.url.length + info.frameUrl.length + info.method.length + info.statusText.length;
  chars += info.requestBody?.length ?? 0;
  for (const map of [info.requestHeaders, info.responseHeaders]) {
    for (const name in map) chars += name.length + (map[name]?.length ?? 0);
  }
  return chars;
}

/** Characters a page controls in a record: its data, id and type. */
export const recordChars = (record: StreamRecord): number =>
  record.data.length + record.id.length + record.type.length;

/**
 * Characters a page controls in a wire item: what every bound on memory and message size counts
 * (src/limits.ts), so that no field (a 512 KiB `id:`, a megabyte URL) goes uncounted.
 */
export function charsOf(item: WireItem): number {
  switch (item.type) {
    case 'connection-start':
      return infoChars(item.connection);
    case 'chunks':
      return item.text.length;
    case 'records': {
      let chars = 0;
      for (const record of item.records) chars += recordChars(record);
      return chars;
    }
    case 'connection-end':
      return item.end.error?.length ?? 0;
    default:
      return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Page agent → relay, over a private MessagePort the relay hands the agent at document_start.
//
// The relay makes the MessageChannel and offers one port in a cancelable RELAY_PORT_EVENT; the agent
// takes the first offer and cancels the event, so the relay knows it was taken and never offers again.
// DOM events are dispatched synchronously across worlds, and both scripts run at document_start
// before any page script: whichever starts second completes the pairing (the agent announces itself
// with AGENT_READY_EVENT) before a page script can run. No acknowledgement crosses the port, so no
// order of delivery lets a page's port take the relay's place.

/**
 * One piece of a connection's body, in the order the page read them, in the relay's terms (what
 * `relayFormsOf` makes of the agent's pieces, and what the relay's replay captures).
 */
export type AgentChunk =
  /** `length` bytes at `offset` of `bytes` (a buffer several reads share), read at `time`. */
  | { connectionId: string; time: number; bytes: ArrayBuffer; offset: number; length: number }
  /** Text the browser already decoded (XMLHttpRequest.responseText grew by it). */
  | { connectionId: string; time: number; text: string }
  /** The body ended at `time`; `completed`: it ended normally (flush the decoder). */
  | { connectionId: string; time: number; completed: boolean }
  /** A record the browser already parsed (an EventSource connection's), read by the page at `time`. */
  | { connectionId: string; time: number; record: StreamRecord }
  /** An event an EventSource dispatched, as the agent saw it: the relay makes it a record (`AgentEvent`). */
  | { connectionId: string; time: number; event: AgentEvent };

// The agent's own messages, as it posts them: tuples, tagged by their first element, and as few
// fields as the page can tell the relay (the agent runs in every frame of every page, and each key
// it writes is bytes of it; issue 11). Only the relay reads them, into its own terms
// (`relayFormsOf`), whose guards then check every field. No `v`: the agent and the relay are
// injected into a document together, from one build, so no other version can be on the port.

/** Tags of the agent's messages (`PageToRelay`). */
export const AGENT_START = 0;
export const AGENT_END = 1;
export const AGENT_PIECES = 2;

/** A connection's transport, as the agent says it (`AgentStart`): an index of `AGENT_TRANSPORTS`. */
export const AGENT_TRANSPORTS = ['fetch', 'xhr', 'eventsource'] as const;
export const TRANSPORT_FETCH = 0;
export const TRANSPORT_XHR = 1;
export const TRANSPORT_EVENTSOURCE = 2;

/**
 * An EventSource's start: its page sees no request or response but the URL, so the relay fills in
 * the rest (method GET, no headers or body, status 0, format `sse`).
 */
export type AgentSourceStart = [
  id: string,
  transport: typeof TRANSPORT_EVENTSOURCE,
  url: string,
  startedAt: number,
  headersAt: number,
];
/**
 * A fetch's or XMLHttpRequest's start. The format is the relay's reading of the response's
 * `content-type` (the agent tapped the body because it names a stream); an XHR's request headers
 * are what `setRequestHeader()` was given (`requestHeaderMapOf`), its response headers the block
 * `getAllResponseHeaders()` gives, and its method as given to `open()`, which the relay normalises as
 * XHR does (`xhrMethodOf`); a fetch's method is upper-cased by the relay.
 */
export type AgentBodyStart = [
  id: string,
  transport: typeof TRANSPORT_FETCH | typeof TRANSPORT_XHR,
  url: string,
  startedAt: number,
  headersAt: number,
  method: string,
  requestHeaders: HeaderMap | string,
  requestBody: AgentRequestBody,
  status: number,
  statusText: string,
  responseHeaders: HeaderMap | string,
];
export type AgentStart = AgentSourceStart | AgentBodyStart;

/**
 * A request body as the agent sends it (content-scripts/agent/request-info.ts, requestBodyOf): text;
 * the first bytes of binary data, a Blob, or the kind of a body read no further (an index of
 * `AGENT_BODY_KINDS`), which the relay reads (`requestBodyText`); null when absent.
 */
export type AgentRequestBody =
  | string
  | ArrayBuffer
  | Blob
  | typeof BODY_FORM_DATA
  | typeof BODY_STREAM
  | null;
/** What is kept of a form or a stream sent as a request body: what it is. */
export const AGENT_BODY_KINDS = ['[FormData]', '[ReadableStream]'] as const;
export const BODY_FORM_DATA = 0;
export const BODY_STREAM = 1;

/**
 * The text kept of a request body the agent sent (`AgentRequestBody`): bytes decoded as UTF-8, a Blob
 * described as `[Blob, <size> bytes, <type>]`, a form or a stream as its kind; anything else as it is
 * (the guards refuse what is no string).
 */
export function requestBodyText(body: unknown): unknown {
  if (typeof body === 'number') return AGENT_BODY_KINDS[body as typeof BODY_FORM_DATA];
  if (typeof body !== 'object' || body === null) return body;
  if (arrayBufferLength(body) >= 0) return new TextDecoder().decode(new Uint8Array(body as ArrayBuffer));
  try {
    const { size, type } = body as Blob;
    if (typeof size === 'number' && typeof type === 'string') {
      return `[Blob, ${size} bytes${type ? `, ${type}` : ''}]`;
    }
  } catch {
    // Not a Blob: left for the guards.
  }
  return body;
}

/**
 * An event an EventSource dispatched: a server's event (a MessageEvent) as its type, data and last
 * event ID; a plain event (the source's own `open` or `error`) as its type and whether it left the
 * source closed (an error that closed it ends the connection; any other is a reconnect). The relay
 * makes records of them: their seq, the last event ID in force and the attempt are counted there
 * (content-scripts/relay-decoders.ts).
 */
export type AgentEvent = [type: string, dataOrClosed: string | boolean, lastEventId: string];

/** A body piece: bytes of a slab (transferred), text the browser decoded, or an EventSource's event. */
export type AgentPiece =
  | [connectionId: string, time: number, slab: ArrayBuffer, offset: number, length: number]
  | [connectionId: string, time: number, text: string]
  | [connectionId: string, time: number, event: AgentEvent];

/** How a connection ended, as the agent says it (`AgentEndMessage`): an index of `AGENT_END_STATES`. */
// `cancelled` first: the XHR tap, which never cancels, tells its ends from no end by their truthiness.
export const AGENT_END_STATES = ['cancelled', 'completed', 'aborted', 'error'] as const;
export type AgentEndState = 0 | 1 | 2 | 3;
export const END_CANCELLED = 0;
export const END_COMPLETED = 1;
export const END_ABORTED = 2;
export const END_ERROR = 3;

/** A connection starts, in the frame at `frameHref` (the relay labels it, `frameUrlOf`). */
export type AgentStartMessage = [kind: typeof AGENT_START, start: AgentStart, frameHref: string];
/**
 * A connection ends: its body's pieces were all posted before. Its state is an `AgentEndState`. A
 * body read to its end is `completed` (the relay flushes its decoder then). A fetch body read that failed is `aborted` when the request's
 * signal was, else an `error` named as `Name: message`, which the relay makes `aborted` for an
 * AbortError; an XHR's error names its cause (`XHR_END_ERRORS`); an EventSource the browser gave up
 * on sends none (`EVENTSOURCE_FAILED`).
 */
export type AgentEndMessage = [
  kind: typeof AGENT_END,
  connectionId: string,
  state: AgentEndState,
  error: string | null,
  endedAt: number,
];
/** A run of body pieces; their slabs are transferred, not cloned. */
export type AgentPiecesMessage = [kind: typeof AGENT_PIECES, pieces: AgentPiece[]];
export type PageToRelay = AgentStartMessage | AgentEndMessage | AgentPiecesMessage;

/**
 * A connection's info as the relay first reads it: an XMLHttpRequest's response headers may be the
 * block `getAllResponseHeaders()` returns (`name: value` lines, ended by CRLF; names lower-cased and
 * repeated ones combined by the browser), which the relay reads into a map (`headerMapOf`); its
 * method is as the page gave it to `open()`, which the relay normalises as XHR does
 * (`xhrMethodOf`), and a fetch's is upper-cased.
 */
export type AgentConnectionInfo = Omit<ConnectionInfo, 'responseHeaders'> & {
  responseHeaders: HeaderMap | string;
};

/**
 * The end of an XMLHttpRequest, as the agent sends it, names its cause in `error`: the event that
 * ended it (`load`, `abort`, `error`, `timeout`), or `open` for `open()` called again on it. The
 * relay puts these words in its place, and none for `load` (`agentEndOf`).
 */
export const XHR_END_ERRORS: Readonly<Record<string, string>> = {
  abort: 'AbortError: abort() was called',
  error: 'NetworkError: network error',
  timeout: 'TimeoutError: the request timed out',
  open: 'AbortError: open() was called again',
};
/** The error of an EventSource the browser gave up on (the page is not told why); the agent sends none. */
export const EVENTSOURCE_FAILED = 'EventSource failed and will not reconnect';

/**
 * An agent's end of a `transport` connection, its error in words (`XHR_END_ERRORS`,
 * `EVENTSOURCE_FAILED`), and a fetch's failed read with an AbortError `aborted` (AgentEndMessage).
 */
export function agentEndOf(
  transport: Transport,
  end: Pick<ConnectionEnd, 'state' | 'error'>,
): Pick<ConnectionEnd, 'state' | 'error'> {
  const { state, error } = end;
  // An XHR that loaded names its cause too (`load`): no error.
  if (transport === 'xhr' && state === 'completed') return error === null ? end : { state, error: null };
  if (transport === 'xhr' && error !== null && Object.hasOwn(XHR_END_ERRORS, error)) {
    return { state, error: XHR_END_ERRORS[error] as string };
  }
  if (transport === 'eventsource' && state === 'error' && error === null) {
    return { state, error: EVENTSOURCE_FAILED };
  }
  if (transport === 'fetch' && state === 'error' && error?.startsWith('AbortError: ')) {
    return { state: 'aborted', error };
  }
  return end;
}

/** A connection's start or end, as the agent saw it; the relay puts in what it counted. */
export type AgentItem =
  | { type: 'connection-start'; connection: AgentConnectionInfo }
  | Omit<ConnectionEndItem, 'bytes' | 'bodyCompleted'>;

/** XHR's `open()` upper-cases these methods, case-insensitively, and leaves any other as given. */
const XHR_NORMALISED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];

/** An XMLHttpRequest's method as XHR normalises what was given to `open()` (XHR spec, open()). */
export function xhrMethodOf(method: string): string {
  const upper = method.toUpperCase();
  return XHR_NORMALISED_METHODS.includes(upper) ? upper : method;
}

/**
 * The header map of a `getAllResponseHeaders()` block. No prototype: names are the server's, and
 * `__proto__` must stay a header.
 */
export function headerMapOf(block: string): HeaderMap {
  const map: HeaderMap = Object.create(null);
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(': ');
    if (colon > 0) map[line.slice(0, colon)] = line.slice(colon + 2);
  }
  return map;
}

/**
 * An XMLHttpRequest's request headers from what its `setRequestHeader()` calls were given, as the
 * agent records them: `name\0value\0` each, in order (neither holds a NUL: `setRequestHeader`
 * throws on one). Stored as the browser stores them: names lower-cased, values stripped of white
 * space at both ends, a repeated name's values combined. No prototype, as `headerMapOf`.
 */
export function requestHeaderMapOf(list: string): HeaderMap {
  const map: HeaderMap = Object.create(null);
  const parts = list.split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const name = (parts[i] as string).toLowerCase();
    const value = (parts[i + 1] as string).trim();
    const previous = map[name];
    map[name] = previous === undefined ? value : `${previous}, ${value}`;
  }
  return map;
}

/** A run of connection starts and ends, in the relay's terms (`relayFormsOf`; the relay's replay captures). */
export interface AgentBatchMessage {
  type: 'agent-batch';
  v: typeof PROTOCOL_VERSION;
  items: AgentItem[];
}
/** A run of body pieces, in the relay's terms (`relayFormsOf`; the relay's replay captures). */
export interface AgentChunksMessage {
  type: 'agent-chunks';
  v: typeof PROTOCOL_VERSION;
  chunks: AgentChunk[];
}

/**
 * The frame's URL as the panel labels it. `about:blank` and `about:srcdoc` frames take their creator's
 * origin, which their URL does not say, so it is added: `about:srcdoc (https://app.example.com)`.
 */
export function frameUrlOf(href: string, origin: string): string {
  return href === 'about:blank' || href === 'about:srcdoc' ? `${href} (${origin})` : href;
}

/**
 * An agent message (`PageToRelay`) in the relay's terms, for a frame of `origin`: a start or an end
 * as an agent batch (an end after the `completed` piece of its body, which flushes the decoder),
 * pieces as agent chunks; none for anything else. Nothing is checked here but the tuples' shape:
 * the guards of those forms (`isAgentBatch`, `isAgentChunk`) check every field.
 */
export function relayFormsOf(message: unknown, origin: string): (AgentBatchMessage | AgentChunksMessage)[] {
  if (!Array.isArray(message)) return [];
  switch (message[0]) {
    case AGENT_START: {
      const start: unknown = message[1];
      if (!Array.isArray(start)) return [];
      const connection = connectionOf(start, frameUrlOf(message[2], origin));
      return connection ? [createAgentBatch([{ type: 'connection-start', connection }])] : [];
    }
    case AGENT_END: {
      const connectionId = message[1];
      const state = AGENT_END_STATES[message[2] as AgentEndState];
      const endedAt = message[4];
      return [
        createAgentChunks([{ connectionId, time: endedAt, completed: state === 'completed' }]),
        createAgentBatch([
          { type: 'connection-end', connectionId, end: { state, error: message[3], endedAt } },
        ]),
      ];
    }
    case AGENT_PIECES: {
      const pieces: unknown = message[1];
      if (!Array.isArray(pieces)) return [];
      const chunks: AgentChunk[] = [];
      for (let i = 0; i < pieces.length; i++) {
        const piece: unknown = pieces[i];
        if (!Array.isArray(piece)) continue;
        const connectionId = piece[0];
        const time = piece[1];
        const value: unknown = piece[2];
        chunks.push(
          typeof value === 'string'
            ? { connectionId, time, text: value }
            : Array.isArray(value)
              ? { connectionId, time, event: value as AgentEvent }
              : { connectionId, time, bytes: value as ArrayBuffer, offset: piece[3], length: piece[4] },
        );
      }
      return [createAgentChunks(chunks)];
    }
    default:
      return [];
  }
}

/** The info of an agent's start (`AgentStart`), or null when it names no stream format. */
function connectionOf(start: unknown[], frameUrl: string): AgentConnectionInfo | null {
  // Indexed, not destructured: in Firefox the tuple is the page's, seen through an Xray.
  const id = start[0] as string;
  const transport = AGENT_TRANSPORTS[start[1] as typeof TRANSPORT_FETCH] as Transport;
  const url = start[2] as string;
  const startedAt = start[3] as number;
  const headersAt = start[4] as number;
  if (transport === 'eventsource') {
    return {
      id,
      transport,
      format: 'sse',
      url,
      method: 'GET',
      requestHeaders: {},
      requestBody: null,
      status: 0,
      statusText: '',
      responseHeaders: {},
      frameUrl,
      startedAt,
      headersAt,
    };
  }
  const body = start as AgentBodyStart;
  const headers = body[10];
  const responseHeaders = typeof headers === 'string' ? headerMapOf(headers) : headers;
  const contentType = isRecord(responseHeaders) ? responseHeaders['content-type'] : null;
  const format = streamFormatOf(isString(contentType) ? contentType : null);
  if (!format) return null;
  return {
    id,
    transport,
    format,
    url,
    method: body[5],
    requestHeaders: typeof body[6] === 'string' ? requestHeaderMapOf(body[6]) : body[6],
    requestBody: requestBodyText(body[7]) as string | null,
    status: body[8],
    statusText: body[9],
    responseHeaders,
    frameUrl,
    startedAt,
    headersAt,
  };
}

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

export function createAgentBatch(items: AgentItem[]): AgentBatchMessage {
  return { type: 'agent-batch', v: PROTOCOL_VERSION, items };
}

export function createAgentChunks(chunks: AgentChunk[]): AgentChunksMessage {
  return { type: 'agent-chunks', v: PROTOCOL_VERSION, chunks };
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

export const isConnectionInfo = (value: unknown): value is ConnectionInfo => isInfo(value, isStringMap);

const isAgentConnectionInfo = (value: unknown): value is AgentConnectionInfo =>
  isInfo(value, (headers) => isString(headers) || isStringMap(headers));

function isInfo(value: unknown, isResponseHeaders: (value: unknown) => boolean): boolean {
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
    isResponseHeaders(value.responseHeaders) &&
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

const isSeq = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

function isConnectionEnd(value: Record<string, unknown>): boolean {
  const end = value.end;
  return (
    isString(value.connectionId) &&
    isRecord(end) &&
    END_STATES.includes(end.state as string) &&
    (end.error === null || isString(end.error)) &&
    isNumber(end.endedAt)
  );
}

/** A chunk item whose columns agree: as many lengths as times, adding up to the text. */
function isChunksItem(value: Record<string, unknown>): boolean {
  const { length, time, text } = value;
  if (!isString(value.connectionId) || !isSeq(value.firstSeq) || !isNumber(value.bytes) || !isString(text)) {
    return false;
  }
  if (
    !Array.isArray(length) ||
    !Array.isArray(time) ||
    length.length !== time.length ||
    length.length === 0
  ) {
    return false;
  }
  let total = 0;
  for (let i = 0; i < length.length; i++) {
    const n = length[i];
    if (!Number.isInteger(n) || n < 0 || !isNumber(time[i])) return false;
    total += n;
  }
  return total === text.length;
}

/** Checks every field of a wire item the receivers rely on (the page can forge anything). */
export function isWireItem(value: unknown): value is WireItem {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'connection-start':
      return isConnectionInfo(value.connection);
    case 'chunks':
      return isChunksItem(value);
    case 'records':
      return (
        isString(value.connectionId) &&
        isNumber(value.bytes) &&
        Array.isArray(value.records) &&
        value.records.every(isStreamRecord)
      );
    case 'records-not-kept':
    case 'chunks-not-kept':
      return isString(value.connectionId) && isNumber(value.lastSeq) && isNumber(value.bytes);
    case 'connections-not-kept':
      return isString(value.relayId) && isNumber(value.count);
    case 'connection-end':
      return (
        isConnectionEnd(value) &&
        isNumber(value.bytes) &&
        (value.bodyCompleted === undefined || typeof value.bodyCompleted === 'boolean')
      );
    default:
      return false;
  }
}

/** An agent batch: only connection starts and ends (the relay counts bytes and says what it dropped). */
export function isAgentBatch(value: unknown): value is AgentBatchMessage {
  return (
    isRecord(value) &&
    value.type === 'agent-batch' &&
    value.v === PROTOCOL_VERSION &&
    Array.isArray(value.items) &&
    value.items.every(
      (item) =>
        isRecord(item) &&
        ((item.type === 'connection-start' && isAgentConnectionInfo(item.connection)) ||
          (item.type === 'connection-end' && isConnectionEnd(item))),
    )
  );
}

/** The message's shape; each chunk is checked by `isAgentChunk`. */
export function isAgentChunks(value: unknown): value is { type: 'agent-chunks'; chunks: unknown[] } {
  return (
    isRecord(value) &&
    value.type === 'agent-chunks' &&
    value.v === PROTOCOL_VERSION &&
    Array.isArray(value.chunks)
  );
}

const byteLengthOfBuffer = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')?.get;

/**
 * The length of `value` if it is an ArrayBuffer, also one from another realm, else -1: in Firefox a
 * content script sees the page's objects through Xray wrappers, where `instanceof ArrayBuffer` is
 * false for the buffers the agent transfers. The native getter accepts exactly ArrayBuffers (not
 * shared ones) from any realm.
 */
function arrayBufferLength(value: unknown): number {
  if (typeof value !== 'object' || value === null || !byteLengthOfBuffer) return -1;
  try {
    return byteLengthOfBuffer.call(value) as number;
  } catch {
    return -1;
  }
}

export function isAgentChunk(value: unknown): value is AgentChunk {
  if (!isRecord(value) || !isString(value.connectionId) || !isNumber(value.time)) return false;
  if ('bytes' in value) {
    const { bytes, offset, length } = value;
    const byteLength = arrayBufferLength(bytes);
    return (
      byteLength >= 0 &&
      Number.isInteger(offset) &&
      Number.isInteger(length) &&
      (offset as number) >= 0 &&
      (length as number) >= 0 &&
      (offset as number) + (length as number) <= byteLength
    );
  }
  if ('record' in value) return isStreamRecord(value.record);
  if ('event' in value) return isAgentEvent(value.event);
  if ('text' in value) return isString(value.text);
  return typeof value.completed === 'boolean';
}

function isAgentEvent(value: unknown): value is AgentEvent {
  return (
    Array.isArray(value) &&
    isString(value[0]) &&
    (isString(value[1]) || typeof value[1] === 'boolean') &&
    isString(value[2])
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

// ---------------------------------------------------------------------------------------------
// Direction guards (src/port-link.ts keeps them in one table by port name).

export const isRelayToBackground = (value: unknown): value is RelayToBackground =>
  isRelayCapture(value) || isRelayStatus(value);
export const isBackgroundToRelay = (value: unknown): value is BackgroundToRelay => isPanelAttached(value);
export const isPanelToBackground = (value: unknown): value is PanelToBackground => isPanelHello(value);
export const isBackgroundToPanel = (value: unknown): value is BackgroundToPanel =>
  isPanelCapture(value) || isTabNavigated(value) || isDocumentLeft(value);

// =============================================================================================
// Replay (issue 12): overrides armed by the panel, kept by the service worker, served by the relay
// and the page agent. Everything about replay on the wire is in this section.
//
//   panel ─override-arm/change/remove/request─▶ background ─relay-overrides─▶ relay ─replay-rules─▶ agent
//   agent ─replay-start/cancel─▶ relay ─replay-response (a transferred body stream)─▶ agent
//   relay ─override-served─▶ background ─overrides─▶ panel

/**
 * Name of the DOM event on which the replay agent (content-scripts/replay-agent.ts, injected on
 * demand into the frames of a tab with armed overrides) hands its API to the page agent, which
 * listens from `document_start` and takes the first one after the relay told it of overrides.
 */
export const REPLAY_AGENT_EVENT = 'sse-devtools:replay';

/** The request a replay answers, as the page made it (for the capture of the replay). */
export interface ReplayRequest {
  method: string;
  url: string;
  headers: HeaderMap;
  body: string | null;
}

/**
 * What the replay agent offers the page agent (both run in the page's world). The page agent's
 * taps ask it first; each answer is null (false) when no override matches, and then the network
 * answers. It never throws. The relay captures what it serves, so the taps capture nothing of it.
 */
export interface ReplayAgentApi {
  /** Gives the replay agent the page agent's way to the relay (replay messages only). */
  connect(send: (message: PageToRelayReplay) => void): void;
  /** A replay message the relay posted on the page agent's port. */
  onRelayMessage(message: unknown): void;
  /** The Response an override answers `fetch(...args)` with. */
  fetch(args: [input: RequestInfo | URL, init?: RequestInit]): Promise<Response> | null;
  /**
   * Answers `xhr`, whose `send()` was just called, instead of sending it: `open` holds the
   * arguments of its `open()`, `headers` and `body` what the page set (`requestHeaderMapOf`) and sent.
   */
  xhr(xhr: XMLHttpRequest, request: { args: unknown[]; headers: string; body: AgentRequestBody }): boolean;
  /** An EventSource an override answers, made as `new.target` would make it. */
  eventSource(args: [url: string | URL, init?: EventSourceInit], newTarget: unknown): EventSource | null;
}

/** A request rule the agent tests: `source` is `matchSource(match)` (src/override.ts), tested on `METHOD URL`. */
export interface ReplayRule {
  id: string;
  source: string;
}

// Relay → page agent, over the agent's MessagePort.

/** The rules of this document's armed overrides (replaces any earlier list; empty: none armed). */
export interface ReplayRulesMessage {
  type: 'replay-rules';
  rules: ReplayRule[];
}
/**
 * The response of replay `replayId`, sent when its headers are due. `body` is a stream the relay
 * feeds on the replay's schedule and transfers to the agent (so the timing, the ends and
 * cancellation stay in the relay): the body's text as UTF-8 bytes for fetch and XHR, or, for an
 * EventSource, `{ type, data, lastEventId }` events. It closes at a clean end and errors (a
 * `TypeError: network error`) at a network error; cancelling it stops the replay. `status` 0 with
 * no body: the request failed before any response (the override was switched off meanwhile).
 */
export interface ReplayResponseMessage {
  type: 'replay-response';
  replayId: string;
  status: number;
  statusText: string;
  headers: HeaderMap;
  body: ReadableStream | null;
}
/** One event of an EventSource replay's body stream. */
export interface ReplayEvent {
  type: string;
  data: string;
  lastEventId: string;
}
/**
 * Buffers of `agent-chunks` messages the relay has decoded, given back (transferred) so that the
 * agent copies the next reads into memory already in use: a fresh buffer costs the page a page fault
 * per 4 KiB on first write (issue 11; docs/performance.md, figure 1).
 */
export interface RelaySlabsMessage {
  type: 'relay-slabs';
  slabs: ArrayBuffer[];
}
/** What the relay's replay posts to the agent (content-scripts/replay-agent/). */
export type ReplayToPage = ReplayRulesMessage | ReplayResponseMessage;
export type RelayToPage = ReplayToPage | RelaySlabsMessage;

// Page agent → relay, over the agent's MessagePort.

/** A request matched `ruleId`: serve it as replay `replayId`, as text (fetch, XHR) or events (EventSource). */
export interface ReplayStartMessage {
  type: 'replay-start';
  v: typeof PROTOCOL_VERSION;
  replayId: string;
  ruleId: string;
  transport: Transport;
  request: ReplayRequest;
}
/**
 * The page aborted replay `replayId` (its fetch's signal): the relay stops and errors the body with
 * `reason` (the signal's reason, when it could be cloned), as an aborted fetch's body errors.
 */
export interface ReplayCancelMessage {
  type: 'replay-cancel';
  v: typeof PROTOCOL_VERSION;
  replayId: string;
  reason?: unknown;
}
export type PageToRelayReplay = ReplayStartMessage | ReplayCancelMessage;

// Relay ⇄ background: one-off messages (`chrome.runtime.sendMessage` / `chrome.tabs.sendMessage`).

/** The relay of a new document asks for its tab's overrides; answered with `RelayOverridesMessage`. */
export interface RelayOverridesRequestMessage {
  type: 'relay-overrides-request';
  v: typeof PROTOCOL_VERSION;
}
/** The relay has overrides: inject the replay agent into its frame (content-scripts/replay-agent.ts). */
export interface ReplayAgentRequestMessage {
  type: 'replay-agent-request';
  v: typeof PROTOCOL_VERSION;
}
/** The overrides armed in the relay's tab (enabled ones only); sent to every frame when they change. */
export interface RelayOverridesMessage {
  type: 'relay-overrides';
  overrides: Override[];
}
/** Override `id` answered a request. */
export interface OverrideServedMessage {
  type: 'override-served';
  v: typeof PROTOCOL_VERSION;
  id: string;
}

// Panel ⇄ background: one-off messages, each answered with the tab's `OverridesMessage`.

export interface OverridesRequestMessage {
  type: 'overrides-request';
  v: typeof PROTOCOL_VERSION;
  tabId: number;
}
export interface OverrideArmMessage {
  type: 'override-arm';
  v: typeof PROTOCOL_VERSION;
  tabId: number;
  override: Override;
}
export interface OverrideChangeMessage {
  type: 'override-change';
  v: typeof PROTOCOL_VERSION;
  tabId: number;
  id: string;
  patch: OverridePatch;
}
export interface OverrideRemoveMessage {
  type: 'override-remove';
  v: typeof PROTOCOL_VERSION;
  tabId: number;
  id: string;
}
export type PanelToBackgroundOverrides =
  | OverridesRequestMessage
  | OverrideArmMessage
  | OverrideChangeMessage
  | OverrideRemoveMessage;

/** Every override of a tab (its session's and those pinned to its site); also sent unasked when they change. */
export interface OverridesMessage {
  type: 'overrides';
  tabId: number;
  overrides: Override[];
}
export type BackgroundToPanelOverrides = OverridesMessage;

export function createRelaySlabs(slabs: ArrayBuffer[]): RelaySlabsMessage {
  return { type: 'relay-slabs', slabs };
}

export function createReplayRules(rules: ReplayRule[]): ReplayRulesMessage {
  return { type: 'replay-rules', rules };
}
export function createReplayStart(
  replayId: string,
  ruleId: string,
  transport: Transport,
  request: ReplayRequest,
): ReplayStartMessage {
  return { type: 'replay-start', v: PROTOCOL_VERSION, replayId, ruleId, transport, request };
}
export function createReplayCancel(replayId: string, reason?: unknown): ReplayCancelMessage {
  return { type: 'replay-cancel', v: PROTOCOL_VERSION, replayId, reason };
}
export function createRelayOverridesRequest(): RelayOverridesRequestMessage {
  return { type: 'relay-overrides-request', v: PROTOCOL_VERSION };
}
export function createReplayAgentRequest(): ReplayAgentRequestMessage {
  return { type: 'replay-agent-request', v: PROTOCOL_VERSION };
}
export function isReplayAgentRequest(value: unknown): value is ReplayAgentRequestMessage {
  return isRecord(value) && value.type === 'replay-agent-request' && value.v === PROTOCOL_VERSION;
}
export function createRelayOverrides(overrides: Override[]): RelayOverridesMessage {
  return { type: 'relay-overrides', overrides };
}
export function createOverrideServed(id: string): OverrideServedMessage {
  return { type: 'override-served', v: PROTOCOL_VERSION, id };
}
export function createOverridesRequest(tabId: number): OverridesRequestMessage {
  return { type: 'overrides-request', v: PROTOCOL_VERSION, tabId };
}
export function createOverrideArm(tabId: number, override: Override): OverrideArmMessage {
  return { type: 'override-arm', v: PROTOCOL_VERSION, tabId, override };
}
export function createOverrideChange(tabId: number, id: string, patch: OverridePatch): OverrideChangeMessage {
  return { type: 'override-change', v: PROTOCOL_VERSION, tabId, id, patch };
}
export function createOverrideRemove(tabId: number, id: string): OverrideRemoveMessage {
  return { type: 'override-remove', v: PROTOCOL_VERSION, tabId, id };
}
export function createOverrides(tabId: number, overrides: Override[]): OverridesMessage {
  return { type: 'overrides', tabId, overrides };
}

// The page can post anything on the agent's port: the relay checks what comes from it.

export function isReplayStart(value: unknown): value is ReplayStartMessage {
  return (
    isRecord(value) &&
    value.type === 'replay-start' &&
    value.v === PROTOCOL_VERSION &&
    isString(value.replayId) &&
    isString(value.ruleId) &&
    TRANSPORTS.includes(value.transport as string) &&
    isRecord(value.request) &&
    isString(value.request.method) &&
    isString(value.request.url) &&
    isStringMap(value.request.headers) &&
    (value.request.body === null || isString(value.request.body))
  );
}
export function isReplayCancel(value: unknown): value is ReplayCancelMessage {
  return (
    isRecord(value) &&
    value.type === 'replay-cancel' &&
    value.v === PROTOCOL_VERSION &&
    isString(value.replayId)
  );
}
export function isRelayOverridesRequest(value: unknown): value is RelayOverridesRequestMessage {
  return isRecord(value) && value.type === 'relay-overrides-request' && value.v === PROTOCOL_VERSION;
}
export function isRelayOverrides(value: unknown): value is RelayOverridesMessage {
  return (
    isRecord(value) &&
    value.type === 'relay-overrides' &&
    Array.isArray(value.overrides) &&
    value.overrides.every(isOverride)
  );
}
export function isOverrideServed(value: unknown): value is OverrideServedMessage {
  return (
    isRecord(value) && value.type === 'override-served' && value.v === PROTOCOL_VERSION && isString(value.id)
  );
}
function isOverridePatch(value: unknown): value is OverridePatch {
  if (!isRecord(value)) return false;
  const { match, timing, faults, enabled, pinned } = value;
  return (
    (match === undefined || isOverrideMatch(match)) &&
    (timing === undefined || (isRecord(timing) && (timing.speed === null || isNumber(timing.speed)))) &&
    (faults === undefined || (Array.isArray(faults) && faults.every(isOverrideFault))) &&
    (enabled === undefined || typeof enabled === 'boolean') &&
    (pinned === undefined || typeof pinned === 'boolean')
  );
}
/** A panel's override message (the sender is checked to be our own page by the receiver). */
export function isPanelOverridesMessage(value: unknown): value is PanelToBackgroundOverrides {
  if (!isRecord(value) || value.v !== PROTOCOL_VERSION || !Number.isInteger(value.tabId)) return false;
  switch (value.type) {
    case 'overrides-request':
      return true;
    case 'override-arm':
      return isOverride(value.override);
    case 'override-change':
      return isString(value.id) && isOverridePatch(value.patch);
    case 'override-remove':
      return isString(value.id);
    default:
      return false;
  }
}
export function isOverridesMessage(value: unknown): value is OverridesMessage {
  return (
    isRecord(value) &&
    value.type === 'overrides' &&
    Number.isInteger(value.tabId) &&
    Array.isArray(value.overrides) &&
    value.overrides.every(isOverride)
  );
}
