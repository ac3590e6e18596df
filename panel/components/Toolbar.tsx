import { useState } from 'react';
import { downloadExport } from '../export-download';
import { usePanelStore } from '../store';

const LINK_LABEL = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
} as const;

export function Toolbar() {
  const link = usePanelStore((s) => s.link);
  const count = usePanelStore((s) => s.capture.order.length);
  const clear = usePanelStore((s) => s.clear);
  const preserveLog = usePanelStore((s) => s.preserveLog);
  const setPreserveLog = usePanelStore((s) => s.setPreserveLog);
  const [includeSecrets, setIncludeSecrets] = useState(false);

  function exportAll() {
    const { capture } = usePanelStore.getState();
    const connections = capture.order.flatMap((id) => {
      const view = capture.connections.get(id);
      return view ? [view] : [];
    });
    downloadExport(connections, includeSecrets);
  }

  return (
    <div className="toolbar" role="toolbar" aria-label="SSE toolbar">
      <button type="button" onClick={clear} title="Clear all captured streams">
        Clear
      </button>
      <label className="check" title="Keep streams when the inspected page navigates or reloads">
        <input type="checkbox" checked={preserveLog} onChange={(e) => setPreserveLog(e.target.checked)} />
        Preserve log
      </label>
      <span className="divider" />
      <button
        type="button"
        onClick={exportAll}
        disabled={count === 0}
        title="Download all connections as JSON"
      >
        Export JSON
      </button>
      <label className="check" title="Keep Authorization, Cookie and API-key header values in the export">
        <input
          type="checkbox"
          checked={includeSecrets}
          onChange={(e) => setIncludeSecrets(e.target.checked)}
        />
        Include secrets
      </label>
      <span className="spacer" />
      <span className="summary">
        {count} {count === 1 ? 'stream' : 'streams'}
      </span>
      <span className={`link-status link-${link}`} role="status">
        {LINK_LABEL[link]}
      </span>
    </div>
  );
}
