interface ImportMetaEnv {
  /**
   * Which browser the content scripts are built for (vite.config.ts); undefined outside a build
   * (unit tests), which means Chrome. Only where the browsers' own objects behave differently.
   */
  readonly SSE_BROWSER?: 'chrome' | 'firefox';
}
