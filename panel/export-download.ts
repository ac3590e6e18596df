import { buildExportFile, type ExportableConnection } from '../src/export/write-export';

const TOOL = { name: 'SSE DevTools', version: chrome.runtime.getManifest?.().version ?? '0.0.0' };

/** Downloads connections as an export file (docs/export-format.md). */
export function downloadExport(connections: readonly ExportableConnection[], includeSecrets: boolean): void {
  const file = buildExportFile(connections, { tool: TOOL, includeSecrets });
  const blob = new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `sse-capture-${file.exportedAt.replace(/[:.]/g, '-')}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
