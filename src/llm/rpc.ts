/**
 * The JSON-RPC view of MCP traffic: each request with everything that belongs to it (its progress
 * and logging notifications, the server's requests to the client made while serving it) and its
 * response, with the time between them, per connection or across the connections of a tab.
 */
import { isObject } from './json';
import type { RpcMessage } from './types';

/** The JSON-RPC messages of one connection. */
export interface RpcSource {
  connectionId: string;
  /** The connection's MCP session; requests and responses are paired within a session. */
  sessionId?: string;
  messages: readonly RpcMessage[];
}

/** A request and what belongs to it; or a message that belongs to no request seen (a GET stream's notification). */
export interface RpcExchange {
  /** The connection that carried the request (or the lone message). */
  connectionId: string;
  sessionId?: string;
  /** The request; absent for a lone notification or a response whose request was not captured. */
  request?: RpcMessage;
  /** Notifications and requests of the other side that arrived while it was served, in order. */
  related: RpcMessage[];
  response?: RpcMessage;
  /** From the request to its response, in ms. */
  durationMs?: number;
}

function progressToken(message: RpcMessage): unknown {
  const params = message.params;
  if (!isObject(params)) return undefined;
  if (message.kind === 'notification') return params.progressToken;
  return isObject(params._meta) ? params._meta.progressToken : undefined;
}

const keyOf = (sessionId: string | undefined, from: RpcMessage['from'], id: string | number) =>
  `${sessionId ?? ''}\u0000${from}\u0000${typeof id}:${id}`;

/**
 * Pairs the messages of the given connections into exchanges, ordered by the time of their first
 * message. A response is paired with the request of the other side with the same id in the same
 * session; a notification or request of the server on the stream that answers a client request
 * belongs to that request (a progress notification to the request with its progress token).
 */
export function pairRpc(sources: readonly RpcSource[]): RpcExchange[] {
  const exchanges: RpcExchange[] = [];
  const byRequest = new Map<string, RpcExchange>();
  const byProgressToken = new Map<string, RpcExchange>();
  const responses: [RpcSource, RpcMessage][] = [];

  for (const source of sources) {
    let served: RpcExchange | undefined;
    for (const message of source.messages) {
      if (message.kind === 'response') {
        responses.push([source, message]);
        continue;
      }
      const token = progressToken(message);
      const tokenKey = `${source.sessionId ?? ''}\u0000${JSON.stringify(token)}`;
      if (message.kind === 'request' && message.from === 'client') {
        const exchange: RpcExchange = { connectionId: source.connectionId, request: message, related: [] };
        if (source.sessionId !== undefined) exchange.sessionId = source.sessionId;
        if (message.id !== undefined)
          byRequest.set(keyOf(source.sessionId, message.from, message.id), exchange);
        if (token !== undefined) byProgressToken.set(tokenKey, exchange);
        served ??= exchange;
        exchanges.push(exchange);
        continue;
      }
      // A notification, or a request of the server: it belongs to the request whose stream carried it.
      const owner = (token !== undefined ? byProgressToken.get(tokenKey) : undefined) ?? served;
      if (owner) {
        owner.related.push(message);
        continue;
      }
      const lone: RpcExchange = { connectionId: source.connectionId, related: [] };
      if (source.sessionId !== undefined) lone.sessionId = source.sessionId;
      if (message.kind === 'request') {
        lone.request = message;
        if (message.id !== undefined) byRequest.set(keyOf(source.sessionId, message.from, message.id), lone);
      } else {
        lone.related.push(message);
      }
      exchanges.push(lone);
    }
  }

  for (const [source, response] of responses) {
    const other = response.from === 'server' ? 'client' : 'server';
    const exchange =
      response.id !== undefined ? byRequest.get(keyOf(source.sessionId, other, response.id)) : undefined;
    if (exchange && !exchange.response && exchange.request) {
      exchange.response = response;
      exchange.durationMs = response.time - exchange.request.time;
      continue;
    }
    const lone: RpcExchange = { connectionId: source.connectionId, related: [], response };
    if (source.sessionId !== undefined) lone.sessionId = source.sessionId;
    exchanges.push(lone);
  }

  const firstTime = (exchange: RpcExchange) =>
    exchange.request?.time ?? exchange.related[0]?.time ?? exchange.response?.time ?? 0;
  return exchanges.sort((a, b) => firstTime(a) - firstTime(b));
}
