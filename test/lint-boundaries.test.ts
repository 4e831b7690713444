/**
 * The learning code stays pure: ESLint refuses framework, database and queue imports inside libs/*
 * (eslint.config.mjs) while the apps may use them; inside the service only repositories touch Prisma
 * and only the worker side runs learning code.
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

  const importing = (source: string) => `import * as x from '${source}';\nexport const y = x;\n`;

  it('lets only repositories touch Prisma in the service', async () => {
    expect(
      await restrictedImportErrors(importing('../database/prisma.service'), 'apps/api/src/campaigns/x.service.ts'),
    ).not.toEqual([]);
    expect(
      await restrictedImportErrors(importing('../generated/prisma/client'), 'apps/api/src/labeling/x.ts'),
    ).not.toEqual([]);
    expect(
      await restrictedImportErrors(importing('../database/prisma.service'), 'apps/api/src/campaigns/x.repository.ts'),
    ).toEqual([]);
  });

  it('keeps learning code out of the HTTP side of the service', async () => {
    expect(
      await restrictedImportErrors(importing('../learning/model-factory'), 'apps/api/src/models/x.service.ts'),
    ).not.toEqual([]);
    expect(
      await restrictedImportErrors(importing('../workers/featurize.processor'), 'apps/api/src/campaigns/x.ts'),
    ).not.toEqual([]);
    expect(
      await restrictedImportErrors(importing('../learning/model-factory'), 'apps/api/src/workers/x.processor.ts'),
    ).toEqual([]);
  });
});
