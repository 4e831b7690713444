import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources of the workspace packages, not their dist builds.
    alias: {
      '@borda/numeric': source('./libs/numeric/src/index.ts'),
      '@borda/reward-model': source('./libs/reward-model/src/index.ts'),
      '@borda/dueling-bandit': source('./libs/dueling-bandit/src/index.ts'),
      '@borda/simulator': source('./libs/simulator/src/index.ts'),
      '@borda/cli': source('./apps/cli/src/index.ts'),
    },
  },
  test: {
    include: ['libs/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
