/**
 * `npm test` brings its own PostgreSQL and Redis when none answers at the test URLs, as `npm start`
 * does: this drives the global setup's helper against addresses where nothing listens.
 */
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTestServices } from './support/test-services';

describe('test services', () => {
  const saved = { db: process.env.TEST_DATABASE_ADMIN_URL, redis: process.env.TEST_REDIS_URL };
  afterEach(() => {
    for (const [key, value] of [
      ['TEST_DATABASE_ADMIN_URL', saved.db],
      ['TEST_REDIS_URL', saved.redis],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('starts an embedded PostgreSQL and a redis-server when nothing answers, says so, and stops them', async () => {
    process.env.TEST_DATABASE_ADMIN_URL = 'postgresql://postgres@127.0.0.1:1/postgres';
    process.env.TEST_REDIS_URL = 'redis://127.0.0.1:1';
    const said: string[] = [];
    const stop = await ensureTestServices((line) => said.push(line));
    const databaseUrl = process.env.TEST_DATABASE_ADMIN_URL;
    const redisUrl = process.env.TEST_REDIS_URL;
    try {
      expect(said.join('\n')).toMatch(/no PostgreSQL answers at 127\.0\.0\.1:1: starting an embedded one/);
      expect(said.join('\n')).toMatch(/no Redis answers at 127\.0\.0\.1:1: starting redis-server/);
      expect(databaseUrl).not.toContain(':1/');
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await client.end();
      const redis = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
      expect(await redis.ping()).toBe('PONG');
      redis.disconnect();
    } finally {
      await stop();
    }
    const gone = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2000 });
    gone.on('error', () => undefined);
    await expect(gone.connect()).rejects.toThrow();
  });

  it('starts nothing when both answer', async () => {
    const said: string[] = [];
    const stop = await ensureTestServices((line) => said.push(line));
    await stop();
    expect(said).toEqual([]);
  });
});
