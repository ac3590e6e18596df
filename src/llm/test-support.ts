/**
 * Record builder and fixture streams for the `src/llm` unit tests (not shipped: only test files
 * import this module). Fixtures follow the providers' public streaming docs.
 */
import type { StreamRecord } from '../model';

/** One event to build: SSE event type and data text. */
export interface EventSpec {
  type: string;
  data: string;
}

/** An event of type `message` (no `event:` field); objects become their JSON text. */
export function msg(data: unknown): EventSpec {
  return { type: 'message', data: typeof data === 'string' ? data : JSON.stringify(data) };
}

/** An event whose SSE type repeats the data's `type` (Anthropic, OpenAI Responses). */
export function named(data: { type: string } & Record<string, unknown>): EventSpec {
  return { type: data.type, data: JSON.stringify(data) };
}

/** Timeline records for the events: seq from 1, 10 ms apart from t=1000. */
export function records(...events: EventSpec[]): StreamRecord[] {
  return events.map((event, i) => ({
    seq: i + 1,
    kind: 'event',
    id: '',
    type: event.type,
    data: event.data,
    time: 1000 + 10 * i,
  }));
}

// ---------------------------------------------------------------------------------------------
// OpenAI chat completions

const chunkBase = {
  id: 'chatcmpl-123',
  object: 'chat.completion.chunk',
  created: 1694268190,
  model: 'gpt-4o-mini',
  system_fingerprint: 'fp_44709d6fcb',
};

export function chatChunk(choices: unknown[], extra: Record<string, unknown> = {}): EventSpec {
  return msg({ ...chunkBase, choices, ...extra });
}

export function chatDelta(
  delta: Record<string, unknown>,
  finish: string | null = null,
  index = 0,
): EventSpec {
  return chatChunk([{ index, delta, logprobs: null, finish_reason: finish }]);
}

export const openAiChatText = (): StreamRecord[] =>
  records(
    chatDelta({ role: 'assistant', content: '', refusal: null }),
    chatDelta({ content: 'Hel' }),
    chatDelta({ content: 'lo' }),
    chatDelta({ content: '!' }),
    chatDelta({}, 'stop'),
    chatChunk([], {
      usage: {
        prompt_tokens: 9,
        completion_tokens: 3,
        total_tokens: 12,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    }),
    msg('[DONE]'),
  );

export const openAiChatReasoning = (): StreamRecord[] =>
  records(
    chatDelta({ role: 'assistant', content: null, reasoning_content: '' }),
    chatDelta({ content: null, reasoning_content: 'The user' }),
    chatDelta({ content: null, reasoning_content: ' greets me.' }),
    chatDelta({ content: 'Hi', reasoning_content: null }),
    chatDelta({ content: ' there' }),
    chatDelta({}, 'stop'),
    msg('[DONE]'),
  );

/** Two tool calls, their arguments split mid-token, as the API reference shows. */
export const openAiChatTools = (): StreamRecord[] =>
  records(
    chatDelta({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          index: 0,
          id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
          type: 'function',
          function: { name: 'get_weather', arguments: '' },
        },
      ],
    }),
    chatDelta({ tool_calls: [{ index: 0, function: { arguments: '{"lo' } }] }),
    chatDelta({ tool_calls: [{ index: 0, function: { arguments: 'cation": "Pa' } }] }),
    chatDelta({ tool_calls: [{ index: 0, function: { arguments: 'ris, France"}' } }] }),
    chatDelta({
      tool_calls: [
        { index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } },
      ],
    }),
    chatDelta({ tool_calls: [{ index: 1, function: { arguments: '{"tz":"Europe/' } }] }),
    chatDelta({ tool_calls: [{ index: 1, function: { arguments: 'Paris"}' } }] }),
    chatDelta({}, 'tool_calls'),
    msg('[DONE]'),
  );

/** `n: 2`: both choices interleaved in the same chunks and in their own. */
export const openAiChatTwoChoices = (): StreamRecord[] =>
  records(
    chatChunk([
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null },
      { index: 1, delta: { role: 'assistant', content: '' }, finish_reason: null },
    ]),
    chatDelta({ content: 'Red' }, null, 0),
    chatDelta({ content: 'Blue' }, null, 1),
    chatChunk([
      { index: 0, delta: { content: ' apple' }, finish_reason: null },
      { index: 1, delta: { content: ' sky' }, finish_reason: null },
    ]),
    chatDelta({}, 'stop', 1),
    chatDelta({}, 'length', 0),
    msg('[DONE]'),
  );

