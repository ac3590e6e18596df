/**
 * The agent, tool and local-model protocols against their official clients running in the page:
 * `@modelcontextprotocol/sdk`'s Streamable HTTP client against the SDK's own server (in this test
 * process, behind the loopback server), `ollama/browser` against a loopback server speaking Ollama's
 * NDJSON, and `@ag-ui/client`'s HttpAgent. What the panel shows and exports (the RPC results, the
 * message text) must equal what the client handed to the page; the Summary column says what each
 * event means, and the event filter searches it.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Page } from '@playwright/test';
import { z } from 'zod';
import type { ExportedConnection } from '../src/export/schema';
import type { McpRun } from './pages/lib/agents';
import { bundleForBrowser } from './support/bundle';
import { expect, type Step, test } from './support/fixtures';
import { connectionRows, eventRows, exportFromPanel } from './support/panel';
import type { SseServer } from './support/sse-server';

interface Agents {
  runMcp(url: string): Promise<McpRun>;
  runLegacyMcp(url: string): Promise<{ tools: { name: string }[] }>;
  runOllama(
    host: string,
  ): Promise<{ text: string; thinking: string; final: { eval_count: number; eval_duration: number } }>;
  runAgUi(url: string): Promise<{ messages: Record<string, unknown>[]; state: unknown }>;
}

declare global {
  interface Window {
    agents: Agents;
  }
}

let bundle = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  bundle = await bundleForBrowser(fileURLToPath(new URL('./pages/lib/agents.ts', import.meta.url)), 'agents');
});

async function openAgentsPage(page: Page, server: SseServer, path: string) {
  server.respond('/lib/agents.js', { headers: { 'content-type': 'text/javascript' }, body: bundle });
  server.page(
    path,
    '<!doctype html><meta charset="utf-8"><title>agents</title><script src="/lib/agents.js"></script>',
  );
  await page.goto(server.url(path));
  await expect.poll(() => page.evaluate(() => typeof window.agents?.runMcp)).toBe('function');
}

/** Each text its own chunk, every other one cut in two, with short pauses: as a network delivers. */
function chunked(texts: string[]): Step[] {
  return texts.flatMap((text, i): Step[] => {
    if (i % 2 === 1) {
      const cut = Math.ceil(text.length / 2);
      return [{ write: text.slice(0, cut) }, { pause: 10 }, { write: text.slice(cut) }, { pause: 15 }];
    }
    return [{ write: text }, { pause: 15 }];
  });
}

/** The MCP SDK's own server: a weather tool that reports progress, a tool that fails, a resource. */
function createMcpServer(): McpServer {
  const mcp = new McpServer({ name: 'weather-e2e', version: '1.0.0' });
  mcp.registerTool(
    'get_weather',
    { description: 'Weather of a city', inputSchema: { city: z.string() } },
    async ({ city }, extra) => {
      const progressToken = extra._meta?.progressToken;
      if (progressToken !== undefined) {
        for (const [progress, message] of [
          [1, 'Looking up the station'],
          [2, 'Reading the sensors'],
        ] as const) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress, total: 2, message },
          });
        }
      }
      return {
        content: [
          { type: 'text', text: `Weather in ${city}:` },
          { type: 'text', text: 'Temperature: 21°C' },
          { type: 'text', text: 'Conditions: **sunny**' },
        ],
      };
    },
  );
  mcp.registerTool('flaky', { description: 'Always fails' }, async () => {
    throw new Error('the sensor is offline');
  });
  mcp.registerResource(
    'station',
    new ResourceTemplate('weather://station/{id}', { list: undefined }),
    { description: 'A weather station' },
    async (uri) => ({ contents: [{ uri: uri.href, text: 'station' }] }),
  );
  return mcp;
}

/** Routes `/mcp` to the SDK's StreamableHTTPServerTransport, one per session. */
function serveMcp(server: SseServer): void {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  server.route('/mcp', async (req, res, body) => {
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (!transport) {
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          transports.set(id, created);
        },
      });
      await createMcpServer().connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, body ? JSON.parse(body) : undefined);
  });
}

function rpcCall(connections: ExportedConnection[], method: string, name?: string) {
  return connections.find((c) => {
    const first = c.message?.rpc?.[0];
    const params = first?.params as { name?: string } | undefined;
    return first?.method === method && (name === undefined || params?.name === name);
  });
}

