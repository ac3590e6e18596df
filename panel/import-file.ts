import { IMPORT_LIMITS, readExportText } from '../src/export/read-export';
import { t } from '../src/i18n';
import { formatCount } from './format';
import { importProblemText } from './import-problem';
import { usePanelStore } from './store';

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
