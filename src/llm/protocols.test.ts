import { describe, expect, it } from 'vitest';
import { createReassembler, detectShape, reassemble } from './index';
import { applyJsonPatch } from './json-patch';
import { pairRpc } from './rpc';
import {
  agUiChunks,
  agUiRun,
  graphqlDistinct,
  graphqlSingle,
  langGraphRun,
  langGraphValues,
  MCP_BAD_CALL_BODY,
  mcpContext,
  mcpError,
  mcpLegacy,
  mcpToolCall,
  ollamaChat,
  ollamaError,
  ollamaGenerate,
  ollamaTools,
  PROTOCOL_FIXTURES,
  stream,
  trpcError,
  trpcSubscription,
} from './test-support-protocols';
import type { ReassemblerOptions } from './types';

/** Every event's summary, by seq. */
function summaries(records: ReturnType<typeof stream>, options: ReassemblerOptions = {}) {
  const reassembler = createReassembler({ ...options, summaries: true });
  reassembler.push(records);
  return records.map((record) => reassembler.summaryOf(record.seq));
}

describe('detection of the agent, RPC and subscription shapes', () => {
  it.each(Object.entries(PROTOCOL_FIXTURES))('recognises %s', (_name, [shape, fixture]) => {
    expect(detectShape(fixture())).toBe(shape);
  });

  it('does not take generic streams for them', () => {
    const generic = [
      stream(...Array.from({ length: 10 }, (_, i) => ({ data: { type: 'TICK', value: i } }))),
      stream({ data: { model: 'x', done: false } }, { data: { model: 'x', done: true } }),
      stream({ type: 'values', data: { a: 1 } }, { type: 'updates', data: { b: 2 } }),
      stream({ type: 'next', data: 'plain text' }),
      stream({ type: 'connected', data: 'yes' }),
      stream({ data: { id: 1, result: 2 } }),
    ];
    for (const records of generic) expect(detectShape(records)).toBeNull();
  });
});

describe('ollama', () => {
  it('/api/chat: text, thinking, done_reason, the server counts and its own tokens per second', () => {
    const message = reassemble(ollamaChat());
    expect(message).toMatchObject({
      shape: 'ollama',
      text: 'The sky is blue.',
      reasoning: 'The user greets',
      finishReason: 'stop',
      terminated: true,
      usage: {
        prompt_eval_count: 26,
        eval_count: 282,
        eval_duration: 4535599000,
        inputTokens: 26,
        outputTokens: 282,
      },
    });
    expect(message?.serverTokensPerSecond).toBeCloseTo(282 / 4.535599, 6);
    expect(summaries(ollamaChat())).toEqual([
      'thinking "The user greets"',
      '"The"',
      '" sky is"',
      '" blue."',
      'usage 26 → 282 · finish stop',
    ]);
  });

  it('/api/generate: the response pieces', () => {
    expect(reassemble(ollamaGenerate())).toMatchObject({
      text: 'Why is',
      finishReason: 'length',
      terminated: true,
    });
  });

  it('tool calls arrive whole, their arguments as an object', () => {
    expect(reassemble(ollamaTools())?.toolCalls).toEqual([
      {
        index: 0,
        name: 'get_current_weather',
        arguments: '{"format":"celsius","location":"Paris, FR"}',
        argumentsParsed: { format: 'celsius', location: 'Paris, FR' },
      },
    ]);
  });

  it('an error line is an error, and without done the stream is truncated', () => {
    const message = reassemble(ollamaError());
    expect(message).toMatchObject({
      text: 'Par',
      errors: ['model runner crashed'],
      terminated: false,
      errorSeqs: [2],
    });
    expect(message?.serverTokensPerSecond).toBeUndefined();
  });
});

