import type { Finding, Severity } from '../../src/diagnosis';
import { type MessageKey, t } from '../../src/i18n';
import { useCaptureDiagnosis } from '../connection-diagnosis';
import { usePanelStore } from '../store';
import './diagnosis-view.css';

export const SEVERITY_LABEL: Record<Severity, MessageKey> = {
  error: 'diagnosisError',
  warning: 'diagnosisWarning',
  info: 'diagnosisInfo',
};

// Glyphs the system fonts of every platform have (an emoji may render as a box).
export const SEVERITY_ICON: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };

/**
 * What is wrong with the selected connection's stream: each finding with its severity, one sentence,
 * the evidence and how to fix it, worst first. Says which checks could not be made (no chunks).
 */
export function DiagnosisView() {
  const connectionId = usePanelStore((s) => s.selectedConnectionId);
  const view = usePanelStore((s) =>
    s.selectedConnectionId ? s.capture.connections.get(s.selectedConnectionId) : undefined,
  );
  const diagnosis = useCaptureDiagnosis();
  if (!view || connectionId === null)
    return <div className="events-empty">{t('diagnosisSelectConnection')}</div>;
  const findings = diagnosis.get(connectionId) ?? [];
  const eventSource = view.info.transport === 'eventsource';
  const limits = eventSource
    ? t('diagnosisEventSourceLimits')
    : view.chunks.length > 0 || (view.records.length === 0 && !view.end)
      ? null
      : t('diagnosisNoChunks');
  return (
    <div className="diagnosis-view scroll">
      {findings.length === 0 ? (
        <p className="diagnosis-none">{view.end ? t('diagnosisNone') : t('diagnosisNoneYet')}</p>
      ) : (
        <ul className="findings" aria-label={t('diagnosisTab')}>
          {findings.map((finding) => (
            <FindingItem key={`${finding.code}:${finding.message}`} finding={finding} />
          ))}
        </ul>
      )}
      {limits && <p className="diagnosis-limits">{limits}</p>}
    </div>
  );
}

function FindingItem({ finding }: { finding: Finding }) {
  return (
    <li className={`finding severity-${finding.severity}`} data-code={finding.code}>
      <header>
        <span className="finding-severity" role="img" aria-label={t(SEVERITY_LABEL[finding.severity])}>
          {SEVERITY_ICON[finding.severity]}
        </span>
        <code className="finding-code">{finding.code}</code>
      </header>
      <p className="finding-message">{finding.message}</p>
      {finding.evidence.length > 0 && (
        <section aria-label={t('diagnosisEvidence')}>
          <h4>{t('diagnosisEvidence')}</h4>
          <ul className="finding-evidence">
            {finding.evidence.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      )}
      <section aria-label={t('diagnosisFix')}>
        <h4>{t('diagnosisFix')}</h4>
        <p className="finding-fix">{finding.fix}</p>
      </section>
    </li>
  );
}
