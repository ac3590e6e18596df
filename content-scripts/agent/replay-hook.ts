import { REPLAY_AGENT_EVENT, type ReplayAgentApi } from '../../src/protocol';
import type { AgentChannel } from './channel';
import { getterOf, listen } from './natives';

/**
 * The page agent's whole part in replay: it takes the replay agent's API (content-scripts/
 * replay-agent.ts, which the service worker injects only where overrides are armed) and passes the
 * relay's replay messages to it. The taps ask `replayAgent()` first: null while no override was
 * ever armed here, so they behave exactly as without replay.
 */
export const createReplayHook = (channel: AgentChannel): (() => ReplayAgentApi | null) => {
  const getDetail = getterOf<ReplayAgentApi>(CustomEvent.prototype, 'detail');
  let api: ReplayAgentApi | null = null;
  /** The relay's latest rules while the replay agent is not there yet (null: none ever came). */
  let rules: unknown = null;
  channel.listenToRelay((message) => {
    if (api) api.onRelayMessage(message);
    else rules = message;
  });
  // Only after the relay told of overrides: the replay agent is injected once it had.
  listen(document, REPLAY_AGENT_EVENT, (event: Event) => {
    if (api || rules === null) return;
    try {
      api = getDetail(event);
      api.connect(channel.sendReplay);
      api.onRelayMessage(rules);
    } catch {
      api = null;
    }
  });
  return () => api;
};
