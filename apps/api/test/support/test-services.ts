/**
 * `npm test` on a machine without PostgreSQL or Redis: when nothing answers at the test URLs
 * (TEST_DATABASE_ADMIN_URL, TEST_REDIS_URL, defaulting to this machine's 5432 and 6379), the run
 * starts what `npm start` starts (the embedded PostgreSQL and a redis-server from the PATH, through
 * the launcher's own code) on free ports in a temporary folder, says so, points the test URLs at
 * them (forked test workers inherit the environment), and stops them when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/launcher/postgres';
import { startRedis } from '../../src/launcher/redis';

export const DEFAULT_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Makes sure a database and a Redis answer; returns what stops those it started. */
export async function ensureTestServices(log: (line: string) => void = (l) => console.log(`[test services] ${l}`)) {
  const stops: (() => Promise<void>)[] = [];
  let folder: string | undefined;
  const workFolder = () => (folder ??= mkdtempSync(path.join(tmpdir(), 'borda-test-services-')));
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;
  if (!(await postgresAnswers(adminUrl))) {
    log(`no PostgreSQL answers at ${new URL(adminUrl).host}: starting an embedded one for this run`);
    const database = await startEmbeddedPostgres(workFolder(), await freePort(), log);
    const url = new URL(database.url);
    url.pathname = '/postgres';
    process.env.TEST_DATABASE_ADMIN_URL = url.toString();
    stops.push(() => database.stop());
  }
  const redisUrl = process.env.TEST_REDIS_URL ?? DEFAULT_REDIS_URL;
  if (!(await redisAnswers(redisUrl))) {
    log(`no Redis answers at ${new URL(redisUrl).host}: starting redis-server from the PATH for this run`);
    const redis = await startRedis(workFolder(), await freePort(), log);
    process.env.TEST_REDIS_URL = redis.url;
    stops.push(() => redis.process.stop());
  }
  return async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (folder) rmSync(folder, { recursive: true, force: true });
  };
}
