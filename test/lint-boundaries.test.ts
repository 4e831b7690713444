/**
 * The learning code stays pure: ESLint refuses framework, database and queue imports inside libs/*
 * (eslint.config.mjs) while the apps may use them.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: `${__dirname}/..` });

async function restrictedImportErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('package boundaries', () => {
  for (const source of ['@nestjs/common', '@prisma/client', 'bullmq', '@nestjs/bullmq']) {
    it(`refuses ${source} inside libs/*`, async () => {
      const errors = await restrictedImportErrors(
        `import * as x from '${source}';\nexport const y = x;\n`,
        'libs/reward-model/src/forbidden.ts',
      );
      expect(errors.length).toBeGreaterThan(0);
    });
  }

  it('lets an app import them', async () => {
    const errors = await restrictedImportErrors(
      `import * as x from '@nestjs/common';\nexport const y = x;\n`,
      'apps/cli/src/allowed.ts',
    );
    expect(errors).toEqual([]);
  });
});
