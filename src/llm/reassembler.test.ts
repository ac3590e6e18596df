import { describe, expect, it, vi } from 'vitest';
import type { StreamRecord } from '../model';
import { createReassembler, reassemble } from './index';
import { ALL_FIXTURES, chatDelta, msg, records } from './test-support';

/** Splits records into consecutive batches of the given sizes, cycling through them. */
function batches(stream: readonly StreamRecord[], sizes: readonly number[]): StreamRecord[][] {
  const out: StreamRecord[][] = [];
  for (let at = 0, i = 0; at < stream.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    out.push(stream.slice(at, at + size));
    at += size;
  }
  return out;
}

describe('createReassembler', () => {
  it.each(Object.entries(ALL_FIXTURES))(
    '%s: small batches give the one-shot result at every step',
    (_, fixture) => {
      const stream = fixture();
      for (const sizes of [[1], [2], [3, 1, 2], [0, 5]]) {
        const reassembler = createReassembler({ contentRecordSeqs: true });
        let pushed = 0;
        for (const batch of batches(stream, sizes)) {
          reassembler.push(batch);
          pushed += batch.length;
          expect(reassembler.snapshot()).toEqual(
            reassemble(stream.slice(0, pushed), { contentRecordSeqs: true }),
          );
        }
        expect(reassembler.snapshot()).toEqual(reassemble(stream, { contentRecordSeqs: true }));
      }
    },
  );

  it('drops records it has already seen (overlapping batches)', () => {
    const stream = ALL_FIXTURES.openAiChatTools?.() ?? [];
    const reassembler = createReassembler();
    reassembler.push(stream.slice(0, 4));
    reassembler.push(stream.slice(2, 7));
    reassembler.push(stream);
    expect(reassembler.snapshot()).toEqual(reassemble(stream));
  });

  it('returns the same snapshot until something changes, and snapshots do not change afterwards', () => {
    const stream = records(chatDelta({ content: 'a' }), chatDelta({ content: 'b' }), msg('[DONE]'));
    const reassembler = createReassembler();
    expect(reassembler.snapshot()).toBeNull();
    expect(reassembler.shape).toBeNull();
    reassembler.push(stream.slice(0, 1));
    const first = reassembler.snapshot();
    expect(reassembler.shape).toBe('openai-chat');
    expect(reassembler.snapshot()).toBe(first);
    reassembler.push(stream.slice(1));
    const second = reassembler.snapshot();
    expect(second).not.toBe(first);
    expect(first?.text).toBe('a');
    expect(first?.terminated).toBe(false);
    expect(second?.text).toBe('ab');
    expect(second?.terminated).toBe(true);
  });

  it('says when detection has decided, either way', () => {
    const chat = createReassembler();
    chat.push(records(msg({ type: 'ping' })));
    expect(chat.decided).toBe(false);
    chat.push(records(msg({ type: 'ping' }), chatDelta({ content: 'a' })));
    expect(chat.decided).toBe(true);
    expect(chat.shape).toBe('openai-chat');
    const ticker = createReassembler();
    ticker.push(records(...Array.from({ length: 7 }, (_, i) => msg({ tick: i }))));
    expect(ticker.decided).toBe(false);
    ticker.push(records(...Array.from({ length: 8 }, (_, i) => msg({ tick: i }))));
    expect(ticker.decided).toBe(true);
    expect(ticker.shape).toBeNull();
  });

  it('lists the records that added content only when asked', () => {
    const stream = records(
      chatDelta({ role: 'assistant', content: '' }),
      chatDelta({ content: 'a' }),
      chatDelta({ tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{}' } }] }),
      chatDelta({}, 'stop'),
    );
    expect(reassemble(stream)?.contentRecordSeqs).toBeUndefined();
    expect(reassemble(stream, { contentRecordSeqs: true })?.contentRecordSeqs).toEqual([2, 3]);
  });

  it('parses each record once on a long live stream snapshotted after every batch', () => {
    const stream = records(
      ...Array.from({ length: 20_000 }, (_, i) =>
        i % 10 === 9
          ? chatDelta({ tool_calls: [{ index: 0, function: { arguments: `"${i}",` } }] })
          : chatDelta({ content: `tok${i} ` }),
      ),
      msg('[DONE]'),
    );
    // Work per batch must not grow with what came before: count the parses instead of timing them.
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const reassembler = createReassembler();
      let snapshots = 0;
      for (const batch of batches(stream, [5])) {
        reassembler.push(batch);
        reassembler.snapshot();
        snapshots++;
      }
      const message = reassembler.snapshot();
      expect(message?.terminated).toBe(true);
      expect(message?.text.startsWith('tok0 tok1 ')).toBe(true);
      // One parse per JSON event, plus at most one parse of the tool arguments per snapshot that changed them.
      expect(parse.mock.calls.length).toBeLessThanOrEqual(stream.length - 1 + snapshots);
    } finally {
      parse.mockRestore();
    }
  });
});