/** A mid-stream error object and no `[DONE]`. */
export const openAiChatError = (): StreamRecord[] =>
  records(
    chatDelta({ role: 'assistant', content: 'Par' }),
    msg({
      error: {
        message: 'The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
        param: null,
        code: null,
      },
    }),
  );

// ---------------------------------------------------------------------------------------------
// OpenAI Responses

const responseBase = {
  id: 'resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654',
  object: 'response',
  created_at: 1741290958,
  model: 'gpt-4.1-2025-04-14',
  output: [],
};

export const responsesTextAndTool = (): StreamRecord[] =>
  records(
    named({
      type: 'response.created',
      sequence_number: 0,
      response: { ...responseBase, status: 'in_progress', usage: null },
    }),
    named({
      type: 'response.in_progress',
      sequence_number: 1,
      response: { ...responseBase, status: 'in_progress' },
    }),
    named({
      type: 'response.output_item.added',
      sequence_number: 2,
      output_index: 0,
      item: { id: 'rs_1', type: 'reasoning', summary: [] },
    }),
    named({
      type: 'response.reasoning_summary_part.added',
      item_id: 'rs_1',
      output_index: 0,
      summary_index: 0,
      part: { type: 'summary_text', text: '' },
    }),
    named({
      type: 'response.reasoning_summary_text.delta',
      item_id: 'rs_1',
      output_index: 0,
      summary_index: 0,
      delta: '**Planning**',
    }),
    named({
      type: 'response.reasoning_summary_text.delta',
      item_id: 'rs_1',
      output_index: 0,
      summary_index: 1,
      delta: 'Check weather.',
    }),
    named({
      type: 'response.output_item.added',
      output_index: 1,
      item: { id: 'msg_1', type: 'message', status: 'in_progress', content: [], role: 'assistant' },
    }),
    named({
      type: 'response.content_part.added',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      part: { type: 'output_text', annotations: [], text: '' },
    }),
    named({
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      delta: 'Let me',
    }),
    named({
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      delta: ' check.',
    }),
    named({
      type: 'response.output_text.done',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      text: 'Let me check.',
    }),
    named({
      type: 'response.output_item.added',
      output_index: 2,
      item: {
        id: 'fc_1',
        type: 'function_call',
        status: 'in_progress',
        arguments: '',
        call_id: 'call_abc',
        name: 'get_weather',
      },
    }),
    named({
      type: 'response.function_call_arguments.delta',
      item_id: 'fc_1',
      output_index: 2,
      delta: '{"locat',
    }),
    named({
      type: 'response.function_call_arguments.delta',
      item_id: 'fc_1',
      output_index: 2,
      delta: 'ion":"Par',
    }),
    named({
      type: 'response.function_call_arguments.delta',
      item_id: 'fc_1',
      output_index: 2,
      delta: 'is"}',
    }),
    named({
      type: 'response.function_call_arguments.done',
      item_id: 'fc_1',
      output_index: 2,
      arguments: '{"location":"Paris"}',
    }),
    named({
      type: 'response.output_item.done',
      output_index: 2,
      item: {
        id: 'fc_1',
        type: 'function_call',
        status: 'completed',
        arguments: '{"location":"Paris"}',
        call_id: 'call_abc',
        name: 'get_weather',
      },
    }),
    named({
      type: 'response.completed',
      response: {
        ...responseBase,
        status: 'completed',
        usage: {
          input_tokens: 36,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: 87,
          output_tokens_details: { reasoning_tokens: 64 },
          total_tokens: 123,
        },
      },
    }),
  );

export const responsesFailed = (): StreamRecord[] =>
  records(
    named({ type: 'response.created', response: { ...responseBase, status: 'in_progress' } }),
    named({
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta: 'Hi',
    }),
    named({
      type: 'error',
      code: 'ERR_SOMETHING',
      message: 'Something went wrong',
      param: null,
      sequence_number: 3,
    }),
    named({
      type: 'response.failed',
      response: {
        ...responseBase,
        status: 'failed',
        error: { code: 'server_error', message: 'The model failed to generate a response.' },
      },
    }),
  );

