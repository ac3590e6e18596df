/**
 * tRPC subscriptions over SSE (`httpSubscriptionLink`, `@trpc/server`'s `sseStreamProducer`): a
 * `connected` event first, each value as a `message` event (its `id:` the tracked id, when the
 * procedure uses `tracked()`), `ping` heartbeats, `return` when the procedure's generator finished,
 * `serialized-error` when it threw.
 * https://trpc.io/docs/client/links/httpSubscriptionLink
 */
import { errorText, isObject, obj, type ParsedEvent, str } from '../json';
import { clip } from '../state';
import type { OperationResult } from '../types';
import type { ShapeHandlerFactory } from './handler';

/** A value as a transformer such as superjson serialises it (`{ json, meta }`), unwrapped. */
function unwrap(value: unknown): unknown {
  if (
    isObject(value) &&
    'json' in value &&
    Object.keys(value).every((key) => key === 'json' || key === 'meta')
  ) {
    return value.json;
  }
  return value;
}

/** The data as JSON, also a bare number, string or boolean (a procedure may yield any JSON value). */
function jsonOf(parsed: ParsedEvent): { value: unknown } | null {
  if (parsed.kind === 'json') return { value: unwrap(parsed.value) };
  if (parsed.kind !== 'text') return null;
  try {
    return { value: JSON.parse(parsed.record.data) };
  } catch {
    return null;
  }
}

export const createTrpcHandler: ShapeHandlerFactory = () => (state, _event, type, record, parsed) => {
  const json = jsonOf(parsed);
  const value = json?.value;
  switch (type) {
    case 'connected':
      state.summary = 'connected';
      break;
    case 'ping':
      state.summary = 'ping';
      break;
    case 'restore-id':
      // The producer's own bookkeeping for EventSource's last event ID; carries nothing.
      state.summary = '';
      break;
    case 'return':
      state.summary = 'return';
      state.end();
      break;
    case 'serialized-error': {
      const error = obj(value);
      const code = str(obj(error?.data)?.code) ?? str(error?.code);
      const message = str(error?.message) ?? errorText(value);
      const text = code ? `${code}: ${message}` : message;
      state.error(text);
      state.results ??= [];
      state.results.push({ seq: record.seq, errors: [text] });
      // The procedure failed: nothing follows.
      state.terminated = true;
      break;
    }
    default: {
      if (!json) break;
      const entry: OperationResult = { seq: record.seq, data: value };
      if (record.id !== '') entry.id = record.id;
      state.results ??= [];
      state.results.push(entry);
      state.summary = `${entry.id !== undefined ? `#${entry.id} ` : ''}${clip(JSON.stringify(value) ?? '', 100)}`;
    }
  }
  return json !== null;
};
