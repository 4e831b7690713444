/**
 * A dependency that goes away gives fast 503s with a code, not 500s or hanging requests: PostgreSQL
 * and Redis are reached through proxies the test cuts and restores.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { dependencyOutage } from '../src/errors/dependency-outage';
import { ADMIN_URL } from './support/global-setup';
import { REDIS_URL, startTestApp, type TestApp, waitFor } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';
import { waitForRedisBack } from './support/redis-back';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

describe('dependencyOutage', () => {
  it('names the dependency behind connection failures and nothing else', () => {
    const pgError = (code: string) => Object.assign(new Error('terminating connection'), { code });
    expect(dependencyOutage(pgError('57P01'))).toBe('database');
    expect(dependencyOutage(pgError('08006'))).toBe('database');
    expect(dependencyOutage(pgError('ECONNREFUSED'))).toBe('database');
    expect(dependencyOutage(new Error('wrapped', { cause: pgError('57P01') }))).toBe('database');
    expect(dependencyOutage(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe('queue');
    // Seen while the launcher restarted PostgreSQL under the API (chaos.test.ts): a raw query as Prisma
    // reports it (P2010, the SQLSTATE in its driver adapter error), and pg's pooled client that broke.
    const rawQueryFailed = (sqlstate: string) =>
      Object.assign(new Error(`Raw query failed. Code: \`${sqlstate}\``), {
        name: 'PrismaClientKnownRequestError',
        code: 'P2010',
        meta: {
          driverAdapterError: Object.assign(new Error('db'), { cause: { kind: 'postgres', originalCode: sqlstate } }),
        },
      });
    expect(dependencyOutage(rawQueryFailed('57P03'))).toBe('database');
    expect(dependencyOutage(rawQueryFailed('23505'))).toBeNull();
    expect(dependencyOutage(new Error('Client has encountered a connection error and is not queryable'))).toBe(
      'database',
    );
    const lostTransaction = Object.assign(
      new Error(
        "Transaction API error: Transaction not found. Transaction ID is invalid, refers to an old closed transaction Prisma doesn't have information about anymore, or was obtained before disconnecting.",
      ),
      { name: 'PrismaClientKnownRequestError', code: 'P2028' },
    );
    expect(dependencyOutage(lostTransaction)).toBe('database');
    // A chaos run: PostgreSQL stopped while `next` opened its transaction.
    expect(dependencyOutage(new Error('Unknown transaction status.'))).toBe('database');
    const closed = Object.assign(
      new Error('Raw query failed. Code: `N/A`. Message: `Server has closed the connection.`'),
      {
        name: 'PrismaClientKnownRequestError',
        code: 'P2010',
        meta: { driverAdapterError: Object.assign(new Error('closed'), { cause: { kind: 'ConnectionClosed' } }) },
      },
    );
    expect(dependencyOutage(closed)).toBe('database');
    expect(dependencyOutage(pgError('23505'))).toBeNull();
    expect(dependencyOutage(new Error('something else'))).toBeNull();
    expect(dependencyOutage('a string')).toBeNull();
  });
});

describe('the API while a dependency is down', () => {
  const proxies: TcpProxy[] = [];
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const proxy of proxies) await proxy.stop();
  });
  const timed = async <T>(call: () => Promise<T>) => {
    const started = Date.now();
    const result = await call();
    return { result, ms: Date.now() - started };
  };

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After while PostgreSQL is down, and recovers', async () => {
    const admin = new URL(ADMIN_URL);
    const proxy = await startTcpProxy(admin.hostname, Number(admin.port || 5432));
    proxies.push(proxy);
    const app = await startTestApp({
      rewriteDatabaseUrl: (url) => {
        url.hostname = '127.0.0.1';
        url.port = String(proxy.port);
      },
    });
    apps.push(app);
    const researcher = await app.createUser('researcher');
    expect((await app.get('/campaigns', researcher.token)).status).toBe(200);

    await proxy.stop();
    const { result: down, ms } = await timed(() => app.get('/campaigns', researcher.token));
    expect(down.status, down.text).toBe(503);
    expect(down.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(down.body.details).toMatchObject({ dependency: 'database' });
    expect(down.headers.get('retry-after')).toBe('2');
    // Nothing about where the database is.
    expect(down.text).not.toContain(String(proxy.port));
    expect(ms).toBeLessThan(15_000);

    await proxy.start();
    await waitFor(
      async () => ((await app.get('/campaigns', researcher.token)).status === 200 ? true : null),
      20_000,
      'the API to use the database again',
    );
  });

  it('keeps labeling fast while Redis is down: next and submit answer at once, follow-up jobs wait', async () => {
    const redis = new URL(REDIS_URL);
    const proxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
    proxies.push(proxy);
    const app = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
    apps.push(app);
    const owner = await app.createUser('researcher');
    const labeler = await app.createUser('labeler');
    const { campaignId } = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: [labeler.id],
      comparisons: 6,
      prompts: 3,
    });

    await proxy.stop();
    const { result: next, ms: nextMs } = await timed(() =>
      app.post(`/campaigns/${campaignId}/next`, {}, labeler.token),
    );
    expect(next.status, next.text).toBe(200);
    expect(next.body.assignment).not.toBeNull();
    expect(nextMs).toBeLessThan(5_000);
    const { result: submit, ms: submitMs } = await timed(() =>
      app.post(
        `/assignments/${next.body.assignment.id}/submit`,
        { choice: 'A', idempotencyKey: randomUUID() },
        labeler.token,
      ),
    );
    expect([200, 201]).toContain(submit.status);
    expect(submitMs).toBeLessThan(5_000);
    const stored = await app.db.query('SELECT count(*)::int AS n FROM labels WHERE campaign_id = $1', [campaignId]);
    expect(stored.rows[0].n).toBe(1);
    // Redis back: the app's connections reconnect (closing it before they have would fail their QUIT).
    await proxy.start();
    await waitForRedisBack(app);
  });
});
