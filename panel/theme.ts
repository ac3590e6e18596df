/** The panel's colour theme. */
export type Theme = 'light' | 'dark';

/**
 * Inside DevTools the panel follows DevTools' own theme (`chrome.devtools.panels.themeName` is `dark`
 * or `default`); opened as a tab it follows the system (`prefers-color-scheme`).
 */
export function resolveTheme(devtoolsThemeName: string | undefined, prefersDark: boolean): Theme {
  if (devtoolsThemeName !== undefined) return devtoolsThemeName === 'dark' ? 'dark' : 'light';
  return prefersDark ? 'dark' : 'light';
}

/** Sets `data-theme` on the root element now and whenever the theme changes. Returns a stop function. */
export function followTheme(root: HTMLElement): () => void {
  const panels = globalThis.chrome?.devtools?.panels;
  const media = matchMedia('(prefers-color-scheme: dark)');
  let devtoolsTheme: string | undefined = panels?.themeName;
  const apply = () => {
    root.dataset.theme = resolveTheme(devtoolsTheme, media.matches);
  };
  apply();
  // Available since Chrome 99; DevTools calls it when the user switches its theme.
  panels?.setThemeChangeHandler?.((theme) => {
    devtoolsTheme = theme;
    apply();
  });
  media.addEventListener('change', apply);
  return () => {
    media.removeEventListener('change', apply);
    panels?.setThemeChangeHandler?.();
  };
}
