import { describe, expect, it } from 'vitest';
import { anthropicText, openAiChatText, openAiChatTools, openAiChatTwoChoices } from '../llm/test-support';
import type { ConnectionInfo, StreamRecord } from '../model';
import { isSecretHeader, REDACTED } from './redact';
import { exportFileSchema } from './schema';
import { buildExportFile } from './write-export';

const info: ConnectionInfo = {
  id: 'abc:1',
  transport: 'fetch',
  format: 'sse',
  url: 'https://api.example.com/v1/chat',
  method: 'POST',
  requestHeaders: { authorization: 'Bearer sk-secret', 'x-api-key': 'k', 'content-type': 'application/json' },
  requestBody: '{"stream":true}',
  status: 200,
  statusText: 'OK',
  responseHeaders: { 'content-type': 'text/event-stream' },
  frameUrl: 'https://app.example.com/',
  startedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
  headersAt: Date.UTC(2026, 0, 2, 3, 4, 5, 106),
};
const records: StreamRecord[] = [
  { seq: 1, kind: 'comment', id: '', type: '', data: 'ping', time: info.startedAt + 150.5 },
  { seq: 2, kind: 'event', id: '7', type: 'message', data: '{"a":1}', time: info.startedAt + 200.25 },
  { seq: 3, kind: 'retry', id: '7', type: '', data: '3000', retry: 3000, time: info.startedAt + 300 },
];
const tool = { name: 'SSE DevTools', version: '0.1.0' };

describe('buildExportFile', () => {
  it('writes the documented shape, validated by the schema', () => {
    const file = buildExportFile([{ info, records, bytes: 123, end: null }], {
      tool,
      now: new Date(Date.UTC(2026, 0, 2, 3, 5)),
    });
    expect(exportFileSchema.parse(file)).toEqual(file);
    expect(file.version).toBe(1);
    expect(file.exportedAt).toBe('2026-01-02T03:05:00.000Z');
    const [connection] = file.connections;
    expect(connection).toMatchObject({
      id: 'abc:1',
      transport: 'fetch',
      format: 'sse',
      state: 'open',
      endedAt: null,
      error: null,
      bytes: 123,
      startedAt: '2026-01-02T03:04:05.006Z',
      requestBody: '{"stream":true}',
    });
    expect(connection?.events).toEqual([
      { id: '', type: '', data: 'ping', time: '2026-01-02T03:04:05.156Z', elapsedMs: 150.5, kind: 'comment' },
      { id: '7', type: 'message', data: '{"a":1}', time: '2026-01-02T03:04:05.206Z', elapsedMs: 200.25 },
      {
        id: '7',
        type: '',
        data: '3000',
        time: '2026-01-02T03:04:05.306Z',
        elapsedMs: 300,
        kind: 'retry',
        retry: 3000,
      },
    ]);
  });

  it('redacts secret headers unless asked to include them', () => {
    const redacted = buildExportFile([{ info, records, bytes: 1, end: null }], { tool });
    expect(redacted.connections[0]?.requestHeaders).toEqual({
      authorization: REDACTED,
      'x-api-key': REDACTED,
      'content-type': 'application/json',
    });
    const full = buildExportFile([{ info, records, bytes: 1, end: null }], { tool, includeSecrets: true });
    expect(full.connections[0]?.requestHeaders.authorization).toBe('Bearer sk-secret');
  });

  it('redacts secret URL parameters, user-info passwords and body fields unless asked to include them', () => {
    const secretInfo = {
      ...info,
      url: 'https://g.example.com/v1/m:stream?alt=sse&key=AIzaSy-1',
      frameUrl: 'https://app.example.com/cb#access_token=ya29&token_type=Bearer',
      requestBody: '{"model":"m","api_key":"sk-2","password":"p"}',
    };
    const [redacted] = buildExportFile([{ info: secretInfo, records, bytes: 1, end: null }], {
      tool,
    }).connections;
    expect(redacted?.url).toBe(`https://g.example.com/v1/m:stream?alt=sse&key=${REDACTED}`);
    expect(redacted?.frameUrl).toBe(`https://app.example.com/cb#access_token=${REDACTED}&token_type=Bearer`);
    expect(redacted?.requestBody).toBe(`{"model":"m","api_key":"${REDACTED}","password":"${REDACTED}"}`);
    const file = buildExportFile([{ info: secretInfo, records, bytes: 1, end: null }], {
      tool,
      includeSecrets: true,
    });
    expect(file.connections[0]).toMatchObject({
      url: secretInfo.url,
      frameUrl: secretInfo.frameUrl,
      requestBody: secretInfo.requestBody,
    });
  });

  it('records how a connection ended', () => {
    const file = buildExportFile(
      [
        {
          info,
          records: [],
          bytes: 9,
          end: { state: 'aborted', error: 'AbortError: stop', endedAt: info.startedAt + 5 },
        },
      ],
      { tool },
    );
    expect(file.connections[0]).toMatchObject({ state: 'aborted', error: 'AbortError: stop' });
    expect(file.connections[0]?.endedAt).toBe('2026-01-02T03:04:05.011Z');
  });

  it('knows which headers carry secrets', () => {
    for (const name of [
      'Authorization',
      'Cookie',
      'Proxy-Authorization',
      'X-Api-Key',
      'api-key',
      'x-goog-api-key',
      'X-Auth-Token',
    ]) {
      expect(isSecretHeader(name), name).toBe(true);
    }
    for (const name of ['content-type', 'accept', 'x-request-id'])
      expect(isSecretHeader(name), name).toBe(false);
  });
});

