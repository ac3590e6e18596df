/**
 * What the diagnosis of a connection says: findings, each a code, a severity, one sentence, the
 * evidence it rests on and how to fix it. docs/export-format.md documents every code.
 */

/**
 * How bad a finding is.
 * - `error`: clients fail (EventSource refuses the stream, events are lost).
 * - `warning`: works here but is fragile, slow or loses something in common setups.
 * - `info`: worth knowing; nothing is wrong for certain.
 */
export type Severity = 'error' | 'warning' | 'info';

/** Every finding the diagnosis can give (docs/export-format.md, "Diagnostics"). */
export type DiagnosticCode =
  | 'buffered-delivery'
  | 'content-type-not-event-stream'
  | 'charset-not-utf8'
  | 'no-cache-control'
  | 'unterminated-final-event'
  | 'cr-line-endings'
  | 'mixed-line-endings'
  | 'bom-inside-stream'
  | 'unknown-field'
  | 'invalid-retry'
  | 'low-retry'
  | 'id-with-nul'
  | 'non-json-data'
  | 'eventsource-reconnecting'
  | 'idle-without-heartbeat'
  | 'http1-connection-limit'
  | 'connection-limit-protocol-unknown'
  | 'llm-truncated';

/** One thing the diagnosis found about a connection. */
export interface Finding {
  code: DiagnosticCode;
  severity: Severity;
  /** One sentence saying what is wrong and what it costs. */
  message: string;
  /** The facts it rests on: headers, chunk and line numbers, counts, times. */
  evidence: string[];
  /** How to fix it. */
  fix: string;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Whether `a` is worse than `b`. */
export const isWorse = (a: Severity, b: Severity): boolean => RANK[a] > RANK[b];

/** The worst severity among `findings`, or null when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity | null {
  let worst: Severity | null = null;
  for (const finding of findings)
    if (worst === null || isWorse(finding.severity, worst)) worst = finding.severity;
  return worst;
}

/** Findings ordered worst first (stable within a severity). */
export function byWorstFirst(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[b.severity] - RANK[a.severity]);
}
