/**
 * GraphQL over Server-Sent Events (the `graphql-sse` protocol): `next` events carry an execution
 * result (`{ data, errors }`), `complete` ends the operation. In "distinct connections" mode each
 * connection is one operation; in "single connection" mode events carry `{ id, payload }` and
 * `{ id }`, and the stream carries every operation of the client.
 * https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md
 */
import { arr, errorText, isObject, type JsonObject, obj, str } from '../json';
import { clip } from '../state';
import type { OperationResult } from '../types';
import type { ShapeHandlerFactory } from './handler';

/** The messages of a GraphQL `errors` list. */
export function graphqlErrors(value: unknown): string[] {
  return arr(value).map((error) =>
    isObject(error) ? (str(error.message) ?? errorText(error)) : String(error),
  );
}

export const createGraphqlSseHandler: ShapeHandlerFactory = () => {
  // Operations seen and not completed (single connection mode).
  const open = new Set<string>();
  let distinct = false;

  return (state, event, type, record) => {
    switch (type) {
      case 'next': {
        const single = typeof event.id === 'string' && isObject(event.payload);
        const result: JsonObject = single ? (obj(event.payload) ?? {}) : event;
        const id = single ? (event.id as string) : undefined;
        if (id !== undefined) open.add(id);
        else distinct = true;
        const entry: OperationResult = { seq: record.seq, data: result.data };
        if (id !== undefined) entry.id = id;
        const errors = graphqlErrors(result.errors);
        if (errors.length > 0) {
          entry.errors = errors;
          state.markError();
        }
        state.results ??= [];
        state.results.push(entry);
        const prefix = id !== undefined ? `next ${id}` : 'next';
        state.summary =
          errors.length > 0
            ? `${prefix} errors: ${clip(errors.join('; '), 100)}`
            : `${prefix} ${clip(JSON.stringify(result.data ?? result) ?? '', 100)}`;
        break;
      }
      case 'complete': {
        const id = str(event.id);
        if (id !== undefined) open.delete(id);
        state.summary = id !== undefined ? `complete ${id}` : 'complete';
        // Distinct mode ends with its one `complete`; single mode once every operation completed.
        if (id === undefined || (!distinct && open.size === 0)) state.end();
        break;
      }
    }
    return undefined;
  };
};
