/**
 * The toolbar (action) icon's two variants, by pixel size: `on` where capture is on for the tab's site
 * (the manifest's `action.default_icon`), `off` dimmed where it is off or cannot run. Both are rendered
 * from extension/icons/icon.svg at build time (build/icons.ts); a unit test checks that `on` is what the
 * manifest declares.
 */
export type ActionIconVariant = 'on' | 'off';

/** Sizes Chrome picks from for the toolbar: 16 px, and 32 px on high-density screens. */
export type ActionIconSize = 16 | 32;

export const ACTION_ICONS: Record<ActionIconVariant, Record<ActionIconSize, string>> = {
  on: { 16: 'icons/icon-16.png', 32: 'icons/icon-32.png' },
  off: { 16: 'icons/icon-off-16.png', 32: 'icons/icon-off-32.png' },
};