describe('message of an LLM stream', () => {
  const ended = { state: 'completed' as const, error: null, endedAt: info.startedAt + 900 };
  const exportOne = (stream: StreamRecord[]) => {
    const file = buildExportFile([{ info, records: stream, bytes: 1, end: ended }], { tool });
    expect(exportFileSchema.parse(file)).toEqual(file);
    return file.connections[0];
  };

  it('carries the reassembled text, finish reason and usage', () => {
    expect(exportOne(openAiChatText())?.message).toEqual({
      shape: 'openai-chat',
      text: 'Hello!',
      reasoning: '',
      toolCalls: [],
      finishReason: 'stop',
      usage: {
        prompt_tokens: 9,
        completion_tokens: 3,
        total_tokens: 12,
        'prompt_tokens_details.cached_tokens': 0,
        'completion_tokens_details.reasoning_tokens': 0,
        inputTokens: 9,
        outputTokens: 3,
        totalTokens: 12,
      },
      errors: [],
      terminated: true,
    });
  });

  it('carries tool calls with their arguments text as streamed', () => {
    expect(exportOne(openAiChatTools())?.message?.toolCalls).toEqual([
      {
        index: 0,
        id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
        name: 'get_weather',
        arguments: '{"location": "Paris, France"}',
      },
      { index: 1, id: 'call_2', name: 'get_time', arguments: '{"tz":"Europe/Paris"}' },
    ]);
  });

  it('keeps several choices apart', () => {
    const message = exportOne(openAiChatTwoChoices())?.message;
    expect(message?.choices?.map((c) => [c.index, c.text, c.finishReason])).toEqual([
      [0, 'Red apple', 'length'],
      [1, 'Blue sky', 'stop'],
    ]);
  });

  it('says when the stream ended without its terminator', () => {
    const truncated = anthropicText().filter((r) => !r.data.includes('message_stop'));
    expect(exportOne(truncated)?.message).toMatchObject({
      shape: 'anthropic',
      text: 'Hello!',
      terminated: false,
    });
  });

  it('is absent for streams of no known LLM shape', () => {
    const connection = exportOne(records);
    expect(connection).toBeDefined();
    expect(connection && 'message' in connection).toBe(false);
  });
});

