/**
 * The relay's side of replay: it keeps the document's armed overrides, gives the page agent their
 * request rules, and serves each replay the agent starts: the schedule (replay-schedule.ts) runs
 * here, on timers. The agent receives the head with a body stream that the relay feeds chunk by
 * chunk (for an EventSource, with the events that text makes) and ends, transferred over the port:
 * the agent only wraps it in what the page asked for (a Response, an XHR's state, events).
 *
 * Without `chrome.*`: relay.ts wires it to the agent's port and the service worker.
 */

import type { HeaderMap } from '../src/model';
import { matchSource, type Override } from '../src/override';
import {
  createReplayRules,
  isReplayCancel,
  isReplayStart,
  type RelayToPage,
  type ReplayEvent,
  type ReplayStartMessage,
} from '../src/protocol';
import { createEventStreamParser } from '../src/sse/event-stream-parser';
import { streamFormatOf } from '../src/sse/media-type';
import { planReplay, ReplaySchedule, type ReplayStep } from './replay-schedule';

/** What the relay's replay needs from its surroundings. */
export interface RelayReplayHost {
  /** Posts to the page agent, transferring `transfer` (its port may not be there yet: then nothing is posted). */
  post(message: RelayToPage, transfer?: Transferable[]): void;
  /** Override `id` answered a request (the service worker counts it). */
  served(id: string): void;
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

interface Running {
  schedule: ReplaySchedule;
  timer: unknown;
  /** The body stream's controller, once the head was sent. */
  controller: ReadableStreamDefaultController | null;
  /** EventSource replays: the body's text parsed as the browser would, its events passed on. */
  parser: ReturnType<typeof createEventStreamParser> | null;
}

/** Replays running at once at most; a page starting more gets network errors. */
const MAX_RUNNING = 256;

const encoder = new TextEncoder();

export class RelayReplay {
  private overrides = new Map<string, Override>();
  private readonly running = new Map<string, Running>();
  /** Whether the agent was ever given rules: with no override ever armed, it is told nothing. */
  private told = false;

  constructor(private readonly host: RelayReplayHost) {}

  /** The overrides armed in this tab now (the service worker's list; switched-off ones are ignored). */
  setOverrides(overrides: readonly Override[]): void {
    this.overrides = new Map(overrides.filter((o) => o.enabled).map((o) => [o.id, o]));
    this.tellRules();
  }

  /** The agent's port is there: it gets the rules, if there are any. */
  agentConnected(): void {
    if (this.told || this.overrides.size > 0) {
      this.told = false;
      this.tellRules();
    }
  }

  private tellRules(): void {
    if (!this.told && this.overrides.size === 0) return;
    this.told = true;
    const rules = [...this.overrides.values()].map((o) => ({ id: o.id, source: matchSource(o.match) }));
    this.host.post(createReplayRules(rules));
  }

  /** A message from the agent's port; returns whether it was a replay message. */
  onAgentMessage(message: unknown): boolean {
    if (isReplayStart(message)) {
      this.start(message);
      return true;
    }
    if (isReplayCancel(message)) {
      const running = this.running.get(message.replayId);
      this.stop(message.replayId);
      try {
        running?.controller?.error(
          message.reason ?? new DOMException('signal is aborted without reason', 'AbortError'),
        );
      } catch {
        // Already closed.
      }
      return true;
    }
    return false;
  }

  private start({ replayId, ruleId, transport }: ReplayStartMessage): void {
    if (this.running.has(replayId)) return;
    const override = this.overrides.get(ruleId);
    if (!override || this.running.size >= MAX_RUNNING) {
      // Switched off between the agent's match and now: the request was never sent, so it fails.
      this.respond(replayId, 0, '', {}, null);
      return;
    }
    this.host.served(override.id);
    const running: Running = {
      schedule: new ReplaySchedule(planReplay(override), this.host.now()),
      timer: null,
      controller: null,
      parser: transport === 'eventsource' ? createEventStreamParser() : null,
    };
    this.running.set(replayId, running);
    this.run(replayId, running);
  }

  private respond(
    replayId: string,
    status: number,
    statusText: string,
    headers: HeaderMap,
    body: ReadableStream | null,
  ) {
    this.host.post(
      { type: 'replay-response', replayId, status, statusText, headers, body },
      body ? [body] : [],
    );
  }

  private run(replayId: string, running: Running): void {
    running.timer = null;
    for (const step of running.schedule.due(this.host.now())) {
      if (!this.running.has(replayId)) return;
      this.deliver(replayId, running, step);
    }
    const next = running.schedule.nextAt;
    if (next === null) {
      this.running.delete(replayId);
      return;
    }
    running.timer = this.host.setTimer(
      () => this.run(replayId, running),
      Math.max(0, next - this.host.now()),
    );
  }

  private deliver(replayId: string, running: Running, step: ReplayStep): void {
    switch (step.kind) {
      case 'head': {
        const { status, statusText, headers } = step.head;
        // An EventSource fails, and does not reconnect, on any status but 200 or another media type.
        if (running.parser && (status !== 200 || streamFormatOf(headers['content-type']) !== 'sse')) {
          this.stop(replayId);
          this.respond(replayId, status, statusText, headers, null);
          return;
        }
        const body = new ReadableStream({
          start: (controller) => {
            running.controller = controller;
          },
          // The page cancelled its reader or body (or, through the agent, aborted): nothing more is sent.
          cancel: () => this.stop(replayId),
        });
        this.respond(replayId, status, statusText, headers, body);
        return;
      }
      case 'chunk': {
        const controller = running.controller;
        if (!controller) return;
        if (!running.parser) {
          controller.enqueue(encoder.encode(step.text));
          return;
        }
        for (const record of running.parser.feed(step.text, 0)) {
          if (record.kind !== 'event') continue;
          const event: ReplayEvent = { type: record.type, data: record.data, lastEventId: record.id };
          controller.enqueue(event);
        }
        return;
      }
      case 'end':
        this.running.delete(replayId);
        // An EventSource whose body ends, cleanly or not, reconnects (WHATWG): it sees only the end.
        if (step.as === 'network-error' && !running.parser)
          running.controller?.error(new TypeError('network error'));
        else running.controller?.close();
        return;
    }
  }

  private stop(replayId: string): void {
    const running = this.running.get(replayId);
    if (!running) return;
    running.schedule.cancel();
    if (running.timer !== null) this.host.clearTimer(running.timer);
    this.running.delete(replayId);
  }
}
