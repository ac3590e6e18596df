import { IMPORT_LIMITS, type ImportProblem, readExportText } from '../src/export/read-export';
import { t } from '../src/i18n';
import { formatBytes, formatCount } from './format';
import { usePanelStore } from './store';

const INVALID_MESSAGE = {
  export: 'panelImportInvalid',
  har: 'panelImportInvalidHar',
  'timed-stream': 'panelImportInvalidTimedStream',
} as const;

/** The message for a refused import, naming the file. */
export function importProblemText(fileName: string, problem: ImportProblem): string {
  switch (problem.reason) {
    case 'too-large':
      return t('panelImportTooLarge', fileName, formatBytes(problem.size), formatBytes(problem.limit));
    case 'not-json':
      return t('panelImportNotJson', fileName, problem.detail);
    case 'foreign':
      return t('panelImportForeign', fileName);
    case 'no-streams':
      return t('panelImportNoStreams', fileName, formatCount(problem.entries));
    case 'unsupported-version':
      return t('panelImportVersion', fileName, problem.version);
    case 'too-many':
      return t(
        problem.what === 'connections' ? 'panelImportTooManyConnections' : 'panelImportTooManyRecords',
        fileName,
        formatCount(problem.count),
        formatCount(problem.limit),
      );
    case 'invalid':
      return t(INVALID_MESSAGE[problem.format], fileName, problem.detail);
  }
}

/**
 * Imports an export file the user picked: shown apart from live data, read-only. A refused file changes
 * nothing but the notice, which says why.
 */
export async function importFile(file: File): Promise<void> {
  const store = usePanelStore.getState();
  // Refuse before reading a file too big to hold, not after.
  const text = file.size > IMPORT_LIMITS.maxBytes ? '' : await file.text();
  const result = readExportText(text, file.size);
  if (!result.ok) {
    store.setNotice({ kind: 'error', text: importProblemText(file.name, result.problem) });
    return;
  }
  store.importConnections(file.name, result.connections);
  store.setNotice({
    kind: 'info',
    text:
      result.connections.length === 1
        ? t('panelImportedOne', file.name)
        : t('panelImported', file.name, formatCount(result.connections.length)),
  });
}
