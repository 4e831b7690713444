import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the TypeScript sources of the workspace packages, not their dist builds.
const alias = {
  '@borda/numeric': source('./libs/numeric/src/index.ts'),
  '@borda/api-contract': source('./libs/api-contract/src/index.ts'),
  '@borda/reward-model': source('./libs/reward-model/src/index.ts'),
  '@borda/dueling-bandit': source('./libs/dueling-bandit/src/index.ts'),
  '@borda/simulator': source('./libs/simulator/src/index.ts'),
  '@borda/cli': source('./apps/cli/src/index.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          // The pure libraries first, then the service (whose files each boot the API against Postgres and Redis).
          sequence: { groupOrder: 0 },
          include: ['libs/*/test/**/*.test.ts', 'apps/cli/test/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        // The labeler app's components, in jsdom against a scripted API (the browser tests are in e2e).
        plugins: [react()],
        resolve: { alias },
        test: {
          name: 'labeler',
          sequence: { groupOrder: 0 },
          include: ['apps/labeler/test/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['apps/labeler/test/setup.ts'],
          testTimeout: 30_000,
          pool: 'forks',
        },
      },
      {
        // The service: Nest's dependency injection needs decorator metadata, which esbuild does not emit.
        plugins: [swc.vite({ module: { type: 'es6' } })],
        resolve: { alias },
        test: {
          name: 'api',
          sequence: { groupOrder: 1 },
          include: ['apps/api/test/**/*.test.ts'],
          globalSetup: ['apps/api/test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          // Each file gets its own database and queue prefix, but the machine has two cores.
          maxWorkers: 2,
        },
      },
      {
        // The built labeler app in real headless Chromium against the real API, database and workers.
        plugins: [swc.vite({ module: { type: 'es6' } })],
        resolve: { alias },
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['apps/labeler/e2e/**/*.e2e.test.ts'],
          globalSetup: ['apps/api/test/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
          // A browser, the API and its workers per file already fill two cores.
          maxWorkers: 1,
        },
      },
    ],
  },
});
