import { describe, expect, it } from 'vitest';
import { reassemble } from '../../src/llm';
import { anthropicThinkingAndTool, msg, openAiChatText, records } from '../../src/llm/test-support';
import type { ConnectionInfo, StreamRecord } from '../../src/model';
import type { CaptureItem } from '../../src/protocol';
import { applyCaptureItems, type CaptureModel, EMPTY_CAPTURE } from '../capture-model';
import { badJsonSeqsOf, messageOf } from './llm-message';

const info = (id: string): ConnectionInfo => ({
  id,
  transport: 'fetch',
  format: 'sse',
  url: `http://127.0.0.1/${id}`,
  method: 'POST',
  requestHeaders: {},
  requestBody: null,
  status: 200,
  statusText: 'OK',
  responseHeaders: { 'content-type': 'text/event-stream' },
  frameUrl: 'http://127.0.0.1/',
  startedAt: 900,
  headersAt: 950,
});

function feed(model: CaptureModel, id: string, batch: StreamRecord[]): CaptureModel {
  const item: CaptureItem = { type: 'records', connectionId: id, records: batch, bytes: 0 };
  return applyCaptureItems(model, [item]);
}

function viewIn(model: CaptureModel, id: string) {
  const view = model.connections.get(id);
  if (!view) throw new Error(`no connection ${id}`);
  return view;
}

describe('messageOf', () => {
  it('follows a live connection batch by batch, matching a one-shot reassembly', () => {
    const stream = anthropicThinkingAndTool();
    let model = applyCaptureItems(EMPTY_CAPTURE, [{ type: 'connection-start', connection: info('a') }]);
    for (let at = 0; at < stream.length; at += 3) {
      model = feed(model, 'a', stream.slice(at, at + 3));
      const view = viewIn(model, 'a');
      expect(messageOf(view)).toEqual(reassemble(stream.slice(0, at + 3)));
      // Asking again without new events gives the very same object (stable for React selectors).
      expect(messageOf(view)).toBe(messageOf(view));
    }
  });

  it('keeps connections apart and is null for streams of no known shape', () => {
    let model = applyCaptureItems(EMPTY_CAPTURE, [
      { type: 'connection-start', connection: info('chat') },
      { type: 'connection-start', connection: info('ticker') },
    ]);
    model = feed(model, 'chat', openAiChatText());
    model = feed(model, 'ticker', records(...Array.from({ length: 10 }, (_, i) => msg({ price: i }))));
    const chat = viewIn(model, 'chat');
    const ticker = viewIn(model, 'ticker');
    expect(messageOf(chat)?.text).toBe('Hello!');
    expect(messageOf(ticker)).toBeNull();
    expect(badJsonSeqsOf(ticker).size).toBe(0);
  });
});

describe('badJsonSeqsOf', () => {
  it('lists events whose JSON is broken, as the same set until it grows', () => {
    const stream = records(
      msg({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'a' } }] }),
      msg('{"object":"chat.completion.chunk","choi'),
      msg({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'b' } }] }),
      msg('{broken'),
    );
    let model = applyCaptureItems(EMPTY_CAPTURE, [{ type: 'connection-start', connection: info('b') }]);
    model = feed(model, 'b', stream.slice(0, 3));
    const first = badJsonSeqsOf(viewIn(model, 'b'));
    expect([...first]).toEqual([2]);
    model = feed(model, 'b', []);
    model = feed(model, 'b', stream.slice(3));
    const view = viewIn(model, 'b');
    const second = badJsonSeqsOf(view);
    expect([...second]).toEqual([2, 4]);
    expect(badJsonSeqsOf(view)).toBe(second);
  });
});
