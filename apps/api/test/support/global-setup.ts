/**
 * Builds a migrated template database once per schema version (named by a hash of the migration
 * SQL); every test file then clones it with CREATE DATABASE … TEMPLATE, which takes milliseconds.
 * Uses this machine's real PostgreSQL (TEST_DATABASE_ADMIN_URL, default the local trust login), or
 * one it starts when none answers (test-services.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { applyMigrations, migrationFiles } from './migrations';
import { DEFAULT_ADMIN_URL, ensureTestServices } from './test-services';

// Read when a test worker imports this module: by then the run's global setup below has pointed the
// variable at a database it started, if it had to.
export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;

export function templateName(): string {
  const hash = createHash('sha256');
  for (const file of migrationFiles()) hash.update(readFileSync(file));
  return `borda_template_${hash.digest('hex').slice(0, 12)}`;
}

export default async function setup({ provide }: { provide: (key: string, value: string) => void }) {
  const stopServices = await ensureTestServices();
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;
  const name = templateName();
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Several test runs may start at once (CI beside a developer's run): one builds, the others wait.
    await admin.query('SELECT pg_advisory_lock(7241001)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${name}_building"`).catch(async () => {
        await admin.query(`DROP DATABASE "${name}_building"`);
        await admin.query(`CREATE DATABASE "${name}_building"`);
      });
      const url = new URL(adminUrl);
      url.pathname = `/${name}_building`;
      const db = new Client({ connectionString: url.toString() });
      await db.connect();
      await applyMigrations(db);
      await db.end();
      await admin.query(`ALTER DATABASE "${name}_building" RENAME TO "${name}"`);
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(7241001)');
    await admin.end();
  }
  provide('templateDatabase', name);
  return stopServices;
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
