import { apply, defineProperty } from './natives';
import type { AgentReplay } from './replay';

type FetchArgs = [input: RequestInfo | URL, init?: RequestInit];

/** A fetch an override answers: the Response it resolves to, and the override's id. */
export interface ReplayedFetch {
  response: Promise<Response>;
  ruleId: string;
}

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
  replay: AgentReplay,
): (args: FetchArgs) => ReplayedFetch | null {
  const RequestCtor = win.Request;
  const ResponseCtor = win.Response;
  const TypeErrorCtor = win.TypeError;
  const origin = win.origin;
  const startsWith = String.prototype.startsWith;
  const includes = Array.prototype.includes;
  const addEventListener = win.EventTarget.prototype.addEventListener;

  return (args) => {
    const init = args[1];
    const request = args[0] instanceof RequestCtor ? args[0] : null;
    const input = request ? request.url : args[0];
    const ruleId = replay.match(init?.method ?? request?.method ?? 'GET', input);
    if (ruleId === null) return null;
    const url = replay.resolve(input);
    const signal = init?.signal ?? request?.signal;
    const response = new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const replayId = replay.start(ruleId, 'fetch', ({ status, statusText, headers, body }) => {
        try {
          if (!status) throw 0;
          const response = new ResponseCtor(apply(includes, NULL_BODY, [status]) ? null : body, {
            status,
            statusText,
            headers,
          });
          const identity = [url, false, apply(startsWith, url, [`${origin}/`]) ? 'basic' : 'cors'];
          for (let i = 0; i < 3; i++) {
            // No prototype: `get` or `value` a page put on Object.prototype must not be read.
            defineProperty(response, IDENTITY[i] as string, {
              __proto__: null,
              get: () => identity[i],
              configurable: true,
            } as PropertyDescriptor);
          }
          resolve(response);
        } catch {
          reject(new TypeErrorCtor('Failed to fetch'));
        }
      });
      if (signal) {
        apply(addEventListener, signal, [
          'abort',
          () => {
            replay.cancel(replayId, signal.reason);
            reject(signal.reason);
          },
        ]);
      }
    });
    return { response, ruleId };
  };
}
