import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'content-scripts/**/*.test.ts',
      'extension/**/*.test.ts',
      'panel/**/*.test.{ts,tsx}',
      'e2e/support/**/*.test.ts',
      'replay/**/*.test.ts',
      'build/**/*.test.ts',
    ],
    environment: 'node',
  },
});
