import { describe, expect, it } from 'vitest';
import type { WireItem } from '../../src/protocol';
import { testInfo } from '../../src/test-records';
import { OpenConnections } from './open-connections';

const start = (id: string): WireItem => ({ type: 'connection-start', connection: testInfo(id) });
const end = (id: string): WireItem => ({
  type: 'connection-end',
  connectionId: id,
  end: { state: 'completed', error: null, endedAt: 1 },
  bytes: 0,
});

describe('OpenConnections', () => {
  it('gives, per relay, the connections started and not ended, once', () => {
    const open = new OpenConnections<string>();
    open.note('frame-a', [start('a:1'), start('a:2'), end('a:1')]);
    open.note('frame-b', [start('b:1')]);
    open.note('frame-a', [start('a:2')]); // a replayed snapshot
    expect(open.take('frame-a')).toEqual(['a:2']);
    expect(open.take('frame-a')).toEqual([]);
    expect(open.take('frame-b')).toEqual(['b:1']);
    expect(open.take('never-seen')).toEqual([]);
  });

  it('keeps at most maxPerRelay ids per relay', () => {
    const open = new OpenConnections<string>(2);
    open.note('frame', [start('x:1'), start('x:2'), start('x:3')]);
    expect(open.take('frame')).toEqual(['x:1', 'x:2']);
  });
});
