import js from '@eslint/js';
import globals from 'globals';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Only repository classes touch Prisma (and the database module that provides the client).
const ONLY_REPOSITORIES_USE_PRISMA = {
  group: ['**/database/prisma.service', '**/generated/prisma/*', '@prisma/*'],
  message: 'only *.repository.ts files may use Prisma; import types from ../database instead.',
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'apps/api/src/generated/**',
      'coverage/**',
      'simulation-output/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The learning code is pure: no framework, database or queue inside libs/*.
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*'], message: 'libs/* must not depend on NestJS: keep the learning code pure.' },
            { group: ['@prisma/*', 'prisma'], message: 'libs/* must not touch the database.' },
            { group: ['bullmq', 'bull', '@nestjs/bullmq'], message: 'libs/* must not depend on the queue.' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/**/*.repository.ts', 'apps/api/src/database/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [ONLY_REPOSITORIES_USE_PRISMA],
        },
      ],
    },
  },
  {
    // The HTTP process never fits a model: learning code is reachable only from the worker side.
    files: ['apps/api/src/**/*.ts'],
    ignores: [
      'apps/api/src/workers/**',
      'apps/api/src/learning/**',
      'apps/api/src/jobs/reconcile.service.ts',
      'apps/api/src/simulations/simulation.processor.ts',
      'apps/api/src/simulations/simulation-worker.module.ts',
      'apps/api/src/worker.module.ts',
      'apps/api/src/bootstrap.ts',
      'apps/api/src/**/*.repository.ts',
      'apps/api/src/database/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ONLY_REPOSITORIES_USE_PRISMA,
            {
              group: ['**/learning/*', '**/workers/*', '@borda/cli'],
              message: 'HTTP-side code must not run learning code: enqueue a job (JobChain / JobDispatcher) instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // The labeler app runs in the browser: hooks rules and accessibility checks on every component.
    files: ['apps/labeler/**/*.{ts,tsx}'],
    ignores: ['apps/labeler/vite.config.ts', 'apps/labeler/e2e/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: { ...reactHooks.configs.recommended.rules, ...jsxA11y.flatConfigs.recommended.rules },
  },
  {
    // Tests read JSON bodies of many shapes; typing each would add noise, not safety.
    files: ['**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
