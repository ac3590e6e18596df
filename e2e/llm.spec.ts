/**
 * The Message and Timing views against real LLM client libraries: the official `openai` and
 * `@anthropic-ai/sdk` packages, bundled for the browser, stream from the loopback server in a page,
 * and the panel must show exactly the text the SDK handed to the page.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { bundleForBrowser } from './support/bundle';
import { expect, type Step, test } from './support/fixtures';
import { connectionRows, eventRows, exportFromPanel } from './support/panel';
import type { SseServer } from './support/sse-server';

const SDK_PATH = '/sdk/llm-sdks.js';
let sdkBundle = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  sdkBundle = await bundleForBrowser(
    fileURLToPath(new URL('./pages/lib/llm-sdks.ts', import.meta.url)),
    'llmSdks',
  );
});

/** Serves a page that loads the SDK bundle, and opens it. */
async function openSdkPage(page: Page, server: SseServer, path: string) {
  server.respond(SDK_PATH, { headers: { 'content-type': 'text/javascript' }, body: sdkBundle });
  server.page(path, `<!doctype html><title>sdk</title><script src="${SDK_PATH}"></script>`);
  await page.goto(server.url(path));
  await page.waitForFunction(() => 'OpenAI' in window && 'Anthropic' in window);
}

/** SSE text of one event. */
function sse(data: unknown, event?: string): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event ? `event: ${event}\n` : ''}data: ${text}\n\n`;
}

/**
 * Steps that send the events as a network would: each event its own chunk with a short pause, every
 * third one cut in the middle of its JSON across two chunks; `stallBefore` puts a long pause before
 * that event index.
 */
function chunked(events: string[], stallBefore = -1, stallMs = 1200): Step[] {
  const steps: Step[] = [];
  events.forEach((text, i) => {
    if (i === stallBefore) steps.push({ pause: stallMs });
    if (i % 3 === 1) {
      const cut = Math.floor(text.length / 2);
      steps.push({ write: text.slice(0, cut) }, { pause: 15 }, { write: text.slice(cut) });
    } else {
      steps.push({ write: text });
    }
    steps.push({ pause: 25 });
  });
  return steps;
}

const chunkBase = {
  id: 'chatcmpl-e2e',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'gpt-e2e',
};
const chatDelta = (delta: Record<string, unknown>, finish: string | null = null) =>
  sse({ ...chunkBase, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });

/** A chat-completions stream: reasoning, text cut mid-word (markup and emoji included), a tool call cut mid-JSON, usage. */
const OPENAI_EVENTS = [
  chatDelta({ role: 'assistant', content: '', reasoning_content: '' }),
  chatDelta({ reasoning_content: 'The user wants a ' }),
  chatDelta({ reasoning_content: 'short poem,\nthen to save it.' }),
  chatDelta({ content: 'Tide po' }),
  chatDelta({ content: 'ols hold\n  small **worlds**, ' }),
  chatDelta({ content: '<b>not HTML</b> & ' }),
  chatDelta({ content: 'stars 🌊 潮汐' }),
  chatDelta({ content: '\n\nSaved.  ' }),
  chatDelta({
    tool_calls: [
      { index: 0, id: 'call_e2e', type: 'function', function: { name: 'save_poem', arguments: '' } },
    ],
  }),
  chatDelta({ tool_calls: [{ index: 0, function: { arguments: '{"title": "Ti' } }] }),
  chatDelta({ tool_calls: [{ index: 0, function: { arguments: 'de", "lines": [1, ' } }] }),
  chatDelta({ tool_calls: [{ index: 0, function: { arguments: '2], "meta": {"sea": true}}' } }] }),
  chatDelta({}, 'tool_calls'),
  sse({ ...chunkBase, choices: [], usage: { prompt_tokens: 20, completion_tokens: 42, total_tokens: 62 } }),
  sse('[DONE]'),
];

const anthropicDelta = (index: number, delta: Record<string, unknown>) =>
  sse({ type: 'content_block_delta', index, delta }, 'content_block_delta');

/** A Messages stream: thinking, text cut mid-word, a tool_use whose input JSON is cut mid-value, usage. */
const ANTHROPIC_EVENTS = [
  sse(
    {
      type: 'message_start',
      message: {
        id: 'msg_e2e',
        type: 'message',
        role: 'assistant',
        content: [],
        model: 'claude-e2e',
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 30, output_tokens: 1 },
      },
    },
    'message_start',
  ),
  sse(
    {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    },
    'content_block_start',
  ),
  anthropicDelta(0, { type: 'thinking_delta', thinking: 'Look it ' }),
  anthropicDelta(0, { type: 'thinking_delta', thinking: 'up first.' }),
  anthropicDelta(0, { type: 'signature_delta', signature: 'c2lnbmF0dXJl' }),
  sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
  sse(
    { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
    'content_block_start',
  ),
  sse({ type: 'ping' }, 'ping'),
  anthropicDelta(1, { type: 'text_delta', text: 'Hel' }),
  anthropicDelta(1, { type: 'text_delta', text: 'lo from\n  Cla' }),
  anthropicDelta(1, { type: 'text_delta', text: 'ude — ✓ <i>plain</i>\t' }),
  sse({ type: 'content_block_stop', index: 1 }, 'content_block_stop'),
  sse(
    {
      type: 'content_block_start',
      index: 2,
      content_block: { type: 'tool_use', id: 'toolu_e2e', name: 'lookup', input: {} },
    },
    'content_block_start',
  ),
  anthropicDelta(2, { type: 'input_json_delta', partial_json: '' }),
  anthropicDelta(2, { type: 'input_json_delta', partial_json: '{"query": "tid' }),
  anthropicDelta(2, { type: 'input_json_delta', partial_json: 'e pools", "limit": 3' }),
  anthropicDelta(2, { type: 'input_json_delta', partial_json: '}' }),
  sse({ type: 'content_block_stop', index: 2 }, 'content_block_stop'),
  sse(
    {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 57 },
    },
    'message_delta',
  ),
  sse({ type: 'message_stop' }, 'message_stop'),
];

/** What the page saw through the SDK. */
interface SdkResult {
  deltas: string[];
  text: string;
  reasoning: string;
  toolName: string;
  toolArguments: unknown;
}

/** Opens the Message tab; with `raw`, switches its text to Raw (the text exactly as sent, `.llm-text`). */
async function openMessageTab(panel: Page, raw = true) {
  await panel.getByRole('tab', { name: 'Message' }).click();
  const view = panel.locator('.llm-view');
  if (raw) await showRaw(panel);
  return view;
}

/** Shows the answer raw rather than rendered as Markdown (a preference the panel keeps). */
async function showRaw(panel: Page) {
  await panel.locator('.llm-text-mode').getByRole('button', { name: 'Raw' }).click();
}

test('OpenAI SDK: the Message view shows exactly the text the SDK returned, with reasoning, tool call and usage', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  // The 1.2 s pause sits between reasoning and answer, as a thinking model's would.
  server.stream('/v1/chat/completions', { steps: chunked(OPENAI_EVENTS, 3) });
  await openSdkPage(page, server, '/p/openai.html');
  const panel = await openPanel(await tabIdOf(page));
  await panel.setViewportSize({ width: 1200, height: 800 });

  const result = await page.evaluate(async (): Promise<SdkResult> => {
    const OpenAI = (window as unknown as { OpenAI: typeof import('openai').default }).OpenAI;
    const client = new OpenAI({
      apiKey: 'sk-e2e',
      baseURL: `${location.origin}/v1`,
      dangerouslyAllowBrowser: true,
    });
    const deltas: string[] = [];
    let reasoning = '';
    const stream = client.chat.completions.stream({
      model: 'gpt-e2e',
      messages: [{ role: 'user', content: 'A poem about tide pools, then save it.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    stream.on('content', (delta) => deltas.push(delta));
    stream.on('chunk', (chunk) => {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? '';
    });
    const final = await stream.finalChatCompletion();
    const message = final.choices[0]?.message;
    const call = message?.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('no function tool call');
    return {
      deltas,
      text: message?.content ?? '',
      reasoning,
      toolName: call.function.name,
      toolArguments: JSON.parse(call.function.arguments),
    };
  });
  expect(result.text).toBe(result.deltas.join(''));
  expect(result.text).toContain('🌊');

  await expect(connectionRows(panel)).toHaveCount(1);
  // The SDK stops reading at [DONE] and cancels the body, so the connection ends as "cancelled".
  await expect(connectionRows(panel).first()).toContainText('cancelled');
  const view = await openMessageTab(panel, false);
  await expect(view.locator('.llm-shape')).toHaveText('OpenAI Chat Completions');
  await expect(view.locator('.llm-status')).toHaveText('Complete');
  // Rendered as Markdown by default: **worlds** is bold, the page's "<b>" stays characters.
  await expect(view.locator('.llm-markdown strong')).toHaveText('worlds');
  await expect(view.locator('.llm-markdown b')).toHaveCount(0);
  await expect(view.locator('.llm-markdown')).toContainText('<b>not HTML</b> &');
  await showRaw(panel);
  expect(await view.locator('.llm-text').textContent()).toBe(result.text);
  // Text, not markup: the page's "<b>" is shown as characters.
  await expect(view.locator('.llm-text b')).toHaveCount(0);
  await expect(view.locator('.llm-finish')).toContainText('tool_calls');

  const reasoning = view.locator('details.llm-reasoning');
  await expect(reasoning).not.toHaveAttribute('open');
  await reasoning.locator('summary').click();
  await expect(reasoning.locator('.llm-prose')).toBeVisible();
  expect(await reasoning.locator('.llm-prose').textContent()).toBe(result.reasoning);

  const tool = view.locator('.llm-tool');
  await expect(tool.locator('.llm-tool-name')).toHaveText(result.toolName);
  expect(await tool.locator('.llm-args').textContent()).toBe(JSON.stringify(result.toolArguments, null, 2));
  await expect(tool.locator('.llm-args-note')).toHaveCount(0);
  await expect(view.locator('.llm-tokens')).toContainText('Output tokens42');
  await panel.screenshot({ path: '.tmp/llm-message-openai.png' });

  await panel.getByRole('tab', { name: 'Timing' }).click();
  await expect(panel.locator('.timing-chart svg')).toBeVisible();
  await panel.screenshot({ path: '.tmp/llm-timing-openai.png' });
  await panel.emulateMedia({ colorScheme: 'dark' });
  await panel.screenshot({ path: '.tmp/llm-timing-openai-dark.png' });
  await panel.emulateMedia({ colorScheme: 'light' });

  const exported = await exportFromPanel(panel);
  expect(exported.connections[0]?.message).toMatchObject({
    shape: 'openai-chat',
    text: result.text,
    reasoning: result.reasoning,
    finishReason: 'tool_calls',
    terminated: true,
  });
});

test('Anthropic SDK: the Message view shows exactly the text, thinking and tool input the SDK returned', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/v1/messages', { steps: chunked(ANTHROPIC_EVENTS) });
  await openSdkPage(page, server, '/p/anthropic.html');
  const panel = await openPanel(await tabIdOf(page));
  await panel.setViewportSize({ width: 1200, height: 800 });

  const result = await page.evaluate(async (): Promise<SdkResult> => {
    const Anthropic = (window as unknown as { Anthropic: typeof import('@anthropic-ai/sdk').default })
      .Anthropic;
    const client = new Anthropic({
      apiKey: 'sk-ant-e2e',
      baseURL: location.origin,
      dangerouslyAllowBrowser: true,
    });
    const deltas: string[] = [];
    const stream = client.messages.stream({
      model: 'claude-e2e',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Say hello, then look up tide pools.' }],
    });
    stream.on('text', (delta) => deltas.push(delta));
    const final = await stream.finalMessage();
    let text = '';
    let reasoning = '';
    let toolName = '';
    let toolArguments: unknown;
    for (const block of final.content) {
      if (block.type === 'text') text += block.text;
      else if (block.type === 'thinking') reasoning += block.thinking;
      else if (block.type === 'tool_use') {
        toolName = block.name;
        toolArguments = block.input;
      }
    }
    return { deltas, text, reasoning, toolName, toolArguments };
  });
  expect(result.text).toBe(result.deltas.join(''));
  expect(result.text).toContain('\n  Cla');

  const view = await openMessageTab(panel);
  await expect(view.locator('.llm-shape')).toHaveText('Anthropic Messages');
  await expect(view.locator('.llm-status')).toHaveText('Complete');
  expect(await view.locator('.llm-text').textContent()).toBe(result.text);
  await expect(view.locator('.llm-text i')).toHaveCount(0);
  expect(await view.locator('.llm-reasoning .llm-prose').textContent()).toBe(result.reasoning);
  await expect(view.locator('.llm-tool-name')).toHaveText(result.toolName);
  expect(await view.locator('.llm-args').textContent()).toBe(JSON.stringify(result.toolArguments, null, 2));
  await expect(view.locator('.llm-finish')).toContainText('tool_use');
  // Anthropic's input_tokens (30) and output_tokens from message_delta (57).
  await expect(view.locator('.llm-tokens')).toContainText('Input tokens30');
  await expect(view.locator('.llm-tokens')).toContainText('Output tokens57');
});

test('Timing: a 1.2 s pause is one stall; clicking it selects the event that ended it', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  // Two bursts and one pause: the only gap that can reach a second is the pause itself.
  const before = Array.from({ length: 5 }, (_, i) => chatDelta({ content: `a${i} ` })).join('');
  const after = [
    chatDelta({ content: 'resumed ' }),
    chatDelta({ content: 'b1' }),
    chatDelta({}, 'stop'),
    sse('[DONE]'),
  ];
  server.stream('/v1/chat/completions', {
    steps: [{ write: before }, { pause: 1200 }, { write: after.join('') }],
  });
  server.page('/p/timing.html', '<!doctype html><title>timing</title>');
  await page.goto(server.url('/p/timing.html'));
  const panel = await openPanel(await tabIdOf(page));
  await panel.setViewportSize({ width: 1200, height: 800 });
  await page.evaluate(async () => {
    const response = await fetch('/v1/chat/completions', { method: 'POST', body: '{"stream":true}' });
    await response.text();
  });
  await expect(connectionRows(panel).first()).toContainText('completed');

  await panel.getByRole('tab', { name: 'Timing' }).click();
  const stalls = panel.locator('table.timing-stalls tbody tr');
  await expect(stalls).toHaveCount(1);
  await expect(panel.locator('.timing-stall-band')).toHaveCount(1);
  const stall = stalls.first();
  await expect(stall).toHaveAttribute('aria-selected', 'false');
  await stall.click();
  await expect(stall).toHaveAttribute('aria-selected', 'true');
  // The selected event is shown right there, and stays selected in the Events tab.
  await expect(panel.locator('.timing-view .event-detail [role="tree"]')).toContainText('content:"resumed "');
  await expect(panel.locator('.timing-figures')).toContainText('First token');

  await panel.getByRole('tab', { name: 'Events' }).click();
  const selected = eventRows(panel).and(panel.locator('[aria-selected="true"]'));
  await expect(selected).toHaveCount(1);
  await expect(selected.locator('td.data')).toContainText('"resumed "');
});

test('a stream that ends without its terminator is flagged truncated; broken JSON is marked in the table', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const events = ANTHROPIC_EVENTS.slice(0, 10);
  // An event whose JSON was cut (a proxy that split a line), then the connection ends without message_stop.
  events.splice(9, 0, 'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"del\n\n');
  server.stream('/v1/messages', { steps: chunked(events) });
  server.page('/p/truncated.html', '<!doctype html><title>truncated</title>');
  await page.goto(server.url('/p/truncated.html'));
  const panel = await openPanel(await tabIdOf(page));
  await panel.setViewportSize({ width: 1200, height: 800 });
  await page.evaluate(async () => {
    const response = await fetch('/v1/messages', { method: 'POST', body: '{"stream":true}' });
    await response.text();
  });
  await expect(connectionRows(panel).first()).toContainText('completed');

  const broken = panel.locator('table.events tbody tr.bad-json');
  await expect(broken).toHaveCount(1);
  await expect(broken).toHaveAttribute('title', /should be JSON/);
  await expect(broken.locator('td.data')).toContainText('"del');
  await panel.screenshot({ path: '.tmp/llm-events-bad-json.png' });

  const view = await openMessageTab(panel);
  await expect(view.locator('.llm-status')).toHaveText('Truncated');
  await expect(view.locator('.llm-truncated')).toContainText('message_stop');
  await expect(view.locator('.llm-bad-json')).toContainText('do not parse: 1');
  expect(await view.locator('.llm-text').textContent()).toBe('Hello from\n  Cla');
  await panel.screenshot({ path: '.tmp/llm-message-truncated.png' });

  const exported = await exportFromPanel(panel);
  expect(exported.connections[0]?.message).toMatchObject({ shape: 'anthropic', terminated: false });
});

test('the Message view follows a live stream: partial text and arguments while open, complete after', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  server.stream('/v1/chat/completions', {
    steps: [
      { write: chatDelta({ role: 'assistant', content: '' }) + chatDelta({ content: 'Hel' }) },
      { pause: 30 },
      {
        write:
          chatDelta({ content: 'lo wor' }) +
          chatDelta({
            tool_calls: [
              {
                index: 0,
                id: 'call_live',
                type: 'function',
                function: { name: 'lookup', arguments: '{"ci' },
              },
            ],
          }),
      },
      { waitFor: 'rest' },
      {
        write:
          chatDelta({ content: 'ld' }) +
          chatDelta({ tool_calls: [{ index: 0, function: { arguments: 'ty": "Oslo"}' } }] }) +
          chatDelta({}, 'stop') +
          sse('[DONE]'),
      },
    ],
  });
  server.page('/p/live.html', '<!doctype html><title>live</title>');
  await page.goto(server.url('/p/live.html'));
  const panel = await openPanel(await tabIdOf(page));
  await page.evaluate(() => {
    void fetch('/v1/chat/completions', { method: 'POST', body: '{"stream":true}' }).then((r) => r.text());
  });
  const view = await openMessageTab(panel);
  await expect(view.locator('.llm-status')).toHaveText('Streaming…');
  await expect(view.locator('.llm-text.llm-live')).toHaveText('Hello wor');
  await expect(view.locator('.llm-args')).toHaveText('{"ci');
  await expect(view.locator('.llm-args-note')).toContainText('not complete JSON yet');

  server.release('rest');
  await expect(view.locator('.llm-status')).toHaveText('Complete');
  await expect(view.locator('.llm-text')).toHaveText('Hello world');
  await expect(view.locator('.llm-text.llm-live')).toHaveCount(0);
  await expect(view.locator('.llm-args')).toHaveText(JSON.stringify({ city: 'Oslo' }, null, 2));
  await expect(view.locator('.llm-args-note')).toHaveCount(0);
  await expect(view.locator('.llm-finish')).toContainText('stop');
});

test('the Message view keeps several choices apart, lists stream errors, and offers nothing for other streams', async ({
  page,
  server,
  tabIdOf,
  openPanel,
}) => {
  const choice = (index: number, delta: Record<string, unknown>, finish: string | null = null) =>
    sse({ ...chunkBase, choices: [{ index, delta, finish_reason: finish }] });
  server.stream('/choices', {
    steps: chunked([
      choice(0, { role: 'assistant', content: 'Red' }),
      choice(1, { role: 'assistant', content: 'Blue' }),
      choice(0, { content: ' apple' }),
      choice(1, { content: ' sky' }),
      choice(0, {}, 'stop'),
      choice(1, {}, 'length'),
      sse('[DONE]'),
    ]),
  });
  server.stream('/error', {
    steps: chunked([
      chatDelta({ role: 'assistant', content: 'Par' }),
      sse({ error: { message: 'The server had an error', type: 'server_error', param: null, code: null } }),
    ]),
  });
  server.stream('/ticker', {
    steps: chunked(Array.from({ length: 10 }, (_, i) => sse({ symbol: 'ACME', price: 100 + i }))),
  });
  server.page('/p/several.html', '<!doctype html><title>several</title>');
  await page.goto(server.url('/p/several.html'));
  const panel = await openPanel(await tabIdOf(page));
  await page.evaluate(async () => {
    for (const path of ['/choices', '/error', '/ticker']) await (await fetch(path)).text();
  });
  await expect(connectionRows(panel)).toHaveCount(3);
  await openMessageTab(panel, false);
  const view = panel.locator('.llm-view');

  await connectionRows(panel).filter({ hasText: '/choices' }).click();
  await showRaw(panel);
  const choices = view.locator('section.llm-choice');
  await expect(choices).toHaveCount(2);
  await expect(choices.nth(0).locator('.llm-choice-title')).toHaveText('Choice 0stop');
  await expect(choices.nth(0).locator('.llm-text')).toHaveText('Red apple');
  await expect(choices.nth(1).locator('.llm-choice-title')).toHaveText('Choice 1length');
  await expect(choices.nth(1).locator('.llm-text')).toHaveText('Blue sky');

  await connectionRows(panel).filter({ hasText: '/error' }).click();
  await expect(view.locator('.llm-errors li')).toHaveText(['server_error: The server had an error']);
  await expect(view.locator('.llm-status')).toHaveText('Truncated');
  await expect(view.locator('.llm-truncated')).toContainText('[DONE]');
  await expect(view.locator('.llm-text')).toHaveText('Par');

  await connectionRows(panel).filter({ hasText: '/ticker' }).click();
  await expect(view.locator('.llm-none')).toHaveText(
    'No message view for this stream: its events are not a known LLM streaming format.',
  );
  await expect(view.locator('.llm-text')).toHaveCount(0);
});
