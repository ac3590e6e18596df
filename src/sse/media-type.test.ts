import { describe, expect, it } from 'vitest';
import { streamFormatOf } from './media-type';

describe('streamFormatOf', () => {
  it.each([
    ['text/event-stream', 'sse'],
    ['Text/Event-Stream; charset=UTF-8', 'sse'],
    ['TEXT/EVENT-STREAM', 'sse'],
    ['text/event-stream;charset=utf-8', 'sse'],
    ['  text/event-stream  ; charset=utf-8', 'sse'],
    ['\ttext/event-stream\t', 'sse'],
    ['text/event-stream;', 'sse'],
    ['application/x-ndjson', 'ndjson'],
    ['application/ndjson; charset=utf-8', 'ndjson'],
    ['Application/X-NDJSON', 'ndjson'],
    ['application/stream+json', 'ndjson'],
    ['application/jsonl', 'ndjson'],
    ['application/x-jsonlines', 'ndjson'],
    ['application/json-seq', 'ndjson'],
  ] as const)('%j is %s', (contentType, format) => {
    expect(streamFormatOf(contentType)).toBe(format);
  });

  it.each([
    'text/event-streamx',
    'text/event-stream-x',
    'text/event',
    'xtext/event-stream',
    'text/ event-stream',
    'event-stream',
    'text/plain',
    'application/json',
    'application/x-ndjsonx',
    'text/html; profile=text/event-stream',
    '',
    '   ',
    ';',
  ])('%j is not a stream', (contentType) => {
    expect(streamFormatOf(contentType)).toBeNull();
  });

  it('no header is not a stream', () => {
    expect(streamFormatOf(null)).toBeNull();
    expect(streamFormatOf(undefined)).toBeNull();
  });
});
