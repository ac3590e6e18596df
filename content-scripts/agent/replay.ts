import type { Transport } from '../../src/model';
import {
  createReplayCancel,
  createReplayStart,
  type RelayToPage,
  type ReplayResponseMessage,
} from '../../src/protocol';
import type { AgentChannel } from './channel';
import { apply, getterOf } from './natives';

/** Gets a replay's response: its head and the body stream the relay feeds (src/protocol.ts). */
export type ReplayReceiver = (response: ReplayResponseMessage) => void;

/**
 * The agent's side of replay: the armed overrides' rules, and the replays it asked the relay for.
 * The relay runs each replay's schedule and transfers its body as a stream; the transports only
 * wrap that stream in what the page asked for (replay-fetch.ts, replay-xhr.ts, replay-eventsource.ts).
 */
export interface AgentReplay {
  /**
   * The override a request of `method` to `url` (as the page gave it) answers, or null. With no
   * override armed it returns at once and touches nothing: the page's request is the network's.
   */
  match(method: string, url: unknown): string | null;
  /** The absolute URL `url` resolves to in this document. */
  resolve(url: unknown): string;
  /** Asks the relay to serve `ruleId`'s replay; returns the replay's id. */
  start(ruleId: string, transport: Transport, receive: ReplayReceiver): string;
  /** The page aborted: the relay errors the body with `reason` and stops. */
  cancel(replayId: string, reason: unknown): void;
}

export function createAgentReplay(channel: AgentChannel): AgentReplay {
  const RegExpCtor = RegExp;
  const exec = RegExp.prototype.exec;
  const upper = String.prototype.toUpperCase;
  const URLCtor = URL;
  const getHref = getterOf<string>(URL.prototype, 'href');
  const getBase = getterOf<string>(Node.prototype, 'baseURI');
  const doc = document;
  let rules: { id: string; re: RegExp }[] = [];
  // No prototype: a page's Object.prototype must not answer for a replay id.
  const receivers = { __proto__: null } as unknown as Record<string, ReplayReceiver>;

  // Only the relay holds the other end of the agent's port (channel.ts): its messages are trusted.
  channel.onRelayMessage((data) => {
    const message = data as RelayToPage;
    if (message.type === 'replay-rules') {
      const next: typeof rules = [];
      for (let i = 0; i < message.rules.length; i++) {
        const rule = message.rules[i] as { id: string; source: string };
        next[i] = { id: rule.id, re: new RegExpCtor(rule.source) };
      }
      rules = next;
      return;
    }
    const receive = receivers[message.replayId];
    delete receivers[message.replayId];
    receive?.(message);
  });

  const resolve = (url: unknown) => getHref(new URLCtor(url as string, getBase(doc)));

  return {
    resolve,
    match(method, url) {
      if (rules.length === 0) return null;
      try {
        const subject = `${apply(upper, method, [])} ${resolve(url)}`;
        for (let i = 0; i < rules.length; i++) {
          const rule = rules[i] as (typeof rules)[number];
          if (apply(exec, rule.re, [subject]) !== null) return rule.id;
        }
      } catch {
        // A URL that does not parse is the network's to refuse.
      }
      return null;
    },
    start(ruleId, transport, receive) {
      const replayId = channel.nextConnectionId();
      receivers[replayId] = receive;
      channel.send(createReplayStart(replayId, ruleId, transport));
      return replayId;
    },
    cancel(replayId, reason) {
      delete receivers[replayId];
      try {
        channel.send(createReplayCancel(replayId, reason));
      } catch {}
      // A reason that cannot be cloned: the relay errors the body with an AbortError.
    },
  };
}
