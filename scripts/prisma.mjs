#!/usr/bin/env node
/**
 * Runs the Prisma CLI offline: the native engines cannot be downloaded here, and with the js
 * engine (prisma.config.ts) they are never run, so point Prisma at a stand-in file.
 * Usage: node scripts/prisma.mjs generate | migrate deploy | migrate diff …
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false',
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? '/bin/false',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
  // `generate` reads no database, but the schema's datasource needs a syntactically valid URL.
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/borda',
};
const preload = new URL('./prisma-unref-timers.cjs', import.meta.url).pathname;
const result = spawnSync(process.execPath, ['--require', preload, cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
