import { describe, expect, it } from 'vitest';
import type { CaptureItem } from '../src/protocol';
import { testInfo, testRecords } from '../src/test-records';
import { applyCaptureItems, EMPTY_CAPTURE, endOpenAsPageLeft, PAGE_LEFT_ERROR } from './capture-model';
import { usePanelStore } from './store';

const start = (id: string): CaptureItem => ({ type: 'connection-start', connection: testInfo(id) });
const completed = (id: string): CaptureItem => ({
  type: 'connection-end',
  connectionId: id,
  end: { state: 'completed', error: null, endedAt: 5000 },
  bytes: 7,
});

describe('a page left while its streams were open', () => {
  it('ends only the open connections, as aborted with PAGE_LEFT_ERROR, keeping their bytes', () => {
    const model = applyCaptureItems(EMPTY_CAPTURE, [
      start('open'),
      { type: 'records', connectionId: 'open', records: testRecords([['event', 'message', 'x']]), bytes: 42 },
      start('done'),
      completed('done'),
    ]);
    const left = endOpenAsPageLeft(model, ['open', 'done', 'unknown'], 9000);
    expect(left.connections.get('open')?.end).toEqual({
      state: 'aborted',
      error: PAGE_LEFT_ERROR,
      endedAt: 9000,
    });
    expect(left.connections.get('open')?.bytes).toBe(42);
    expect(left.connections.get('done')?.end?.state).toBe('completed');
    expect(endOpenAsPageLeft(left, ['open', 'done'], 9500)).toBe(left);
  });

  it('is live again when its page comes back from the back/forward cache (its start is replayed); a real end stays', () => {
    const left = endOpenAsPageLeft(
      applyCaptureItems(EMPTY_CAPTURE, [start('a'), start('b'), completed('b')]),
      ['a', 'b'],
      9000,
    );
    const back = applyCaptureItems(left, [start('a'), start('b')]);
    expect(back.connections.get('a')?.end).toBeNull();
    expect(back.connections.get('b')?.end?.state).toBe('completed');
    expect(back.order).toEqual(['a', 'b']);
    expect(applyCaptureItems(back, [completed('a')]).connections.get('a')?.end?.state).toBe('completed');
  });

  it('with Preserve log, a navigation keeps every connection as it is; the documents that left end theirs', () => {
    const store = usePanelStore.getState;
    store().setPreserveLog(true);
    store().apply([start('a'), start('b'), start('c'), completed('b')]);
    store().navigated('https://example.com/next');
    expect(store().capture.order).toEqual(['a', 'b', 'c']);
    expect(store().capture.connections.get('a')?.end).toBeNull();
    store().documentLeft(['a', 'b', 'unknown']);
    expect(store().capture.connections.get('a')?.end?.error).toBe(PAGE_LEFT_ERROR);
    expect(store().capture.connections.get('b')?.end?.state).toBe('completed');
    expect(store().capture.connections.get('c')?.end).toBeNull();
  });
});
