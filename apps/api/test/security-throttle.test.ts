/**
 * Issue 12 item 4: login throttling that cannot be walked around. Each of these passed through the
 * old throttle (in-process, keyed on email and X-Forwarded-For trusted from loopback).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sourceOf } from '../src/auth/login-throttle';
import { ConfigurationError, loadConfig } from '../src/config/env';
import { REDIS_URL, startTestApp, type TestApp } from './support/harness';
import { startReplica, type Replica } from './support/replica';
import { waitForRedisBack } from './support/redis-back';
import { startTcpProxy } from './support/tcp-proxy';

type Target = Pick<Replica, 'request'>;

function login(target: Target, email: string, password: string, forwardedFor?: string) {
  return target.request('POST', '/auth/login', {
    body: { email, password },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });
}

/** Forgets every login count of the app (between scenarios that share its one client address). */
async function resetThrottle(app: TestApp): Promise<void> {
  const keys = await app.redis.keys(`${app.config.queuePrefix}:auth:login:*`);
  if (keys.length) await app.redis.del(...keys);
}

function expectLimited(res: { status: number; body: any; headers: Headers }) {
  expect(res.status).toBe(429);
  expect(res.body.code).toBe('RATE_LIMITED');
  expect(res.body.details.retryAfterSeconds).toBeGreaterThan(0);
  expect(Number(res.headers.get('retry-after'))).toBe(res.body.details.retryAfterSeconds);
}

describe('login throttle, TRUST_PROXY off (the default)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  beforeEach(() => resetThrottle(app));
  afterAll(() => app?.close());

  it('does not start over when X-Forwarded-For changes, and keeps a locked account locked', async () => {
    const victim = await app.createUser('labeler');
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      statuses.push((await login(app, victim.email, `guess-${i}`, `198.51.100.${i + 1}`)).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(5).fill(429));
    expectLimited(await login(app, victim.email, victim.password, '192.0.2.200'));
  });

  it('throttles one password sprayed over 30 accounts from one address', async () => {
    const accounts = await Promise.all(Array.from({ length: 30 }, () => app.createUser('labeler')));
    const statuses: number[] = [];
    for (const account of accounts) statuses.push((await login(app, account.email, 'Summer2026!')).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(app.config.login.maxFailuresPerSource);
    expect(statuses.at(-1)).toBe(429);
    // The address is locked for every account, even with the right password...
    expectLimited(await login(app, accounts[0].email, accounts[0].password));
  });

  it('counts the failures of two API replicas together (shared through Redis)', async () => {
    const replica = await startReplica(app);
    try {
      const victim = await app.createUser('researcher');
      for (let i = 0; i < app.config.login.maxFailuresPerAccount; i++) {
        const target = i % 2 === 0 ? app : replica;
        expect((await login(target, victim.email, `guess-${i}`)).status).toBe(401);
      }
      expectLimited(await login(app, victim.email, victim.password));
      expectLimited(await login(replica, victim.email, victim.password));
    } finally {
      await replica.close();
    }
  });

  it('lets the owner in after failures below the limit, and starts their count over', async () => {
    const user = await app.createUser('researcher');
    for (let i = 0; i < app.config.login.maxFailuresPerAccount - 1; i++) {
      expect((await login(app, user.email, `typo-${i}`)).status).toBe(401);
    }
    expect((await login(app, user.email, user.password)).status).toBe(200);
    for (let i = 0; i < app.config.login.maxFailuresPerAccount - 1; i++) {
      expect((await login(app, user.email, `typo-again-${i}`)).status).toBe(401);
    }
    expect((await login(app, user.email, user.password)).status).toBe(200);
  });
});

describe('login throttle behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => app?.close());

  it('keys the source on X-Forwarded-For: a sprayer is locked out, other clients are not', async () => {
    const accounts = await Promise.all(Array.from({ length: 25 }, () => app.createUser('labeler')));
    const statuses: number[] = [];
    for (const account of accounts) {
      statuses.push((await login(app, account.email, 'Summer2026!', '203.0.113.7')).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expectLimited(await login(app, accounts[0].email, accounts[0].password, '203.0.113.7'));
    // The proxy's own address (loopback) is not the source: another client behind it gets in.
    expect((await login(app, accounts[0].email, accounts[0].password, '198.51.100.9')).status).toBe(200);
  });

  it('counts an IPv6 client by its /64, so rotating addresses within it does not escape', async () => {
    const accounts = await Promise.all(Array.from({ length: 25 }, () => app.createUser('labeler')));
    const statuses: number[] = [];
    for (const [i, account] of accounts.entries()) {
      statuses.push((await login(app, account.email, 'Winter2026!', `2001:db8:7:7::${(i + 1).toString(16)}`)).status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(app.config.login.maxFailuresPerSource);
    expect(statuses.at(-1)).toBe(429);
    expect((await login(app, accounts[0].email, accounts[0].password, '2001:db8:7:8::1')).status).toBe(200);
  });

  it('keeps a locked account locked from new addresses, but lets the owner in from a known one', async () => {
    const owner = await app.createUser('researcher');
    expect((await login(app, owner.email, owner.password, '192.0.2.10')).status).toBe(200);
    for (let i = 0; i < 12; i++) await login(app, owner.email, `guess-${i}`, `198.51.100.${100 + i}`);
    expectLimited(await login(app, owner.email, owner.password, '198.51.100.250'));
    expect((await login(app, owner.email, owner.password, '192.0.2.10')).status).toBe(200);
  });
});

describe('TRUST_PROXY', () => {
  const env = { DATABASE_URL: 'postgresql://borda@127.0.0.1/borda', JWT_SECRET: 'x'.repeat(32) };
  const trustProxy = (value?: string) =>
    loadConfig(value === undefined ? env : { ...env, TRUST_PROXY: value }).trustProxy;

  it('trusts no proxy by default and takes what Express takes', () => {
    expect(trustProxy()).toBe(false);
    expect(trustProxy('true')).toBe(true);
    expect(trustProxy('2')).toBe(2);
    expect(trustProxy('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
  });

  it('refuses a value Express would not understand, naming the variable', () => {
    expect(() => trustProxy('10.0.0.0/99')).toThrow(ConfigurationError);
    expect(() => trustProxy('my-ingress')).toThrow(/TRUST_PROXY: 'my-ingress' is not a trust proxy setting/);
  });
});

describe('sourceOf', () => {
  it('counts IPv4 addresses singly and IPv6 addresses by their /64', () => {
    expect(sourceOf('203.0.113.7')).toBe('203.0.113.7');
    expect(sourceOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(sourceOf('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:DB8:0001:0002::9')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('login throttle while Redis is away', () => {
  it('still answers at once, counting in the process until Redis is back', async () => {
    const redis = new URL(REDIS_URL);
    const proxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
    const app = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
    try {
      const victim = await app.createUser('labeler');
      const other = await app.createUser('labeler');
      await proxy.stop();
      const started = Date.now();
      for (let i = 0; i < app.config.login.maxFailuresPerAccount; i++) {
        expect((await login(app, victim.email, `guess-${i}`)).status).toBe(401);
      }
      expectLimited(await login(app, victim.email, victim.password));
      expect((await login(app, other.email, other.password)).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await proxy.start();
      await waitForRedisBack(app);
      await app.close();
      await proxy.stop();
    }
  });
});
