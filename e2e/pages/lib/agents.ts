/**
 * The official clients of the agent and tool protocols, bundled by support/bundle.ts for
 * e2e/protocols.spec.ts's test pages (`window.agents`). Each function runs one client the way an app
 * would and resolves with what the client handed to the app.
 */
import { HttpAgent } from '@ag-ui/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Ollama } from 'ollama/browser';

/** What the MCP client returned: a tool call's result and progress, a failing call's error. */
export interface McpRun {
  sessionId: string | undefined;
  result: unknown;
  progress: { progress: number; total?: number; message?: string }[];
  failedResult: unknown;
  error: { code: number | undefined; message: string };
}

/** `@modelcontextprotocol/sdk`'s Streamable HTTP client: initialise, a tool call with progress, an error. */
export async function runMcp(url: string): Promise<McpRun> {
  const client = new Client({ name: 'sse-devtools-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  const progress: McpRun['progress'] = [];
  const result = await client.callTool({ name: 'get_weather', arguments: { city: 'Paris' } }, undefined, {
    onprogress: (p) => progress.push({ progress: p.progress, total: p.total, message: p.message }),
  });
  const failedResult = await client.callTool({ name: 'flaky', arguments: {} });
  let error: McpRun['error'] = { code: undefined, message: '' };
  try {
    await client.readResource({ uri: 'weather://nowhere' });
  } catch (caught) {
    error = { code: (caught as { code?: number }).code, message: (caught as Error).message };
  }
  const sessionId = transport.sessionId;
  await transport.close();
  return { sessionId, result, progress, failedResult, error };
}

/** The same client over the legacy HTTP+SSE transport (2024-11-05): resolves with the tools it listed. */
export async function runLegacyMcp(url: string): Promise<{ tools: unknown[] }> {
  const client = new Client({ name: 'sse-devtools-e2e-legacy', version: '1.0.0' });
  const transport = new SSEClientTransport(new URL(url));
  await client.connect(transport);
  const { tools } = await client.listTools();
  await transport.close();
  return { tools };
}

/** `ollama/browser`: a streamed chat; resolves with the text the app concatenates and the final part. */
export async function runOllama(host: string): Promise<{ text: string; thinking: string; final: unknown }> {
  const ollama = new Ollama({ host });
  const stream = await ollama.chat({
    model: 'llama3.2',
    messages: [{ role: 'user', content: 'Why is the sky blue?' }],
    stream: true,
    think: true,
  });
  let text = '';
  let thinking = '';
  let final: unknown;
  for await (const part of stream) {
    text += part.message.content;
    thinking += part.message.thinking ?? '';
    if (part.done) final = part;
  }
  return { text, thinking, final };
}

/** `@ag-ui/client`'s HttpAgent: one run; resolves with the messages the run produced and the state. */
export async function runAgUi(url: string): Promise<{ messages: unknown[]; state: unknown }> {
  const agent = new HttpAgent({ url });
  const { newMessages } = await agent.runAgent({ runId: 'run_e2e' });
  return { messages: newMessages, state: agent.state };
}