// ---------------------------------------------------------------------------------------------
// Anthropic Messages

const messageStart = (usage: Record<string, number>) =>
  named({
    type: 'message_start',
    message: {
      id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
      type: 'message',
      role: 'assistant',
      content: [],
      model: 'claude-sonnet-4-5',
      stop_reason: null,
      stop_sequence: null,
      usage,
    },
  });

export const anthropicText = (): StreamRecord[] =>
  records(
    messageStart({ input_tokens: 25, output_tokens: 1 }),
    named({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    named({ type: 'ping' }),
    named({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } }),
    named({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '!' } }),
    named({ type: 'content_block_stop', index: 0 }),
    named({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 15 },
    }),
    named({ type: 'message_stop' }),
  );

/** Extended thinking, then text, then a tool call whose input arrives as partial JSON. */
export const anthropicThinkingAndTool = (): StreamRecord[] =>
  records(
    messageStart({
      input_tokens: 5,
      cache_creation_input_tokens: 100,
      cache_read_input_tokens: 200,
      output_tokens: 1,
    }),
    named({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }),
    named({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'thinking_delta', thinking: 'I need the' },
    }),
    named({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'thinking_delta', thinking: ' weather.' },
    }),
    named({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3h' },
    }),
    named({ type: 'content_block_stop', index: 0 }),
    named({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
    named({
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'text_delta', text: "Okay, let's check the weather." },
    }),
    named({ type: 'content_block_stop', index: 1 }),
    named({
      type: 'content_block_start',
      index: 2,
      content_block: {
        type: 'tool_use',
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        name: 'get_weather',
        input: {},
      },
    }),
    named({ type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '' } }),
    named({
      type: 'content_block_delta',
      index: 2,
      delta: { type: 'input_json_delta', partial_json: '{"location":' },
    }),
    named({
      type: 'content_block_delta',
      index: 2,
      delta: { type: 'input_json_delta', partial_json: ' "San Fra' },
    }),
    named({
      type: 'content_block_delta',
      index: 2,
      delta: { type: 'input_json_delta', partial_json: 'ncisco, CA", ' },
    }),
    named({
      type: 'content_block_delta',
      index: 2,
      delta: { type: 'input_json_delta', partial_json: '"unit": "fah' },
    }),
    named({
      type: 'content_block_delta',
      index: 2,
      delta: { type: 'input_json_delta', partial_json: 'renheit"}' },
    }),
    named({ type: 'content_block_stop', index: 2 }),
    named({
      type: 'content_block_start',
      index: 3,
      content_block: { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} },
    }),
    named({ type: 'content_block_stop', index: 3 }),
    named({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 89 },
    }),
    named({ type: 'message_stop' }),
  );