test('MCP: the SDK client against its own server; the panel pairs each request with its progress and response, as the client got them', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  serveMcp(server);
  await openAgentsPage(page, server, '/p/mcp.html');
  const panel = await openPanel(await tabIdOf(page));
  await panel.setViewportSize({ width: 1600, height: 640 });
  const run = await page.evaluate(() => window.agents.runMcp(`${location.origin}/mcp`));
  expect(run.progress.map((p) => p.message)).toEqual(['Looking up the station', 'Reading the sensors']);
  expect(run.error.code).toBe(-32602);

  const exported = (await exportFromPanel(panel)).connections;
  const call = rpcCall(exported, 'tools/call', 'get_weather');
  const message = call?.message;
  expect(message?.shape).toBe('mcp');
  expect(message?.sessionId).toBe(run.sessionId);
  expect(message?.terminated).toBe(true);
  const response = message?.rpc?.find((m) => m.kind === 'response');
  expect(response?.result).toEqual(run.result);
  const progress = message?.rpc?.filter((m) => m.method === 'notifications/progress') ?? [];
  expect(progress.map((m) => (m.params as { message: string }).message)).toEqual(
    run.progress.map((p) => p.message),
  );
  expect(rpcCall(exported, 'tools/call', 'flaky')?.message?.rpc?.at(-1)?.result).toEqual(run.failedResult);
  const failed = rpcCall(exported, 'resources/read')?.message?.rpc?.at(-1);
  expect(failed?.error?.code).toBe(run.error.code);
  expect(run.error.message).toContain(failed?.error?.message);
  expect(rpcCall(exported, 'initialize')?.message?.rpc?.at(-1)?.result).toMatchObject({
    serverInfo: { name: 'weather-e2e' },
  });

  // The Summary column of the tool call's stream reads like a transcript of the exchange.
  await panel.locator(`tr[data-connection-id="${call?.id}"]`).click();
  const summaries = panel.locator('table.events tbody td.summary');
  await expect(summaries).toHaveText([
    'notifications/progress 1/2 "Looking up the station"',
    'notifications/progress 2/2 "Reading the sensors"',
    /^tools\/call → result \(3 items\) \d+ ms$/,
  ]);
  await panel.setViewportSize({ width: 2000, height: 190 });
  await panel.locator('.events-pane').screenshot({ path: 'docs/summary-mcp.png' });
  await panel.setViewportSize({ width: 1600, height: 640 });
  // The filter searches the summaries too: "result (3" is in no event's data.
  await panel.getByRole('searchbox', { name: 'Filter events' }).fill('result (3');
  await expect(eventRows(panel)).toHaveCount(1);
  await panel.getByRole('searchbox', { name: 'Filter events' }).fill('');

  // The JSON-RPC view of the whole tab: every request with its response, the failures flagged.
  await panel.getByRole('tab', { name: 'Message' }).click();
  const view = panel.locator('.rpc-view');
  await expect(view.locator('.rpc-meta').first()).toContainText(run.sessionId ?? 'no session');
  await expect(view.locator('.rpc-exchange')).toHaveCount(1);
  await view.getByRole('button', { name: 'Whole tab' }).click();
  const lines = view.locator('.rpc-exchange > summary .rpc-line');
  await expect(lines).toHaveText([
    /^initialize → result \d+ ms$/,
    /^tools\/call → result \(3 items\) \d+ ms$/,
    /^tools\/call → result isError \(1 item\) \d+ ms$/,
    /^resources\/read → error -32602 .*not found \d+ ms$/,
  ]);
  await expect(view.locator('.rpc-exchange.rpc-failed')).toHaveCount(2);
  await view.locator('.rpc-exchange').nth(1).locator('summary').click();
  await expect(view.locator('.rpc-related li')).toHaveText([
    'notifications/progress 1/2 "Looking up the station"',
    'notifications/progress 2/2 "Reading the sensors"',
  ]);
  await panel.screenshot({ path: '.tmp/protocols-mcp-rpc.png' });
});

