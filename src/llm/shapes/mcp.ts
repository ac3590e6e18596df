/**
 * The Model Context Protocol's JSON-RPC 2.0 messages over Streamable HTTP: the client POSTs a
 * request (or a batch) and the server answers in an SSE stream of `message` events carrying the
 * request's notifications (`notifications/progress`, logging), its own requests to the client
 * (sampling, elicitation) and finally the response; a GET opens a stream of server messages. The
 * legacy HTTP+SSE transport opens its stream with `event: endpoint`, the URI the client POSTs to.
 * https://modelcontextprotocol.io/specification/2025-06-18/basic/transports
 */
import { isObject, num, obj, str } from '../json';
import { clip, type MessageState } from '../state';
import type { RpcMessage, StreamContext } from '../types';
import type { ShapeHandlerFactory } from './handler';

/** The JSON-RPC message `value` is, as an {@link RpcMessage}; `null` for anything else. */
export function toRpcMessage(
  value: unknown,
  from: RpcMessage['from'],
  time: number,
  seq?: number,
): RpcMessage | null {
  if (!isObject(value) || value.jsonrpc !== '2.0') return null;
  const id = typeof value.id === 'string' || typeof value.id === 'number' ? value.id : undefined;
  const method = str(value.method);
  const message: RpcMessage = {
    kind: method !== undefined ? (id !== undefined ? 'request' : 'notification') : 'response',
    from,
    time,
  };
  if (seq !== undefined) message.seq = seq;
  if (id !== undefined) message.id = id;
  if (method !== undefined) message.method = method;
  if (value.params !== undefined) message.params = value.params;
  if ('result' in value) message.result = value.result;
  const error = obj(value.error);
  if (error) {
    message.error = { message: str(error.message) ?? JSON.stringify(error) };
    const code = num(error.code);
    if (code !== undefined) message.error.code = code;
    if (error.data !== undefined) message.error.data = error.data;
  }
  return message;
}

/** The JSON-RPC messages of a text (one message or a batch); none when it is not JSON-RPC. */
export function rpcMessagesOf(
  value: unknown,
  from: RpcMessage['from'],
  time: number,
  seq?: number,
): RpcMessage[] {
  const values = Array.isArray(value) ? value : [value];
  const out: RpcMessage[] = [];
  for (const item of values) {
    const message = toRpcMessage(item, from, time, seq);
    if (message) out.push(message);
  }
  return out;
}

/** `(3 items)`: the length of the result's first list (`content`, `tools`, `resources`…), if it has one. */
function itemCount(result: unknown): string {
  if (!isObject(result)) return '';
  for (const field of Object.values(result)) {
    if (Array.isArray(field)) return ` (${field.length} ${field.length === 1 ? 'item' : 'items'})`;
  }
  return '';
}

function formatMs(ms: number): string {
  return `${Math.round(ms)} ms`;
}

/** One line for a JSON-RPC message, its request (`request`) given for a response. */
export function describeRpc(message: RpcMessage, request?: RpcMessage): string {
  switch (message.kind) {
    case 'request':
      return `${message.from === 'server' ? '← ' : ''}${message.method} #${message.id}`;
    case 'notification': {
      const params = obj(message.params);
      if (message.method === 'notifications/progress' && params) {
        const total = num(params.total);
        const text = str(params.message);
        return `${message.method} ${num(params.progress) ?? '?'}${total !== undefined ? `/${total}` : ''}${text ? ` ${JSON.stringify(clip(text, 80))}` : ''}`;
      }
      if (message.method === 'notifications/message' && params) {
        const data = typeof params.data === 'string' ? params.data : JSON.stringify(params.data);
        return `${message.method} ${str(params.level) ?? ''} ${clip(data ?? '', 80)}`;
      }
      return `${message.method}${params ? ` ${clip(JSON.stringify(params), 80)}` : ''}`;
    }
    case 'response': {
      const head = request?.method ? `${request.method} → ` : `#${message.id} → `;
      const duration = request ? ` ${formatMs(message.time - request.time)}` : '';
      if (message.error) {
        const code = message.error.code !== undefined ? ` ${message.error.code}` : '';
        return `${head}error${code} ${clip(message.error.message, 80)}${duration}`;
      }
      const isError = isObject(message.result) && message.result.isError === true;
      return `${head}${isError ? 'result isError' : 'result'}${itemCount(message.result)}${duration}`;
    }
  }
}

/** Whether a message reports a failure: a JSON-RPC error, or a tool result with `isError`. */
export function isRpcFailure(message: RpcMessage): boolean {
  return message.error !== undefined || (isObject(message.result) && message.result.isError === true);
}

function requestsOfBody(context: StreamContext | undefined): RpcMessage[] {
  const body = context?.requestBody;
  if (!body) return [];
  try {
    return rpcMessagesOf(JSON.parse(body), 'client', context.startedAt);
  } catch {
    return [];
  }
}

export const createMcpHandler: ShapeHandlerFactory = (context) => {
  const fromBody = requestsOfBody(context);
  // Client requests of the POST body awaiting their response, by id.
  const pending = new Map<string | number, RpcMessage>();
  for (const message of fromBody)
    if (message.kind === 'request' && message.id !== undefined) pending.set(message.id, message);
  const sessionId = context?.responseHeaders['mcp-session-id'] ?? context?.requestHeaders['mcp-session-id'];
  let initialised = false;

  function init(state: MessageState): void {
    if (initialised) return;
    initialised = true;
    state.rpc = fromBody.slice();
    if (sessionId !== undefined) state.sessionId = sessionId;
    // A stream that answers no request (a GET, a POST of notifications) has no end marker to wait for.
    if (pending.size === 0) state.terminated = true;
  }

  function apply(state: MessageState, message: RpcMessage): string {
    (state.rpc as RpcMessage[]).push(message);
    let request: RpcMessage | undefined;
    if (message.kind === 'response' && message.id !== undefined) {
      request = pending.get(message.id);
      pending.delete(message.id);
      if (request && pending.size === 0) state.terminated = true;
    }
    if (isRpcFailure(message)) {
      state.markError();
      state.errors.push(describeRpc(message, request));
    }
    return describeRpc(message, request);
  }

  return (state, _event, _type, record, parsed) => {
    init(state);
    if (parsed.kind === 'text' && record.type === 'endpoint') {
      state.endpoint = record.data.trim();
      state.summary = `endpoint ${clip(state.endpoint, 100)}`;
      return true;
    }
    if (parsed.kind !== 'json') return undefined;
    const messages = rpcMessagesOf(parsed.value, 'server', record.time, record.seq);
    if (messages.length > 0) state.summary = messages.map((message) => apply(state, message)).join(' · ');
    return undefined;
  };
};
