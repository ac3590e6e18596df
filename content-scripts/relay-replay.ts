/**
 * The relay's side of replay: it keeps the document's armed overrides, gives the replay agent their
 * request rules, and serves each replay it starts. The schedule (replay-schedule.ts) runs here, on
 * timers: the replay agent receives the head with a body stream, transferred over the page agent's
 * port, that the relay feeds chunk by chunk (for an EventSource, with the events that text makes)
 * and ends, so the replay agent only wraps it in what the page asked for.
 *
 * A replay is captured here, as it is served, with the same capture items the page agent sends for
 * a network response (the relay's buffer, the panel and exports take it like any other), marked with
 * the override it replays (`replayOf`). Its times are when the relay handed each piece to the page.
 *
 * Without `chrome.*`: relay.ts and relay-replay-link.ts wire it to the ports and the service worker.
 */

import { MAX_RUNNING_REPLAYS } from '../src/limits';
import type { ConnectionEnd, ConnectionInfo, HeaderMap, StreamRecord } from '../src/model';
import { matchSource, type Override } from '../src/override';
import {
  type AgentBatchMessage,
  type AgentChunksMessage,
  createAgentBatch,
  createAgentChunks,
  createReplayRules,
  EVENTSOURCE_FAILED,
  isReplayCancel,
  isReplayStart,
  type ReplayEvent,
  type ReplayStartMessage,
  type ReplayToPage,
} from '../src/protocol';
import { createEventStreamParser } from '../src/sse/event-stream-parser';
import { streamFormatOf } from '../src/sse/media-type';
import { errorText } from './agent/request-info';
import { planReplay, ReplaySchedule, type ReplayStep } from './replay-schedule';

