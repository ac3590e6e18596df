import { type ChangeEvent, useRef, useState } from 'react';
import { t } from '../../src/i18n';
import { DEFAULT_RELAY_LIMITS } from '../../src/limits';
import { connectionsNotKeptOf } from '../capture-model';
import { formatCount } from '../format';
import { importFile } from '../import-file';
import { usePanelStore } from '../store';
import { ExportMenu } from './ExportMenu';
import { OverridesButton } from './OverridesPane';
import { SearchAll } from './SearchAll';

const LINK_LABEL = {
  connecting: 'panelLinkConnecting',
  connected: 'panelLinkConnected',
  reconnecting: 'panelLinkReconnecting',
} as const;

export function Toolbar() {
  const link = usePanelStore((s) => s.link);
  const count = usePanelStore((s) => s.capture.order.length);
  const notCaptured = usePanelStore((s) => connectionsNotKeptOf(s.capture));
  const clear = usePanelStore((s) => s.clear);
  const recording = usePanelStore((s) => s.recording);
  const setRecording = usePanelStore((s) => s.setRecording);
  const preserveLog = usePanelStore((s) => s.preserveLog);
  const setSettingsOpen = usePanelStore((s) => s.setSettingsOpen);
  const setPreserveLog = usePanelStore((s) => s.setPreserveLog);
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    // Reset, so that choosing the same file again imports it again.
    event.target.value = '';
    if (file) void importFile(file);
  }

  return (
    <div className="toolbar" role="toolbar" aria-label={t('panelToolbarLabel')}>
      <button
        type="button"
        className={recording ? 'icon record recording' : 'icon record'}
        aria-pressed={recording}
        aria-label={t('panelRecord')}
        title={recording ? t('panelRecordStopTitle') : t('panelRecordStartTitle')}
        onClick={() => setRecording(!recording)}
      />
      <button type="button" onClick={clear} title={t('panelClearTitle')}>
        {t('panelClear')}
      </button>
      <label className="check" title={t('panelPreserveLogTitle')}>
        <input type="checkbox" checked={preserveLog} onChange={(e) => setPreserveLog(e.target.checked)} />
        {t('panelPreserveLog')}
      </label>
      <span className="divider" />
      <SearchAll />
      <span className="divider" />
      <ExportMenu includeSecrets={includeSecrets} />
      <label className="check" title={t('panelIncludeSecretsTitle')}>
        <input
          type="checkbox"
          checked={includeSecrets}
          onChange={(e) => setIncludeSecrets(e.target.checked)}
        />
        {t('panelIncludeSecrets')}
      </label>
      <button type="button" onClick={() => fileInput.current?.click()} title={t('panelImportTitle')}>
        {t('panelImport')}
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,.har,.jsonl,application/json"
        hidden
        aria-label={t('panelImport')}
        onChange={onFile}
      />
      <OverridesButton />
      <span className="spacer" />
      <span className="summary">{t('panelStreamCount', formatCount(count))}</span>
      {notCaptured > 0 && (
        <span
          className="summary not-kept"
          title={t('panelStreamsNotKeptTitle', formatCount(DEFAULT_RELAY_LIMITS.maxOpenConnections))}
        >
          {t('panelStreamsNotKept', formatCount(notCaptured))}
        </span>
      )}
      <span className={`link-status link-${link}`} role="status">
        {t(LINK_LABEL[link])}
      </span>
      <button
        type="button"
        className="icon settings"
        aria-label={t('panelSettings')}
        aria-haspopup="dialog"
        title={t('panelSettings')}
        onClick={() => setSettingsOpen(true)}
      >
        ⚙
      </button>
    </div>
  );
}
