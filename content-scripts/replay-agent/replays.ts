import type { Transport } from '../../src/model';
import {
  createReplayCancel,
  createReplayStart,
  type PageToRelayReplay,
  type ReplayRequest,
  type ReplayResponseMessage,
  type ReplayToPage,
} from '../../src/protocol';

/** Gets a replay's response: its head and the body stream the relay feeds (src/protocol.ts). */
export type ReplayReceiver = (response: ReplayResponseMessage) => void;

/**
 * The replay agent's rules and running replays. The relay runs each replay's schedule and transfers
 * its body as a stream; the transports (fetch.ts, xhr.ts, eventsource.ts) only wrap that stream in
 * what the page asked for.
 */
export interface Replays {
  /** The override a request of `method` to `url` (as the page gave it) answers, or null. */
  match(method: string, url: unknown): string | null;
  /** The absolute URL `url` resolves to in this document. */
  resolve(url: unknown): string;
  /** Asks the relay to serve `ruleId`'s replay of `request`; returns the replay's id. */
  start(ruleId: string, transport: Transport, request: ReplayRequest, receive: ReplayReceiver): string;
  /** The page aborted: the relay errors the body with `reason` and stops. */
  cancel(replayId: string, reason?: unknown): void;
  /** A message from the relay (through the page agent). */
  receive(message: ReplayToPage): void;
  connect(send: (message: PageToRelayReplay) => void): void;
}

export function createReplays(win: Window & typeof globalThis): Replays {
  const doc = win.document;
  let send: ((message: PageToRelayReplay) => void) | null = null;
  let rules: { id: string; re: RegExp }[] = [];
  const receivers = new Map<string, ReplayReceiver>();
  const token = Math.random().toString(36).slice(2);
  let counter = 0;

  const resolve = (url: unknown) => new win.URL(String(url), doc.baseURI).href;

  return {
    resolve,
    connect(to) {
      send ??= to;
    },
    receive(message) {
      if (message.type === 'replay-rules') {
        rules = message.rules.map((rule) => ({ id: rule.id, re: new RegExp(rule.source) }));
        return;
      }
      const receiver = receivers.get(message.replayId);
      receivers.delete(message.replayId);
      receiver?.(message);
    },
    match(method, url) {
      if (!send || rules.length === 0) return null;
      try {
        const subject = `${method.toUpperCase()} ${resolve(url)}`;
        return rules.find((rule) => rule.re.test(subject))?.id ?? null;
      } catch {
        return null; // a URL that does not parse is the network's to refuse
      }
    },
    start(ruleId, transport, request, receive) {
      const replayId = `replay-${token}:${++counter}`;
      receivers.set(replayId, receive);
      send?.(createReplayStart(replayId, ruleId, transport, request));
      return replayId;
    },
    cancel(replayId, reason) {
      receivers.delete(replayId);
      try {
        send?.(createReplayCancel(replayId, reason));
      } catch {
        // A reason that cannot be cloned: the relay errors the body with an AbortError.
        send?.(createReplayCancel(replayId));
      }
    },
  };
}
