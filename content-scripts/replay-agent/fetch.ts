import { requestBodyText } from '../../src/protocol';
import { headersToMap, requestBodyOf } from '../agent/request-info';
import type { Replays } from './replays';

type FetchArgs = [input: RequestInfo | URL, init?: RequestInit];

// Statuses whose response has no body (Fetch: "null body status"); `new Response(body)` throws on them.
const NULL_BODY = [101, 103, 204, 205, 304];
/** What a constructed Response reports otherwise (an empty URL, type "default"). */
const IDENTITY = ['url', 'redirected', 'type'];

/**
 * A `fetch` an armed override answers, or null when none matches (then the network answers). The
 * Response wraps the body stream the relay feeds on the replay's schedule; its `url`, `redirected`
 * and `type` are the request's, as the network's response would have them. An abort rejects the
 * fetch, or errors the body, with the signal's reason, as the browser's fetch does.
 */
export function createReplayFetch(
  win: Window & typeof globalThis,
  replay: Replays,
): (args: FetchArgs) => Promise<Response> | null {
  const origin = win.location.origin;

  return (args) => {
    const init = args[1];
    const request = args[0] instanceof win.Request ? args[0] : null;
    const input = request ? request.url : args[0];
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const ruleId = replay.match(method, input);
    if (ruleId === null) return null;
    const url = replay.resolve(input);
    const signal = init?.signal ?? request?.signal;
    const described = {
      method,
      url,
      headers: headersToMap(new win.Headers(init?.headers ?? request?.headers)),
      body: init && 'body' in init ? (requestBodyText(requestBodyOf(init.body)) as string | null) : null,
    };
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const replayId = replay.start(ruleId, 'fetch', described, ({ status, statusText, headers, body }) => {
        try {
          if (!status) throw 0;
          const response = new win.Response(NULL_BODY.includes(status) ? null : body, {
            status,
            statusText,
            headers,
          });
          const identity = [url, false, url.startsWith(`${origin}/`) ? 'basic' : 'cors'];
          for (let i = 0; i < 3; i++) {
            Object.defineProperty(response, IDENTITY[i] as string, {
              get: () => identity[i],
              configurable: true,
            });
          }
          resolve(response);
        } catch {
          reject(new win.TypeError('Failed to fetch'));
        }
      });
      signal?.addEventListener('abort', () => {
        replay.cancel(replayId, signal.reason);
        reject(signal.reason);
      });
    });
  };
}
