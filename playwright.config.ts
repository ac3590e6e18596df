import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the built extension (`dist/`) in the system Chromium (see
 * e2e/support/fixtures.ts); no Playwright browser download is used, so there are no `projects`.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  // One Chromium at a time: on the 2-core CI machines parallel browsers starve each other and time out.
  workers: 1,
  fullyParallel: false,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  retries: 0,
  forbidOnly: !!process.env.CI,
  // A subfolder, because Playwright empties its outputDir at start and .ci/run keeps the unit results
  // in test-results/ too.
  outputDir: 'test-results/e2e-artifacts',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  use: { trace: 'retain-on-failure' },
});
