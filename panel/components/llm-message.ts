/**
 * The reassembled message of a connection and its events' summaries, kept up to date incrementally:
 * each connection has one reassembler that is pushed only the events added since it was last asked
 * (`ConnectionView.events` is append-only), so a live stream costs O(new events) per update, not
 * O(all events).
 */
import { t } from '../../src/i18n';
import { createReassembler, type LlmMessage, type Reassembler } from '../../src/llm';
import type { ConnectionInfo } from '../../src/model';
import type { ConnectionView } from '../capture-model';
import { type PanelState, usePanelStore } from '../store';
import './llm-message.css';

/** Title of an event-table row whose data should be JSON for the stream's format but does not parse. */
export const BAD_JSON_TITLE = t('llmBadJsonRow');
/** Title of an event-table row that carries an error (an error event, a JSON-RPC error, GraphQL `errors`). */
export const ERROR_EVENT_TITLE = t('llmErrorRow');

interface Entry {
  reassembler: Reassembler;
  /** How many of the connection's events were pushed. */
  pushed: number;
  /** The bad-JSON seqs as a set, rebuilt only when the list grows. */
  badJson: ReadonlySet<number>;
  /** The error seqs as a set, rebuilt only when the list grows. */
  errors: ReadonlySet<number>;
}

// Keyed by the connection's `info` object, which is created once per connection and kept by every
// later version of its view: entries of cleared connections are collected with them.
const entries = new WeakMap<ConnectionInfo, Entry>();

const NO_SEQS: ReadonlySet<number> = new Set();

function entryOf(view: ConnectionView): Entry {
  let entry = entries.get(view.info);
  if (!entry) {
    entry = {
      reassembler: createReassembler({ summaries: true, connection: view.info }),
      pushed: 0,
      badJson: NO_SEQS,
      errors: NO_SEQS,
    };
    entries.set(view.info, entry);
  }
  if (entry.pushed < view.events.length) {
    entry.reassembler.push(view.events.slice(entry.pushed));
    entry.pushed = view.events.length;
  }
  return entry;
}

/** The message the connection's events carry so far; `null` when they are not a known LLM shape. */
export function messageOf(view: ConnectionView): LlmMessage | null {
  return entryOf(view).reassembler.snapshot();
}

/** Whether the connection's shape is settled: recognised, or ruled out (else detection is still waiting for events). */
export function shapeDecidedOf(view: ConnectionView): boolean {
  return entryOf(view).reassembler.decided;
}

/** `seq`s of the connection's events whose data should be JSON for the detected shape but is not. */
export function badJsonSeqsOf(view: ConnectionView): ReadonlySet<number> {
  const entry = entryOf(view);
  const seqs = entry.reassembler.snapshot()?.badJsonSeqs;
  if (seqs && seqs.length !== entry.badJson.size) entry.badJson = new Set(seqs);
  return entry.badJson;
}

/** `seq`s of the connection's events that carry an error (flagged in the event table). */
export function errorSeqsOf(view: ConnectionView): ReadonlySet<number> {
  const entry = entryOf(view);
  const seqs = entry.reassembler.snapshot()?.errorSeqs;
  if (seqs && seqs.length !== entry.errors.size) entry.errors = new Set(seqs);
  return entry.errors;
}

/** What each event of the connection means in one line (the Summary column); by `seq`. */
export function summariesOf(view: ConnectionView): (seq: number) => string | undefined {
  const { reassembler } = entryOf(view);
  return (seq) => reassembler.summaryOf(seq);
}

function viewOf(connectionId: string | null) {
  return (s: PanelState) => (connectionId === null ? undefined : s.capture.connections.get(connectionId));
}

/** The live message of a connection (same object until it changes). */
export function useLlmMessage(connectionId: string | null): LlmMessage | null {
  const select = viewOf(connectionId);
  return usePanelStore((s) => {
    const view = select(s);
    return view ? messageOf(view) : null;
  });
}

/** Whether the connection's shape is settled (see {@link shapeDecidedOf}); `true` without a connection. */
export function useShapeDecided(connectionId: string | null): boolean {
  const select = viewOf(connectionId);
  return usePanelStore((s) => {
    const view = select(s);
    return view ? shapeDecidedOf(view) : true;
  });
}

/** The live set of a connection's events that carry an error (same set until it grows). */
export function useErrorSeqs(connectionId: string | null): ReadonlySet<number> {
  const select = viewOf(connectionId);
  return usePanelStore((s) => {
    const view = select(s);
    return view ? errorSeqsOf(view) : NO_SEQS;
  });
}

/** The live set of a connection's events with broken JSON (same set until it grows). */
export function useBadJsonSeqs(connectionId: string | null): ReadonlySet<number> {
  const select = viewOf(connectionId);
  return usePanelStore((s) => {
    const view = select(s);
    return view ? badJsonSeqsOf(view) : NO_SEQS;
  });
}
