import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'simulation-output/**', 'bench/results/**'] },
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
);