describe('buildExportFile: the message of the RPC and agent shapes', () => {
  it('an MCP connection carries its JSON-RPC messages, relative times and session', async () => {
    const { MCP_CALL_BODY, mcpToolCall, mcpContext } = await import('../llm/test-support-protocols');
    const context = mcpContext(MCP_CALL_BODY);
    const mcpInfo: ConnectionInfo = { ...info, ...context, url: 'https://app.example.com/mcp' };
    const file = buildExportFile([{ info: mcpInfo, records: mcpToolCall(), bytes: 1, end: null }], { tool });
    expect(exportFileSchema.parse(file)).toEqual(file);
    const message = file.connections[0]?.message;
    expect(message).toMatchObject({ shape: 'mcp', sessionId: '1868a90c-3b5a-4b5e', terminated: true });
    expect(message?.rpc?.[0]).toEqual({
      kind: 'request',
      from: 'client',
      id: 2,
      method: 'tools/call',
      params: JSON.parse(MCP_CALL_BODY).params,
      elapsedMs: 0,
    });
    expect(message?.rpc?.at(-1)).toMatchObject({ kind: 'response', from: 'server', id: 2, elapsedMs: 50 });
  });

  it('Ollama, AG-UI, LangGraph and graphql-sse messages validate against the schema', async () => {
    const fixtures = await import('../llm/test-support-protocols');
    const connections = Object.values(fixtures.PROTOCOL_FIXTURES).map(([, fixture], i) => ({
      info: { ...info, id: `p:${i}` },
      records: fixture(),
      bytes: 1,
      end: null,
    }));
    const file = buildExportFile(connections, { tool });
    expect(exportFileSchema.parse(file)).toEqual(file);
    const shapes = file.connections.map((c) => c.message?.shape);
    expect(new Set(shapes)).toEqual(new Set(['ollama', 'ag-ui', 'langgraph', 'mcp', 'graphql-sse', 'trpc']));
    expect(file.connections[0]?.message?.serverTokensPerSecond).toBeGreaterThan(60);
  });
});

describe('diagnostics', () => {
  const ended = { state: 'completed' as const, error: null, endedAt: info.startedAt + 900 };
  const chunks = [
    { seq: 1, time: info.startedAt + 200, text: 'date: 1\ndata: {"a":1}\n\n' },
    { seq: 2, time: info.startedAt + 300, text: 'data: {"a":2}\n\ndata: tail' },
  ];

  it('carries code, severity and message of every finding, worst first, validated by the schema', () => {
    const file = buildExportFile([{ info, records, bytes: 1, end: ended, chunks }], { tool });
    expect(exportFileSchema.parse(file)).toEqual(file);
    expect(file.connections[0]?.diagnostics?.map((d) => [d.code, d.severity])).toEqual([
      ['unterminated-final-event', 'warning'],
      ['unknown-field', 'warning'],
      ['no-cache-control', 'info'],
    ]);
    expect(file.connections[0]?.diagnostics?.[1]?.message).toMatch(/^The field "date"/);
  });

  it('is absent when the diagnosis found nothing', () => {
    const clean = {
      ...info,
      responseHeaders: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    };
    const file = buildExportFile([{ info: clean, records, bytes: 1, end: ended }], { tool });
    expect(file.connections[0] && 'diagnostics' in file.connections[0]).toBe(false);
  });

  it('sees streams of one origin together: seven open at once over HTTP/1.1', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({
      info: { ...info, id: `s${i}`, nextHopProtocol: 'http/1.1' },
      records,
      bytes: 1,
      end: null,
    }));
    const file = buildExportFile(many, { tool });
    expect(file.connections[6]?.nextHopProtocol).toBe('http/1.1');
    expect(file.connections[6]?.diagnostics?.map((d) => d.code)).toContain('http1-connection-limit');
  });
});