test('MCP over the legacy HTTP+SSE transport: the endpoint event, and the responses on the stream', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const transports = new Map<string, SSEServerTransport>();
  server.route('/sse', async (_req, res) => {
    const transport = new SSEServerTransport('/messages', res);
    transports.set(transport.sessionId, transport);
    await createMcpServer().connect(transport);
  });
  server.route('/messages', async (req, res, body) => {
    const sessionId = new URL(req.url ?? '', server.origin).searchParams.get('sessionId') ?? '';
    await transports.get(sessionId)?.handlePostMessage(req, res, JSON.parse(body));
  });
  await openAgentsPage(page, server, '/p/mcp-legacy.html');
  const panel = await openPanel(await tabIdOf(page));
  const run = await page.evaluate(() => window.agents.runLegacyMcp(`${location.origin}/sse`));
  expect(run.tools.map((tool) => tool.name)).toEqual(['get_weather', 'flaky']);

  const stream = (await exportFromPanel(panel)).connections.find((c) => c.url.endsWith('/sse'));
  expect(stream?.message?.shape).toBe('mcp');
  expect(stream?.message?.endpoint).toMatch(/^\/messages\?sessionId=/);
  const responses = stream?.message?.rpc?.filter((m) => m.kind === 'response') ?? [];
  expect((responses.at(-1)?.result as { tools?: unknown[] } | undefined)?.tools).toEqual(run.tools);

  await connectionRows(panel).filter({ hasText: '/sse' }).click();
  await expect(panel.locator('table.events tbody td.summary')).toHaveText([
    /^endpoint \/messages\?sessionId=/,
    '#0 → result',
    '#1 → result (2 items)',
  ]);
});

const OLLAMA_LINES = [
  { message: { role: 'assistant', content: '', thinking: 'Rayleigh ' }, done: false },
  { message: { role: 'assistant', content: '', thinking: 'scattering.' }, done: false },
  { message: { role: 'assistant', content: 'The sky is ' }, done: false },
  { message: { role: 'assistant', content: 'blue because **air** ' }, done: false },
  { message: { role: 'assistant', content: 'scatters blue light\nmore 🌤' }, done: false },
  {
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    total_duration: 4_883_583_458,
    load_duration: 1_334_875,
    prompt_eval_count: 26,
    prompt_eval_duration: 342_546_000,
    eval_count: 282,
    eval_duration: 4_535_599_000,
  },
].map(
  (line) => `${JSON.stringify({ model: 'llama3.2', created_at: '2026-12-02T10:00:00.000000Z', ...line })}\n`,
);

test('Ollama: ollama/browser reads NDJSON; the panel has the text the app concatenated and the server’s tokens/s beside ours', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/api/chat', {
    headers: { 'content-type': 'application/x-ndjson' },
    steps: chunked(OLLAMA_LINES),
  });
  await openAgentsPage(page, server, '/p/ollama.html');
  const panel = await openPanel(await tabIdOf(page));
  await panel.setViewportSize({ width: 1280, height: 640 });
  const run = await page.evaluate(() => window.agents.runOllama(location.origin));
  expect(run.text).toContain('🌤');

  const [connection] = (await exportFromPanel(panel)).connections;
  expect(connection?.format).toBe('ndjson');
  expect(connection?.message).toMatchObject({
    shape: 'ollama',
    text: run.text,
    reasoning: run.thinking,
    finishReason: 'stop',
    terminated: true,
  });
  const serverRate = (run.final.eval_count / run.final.eval_duration) * 1e9;
  expect(connection?.message?.serverTokensPerSecond).toBeCloseTo(serverRate, 9);

  await connectionRows(panel).first().click();
  await expect(panel.locator('table.events tbody td.summary')).toHaveText([
    'thinking "Rayleigh "',
    'thinking "scattering."',
    '"The sky is "',
    '"blue because **air** "',
    '"scatters blue light\\nmore 🌤"',
    'usage 26 → 282 · finish stop',
  ]);
  await panel.getByRole('tab', { name: 'Message' }).click();
  await expect(panel.locator('.llm-markdown strong')).toHaveText('air');
  await panel.locator('.llm-text-mode').getByRole('button', { name: 'Raw' }).click();
  expect(await panel.locator('.llm-text').textContent()).toBe(run.text);
  await panel.getByRole('tab', { name: 'Timing' }).click();
  const figure = panel.locator('.timing-figures div').filter({ hasText: 'Server tokens/s (Ollama)' });
  await expect(figure.locator('dd')).toHaveText(`${Math.round(serverRate)}/s`);
  await expect(panel.locator('.timing-figures div').filter({ hasText: /^Tokens per second/ })).toHaveCount(1);
});