describe('ag-ui', () => {
  it('text, a tool call with its arguments, state snapshot and JSON Patch deltas, the run end', () => {
    expect(reassemble(agUiRun())).toMatchObject({
      shape: 'ag-ui',
      text: 'It is 21°C in **Paris**.',
      toolCalls: [{ index: 0, id: 'tc_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      state: { city: 'Paris', steps: ['weather'] },
      terminated: true,
      errors: [],
    });
    expect(summaries(agUiRun())).toEqual([
      'run started run_1',
      'state snapshot',
      'step started weather',
      'tool_call get_weather',
      'tool_call get_weather {"ci',
      'tool_call get_weather ty":"Paris"}',
      'tool_call end get_weather',
      'tool_result get_weather 21°C, sunny',
      'state delta (2 ops)',
      'message start assistant',
      '"It is "',
      '"21°C in **Paris**."',
      'message end',
      'step finished weather',
      'run finished',
    ]);
  });

  it('chunk events, several messages apart, and RUN_ERROR as the end with its error', () => {
    expect(reassemble(agUiChunks())).toMatchObject({
      text: 'One two\n\nThree',
      errors: ['AGENT_ERROR: Agent crashed'],
      errorSeqs: [5],
      terminated: true,
    });
  });

  it('MESSAGES_SNAPSHOT replaces the messages, as the client does', () => {
    const records = stream(
      { data: { type: 'TEXT_MESSAGE_CONTENT', messageId: 'a', delta: 'draft' } },
      {
        data: {
          type: 'MESSAGES_SNAPSHOT',
          messages: [
            { id: 'u', role: 'user', content: 'Hi' },
            { id: 'a', role: 'assistant', content: 'Final answer' },
          ],
        },
      },
    );
    expect(reassemble(records)?.text).toBe('Final answer');
  });

  it('a STATE_DELTA that cannot apply is an error and leaves the state as it was', () => {
    const records = stream(
      { data: { type: 'STATE_SNAPSHOT', snapshot: { a: 1 } } },
      { data: { type: 'STATE_DELTA', delta: [{ op: 'remove', path: '/missing' }] } },
    );
    const message = reassemble(records);
    expect(message?.state).toEqual({ a: 1 });
    expect(message?.errors[0]).toContain('STATE_DELTA');
  });
});

describe('langgraph', () => {
  it('messages-tuple chunks make the AI text; tool call chunks; usage; node updates with subgraph namespaces', () => {
    const message = reassemble(langGraphRun());
    expect(message).toMatchObject({
      shape: 'langgraph',
      text: 'Hello! Bye',
      toolCalls: [{ index: 0, id: 'call_1', name: 'search', arguments: '{"q":"sf"}' }],
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17 },
      terminated: true,
    });
    expect(message?.updates).toEqual([
      {
        node: 'agent',
        namespace: '',
        update: { messages: [{ type: 'ai', content: 'Hello! Bye', id: 'run-1' }] },
        seq: 9,
      },
      { node: 'tools', namespace: 'agent:7f3c', update: { count: 1 }, seq: 10 },
    ]);
    expect(summaries(langGraphRun())).toEqual([
      'run 1ef4a9b8',
      'values messages',
      '"Hel"',
      '"lo!"',
      '" Bye"',
      'tool_call search {"q":',
      'tool_call search "sf"}',
      'usage 12 → 5 · finish stop',
      'update agent',
      'update tools (agent:7f3c)',
      'custom {"progress":0.5}',
      'values messages',
      'end',
    ]);
  });

  it('values mode alone: the last AI message of the state; an error event, no end', () => {
    expect(reassemble(langGraphValues())).toMatchObject({
      text: 'Hello there',
      errors: ['GraphRecursionError: Recursion limit reached'],
      terminated: false,
    });
  });

  it('messages/partial restates each message whole', () => {
    const records = stream(
      { type: 'metadata', data: { run_id: 'r' } },
      { type: 'messages/partial', data: [{ type: 'ai', id: 'a', content: 'Hel' }] },
      { type: 'messages/partial', data: [{ type: 'ai', id: 'a', content: 'Hello' }] },
    );
    expect(reassemble(records)?.text).toBe('Hello');
    expect(summaries(records)[2]).toBe('"lo"');
  });
});

describe('mcp', () => {
  it('pairs the POST body request with its response; notifications and a server request on the way', () => {
    const connection = mcpContext();
    const message = reassemble(mcpToolCall(), { connection });
    expect(message).toMatchObject({
      shape: 'mcp',
      sessionId: '1868a90c-3b5a-4b5e',
      terminated: true,
      errors: [],
    });
    expect(message?.rpc?.map((m) => [m.kind, m.from, m.method ?? m.id])).toEqual([
      ['request', 'client', 'tools/call'],
      ['notification', 'server', 'notifications/progress'],
      ['notification', 'server', 'notifications/message'],
      ['request', 'server', 'sampling/createMessage'],
      ['response', 'server', 2],
    ]);
    expect(summaries(mcpToolCall(), { connection })).toEqual([
      undefined,
      'notifications/progress 1/3 "Fetching"',
      'notifications/message info cache miss',
      '← sampling/createMessage #0',
      'tools/call → result (3 items) 50 ms',
    ]);
  });

  it('a JSON-RPC error is flagged, with the method and the time it took', () => {
    const connection = mcpContext(MCP_BAD_CALL_BODY);
    const message = reassemble(mcpError(), { connection });
    expect(message?.errorSeqs).toEqual([1]);
    expect(message?.errors).toEqual(['tools/call → error -32602 Unknown tool: no_such_tool 10 ms']);
    expect(message?.rpc?.[1]?.error).toEqual({ code: -32602, message: 'Unknown tool: no_such_tool' });
  });

  it('a response not yet arrived leaves the stream unterminated', () => {
    const message = reassemble(mcpToolCall().slice(0, 3), { connection: mcpContext() });
    expect(message?.terminated).toBe(false);
  });

  it('the legacy HTTP+SSE transport: its endpoint event, and responses without their request', () => {
    const message = reassemble(mcpLegacy(), { connection: mcpContext(null) });
    expect(message).toMatchObject({
      endpoint: '/messages?sessionId=3f1c',
      terminated: true,
      badJsonSeqs: [],
    });
    expect(summaries(mcpLegacy(), { connection: mcpContext(null) })).toEqual([
      'endpoint /messages?sessionId=3f1c',
      '#1 → result (1 item)',
    ]);
  });

  it('a batch in one event is several messages', () => {
    const records = stream({
      data: [
        { jsonrpc: '2.0', id: 1, result: {} },
        { jsonrpc: '2.0', id: 2, result: { tools: [] } },
      ],
    });
    const body = JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ]);
    expect(summaries(records, { connection: mcpContext(body) })).toEqual([
      'ping → result 10 ms · tools/list → result (0 items) 10 ms',
    ]);
  });
});

