import { redactUrl } from './redact';
import type { ExportableConnection } from './write-export';

/** Columns of the events CSV, in order. */
export const CSV_COLUMNS = [
  'connection',
  'url',
  'seq',
  'kind',
  'id',
  'type',
  'time',
  'elapsedMs',
  'data',
  'truncatedFrom',
] as const;

/**
 * A cell that a spreadsheet would run as a formula (OWASP "CSV injection": `=`, `+`, `-`, `@`, tab,
 * CR) gets a leading `'`: the data comes from the page and must stay inert when the file is opened.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  // RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside.
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Every timeline record of `connections` as CSV (RFC 4180, CRLF line ends, a header row): one row per
 * event, comment or retry record, with its connection's id and URL (its secret parameters redacted
 * unless `includeSecrets`).
 */
export function eventsToCsv(connections: readonly ExportableConnection[], includeSecrets = false): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const { info, records } of connections) {
    const url = redactUrl(info.url, includeSecrets);
    for (const record of records) {
      lines.push(
        [
          cell(info.id),
          cell(url),
          cell(record.seq),
          cell(record.kind),
          cell(record.id),
          cell(record.type),
          // Empty where the file the connection came from did not say when (a HAR): never made up.
          cell(info.timesUnknown ? '' : new Date(record.time).toISOString()),
          cell(info.timesUnknown ? '' : Math.round((record.time - info.startedAt) * 1000) / 1000),
          cell(record.data),
          cell(record.truncatedFrom ?? ''),
        ].join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