export const anthropicOverloaded = (): StreamRecord[] =>
  records(
    messageStart({ input_tokens: 25, output_tokens: 1 }),
    named({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    named({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }),
    named({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
  );

// ---------------------------------------------------------------------------------------------
// Gemini

export function geminiChunk(
  parts: unknown[],
  extra: Record<string, unknown> = {},
  usage?: unknown,
): EventSpec {
  return msg({
    candidates: [{ content: { parts, role: 'model' }, index: 0, ...extra }],
    ...(usage ? { usageMetadata: usage } : {}),
    modelVersion: 'gemini-2.5-flash',
    responseId: 'mKdVaPbXBIeJ1dkP1rWX4Qk',
  });
}

export const geminiText = (): StreamRecord[] =>
  records(
    geminiChunk(
      [{ text: '**Recalling facts**', thought: true }],
      {},
      { promptTokenCount: 8, totalTokenCount: 8 },
    ),
    geminiChunk([{ text: 'The quick' }], {}, { promptTokenCount: 8, totalTokenCount: 8 }),
    geminiChunk(
      [{ text: ' brown fox jumps.' }],
      { finishReason: 'STOP' },
      {
        promptTokenCount: 8,
        candidatesTokenCount: 12,
        totalTokenCount: 40,
        thoughtsTokenCount: 20,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 8 }],
      },
    ),
  );

export const geminiTool = (): StreamRecord[] =>
  records(
    geminiChunk([{ functionCall: { name: 'get_weather', args: { location: 'Paris', unit: 'celsius' } } }], {
      finishReason: 'STOP',
    }),
  );

export const geminiTwoCandidates = (): StreamRecord[] =>
  records(
    msg({
      candidates: [
        { content: { parts: [{ text: 'One' }], role: 'model' }, index: 0 },
        { content: { parts: [{ text: 'Uno' }], role: 'model' }, index: 1 },
      ],
    }),
    msg({
      candidates: [
        { content: { parts: [{ text: '.' }], role: 'model' }, index: 0, finishReason: 'STOP' },
        { content: { parts: [{ text: '!' }], role: 'model' }, index: 1, finishReason: 'MAX_TOKENS' },
      ],
    }),
  );

export const geminiError = (): StreamRecord[] =>
  records(
    geminiChunk([{ text: 'Par' }]),
    msg({
      error: {
        code: 503,
        message: 'The model is overloaded. Please try again later.',
        status: 'UNAVAILABLE',
      },
    }),
  );

// ---------------------------------------------------------------------------------------------
// Vercel AI SDK UI message stream

export const vercelText = (): StreamRecord[] =>
  records(
    msg({ type: 'start', messageId: 'msg_1' }),
    msg({ type: 'start-step' }),
    msg({ type: 'reasoning-start', id: 'r1' }),
    msg({ type: 'reasoning-delta', id: 'r1', delta: 'Let me think' }),
    msg({ type: 'reasoning-end', id: 'r1' }),
    msg({ type: 'text-start', id: 't1' }),
    msg({ type: 'text-delta', id: 't1', delta: 'Hello' }),
    msg({ type: 'text-delta', id: 't1', delta: ' world' }),
    msg({ type: 'text-end', id: 't1' }),
    msg({ type: 'finish-step' }),
    msg({
      type: 'finish',
      finishReason: 'stop',
      messageMetadata: {
        totalUsage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, reasoningTokens: 2 },
      },
    }),
    msg('[DONE]'),
  );

export const vercelTool = (): StreamRecord[] =>
  records(
    msg({ type: 'start' }),
    msg({ type: 'start-step' }),
    msg({ type: 'tool-input-start', toolCallId: 'call_1', toolName: 'getWeather' }),
    msg({ type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '{"ci' }),
    msg({ type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: 'ty":"Ber' }),
    msg({ type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: 'lin"}' }),
    msg({
      type: 'tool-input-available',
      toolCallId: 'call_1',
      toolName: 'getWeather',
      input: { city: 'Berlin' },
    }),
    msg({ type: 'tool-output-available', toolCallId: 'call_1', output: { temperature: 21 } }),
    msg({ type: 'tool-input-available', toolCallId: 'call_2', toolName: 'getTime', input: { tz: 'CET' } }),
    msg({ type: 'finish-step' }),
    msg({ type: 'start-step' }),
    msg({ type: 'text-start', id: 't2' }),
    msg({ type: 'text-delta', id: 't2', delta: 'It is 21°C.' }),
    msg({ type: 'text-end', id: 't2' }),
    msg({ type: 'finish-step' }),
    msg({ type: 'finish' }),
    msg('[DONE]'),
  );

export const vercelError = (): StreamRecord[] =>
  records(msg({ type: 'start' }), msg({ type: 'error', errorText: 'Rate limit exceeded' }), msg('[DONE]'));

/** Every fixture, by name, for the tests that run them all. */
export const ALL_FIXTURES: Record<string, () => StreamRecord[]> = {
  openAiChatText,
  openAiChatReasoning,
  openAiChatTools,
  openAiChatTwoChoices,
  openAiChatError,
  responsesTextAndTool,
  responsesFailed,
  anthropicText,
  anthropicThinkingAndTool,
  anthropicOverloaded,
  geminiText,
  geminiTool,
  geminiTwoCandidates,
  geminiError,
  vercelText,
  vercelTool,
  vercelError,
};
