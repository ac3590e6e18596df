/**
 * Replay agent: injected by the service worker into the page's world, only in the frames of a tab
 * that has armed overrides (so the page agent, which runs in every frame of every page, carries
 * none of this). It hands its API to the page agent on a DOM event; the page agent's taps then ask
 * it whether an override answers each request, and it builds what the page receives from the body
 * stream the relay feeds on the replay's schedule: a `Response` (fetch), an XHR's state and events,
 * or an `EventSource`'s events.
 */
import {
  REPLAY_AGENT_EVENT,
  type ReplayAgentApi,
  requestBodyText,
  requestHeaderMapOf,
} from '../src/protocol';
import { createReplayEventSource } from './replay-agent/eventsource';
import { createReplayFetch } from './replay-agent/fetch';
import { createReplays } from './replay-agent/replays';
import { createReplayXhr } from './replay-agent/xhr';

const replays = createReplays(window);
const replayFetch = createReplayFetch(window, replays);
const replayXhr = createReplayXhr(window, replays);
const replayEventSource = createReplayEventSource(window, replays);

/** `run`'s answer, or null when it throws: the page's request then goes to the network. */
function guarded<T>(run: () => T | null): T | null {
  try {
    return run();
  } catch {
    return null;
  }
}

const api: ReplayAgentApi = {
  connect: (send) => replays.connect(send),
  onRelayMessage: (message) => guarded(() => replays.receive(message as never)),
  fetch: (args) => guarded(() => replayFetch(args)),
  xhr: (xhr, { args, headers, body }) =>
    !!guarded(() => {
      // A synchronous request, or one whose response is not text, is the network's.
      if (args[2] === false || (xhr.responseType !== '' && xhr.responseType !== 'text')) return null;
      const method = String(args[0]);
      const ruleId = replays.match(method, args[1]);
      if (ruleId) {
        const request = {
          method,
          url: replays.resolve(args[1]),
          headers: requestHeaderMapOf(headers),
          body: requestBodyText(body) as string | null,
        };
        replayXhr(xhr, ruleId, request);
      }
      return ruleId;
    }),
  eventSource: (args, newTarget) =>
    guarded(() => {
      const ruleId = replays.match('GET', args[0]);
      return ruleId
        ? replayEventSource(replays.resolve(args[0]), !!args[1]?.withCredentials, ruleId, newTarget)
        : null;
    }),
};
document.dispatchEvent(new CustomEvent(REPLAY_AGENT_EVENT, { detail: api }));
