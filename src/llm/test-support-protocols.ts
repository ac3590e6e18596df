/**
 * Fixture streams for the agent, local-model, RPC and subscription shapes (Ollama, AG-UI,
 * LangGraph, MCP, graphql-sse, tRPC), for the `src/llm` unit tests only. Each follows the
 * protocol's own documentation or SDK source (linked at each fixture).
 */
import type { StreamRecord } from '../model';
import type { StreamContext } from './types';

/** One event to build: SSE type, data text (objects become JSON) and last event ID. */
export interface ProtocolEvent {
  type?: string;
  data: unknown;
  id?: string;
}

/** Timeline records: seq from 1, 10 ms apart from t=1000. */
export function stream(...events: ProtocolEvent[]): StreamRecord[] {
  return events.map((event, i) => ({
    seq: i + 1,
    kind: 'event',
    id: event.id ?? '',
    type: event.type ?? 'message',
    data: typeof event.data === 'string' ? event.data : JSON.stringify(event.data),
    time: 1000 + 10 * i,
  }));
}

const data = (value: unknown, type?: string, id?: string): ProtocolEvent => ({ data: value, type, id });

// ---------------------------------------------------------------------------------------------
// Ollama, docs/api.md of the ollama repository ("Generate a chat completion", streaming)

const ollamaLine = (fields: Record<string, unknown>) =>
  data({ model: 'llama3.2', created_at: '2023-08-04T08:52:19.385406455-07:00', ...fields });

export const ollamaChat = (): StreamRecord[] =>
  stream(
    ollamaLine({ message: { role: 'assistant', content: '', thinking: 'The user greets' }, done: false }),
    ollamaLine({ message: { role: 'assistant', content: 'The' }, done: false }),
    ollamaLine({ message: { role: 'assistant', content: ' sky is' }, done: false }),
    ollamaLine({ message: { role: 'assistant', content: ' blue.' }, done: false }),
    ollamaLine({
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      total_duration: 4883583458,
      load_duration: 1334875,
      prompt_eval_count: 26,
      prompt_eval_duration: 342546000,
      eval_count: 282,
      eval_duration: 4535599000,
    }),
  );

export const ollamaGenerate = (): StreamRecord[] =>
  stream(
    ollamaLine({ response: 'Why', done: false }),
    ollamaLine({ response: ' is', done: false }),
    ollamaLine({
      response: '',
      done: true,
      done_reason: 'length',
      context: [1, 2, 3],
      total_duration: 10706818083,
      load_duration: 6338219291,
      prompt_eval_count: 26,
      prompt_eval_duration: 130079000,
      eval_count: 259,
      eval_duration: 4232710000,
    }),
  );

export const ollamaTools = (): StreamRecord[] =>
  stream(
    ollamaLine({
      message: {
        role: 'assistant',
        content: '',
        tool_calls: [
          {
            function: {
              name: 'get_current_weather',
              arguments: { format: 'celsius', location: 'Paris, FR' },
            },
          },
        ],
      },
      done: false,
    }),
    ollamaLine({
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      eval_count: 20,
      eval_duration: 1e9,
    }),
  );

export const ollamaError = (): StreamRecord[] =>
  stream(
    ollamaLine({ message: { role: 'assistant', content: 'Par' }, done: false }),
    data({ error: 'model runner crashed' }),
  );

// ---------------------------------------------------------------------------------------------
// AG-UI, docs.ag-ui.com/concepts/events and @ag-ui/core's event types

export const agUiRun = (): StreamRecord[] =>
  stream(
    data({ type: 'RUN_STARTED', threadId: 'thread_1', runId: 'run_1' }),
    data({ type: 'STATE_SNAPSHOT', snapshot: { city: null, steps: [] } }),
    data({ type: 'STEP_STARTED', stepName: 'weather' }),
    data({
      type: 'TOOL_CALL_START',
      toolCallId: 'tc_1',
      toolCallName: 'get_weather',
      parentMessageId: 'm_0',
    }),
    data({ type: 'TOOL_CALL_ARGS', toolCallId: 'tc_1', delta: '{"ci' }),
    data({ type: 'TOOL_CALL_ARGS', toolCallId: 'tc_1', delta: 'ty":"Paris"}' }),
    data({ type: 'TOOL_CALL_END', toolCallId: 'tc_1' }),
    data({ type: 'TOOL_CALL_RESULT', messageId: 'm_t', toolCallId: 'tc_1', content: '21°C, sunny' }),
    data({
      type: 'STATE_DELTA',
      delta: [
        { op: 'replace', path: '/city', value: 'Paris' },
        { op: 'add', path: '/steps/-', value: 'weather' },
      ],
    }),
    data({ type: 'TEXT_MESSAGE_START', messageId: 'm_1', role: 'assistant' }),
    data({ type: 'TEXT_MESSAGE_CONTENT', messageId: 'm_1', delta: 'It is ' }),
    data({ type: 'TEXT_MESSAGE_CONTENT', messageId: 'm_1', delta: '21°C in **Paris**.' }),
    data({ type: 'TEXT_MESSAGE_END', messageId: 'm_1' }),
    data({ type: 'STEP_FINISHED', stepName: 'weather' }),
    data({ type: 'RUN_FINISHED', threadId: 'thread_1', runId: 'run_1' }),
  );

