import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { type ExportFile, exportFileSchema } from '../../src/export/schema';

/** Rows of the connection list. */
export const connectionRows = (panel: Page) => panel.locator('tr[data-connection-id]');

/** Rendered rows of the event table (the table is virtualised: only rows in view are in the DOM). */
export const eventRows = (panel: Page) => panel.locator('table.events tbody tr:not(.spacer)');

/** The rendered event rows as `[id, type, data]` triples. */
export async function eventCells(panel: Page): Promise<string[][]> {
  return eventRows(panel).evaluateAll((rows) =>
    rows.map((row) =>
      ['td.id', 'td.type', 'td.data'].map((cell) => row.querySelector(cell)?.textContent ?? ''),
    ),
  );
}

/** Exports all connections as JSON (Export ▸ All connections · JSON), reads the file, checks it against the schema. */
export async function exportFromPanel(panel: Page): Promise<ExportFile> {
  await panel.getByRole('button', { name: /^Export/ }).click();
  const [download] = await Promise.all([
    panel.waitForEvent('download'),
    panel.getByRole('menuitem', { name: 'All connections · JSON' }).click(),
  ]);
  const path = await download.path();
  return exportFileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
}

/** Picks the file at `path` in the panel's Import file chooser. */
export async function importFileInPanel(panel: Page, path: string): Promise<void> {
  const [chooser] = await Promise.all([
    panel.waitForEvent('filechooser'),
    panel.getByRole('button', { name: 'Import' }).click(),
  ]);
  await chooser.setFiles(path);
}
