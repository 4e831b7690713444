/**
 * Prisma CLI configuration: migrations run in the bundled WebAssembly schema engine through the
 * pg driver adapter, because the native schema engine cannot be downloaded offline
 * (shared/docs/environment.md). Set PRISMA_SCHEMA_ENGINE_BINARY=/bin/false so the CLI skips the download.
 */
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/borda';

function poolConfig(url: string) {
  // Explicit fields: pg lets a connection string override `database`.
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: u.pathname.replace(/^\//, '') || 'postgres',
    // The CLI exits only when the pool is empty: do not keep idle connections for pg's default 10 s.
    idleTimeoutMillis: 100,
  };
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => new PrismaPg(poolConfig(databaseUrl)),
});
