/**
 * Deployment settings reach the drivers whole: the DATABASE_URL's query parameters (TLS mode, a Unix
 * socket host, application_name) and a queue prefix that is a Redis Cluster hash tag.
 */
import { existsSync } from 'node:fs';
import { Pool } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/env';
import { pgPoolConfig } from '../src/database/pg-config';
import { PrismaService } from '../src/database/prisma.service';
import { ADMIN_URL } from './support/global-setup';
import { startTestApp, type TestApp, waitFor } from './support/harness';

const baseEnv = { DATABASE_URL: ADMIN_URL, JWT_SECRET: 'x'.repeat(32) };

function withParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

describe('connection strings are passed through whole', () => {
  const pools: Pool[] = [];
  afterAll(async () => {
    for (const pool of pools) await pool.end();
  });
  const pool = (url: string) => {
    const p = new Pool(pgPoolConfig(url, 1));
    p.on('error', () => undefined);
    pools.push(p);
    return p;
  };

  it('keeps application_name and the other parameters of the URL', async () => {
    const { rows } = await pool(withParams(ADMIN_URL, { application_name: 'borda-deploy-test' })).query(
      "SELECT current_setting('application_name') AS name",
    );
    expect(rows[0].name).toBe('borda-deploy-test');
  });

  it('keeps sslmode: asking for TLS reaches the driver (this server has none, so it says so)', async () => {
    const { rows } = await pool(ADMIN_URL).query("SELECT current_setting('ssl') AS ssl");
    const url = withParams(ADMIN_URL, { sslmode: 'no-verify' });
    if (rows[0].ssl === 'on') {
      const tls = await pool(url).query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(tls.rows[0].ssl).toBe(true);
    } else {
      await expect(pool(url).query('SELECT 1')).rejects.toThrow(/does not support SSL/);
    }
  });

  const socketDir = '/var/run/postgresql';
  const port = new URL(ADMIN_URL).port || '5432';
  it.skipIf(!existsSync(`${socketDir}/.s.PGSQL.${port}`))(
    'connects over a Unix socket named by ?host=, through the Prisma client the service uses',
    async () => {
      const u = new URL(ADMIN_URL);
      u.hostname = 'localhost';
      u.searchParams.set('host', socketDir);
      const prisma = new PrismaService(loadConfig({ ...baseEnv, DATABASE_URL: u.toString() }));
      try {
        const rows = await prisma.$queryRawUnsafe<{ addr: string | null }[]>('SELECT inet_server_addr() AS addr');
        // A TCP connection has a server address; a Unix-socket connection has none.
        expect(rows[0].addr).toBeNull();
      } finally {
        await prisma.$disconnect();
      }
    },
  );
});

describe('a Redis Cluster hash tag as the queue prefix', () => {
  let app: TestApp | undefined;
  afterAll(() => app?.close());

  it('accepts {tag} and refuses an unbalanced brace', () => {
    expect(loadConfig({ ...baseEnv, QUEUE_PREFIX: '{borda}' }).queuePrefix).toBe('{borda}');
    expect(() => loadConfig({ ...baseEnv, QUEUE_PREFIX: '{borda' })).toThrow(/QUEUE_PREFIX/);
    expect(() => loadConfig({ ...baseEnv, QUEUE_PREFIX: 'a:b' })).toThrow(/QUEUE_PREFIX/);
  });

  it('keeps every queue key under the tag, so one slot holds each queue', async () => {
    const tag = `{t_tag_${Date.now().toString(36)}}`;
    app = await startTestApp({ workers: true, env: { QUEUE_PREFIX: tag } });
    const researcher = await app.createUser('researcher');
    const created = await app.post('/campaigns', { name: 'tagged', strategy: 'uniform', budget: 10 }, researcher.token);
    expect(created.status, created.text).toBe(201);
    const imported = await app.request('POST', `/campaigns/${created.body.id}/imports`, {
      token: researcher.token,
      body: '{"id":"p1","prompt":"Hi","responses":[{"id":"a","text":"one"},{"id":"b","text":"two"}]}\n',
    });
    expect(imported.status, imported.text).toBe(201);
    // Import queues featurisation: its keys appear under the tag, none outside it.
    const keys = await waitFor(
      async () => {
        const found = await app!.redis.keys(`${tag}:*`);
        return found.length > 0 ? found : null;
      },
      20_000,
      'queue keys under the hash tag',
    );
    expect(keys.every((k) => k.startsWith(`${tag}:`))).toBe(true);
  });
});
