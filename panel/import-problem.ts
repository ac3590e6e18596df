import type { ImportProblem } from '../src/export/read-export';
import { t } from '../src/i18n';
import { formatBytes, formatCount } from './format';

const INVALID_MESSAGE = {
  export: 'panelImportInvalid',
  har: 'panelImportInvalidHar',
  'timed-stream': 'panelImportInvalidTimedStream',
} as const;

/** The message for a refused import, naming the file (the panel's notice, the replay server's error). */
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