export const agUiChunks = (): StreamRecord[] =>
  stream(
    data({ type: 'RUN_STARTED', threadId: 't', runId: 'r' }),
    data({ type: 'TEXT_MESSAGE_CHUNK', messageId: 'a', role: 'assistant', delta: 'One' }),
    data({ type: 'TEXT_MESSAGE_CHUNK', delta: ' two' }),
    data({ type: 'TEXT_MESSAGE_CHUNK', messageId: 'b', delta: 'Three' }),
    data({ type: 'RUN_ERROR', message: 'Agent crashed', code: 'AGENT_ERROR' }),
  );

// ---------------------------------------------------------------------------------------------
// LangGraph, @langchain/langgraph-sdk's types.stream (stream modes as SSE event types)

const aiChunk = (content: unknown, extra: Record<string, unknown> = {}) => [
  { content, additional_kwargs: {}, response_metadata: {}, type: 'AIMessageChunk', id: 'run-1', ...extra },
  { langgraph_node: 'agent', langgraph_step: 1, tags: [] },
];

export const langGraphRun = (): StreamRecord[] =>
  stream(
    data({ run_id: '1ef4a9b8', thread_id: 'th_1' }, 'metadata'),
    data({ messages: [{ type: 'human', content: 'Hi', id: 'h1' }] }, 'values'),
    data(aiChunk('Hel'), 'messages'),
    data(aiChunk('lo!'), 'messages'),
    data(aiChunk([{ type: 'text', text: ' Bye', index: 0 }]), 'messages'),
    data(
      aiChunk('', {
        tool_call_chunks: [{ name: 'search', args: '{"q":', id: 'call_1', index: 0 }],
      }),
      'messages',
    ),
    data(aiChunk('', { tool_call_chunks: [{ name: null, args: '"sf"}', id: null, index: 0 }] }), 'messages'),
    data(
      aiChunk('', {
        response_metadata: { finish_reason: 'stop' },
        usage_metadata: { input_tokens: 12, output_tokens: 5, total_tokens: 17 },
      }),
      'messages',
    ),
    data({ agent: { messages: [{ type: 'ai', content: 'Hello! Bye', id: 'run-1' }] } }, 'updates'),
    data({ tools: { count: 1 } }, 'updates|agent:7f3c'),
    data({ progress: 0.5 }, 'custom'),
    data(
      {
        messages: [
          { type: 'human', content: 'Hi', id: 'h1' },
          { type: 'ai', content: 'Hello! Bye', id: 'run-1' },
        ],
      },
      'values',
    ),
    data({ run_id: '1ef4a9b8', status: 'success' }, 'end'),
  );

/** `stream_mode: "values"` only: the answer is the last AI message of the state. */
export const langGraphValues = (): StreamRecord[] =>
  stream(
    data({ run_id: 'r2', thread_id: 't2' }, 'metadata'),
    data({ messages: [{ type: 'human', content: 'Hi', id: 'h1' }] }, 'values'),
    data(
      {
        messages: [
          { type: 'human', content: 'Hi', id: 'h1' },
          { type: 'ai', content: 'Hello there', id: 'a1' },
        ],
      },
      'values',
    ),
    data({ error: 'GraphRecursionError', message: 'Recursion limit reached' }, 'error'),
  );

// ---------------------------------------------------------------------------------------------
// MCP Streamable HTTP, modelcontextprotocol.io specification (basic/transports, server/tools,
// basic/utilities/progress) and the TypeScript SDK's StreamableHTTPServerTransport output

export const MCP_CALL_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 2,
  method: 'tools/call',
  params: { name: 'get_weather', arguments: { location: 'New York' }, _meta: { progressToken: 2 } },
});

export const mcpContext = (body: string | null = MCP_CALL_BODY): StreamContext => ({
  requestBody: body,
  requestHeaders: { 'mcp-session-id': '1868a90c-3b5a-4b5e' },
  responseHeaders: { 'content-type': 'text/event-stream', 'mcp-session-id': '1868a90c-3b5a-4b5e' },
  startedAt: 990,
});

