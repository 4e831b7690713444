/**
 * Prisma CLI configuration: migrations run in the bundled WebAssembly schema engine through the
 * pg driver adapter, because the native schema engine cannot be downloaded offline
 * (no host but the npm registry is reachable). Set PRISMA_SCHEMA_ENGINE_BINARY=/bin/false so the CLI skips the download.
 */
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { pgPoolConfig } from './apps/api/src/database/pg-config';

const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/borda';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  // A CLI command needs its connections only while it runs.
  adapter: async () => new PrismaPg({ ...pgPoolConfig(databaseUrl), idleTimeoutMillis: 100 }),
});