/** What the relay's replay needs from its surroundings. */
export interface RelayReplayHost {
  /** Posts to the page agent, transferring `transfer` (without its port, nothing is posted). */
  post(message: ReplayToPage, transfer?: Transferable[]): void;
  /** Capture items of a replay, taken as the relay takes the page agent's. */
  capture(message: AgentBatchMessage | AgentChunksMessage): void;
  /** Override `id` answered a request (the service worker counts it). */
  served(id: string): void;
  /** Epoch ms, on the page's clock (`performance.timeOrigin + performance.now()`). */
  now(): number;
  /** This document's URL, as captures name their frame. */
  frameUrl(): string;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

interface Running {
  start: ReplayStartMessage;
  override: Override;
  schedule: ReplaySchedule;
  timer: unknown;
  startedAt: number;
  /** The body stream's controller, once the head was sent. */
  controller: ReadableStreamDefaultController | null;
  /** EventSource replays: the body's text parsed as the browser would, its events passed on. */
  parser: ReturnType<typeof createEventStreamParser> | null;
  /** The capture's connection, once the head was sent; the EventSource records' last seq. */
  info: ConnectionInfo | null;
  seq: number;
}

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
      if (!running) return true;
      const eventSource = running.start.transport === 'eventsource';
      const reason = message.reason ?? new DOMException('signal is aborted without reason', 'AbortError');
      const error = errorText(reason);
      this.stop(
        message.replayId,
        eventSource
          ? { state: 'cancelled', error: null }
          : { state: error.startsWith('AbortError: ') ? 'aborted' : 'error', error },
      );
      try {
        running.controller?.error(reason);
      } catch {
        // Already closed.
      }
      return true;
    }
    return false;
  }

  private start(start: ReplayStartMessage): void {
    const { replayId, ruleId, transport } = start;
    if (this.running.has(replayId)) return;
    const override = this.overrides.get(ruleId);
    if (!override || this.running.size >= MAX_RUNNING_REPLAYS) {
      // Switched off between the match and now: the request was never sent, so it fails.
      this.respond(replayId, 0, '', {}, null);
      return;
    }
    this.host.served(override.id);
    const now = this.host.now();
    const running: Running = {
      start,
      override,
      schedule: new ReplaySchedule(planReplay(override), now),
      timer: null,
      startedAt: now,
      controller: null,
      parser: transport === 'eventsource' ? createEventStreamParser() : null,
      info: null,
      seq: 0,
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
    const time = this.host.now();
    switch (step.kind) {
      case 'head': {
        const { status, statusText, headers } = step.head;
        this.captureStart(replayId, running, step, time);
        // An EventSource fails, and does not reconnect, on any status but 200 or another media type.
        if (running.parser && (status !== 200 || streamFormatOf(headers['content-type']) !== 'sse')) {
          this.record(running, 'error', '', 'closed', time);
          this.stop(replayId, { state: 'error', error: EVENTSOURCE_FAILED });
          this.respond(replayId, status, statusText, headers, null);
          return;
        }
        const body = new ReadableStream({
          start: (controller) => {
            running.controller = controller;
          },
          // The page cancelled its reader or body, or closed its EventSource: nothing more is sent.
          cancel: () => this.stop(replayId, { state: 'cancelled', error: null }),
        });
        this.respond(replayId, status, statusText, headers, body);
        if (running.parser) this.record(running, 'open', '', '', time);
        return;
      }
      case 'chunk': {
        const controller = running.controller;
        if (!controller) return;
        if (!running.parser) {
          controller.enqueue(encoder.encode(step.text));
          this.host.capture(createAgentChunks([{ connectionId: replayId, time, text: step.text }]));
          return;
        }
        for (const record of running.parser.feed(step.text, 0)) {
          if (record.kind !== 'event') continue;
          const event: ReplayEvent = { type: record.type, data: record.data, lastEventId: record.id };
          controller.enqueue(event);
          this.record(running, 'event', record.type, record.data, time, record.id);
        }
        return;
      }
      case 'end': {
        const error = step.as === 'network-error';
        // An EventSource whose body ends, cleanly or not, reconnects (WHATWG): it sees only an error.
        if (running.parser) this.record(running, 'error', '', 'reconnecting', time);
        if (error && !running.parser) running.controller?.error(new TypeError('network error'));
        else running.controller?.close();
        this.stop(
          replayId,
          error ? { state: 'error', error: 'TypeError: network error' } : { state: 'completed', error: null },
        );
        return;
      }
    }
  }

  private captureStart(
    replayId: string,
    running: Running,
    step: ReplayStep & { kind: 'head' },
    time: number,
  ): void {
    const { request, transport } = running.start;
    const eventSource = transport === 'eventsource';
    const { status, statusText, headers } = step.head;
    running.info = {
      id: replayId,
      transport,
      format: eventSource ? 'sse' : running.override.response.format,
      url: request.url,
      method: request.method,
      requestHeaders: request.headers,
      requestBody: request.body,
      // What an EventSource page can see of the response (src/model.ts): nothing.
      status: eventSource ? 0 : status,
      statusText: eventSource ? '' : statusText,
      responseHeaders: eventSource ? {} : headers,
      frameUrl: this.host.frameUrl(),
      startedAt: running.startedAt,
      headersAt: time,
      replayOf: running.override.id,
    };
    this.host.capture(createAgentBatch([{ type: 'connection-start', connection: running.info }]));
  }

  private record(
    running: Running,
    kind: StreamRecord['kind'],
    type: string,
    data: string,
    time: number,
    id = '',
  ) {
    if (!running.info) return;
    const record: StreamRecord = { seq: ++running.seq, kind, id, type, data, time, attempt: 1 };
    this.host.capture(createAgentChunks([{ connectionId: running.info.id, time, record }]));
  }

  /** Stops replay `replayId` and ends its capture as `end` says. */
  private stop(replayId: string, end: Pick<ConnectionEnd, 'state' | 'error'>): void {
    const running = this.running.get(replayId);
    if (!running) return;
    running.schedule.cancel();
    if (running.timer !== null) this.host.clearTimer(running.timer);
    this.running.delete(replayId);
    if (!running.info) return;
    const time = this.host.now();
    let { state, error } = end;
    const { status, statusText } = running.info;
    if (state === 'completed' && status >= 400) {
      state = 'error';
      error = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
    }
    if (!running.parser)
      this.host.capture(
        createAgentChunks([{ connectionId: replayId, time, completed: end.state === 'completed' }]),
      );
    this.host.capture(
      createAgentBatch([
        { type: 'connection-end', connectionId: replayId, end: { state, error, endedAt: time } },
      ]),
    );
  }
}