describe('pairRpc across the connections of a tab', () => {
  it('pairs by session and id; a GET stream’s notification stands alone', () => {
    const call = reassemble(mcpToolCall(), { connection: mcpContext() });
    const failed = reassemble(mcpError(), { connection: mcpContext(MCP_BAD_CALL_BODY) });
    const standalone = reassemble(
      stream({ data: { jsonrpc: '2.0', method: 'notifications/tools/list_changed' } }),
      { connection: mcpContext(null) },
    );
    const exchanges = pairRpc(
      [
        ['post-1', call],
        ['post-2', failed],
        ['get', standalone],
      ].map(([connectionId, message]) => ({
        connectionId: connectionId as string,
        sessionId: (message as typeof call)?.sessionId,
        messages: (message as typeof call)?.rpc ?? [],
      })),
    );
    expect(
      exchanges.map((e) => [
        e.connectionId,
        e.request?.method,
        e.related.map((m) => m.method),
        e.response?.id,
        e.durationMs,
      ]),
    ).toEqual([
      [
        'post-1',
        'tools/call',
        ['notifications/progress', 'notifications/message', 'sampling/createMessage'],
        2,
        50,
      ],
      ['post-2', 'tools/call', [], 3, 10],
      ['get', undefined, ['notifications/tools/list_changed'], undefined, undefined],
    ]);
  });

  it('does not pair the same id across sessions', () => {
    const response = reassemble(mcpError(), {
      connection: { ...mcpContext(null), responseHeaders: { 'mcp-session-id': 'other' } },
    });
    const request = reassemble(
      stream({ data: { jsonrpc: '2.0', method: 'notifications/message', params: {} } }),
      {
        connection: mcpContext(MCP_BAD_CALL_BODY),
      },
    );
    const exchanges = pairRpc([
      { connectionId: 'a', sessionId: request?.sessionId, messages: request?.rpc ?? [] },
      { connectionId: 'b', sessionId: response?.sessionId, messages: response?.rpc ?? [] },
    ]);
    expect(exchanges.find((e) => e.request)?.response).toBeUndefined();
    expect(exchanges.filter((e) => e.response && !e.request)).toHaveLength(1);
  });
});

