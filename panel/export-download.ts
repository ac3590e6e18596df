import { eventsToCsv } from '../src/export/csv';
import { connectionsToStreamText } from '../src/export/sse-text';
import { buildExportFile, type ExportableConnection } from '../src/export/write-export';

const TOOL = { name: 'SSE DevTools', version: chrome.runtime.getManifest?.().version ?? '0.0.0' };

/** What an export writes. */
export type ExportFormat = 'json' | 'csv' | 'stream';

/** Saves `text` as a download named `fileName`. */
function downloadText(fileName: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const stamp = (date: Date) => date.toISOString().replace(/[:.]/g, '-');

/** Downloads connections as an export file (docs/export-format.md). */
export function downloadExport(connections: readonly ExportableConnection[], includeSecrets: boolean): void {
  const file = buildExportFile(connections, { tool: TOOL, includeSecrets });
  downloadText(
    `sse-capture-${stamp(new Date(file.exportedAt))}.json`,
    'application/json',
    JSON.stringify(file, null, 2),
  );
}

/** Downloads connections in `format`: the JSON export, their events as CSV, or their streams as text. */
export function downloadConnections(
  connections: readonly ExportableConnection[],
  format: ExportFormat,
  includeSecrets: boolean,
): void {
  const now = stamp(new Date());
  switch (format) {
    case 'json':
      downloadExport(connections, includeSecrets);
      break;
    case 'csv':
      downloadText(`sse-events-${now}.csv`, 'text/csv', eventsToCsv(connections, includeSecrets));
      break;
    case 'stream':
      downloadText(
        `sse-stream-${now}.txt`,
        'text/plain',
        connectionsToStreamText(connections, includeSecrets),
      );
      break;
  }
}