const sseData = (event: Record<string, unknown>) => `data: ${JSON.stringify(event)}\n\n`;

const AG_UI_EVENTS = [
  { type: 'RUN_STARTED', threadId: 'thread_e2e', runId: 'run_e2e' },
  { type: 'STATE_SNAPSHOT', snapshot: { city: null, lookups: 0 } },
  { type: 'TOOL_CALL_START', toolCallId: 'tc_1', toolCallName: 'get_weather', parentMessageId: 'msg_1' },
  { type: 'TOOL_CALL_ARGS', toolCallId: 'tc_1', delta: '{"ci' },
  { type: 'TOOL_CALL_ARGS', toolCallId: 'tc_1', delta: 'ty":"Paris"}' },
  { type: 'TOOL_CALL_END', toolCallId: 'tc_1' },
  {
    type: 'STATE_DELTA',
    delta: [
      { op: 'replace', path: '/city', value: 'Paris' },
      { op: 'replace', path: '/lookups', value: 1 },
    ],
  },
  { type: 'TEXT_MESSAGE_START', messageId: 'msg_2', role: 'assistant' },
  { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg_2', delta: 'It is **21°C**' },
  { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg_2', delta: ' in Paris,\n  sunny ☀' },
  { type: 'TEXT_MESSAGE_END', messageId: 'msg_2' },
  { type: 'RUN_FINISHED', threadId: 'thread_e2e', runId: 'run_e2e' },
].map(sseData);

test('AG-UI: @ag-ui/client’s HttpAgent runs an agent; the panel has its message text, tool call and state', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/agent', { steps: chunked(AG_UI_EVENTS) });
  await openAgentsPage(page, server, '/p/ag-ui.html');
  const panel = await openPanel(await tabIdOf(page));
  await panel.setViewportSize({ width: 1280, height: 640 });
  const run = await page.evaluate(() => window.agents.runAgUi(`${location.origin}/agent`));
  const answer = run.messages.find(
    (m) => m.role === 'assistant' && typeof m.content === 'string' && m.content,
  );
  const withTool = run.messages.find((m) => Array.isArray(m.toolCalls)) as
    | { toolCalls: { id: string; function: { name: string; arguments: string } }[] }
    | undefined;
  expect(answer?.content).toContain('☀');

  const [connection] = (await exportFromPanel(panel)).connections;
  expect(connection?.message).toMatchObject({ shape: 'ag-ui', text: answer?.content, terminated: true });
  expect(connection?.message?.state).toEqual(run.state);
  expect(connection?.message?.toolCalls.map((c) => [c.id, c.name, c.arguments])).toEqual(
    withTool?.toolCalls.map((c) => [c.id, c.function.name, c.function.arguments]),
  );

  await connectionRows(panel).first().click();
  const summaries = panel.locator('table.events tbody td.summary');
  await expect(summaries.nth(3)).toHaveText('tool_call get_weather {"ci');
  await expect(summaries.nth(8)).toHaveText('"It is **21°C**"');
  await panel.getByRole('tab', { name: 'Message' }).click();
  await expect(panel.locator('.llm-markdown strong')).toHaveText('21°C');
  await expect(panel.locator('.llm-state')).toContainText('Paris');
  await panel.screenshot({ path: '.tmp/protocols-ag-ui-message.png' });
});

test('the Summary column of an OpenAI stream, for the README', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra = {}) =>
    sseData({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...extra,
    });
  server.stream('/v1/chat/completions', {
    steps: chunked([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Checking' }),
      chunk({ content: ' the weather' }),
      chunk({ content: ' in Paris…' }),
      chunk({
        tool_calls: [
          { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"ci' } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty": "Paris"}' } }] }),
      chunk({}, 'tool_calls'),
      sseData({
        id: 'chatcmpl-1',
        object: 'chat.completion.chunk',
        choices: [],
        usage: { prompt_tokens: 25, completion_tokens: 138, total_tokens: 163 },
      }),
      'data: [DONE]\n\n',
    ]),
  });
  server.page('/p/openai.html', '<!doctype html><title>openai</title>');
  await page.goto(server.url('/p/openai.html'));
  const panel = await openPanel(await tabIdOf(page));
  await panel.setViewportSize({ width: 2000, height: 330 });
  await panel.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  server.stream('/ticker', { steps: chunked(['data: {"price":1}\n\n', 'data: {"price":2}\n\n']) });
  await page.evaluate(async () => {
    await (await fetch('/v1/chat/completions', { method: 'POST', body: '{"stream":true}' })).text();
    await (await fetch('/ticker')).text();
  });
  await connectionRows(panel).filter({ hasText: '/ticker' }).click();
  await expect(eventRows(panel)).toHaveCount(2);
  await expect(panel.locator('table.events th.col-summary')).toHaveCount(0);
  await connectionRows(panel).filter({ hasText: '/v1/chat' }).click();
  await expect(panel.locator('table.events tbody td.summary')).toHaveText([
    '',
    '"Checking"',
    '" the weather"',
    '" in Paris…"',
    'tool_call get_weather {"ci',
    'tool_call get_weather ty": "Paris"}',
    'finish tool_calls',
    'usage 25 → 138',
    'end',
  ]);
  await panel.locator('.events-pane').screenshot({ path: 'docs/summary-openai.png' });

  // Hidden from the Columns menu, it stays hidden; a stream of no known shape never has it.
  await panel.getByRole('button', { name: 'Columns' }).click();
  await panel.getByRole('checkbox', { name: 'Summary (what each event means)' }).uncheck();
  await expect(panel.locator('table.events th.col-summary')).toHaveCount(0);
  await panel.getByRole('checkbox', { name: 'Summary (what each event means)' }).check();
  await expect(panel.locator('table.events th.col-summary')).toHaveText('Summary');
});

test('graphql-sse and tRPC subscriptions: one row per result, the errors flagged in the table and the Message view', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/graphql/stream', {
    steps: chunked([
      'event: next\ndata: {"data":{"greetings":"Hi"}}\n\n',
      'event: next\ndata: {"data":null,"errors":[{"message":"Language not supported","path":["greetings"]}]}\n\n',
      'event: complete\ndata:\n\n',
    ]),
  });
  server.stream('/trpc/onPost', {
    steps: chunked([
      'event: connected\ndata: {}\n\n',
      'id: p1\ndata: {"title":"First"}\n\n',
      'event: ping\ndata: \n\n',
      'event: serialized-error\ndata: {"message":"Not allowed","code":-32603,"data":{"code":"FORBIDDEN","httpStatus":403}}\n\n',
    ]),
  });
  server.page('/p/subscriptions.html', '<!doctype html><title>subscriptions</title>');
  await page.goto(server.url('/p/subscriptions.html'));
  const panel = await openPanel(await tabIdOf(page));
  await page.evaluate(async () => {
    for (const path of ['/graphql/stream', '/trpc/onPost']) await (await fetch(path)).text();
  });

  await connectionRows(panel).filter({ hasText: '/graphql/stream' }).click();
  await expect(panel.locator('table.events tbody td.summary')).toHaveText([
    'next {"greetings":"Hi"}',
    'next errors: Language not supported',
    'complete',
  ]);
  await expect(panel.locator('table.events tbody tr.error-event')).toHaveCount(1);
  await expect(panel.locator('table.events tbody tr.error-event')).toHaveAttribute(
    'title',
    'This event carries an error',
  );
  await panel.getByRole('tab', { name: 'Message' }).click();
  await expect(panel.locator('.llm-shape')).toHaveText('GraphQL over SSE');
  await expect(panel.locator('.llm-status')).toHaveText('Complete');
  await expect(panel.locator('.llm-results tr')).toHaveText([
    '{"greetings":"Hi"}',
    '✖ Language not supported',
  ]);
  await expect(panel.locator('.llm-results tr.result-error')).toHaveCount(1);

  await connectionRows(panel).filter({ hasText: '/trpc/onPost' }).click();
  await expect(panel.locator('.llm-shape')).toHaveText('tRPC subscription');
  await expect(panel.locator('.llm-results tr')).toHaveText([
    'p1{"title":"First"}',
    '✖ FORBIDDEN: Not allowed',
  ]);
  await expect(panel.locator('.llm-errors li')).toHaveText(['FORBIDDEN: Not allowed']);
  await panel.getByRole('tab', { name: 'Events' }).click();
  await expect(panel.locator('table.events tbody td.summary')).toHaveText([
    'connected',
    '#p1 {"title":"First"}',
    'ping',
    'error FORBIDDEN: Not allowed',
  ]);
});
