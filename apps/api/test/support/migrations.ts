/**
 * The committed migrations as SQL files in apply order (their folder names start with a UTC
 * timestamp). Tests and benchmarks apply them with `pg` directly: the same SQL `prisma migrate
 * deploy` runs, without starting the CLI for every scratch database.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';

const MIGRATIONS = path.resolve(__dirname, '../../../../prisma/migrations');

export function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => path.join(MIGRATIONS, name, 'migration.sql'));
}

export async function applyMigrations(db: Client): Promise<void> {
  for (const file of migrationFiles()) await db.query(readFileSync(file, 'utf8'));
}
