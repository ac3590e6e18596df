/** The settings in `chrome.storage.local`: read, and changed one step at a time. */
import {
  applySettingsChange,
  parseSettings,
  SETTINGS_STORAGE_KEY,
  type Settings,
  type SettingsChange,
} from '../../src/settings';

/** The stored settings (the defaults at install); a malformed store is repaired as `parseSettings` says. */
export async function loadSettings(): Promise<Settings> {
  const stored = await chrome.storage.local.get(SETTINGS_STORAGE_KEY);
  return parseSettings(stored[SETTINGS_STORAGE_KEY]);
}

let writing: Promise<unknown> = Promise.resolve();

/**
 * Applies `change` to the stored settings and resolves with the result. Changes run one after the
 * other, each reading what the previous one wrote, so two pages changing settings at once lose nothing.
 */
export function changeSettings(change: SettingsChange): Promise<Settings> {
  const result = writing.then(async () => {
    const next = applySettingsChange(await loadSettings(), change);
    await chrome.storage.local.set({ [SETTINGS_STORAGE_KEY]: next });
    return next;
  });
  writing = result.catch(() => undefined);
  return result;
}

/** Calls `listener` whenever the stored settings change, from this context or any other. */
export function onSettingsStored(listener: () => void): void {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && SETTINGS_STORAGE_KEY in changes) listener();
  });
}
