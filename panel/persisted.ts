/**
 * Small UI preferences kept in `localStorage` (column choice, pane sizes). A value that is missing,
 * unreadable or fails `isValid` gives the fallback: storage is shared with older versions of the panel.
 */
export function loadPreference<T>(key: string, fallback: T, isValid: (value: unknown) => value is T): T {
  try {
    const text = localStorage.getItem(`sse-devtools:${key}`);
    if (text === null) return fallback;
    const value: unknown = JSON.parse(text);
    return isValid(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

export function savePreference(key: string, value: unknown): void {
  try {
    localStorage.setItem(`sse-devtools:${key}`, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the preference lasts until the panel closes.
  }
}
