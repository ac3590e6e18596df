/**
 * The diagnosis of captured connections: what is wrong with each stream and how to fix it. Pure:
 * connections in, findings out. docs/export-format.md documents every code.
 */
export {
  type ConnectionSpan,
  connectionLimitFindings,
  HTTP1_CONNECTIONS_PER_ORIGIN,
  protocolOf,
} from './connection-limit';
export {
  BURST_EVENTS,
  BURST_GAP_MS,
  createDiagnoser,
  type Diagnoser,
  type DiagnosisInput,
  diagnose,
  IDLE_MS,
  LOW_RETRY_MS,
  meantField,
  RECONNECTS,
} from './diagnoser';
export {
  byWorstFirst,
  type DiagnosticCode,
  type Finding,
  isWorse,
  type Severity,
  worstSeverity,
} from './types';

import { connectionLimitFindings } from './connection-limit';
import { type DiagnosisInput, diagnose } from './diagnoser';
import { byWorstFirst, type Finding } from './types';

/** Every connection's findings, worst first, the tab-wide connection limit included. */
export function diagnoseAll(inputs: readonly DiagnosisInput[]): Map<string, Finding[]> {
  const limit = connectionLimitFindings(inputs);
  const out = new Map<string, Finding[]>();
  for (const input of inputs) {
    const findings = diagnose(input);
    const crowded = limit.get(input.info.id);
    if (crowded) findings.push(crowded);
    out.set(input.info.id, byWorstFirst(findings));
  }
  return out;
}
