/**
 * The diagnosis (src/diagnosis) of the panel's connections, kept up to date incrementally: each
 * connection has one diagnoser, pushed only what was added since it was last asked, and its findings
 * are derived again only when its view changed (`version`).
 */
import { useMemo } from 'react';
import type { ChunkScan } from '../src/chunks/chunk-scan';
import {
  byWorstFirst,
  connectionLimitFindings,
  createDiagnoser,
  type Diagnoser,
  type Finding,
} from '../src/diagnosis';
import type { ConnectionInfo } from '../src/model';
import type { CaptureModel, ConnectionView } from './capture-model';
import { usePanelStore } from './store';

interface Entry {
  diagnoser: Diagnoser;
  version: number;
  findings: Finding[];
}

// Keyed by the connection's `info`, created once per connection and kept by every later version of
// its view: entries of cleared connections are collected with them.
const entries = new WeakMap<ConnectionInfo, Entry>();

function entryOf(view: ConnectionView): Entry {
  let entry = entries.get(view.info);
  if (!entry) {
    entry = { diagnoser: createDiagnoser(view.info), version: -1, findings: [] };
    entries.set(view.info, entry);
  }
  if (entry.version !== view.version) {
    entry.diagnoser.push(view.records, view.chunks);
    entry.findings = entry.diagnoser.findings(view.info, view.end);
    entry.version = view.version;
  }
  return entry;
}

/** What the connection's chunks say (which records each completed…); null when its chunks are unknown. */
export function chunkScanOf(view: ConnectionView): ChunkScan | null {
  return entryOf(view).diagnoser.scan;
}

// The same merged list while neither part changed, so memoised rows do not render again.
const merged = new WeakMap<Finding[], { limit: string; findings: Finding[] }>();

function withLimit(own: Finding[], limit: Finding | undefined): Finding[] {
  if (!limit) return own;
  const key = `${limit.code}\n${limit.message}`;
  const known = merged.get(own);
  if (known?.limit === key) return known.findings;
  const findings = byWorstFirst([...own, limit]);
  merged.set(own, { limit: key, findings });
  return findings;
}

// The connection limit changes only when a connection starts or ends: computed again only then.
let lastLimit: { signature: string; findings: Map<string, Finding> } | null = null;

function limitFindingsOf(views: readonly ConnectionView[]): Map<string, Finding> {
  let ended = 0;
  for (const view of views) if (view.end) ended++;
  const signature = `${views.length}:${ended}:${views[0]?.info.id ?? ''}:${views.at(-1)?.info.id ?? ''}`;
  if (lastLimit?.signature !== signature) {
    lastLimit = {
      signature,
      findings: connectionLimitFindings(views.map((view) => ({ info: view.info, end: view.end }))),
    };
  }
  return lastLimit.findings;
}

/** Every connection's findings, worst first, by connection key (the tab-wide connection limit included). */
export function diagnoseCapture(capture: CaptureModel): ReadonlyMap<string, Finding[]> {
  const views = capture.order.flatMap((key) => {
    const view = capture.connections.get(key);
    return view ? [{ key, view }] : [];
  });
  const limit = limitFindingsOf(views.map(({ view }) => view));
  const out = new Map<string, Finding[]>();
  for (const { key, view } of views) {
    const own = entryOf(view).findings;
    out.set(key, withLimit(byWorstFirstOnce(own), limit.get(view.info.id)));
  }
  return out;
}

const sorted = new WeakMap<Finding[], Finding[]>();
function byWorstFirstOnce(findings: Finding[]): Finding[] {
  let out = sorted.get(findings);
  if (!out) {
    out = byWorstFirst(findings);
    sorted.set(findings, out);
  }
  return out;
}

/** The findings of every connection of the panel, by key, recomputed when the capture changes. */
export function useCaptureDiagnosis(): ReadonlyMap<string, Finding[]> {
  const capture = usePanelStore((s) => s.capture);
  return useMemo(() => diagnoseCapture(capture), [capture]);
}
