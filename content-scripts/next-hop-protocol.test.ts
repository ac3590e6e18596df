import { describe, expect, it } from 'vitest';
import type { WireItem } from '../src/protocol';
import { testInfo } from '../src/test-records';
import { NextHopProtocols, protocolFor, type TimingEntry } from './next-hop-protocol';

describe('protocolFor', () => {
  const entries: TimingEntry[] = [
    { name: 'https://app.example/', nextHopProtocol: 'h2' },
    { name: 'https://api.example/config', nextHopProtocol: 'http/1.1' },
    { name: 'https://api.example/other', nextHopProtocol: '' },
  ];

  it('takes the latest entry of the origin that tells, and the URL’s own entry first', () => {
    expect(protocolFor('https://api.example/stream', entries)).toBe('http/1.1');
    expect(protocolFor('https://app.example/sse', entries)).toBe('h2');
    expect(
      protocolFor('https://api.example/stream', [
        ...entries,
        { name: 'https://api.example/stream', nextHopProtocol: 'h3' },
      ]),
    ).toBe('h3');
  });

  it('is undefined when no entry of the origin tells', () => {
    expect(protocolFor('https://elsewhere.example/sse', entries)).toBeUndefined();
    expect(protocolFor('not a url', entries)).toBeUndefined();
  });
});

describe('NextHopProtocols', () => {
  it('stamps starts and ends, replacing whatever the page put there', () => {
    let entries: TimingEntry[] = [{ name: 'http://127.0.0.1/', nextHopProtocol: 'http/1.1' }];
    const stamps = new NextHopProtocols(() => entries);
    const start: WireItem = {
      type: 'connection-start',
      connection: { ...testInfo('c'), nextHopProtocol: 'forged' },
    };
    stamps.stamp([start]);
    expect(start.type === 'connection-start' && start.connection.nextHopProtocol).toBe('http/1.1');
    entries = [{ name: 'http://127.0.0.1/c', nextHopProtocol: 'h2' }];
    const end: WireItem = {
      type: 'connection-end',
      connectionId: 'c',
      end: { state: 'completed', error: null, endedAt: 2, nextHopProtocol: 'forged' },
      bytes: 0,
    };
    stamps.stamp([end]);
    expect(end.type === 'connection-end' && end.end.nextHopProtocol).toBe('h2');
  });
});
