/** The panel's limits (src/limits.ts PanelLimits) as the user set them, kept in the panel's storage. */
import { DEFAULT_PANEL_LIMITS, PANEL_LIMIT_RANGES, type PanelLimits } from '../src/limits';
import { loadPreference, savePreference } from './persisted';

const STORAGE_KEY = 'limits';
const KEYS = Object.keys(PANEL_LIMIT_RANGES) as (keyof PanelLimits)[];

/** True when `value` is an integer within the range the user may set `key` to. */
export function isLimitInRange(key: keyof PanelLimits, value: number): boolean {
  const { min, max } = PANEL_LIMIT_RANGES[key];
  return Number.isInteger(value) && value >= min && value <= max;
}

function isPanelLimits(value: unknown): value is PanelLimits {
  if (typeof value !== 'object' || value === null) return false;
  const limits = value as Record<string, unknown>;
  return KEYS.every((key) => typeof limits[key] === 'number' && isLimitInRange(key, limits[key] as number));
}

/** The saved limits, or the defaults when none were saved or they are out of range (an older panel's). */
export function loadPanelLimits(): PanelLimits {
  return loadPreference(STORAGE_KEY, DEFAULT_PANEL_LIMITS, isPanelLimits);
}

export function savePanelLimits(limits: PanelLimits): void {
  savePreference(STORAGE_KEY, limits);
}