export const mcpToolCall = (): StreamRecord[] =>
  stream(
    // The SDK's priming event (an id to resume from, no data).
    data('', 'message', '0'),
    data(
      {
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: 2, progress: 1, total: 3, message: 'Fetching' },
      },
      'message',
      '1',
    ),
    data(
      {
        jsonrpc: '2.0',
        method: 'notifications/message',
        params: { level: 'info', logger: 'weather', data: 'cache miss' },
      },
      'message',
      '2',
    ),
    data(
      {
        jsonrpc: '2.0',
        id: 0,
        method: 'sampling/createMessage',
        params: { messages: [{ role: 'user', content: { type: 'text', text: 'Summarise' } }], maxTokens: 50 },
      },
      'message',
      '3',
    ),
    data(
      {
        jsonrpc: '2.0',
        id: 2,
        result: {
          content: [
            { type: 'text', text: 'Current weather in New York:' },
            { type: 'text', text: 'Temperature: 72°F' },
            { type: 'text', text: 'Conditions: Partly cloudy' },
          ],
          isError: false,
        },
      },
      'message',
      '4',
    ),
  );

export const MCP_BAD_CALL_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 3,
  method: 'tools/call',
  params: { name: 'no_such_tool', arguments: {} },
});

export const mcpError = (): StreamRecord[] =>
  stream(data({ jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'Unknown tool: no_such_tool' } }));

/** The legacy HTTP+SSE transport (2024-11-05): the stream opens with the endpoint to POST to. */
export const mcpLegacy = (): StreamRecord[] =>
  stream(
    data('/messages?sessionId=3f1c', 'endpoint'),
    data({ jsonrpc: '2.0', id: 1, result: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] } }),
  );

// ---------------------------------------------------------------------------------------------
// graphql-sse, PROTOCOL.md of enisdenjo/graphql-sse and its handler's `print`

export const graphqlDistinct = (): StreamRecord[] =>
  stream(
    data({ data: { greetings: 'Hi' } }, 'next'),
    data({ data: { greetings: 'Bonjour' } }, 'next'),
    data({ data: null, errors: [{ message: 'Language not supported', path: ['greetings'] }] }, 'next'),
    data('', 'complete'),
  );

export const graphqlSingle = (): StreamRecord[] =>
  stream(
    data({ id: 'op1', payload: { data: { ticker: 1 } } }, 'next'),
    data({ id: 'op2', payload: { data: { user: { name: 'Ada' } } } }, 'next'),
    data({ id: 'op2' }, 'complete'),
    data({ id: 'op1', payload: { data: { ticker: 2 } } }, 'next'),
    data({ id: 'op1' }, 'complete'),
  );

// ---------------------------------------------------------------------------------------------
// tRPC, @trpc/server's stream/sse.ts (sseStreamProducer)

export const trpcSubscription = (): StreamRecord[] =>
  stream(
    data({ reconnectAfterInactivityMs: 3000 }, 'connected'),
    data({ text: 'hello', at: 1 }, 'message', 'msg-1'),
    data('', 'ping', 'msg-1'),
    data(
      { json: { text: 'world', at: new Date(0).toISOString() }, meta: { values: { at: ['Date'] } } },
      'message',
      'msg-2',
    ),
    data('', 'return', 'msg-2'),
  );

export const trpcError = (): StreamRecord[] =>
  stream(
    data({}, 'connected'),
    data(1),
    data(
      { message: 'Not allowed', code: -32603, data: { code: 'FORBIDDEN', httpStatus: 403 } },
      'serialized-error',
    ),
  );

/** Every fixture above, with the shape each must be recognised as. */
export const PROTOCOL_FIXTURES: Record<string, [string, () => StreamRecord[]]> = {
  ollamaChat: ['ollama', ollamaChat],
  ollamaGenerate: ['ollama', ollamaGenerate],
  ollamaTools: ['ollama', ollamaTools],
  ollamaError: ['ollama', ollamaError],
  agUiRun: ['ag-ui', agUiRun],
  agUiChunks: ['ag-ui', agUiChunks],
  langGraphRun: ['langgraph', langGraphRun],
  langGraphValues: ['langgraph', langGraphValues],
  mcpToolCall: ['mcp', mcpToolCall],
  mcpError: ['mcp', mcpError],
  mcpLegacy: ['mcp', mcpLegacy],
  graphqlDistinct: ['graphql-sse', graphqlDistinct],
  graphqlSingle: ['graphql-sse', graphqlSingle],
  trpcSubscription: ['trpc', trpcSubscription],
  trpcError: ['trpc', trpcError],
};
