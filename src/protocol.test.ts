import { describe, expect, it } from 'vitest';
import type { ConnectionInfo } from './model';
import { packRecords } from './packed-records';
import {
  createAgentBatch,
  createPanelAttached,
  createPanelHello,
  createRelayCapture,
  createSettingsChange,
  createSettingsMessage,
  createSettingsRequest,
  createTabStats,
  createTabStatsRequest,
  isAgentBatch,
  isCaptureItem,
  isPanelAttached,
  isPanelHello,
  isRelayCapture,
  isSettingsChangeMessage,
  isSettingsMessage,
  isSettingsRequest,
  isTabStats,
  isTabStatsRequest,
  PROTOCOL_VERSION,
  type WireItem,
  wireToCaptureItems,
} from './protocol';
import type { SettingsChange } from './settings';

const connection: ConnectionInfo = {
  id: 't:1',
  transport: 'fetch',
  format: 'sse',
  url: 'http://a/',
  method: 'GET',
  requestHeaders: { accept: 'text/event-stream' },
  requestBody: null,
  status: 200,
  statusText: 'OK',
  responseHeaders: {},
  frameUrl: 'http://a/',
  startedAt: 1,
  headersAt: 2,
};

describe('protocol guards', () => {
  it('accept what the factories make, and the panel gets the records back', () => {
    const record = { seq: 1, kind: 'event', id: '', type: 'message', data: 'x', time: 5 } as const;
    const items: WireItem[] = [
      { type: 'connection-start', connection },
      { type: 'packed-records', connectionId: 't:1', bytes: 3, records: packRecords([record]) },
      {
        type: 'connection-end',
        connectionId: 't:1',
        bytes: 3,
        end: { state: 'completed', error: null, endedAt: 6 },
      },
    ];
    expect(isAgentBatch(createAgentBatch([...items]))).toBe(true);
    expect(isRelayCapture(createRelayCapture([...items], true))).toBe(true);
    expect(isPanelAttached(createPanelAttached(true))).toBe(true);
    expect(isPanelHello(createPanelHello(7))).toBe(true);
    expect(wireToCaptureItems(items)).toEqual([
      items[0],
      { type: 'records', connectionId: 't:1', bytes: 3, records: [record] },
      items[2],
    ]);
  });

  it('drop wire items whose records do not check out, keeping the rest', () => {
    const good = packRecords([{ seq: 1, kind: 'event', id: '', type: 'message', data: 'x', time: 5 }]);
    const items: unknown[] = [
      { type: 'packed-records', connectionId: 't:1', bytes: 1, records: { ...good, text: 'xy' } },
      { type: 'records', connectionId: 't:1', bytes: 1, records: [] },
      { type: 'connection-start', connection },
    ];
    expect(wireToCaptureItems(items)).toEqual([{ type: 'connection-start', connection }]);
  });

  it('reject forged or malformed page messages', () => {
    const forged: unknown[] = [
      null,
      'agent-batch',
      { type: 'agent-batch', v: PROTOCOL_VERSION + 1, items: [] },
      { type: 'agent-batch', v: PROTOCOL_VERSION, items: [{ type: 'connection-start', connection: {} }] },
      {
        type: 'agent-batch',
        v: PROTOCOL_VERSION,
        items: [{ type: 'records', connectionId: 1, records: [] }],
      },
      {
        type: 'agent-batch',
        v: PROTOCOL_VERSION,
        items: [{ type: 'connection-start', connection: { ...connection, requestHeaders: { a: 1 } } }],
      },
      {
        type: 'agent-batch',
        v: PROTOCOL_VERSION,
        items: [{ type: 'connection-end', connectionId: 'x', bytes: 0, end: { state: 'exploded' } }],
      },
    ];
    for (const message of forged) expect(isAgentBatch(message)).toBe(false);
    expect(isCaptureItem({ type: 'records', connectionId: 'x', bytes: Number.NaN, records: [] })).toBe(false);
    expect(isPanelHello({ type: 'panel-hello', v: PROTOCOL_VERSION, tabId: 1.5 })).toBe(false);
  });
});

describe('records of every transport', () => {
  const records = (record: Record<string, unknown>) => ({
    type: 'records',
    connectionId: 't:1',
    bytes: 0,
    records: [{ seq: 1, id: '', type: '', data: '', time: 5, ...record }],
  });

  it('accept EventSource open and error records with an attempt number', () => {
    expect(isCaptureItem({ type: 'connection-start', connection: { ...connection, transport: 'xhr' } })).toBe(
      true,
    );
    expect(isCaptureItem(records({ kind: 'open', attempt: 1 }))).toBe(true);
    expect(isCaptureItem(records({ kind: 'error', data: 'reconnecting', attempt: 2 }))).toBe(true);
  });

  it('reject unknown kinds, transports and non-numeric attempts', () => {
    expect(isCaptureItem(records({ kind: 'reconnect' }))).toBe(false);
    expect(isCaptureItem(records({ kind: 'open', attempt: '1' }))).toBe(false);
    expect(
      isCaptureItem({ type: 'connection-start', connection: { ...connection, transport: 'websocket' } }),
    ).toBe(false);
  });
});

describe('popup ⇄ background guards', () => {
  it('accept what the factories make', () => {
    expect(isTabStatsRequest(createTabStatsRequest(3))).toBe(true);
    expect(isSettingsRequest(createSettingsRequest())).toBe(true);
    expect(isSettingsChangeMessage(createSettingsChange({ kind: 'set-mode', mode: 'only-listed' }))).toBe(
      true,
    );
    expect(
      isSettingsChangeMessage(
        createSettingsChange({ kind: 'set-site', origin: 'http://localhost:3000', on: false }),
      ),
    ).toBe(true);
    expect(isTabStats(createTabStats(3, 2, 1))).toBe(true);
    expect(
      isSettingsMessage(createSettingsMessage({ mode: 'all-except', sites: { 'https://a.example': false } })),
    ).toBe(true);
  });

  it('reject malformed ones', () => {
    expect(isTabStatsRequest({ type: 'tab-stats-request', v: PROTOCOL_VERSION, tabId: '3' })).toBe(false);
    expect(isSettingsRequest({ type: 'settings-request', v: PROTOCOL_VERSION + 1 })).toBe(false);
    expect(
      isSettingsChangeMessage(
        createSettingsChange({
          kind: 'set-site',
          origin: 'https://a.example/path',
          on: false,
        } as SettingsChange),
      ),
    ).toBe(false);
    expect(isTabStats({ type: 'tab-stats', tabId: 3, total: -1, live: 0 })).toBe(false);
    expect(isSettingsMessage({ type: 'settings', settings: { mode: 'some', sites: {} } })).toBe(false);
  });
});
