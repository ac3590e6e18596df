import { eventsToCsv } from '../src/export/csv';
import { buildHar } from '../src/export/har';
import { connectionsToStreamText } from '../src/export/sse-text';
import { buildTimedStream } from '../src/export/timed-stream';
import { buildExportFile, type ExportableConnection } from '../src/export/write-export';

const TOOL = { name: 'SSE DevTools', version: chrome.runtime.getManifest?.().version ?? '0.0.0' };

/**
 * What an export writes: our JSON file, HAR 1.2, events as CSV, the stream as text, or the timed
 * stream (JSON lines, docs/export-format.md).
 */
export type ExportFormat = 'json' | 'har' | 'csv' | 'stream' | 'timed';

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

/** Downloads connections in `format` (see ExportFormat). */
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
    case 'har':
      downloadText(
        `sse-capture-${now}.har`,
        'application/json',
        JSON.stringify(buildHar(connections, { tool: TOOL, includeSecrets }), null, 2),
      );
      break;
    case 'stream':
      downloadText(
        `sse-stream-${now}.txt`,
        'text/plain',
        connectionsToStreamText(connections, includeSecrets),
      );
      break;
    case 'timed':
      downloadText(
        `sse-timed-${now}.jsonl`,
        'application/x-ndjson',
        buildTimedStream(connections, includeSecrets),
      );
      break;
  }
}