describe('graphql-sse', () => {
  it('distinct connections mode: one result per next, errors flagged, ended by complete', () => {
    const message = reassemble(graphqlDistinct());
    expect(message).toMatchObject({ shape: 'graphql-sse', terminated: true, errorSeqs: [3] });
    expect(message?.results).toEqual([
      { seq: 1, data: { greetings: 'Hi' } },
      { seq: 2, data: { greetings: 'Bonjour' } },
      { seq: 3, data: null, errors: ['Language not supported'] },
    ]);
    expect(summaries(graphqlDistinct())).toEqual([
      'next {"greetings":"Hi"}',
      'next {"greetings":"Bonjour"}',
      'next errors: Language not supported',
      'complete',
    ]);
  });

  it('single connection mode: results by operation id, ended when every operation completed', () => {
    expect(reassemble(graphqlSingle())?.results?.map((r) => r.id)).toEqual(['op1', 'op2', 'op1']);
    expect(reassemble(graphqlSingle())?.terminated).toBe(true);
    expect(reassemble(graphqlSingle().slice(0, 4))?.terminated).toBe(false);
  });
});

describe('trpc', () => {
  it('values with their tracked ids (superjson unwrapped), ping, return', () => {
    const message = reassemble(trpcSubscription());
    expect(message).toMatchObject({ shape: 'trpc', terminated: true, errors: [] });
    expect(message?.results).toEqual([
      { seq: 2, id: 'msg-1', data: { text: 'hello', at: 1 } },
      { seq: 4, id: 'msg-2', data: { text: 'world', at: '1970-01-01T00:00:00.000Z' } },
    ]);
    expect(summaries(trpcSubscription())).toEqual([
      'connected',
      '#msg-1 {"text":"hello","at":1}',
      'ping',
      '#msg-2 {"text":"world","at":"1970-01-01T00:00:00.000Z"}',
      'return',
    ]);
  });

  it('a bare JSON value is a value; serialized-error is an error that ends it', () => {
    const message = reassemble(trpcError());
    expect(message).toMatchObject({
      errors: ['FORBIDDEN: Not allowed'],
      errorSeqs: [3],
      badJsonSeqs: [],
      terminated: true,
    });
    expect(message?.results?.[0]).toEqual({ seq: 2, data: 1 });
  });
});

describe('applyJsonPatch (RFC 6902)', () => {
  it('applies every operation without touching its input', () => {
    const doc = { a: { b: [1, 2] }, c: 'x' };
    const outcome = applyJsonPatch(doc, [
      { op: 'add', path: '/a/b/1', value: 9 },
      { op: 'replace', path: '/c', value: 'y' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/d', path: '/e~1f' },
      { op: 'remove', path: '/a/b/0' },
      { op: 'test', path: '/a/b', value: [9, 2] },
    ]);
    expect(outcome).toEqual({ ok: true, value: { a: { b: [9, 2] }, c: 'y', 'e/f': 'y' } });
    expect(doc).toEqual({ a: { b: [1, 2] }, c: 'x' });
  });

  it('stops at an operation that cannot apply', () => {
    expect(applyJsonPatch({}, [{ op: 'replace', path: '/x', value: 1 }]).ok).toBe(false);
    expect(applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]).ok).toBe(false);
    expect(applyJsonPatch([1], [{ op: 'add', path: '/5', value: 1 }]).ok).toBe(false);
    expect(applyJsonPatch({}, 'nope').ok).toBe(false);
  });
});
