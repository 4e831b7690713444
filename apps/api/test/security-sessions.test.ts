/**
 * Issue 12 item 7: sessions. The JWT algorithm is pinned, an expiry is required, sessions can be
 * revoked and users disabled, and both take effect at once on every API replica, without waiting
 * out the per-process principal cache.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthRedis } from '../src/auth/auth-redis';
import { Revocations } from '../src/auth/revocations';
import { startReplica, type Replica } from './support/replica';
import { REDIS_URL, startTestApp, type TestApp, type TestUser, waitFor } from './support/harness';
import { waitForRedisBack } from './support/redis-back';
import { startTcpProxy } from './support/tcp-proxy';

function sign(header: object, claims: object, key: string, hmac = 'sha256'): string {
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${part(header)}.${part(claims)}`;
  return `${body}.${createHmac(hmac, key).update(body).digest('base64url')}`;
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

describe('sessions', () => {
  let app: TestApp;
  let replica: Replica;
  let admin: TestUser;

  async function session(user: TestUser): Promise<string> {
    const res = await app.post('/auth/login', { email: user.email, password: user.password });
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  }
  /** GET /auth/me on both replicas: also puts the credential in both principal caches. */
  async function meOnBoth(token: string): Promise<[number, number]> {
    return [(await app.get('/auth/me', token)).status, (await replica.request('GET', '/auth/me', { token })).status];
  }

  beforeAll(async () => {
    app = await startTestApp();
    replica = await startReplica(app);
    admin = await app.createUser('admin');
  });
  afterAll(async () => {
    await replica?.close();
    await app?.close();
  });

  it('signs sessions with HS256, an expiry and a session id, and refuses other algorithms', async () => {
    const user = await app.createUser('researcher');
    const token = await session(user);
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('HS256');
    const claims = claimsOf(token);
    expect(claims.exp).toBeTypeOf('number');
    expect(claims.jti).toBeTypeOf('string');
    const secret = app.config.jwtSecret;
    expect((await app.get('/auth/me', sign({ alg: 'HS256', typ: 'JWT' }, claims, secret))).status).toBe(200);
    // The same claims and key, another HMAC: jsonwebtoken accepts HS384/HS512 unless pinned.
    expect((await app.get('/auth/me', sign({ alg: 'HS512', typ: 'JWT' }, claims, secret, 'sha512'))).status).toBe(401);
    expect((await app.get('/auth/me', sign({ alg: 'HS384', typ: 'JWT' }, claims, secret, 'sha384'))).status).toBe(401);
    const unsigned = `${token
      .split('.')
      .slice(0, 2)
      .join('.')
      .replace(/^[^.]+/, Buffer.from('{"alg":"none"}').toString('base64url'))}.`;
    expect((await app.get('/auth/me', unsigned)).status).toBe(401);
  });

  it('refuses a correctly signed token without an expiry', async () => {
    const user = await app.createUser('researcher');
    const { exp: _exp, ...claims } = claimsOf(await session(user));
    const res = await app.get('/auth/me', sign({ alg: 'HS256', typ: 'JWT' }, claims, app.config.jwtSecret));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a correctly signed token that names no session or an unknown one', async () => {
    const user = await app.createUser('researcher');
    const { jti: _jti, ...claims } = claimsOf(await session(user));
    const key = app.config.jwtSecret;
    expect((await app.get('/auth/me', sign({ alg: 'HS256' }, claims, key))).status).toBe(401);
    const unknown = { ...claims, jti: '00000000-0000-4000-8000-000000000000' };
    expect((await app.get('/auth/me', sign({ alg: 'HS256' }, unknown, key))).status).toBe(401);
  });

  it('logout ends the session on every replica at once, and only that session', async () => {
    const user = await app.createUser('labeler');
    const [first, second] = [await session(user), await session(user)];
    expect(await meOnBoth(first)).toEqual([200, 200]);
    expect(await meOnBoth(second)).toEqual([200, 200]);
    expect((await app.post('/auth/logout', undefined, first)).status).toBe(204);
    expect(await meOnBoth(first)).toEqual([401, 401]);
    expect(await meOnBoth(second)).toEqual([200, 200]);
    const listed = await replica.request('GET', '/auth/sessions', { token: second });
    expect(listed.body.map((s: { id: string }) => s.id)).toEqual([claimsOf(second).jti]);
    expect(listed.body[0].current).toBe(true);
    // An API token is no session to end.
    expect((await app.post('/auth/logout', undefined, user.token)).status).toBe(400);
  });

  it('revokes one session by id: the user their own, an admin anyone’s, nobody else’s', async () => {
    const user = await app.createUser('labeler');
    const other = await app.createUser('labeler');
    const token = await session(user);
    const id = claimsOf(token).jti as string;
    expect(await meOnBoth(token)).toEqual([200, 200]);
    expect((await app.delete(`/auth/sessions/${id}`, other.token)).status).toBe(404);
    expect(await meOnBoth(token)).toEqual([200, 200]);
    expect((await app.delete(`/auth/sessions/${id}`, admin.token)).status).toBe(204);
    expect(await meOnBoth(token)).toEqual([401, 401]);
    expect((await app.delete(`/auth/sessions/${id}`, user.token)).status).toBe(404);
    const audit = await app.db.query("SELECT details FROM audit_log WHERE action = 'session.revoke'");
    expect(audit.rows.map((r) => r.details.sessionId)).toContain(id);
  });

  it('signs a user out everywhere (the user, or an admin)', async () => {
    const user = await app.createUser('labeler');
    const tokens = [await session(user), await session(user)];
    for (const t of tokens) expect(await meOnBoth(t)).toEqual([200, 200]);
    const res = await replica.request('DELETE', `/users/${user.id}/sessions`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.revoked).toBe(2);
    for (const t of tokens) expect(await meOnBoth(t)).toEqual([401, 401]);
    const again = await session(user);
    expect((await app.delete('/auth/sessions', again)).body.revoked).toBe(1);
    expect(await meOnBoth(again)).toEqual([401, 401]);
    expect((await app.delete(`/users/${user.id}/sessions`, user.token)).status).toBe(403);
  });

  it('disabling a user refuses their sessions and API tokens at once on every replica', async () => {
    const user = await app.createUser('labeler');
    const token = await session(user);
    expect(await meOnBoth(token)).toEqual([200, 200]);
    expect(await meOnBoth(user.token)).toEqual([200, 200]);

    const disabled = await app.post(`/users/${user.id}/disable`, undefined, admin.token);
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).toEqual(expect.any(String));
    expect(await meOnBoth(token)).toEqual([401, 401]);
    expect(await meOnBoth(user.token)).toEqual([401, 401]);
    expect((await app.post('/auth/login', { email: user.email, password: user.password })).status).toBe(401);

    const enabled = await replica.request('POST', `/users/${user.id}/enable`, { token: admin.token });
    expect(enabled.status).toBe(200);
    expect(enabled.body.disabledAt).toBeNull();
    // API tokens work again; the sessions that disabling revoked stay revoked.
    expect(await meOnBoth(user.token)).toEqual([200, 200]);
    expect(await meOnBoth(token)).toEqual([401, 401]);
    expect(await meOnBoth(await session(user))).toEqual([200, 200]);

    const audit = await app.db.query(
      "SELECT action, actor_id FROM audit_log WHERE details->>'userId' = $1 AND action LIKE 'user.%' ORDER BY id",
      [user.id],
    );
    expect(audit.rows).toEqual([
      { action: 'user.disable', actor_id: admin.id },
      { action: 'user.enable', actor_id: admin.id },
    ]);
  });

  it('lets only admins disable users, and not themselves', async () => {
    const researcher = await app.createUser('researcher');
    const target = await app.createUser('labeler');
    expect((await app.post(`/users/${target.id}/disable`, undefined, researcher.token)).status).toBe(403);
    const self = await app.post(`/users/${admin.id}/disable`, undefined, admin.token);
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('CONFLICT');
    expect((await app.post('/users/00000000-0000-4000-8000-000000000000/disable', undefined, admin.token)).status).toBe(
      404,
    );
  });

  it('does not cache a caller looked up before a revocation from another replica arrived', async () => {
    const user = await app.createUser('labeler');
    const token = await session(user);
    const revocations = app.http.get(Revocations);
    const before = revocations.currentEpoch();
    expect((await replica.request('POST', '/auth/logout', { token })).status).toBe(204);
    await waitFor(() => revocations.currentEpoch() !== before, 5_000, 'the revocation notice');
    const principal = { id: user.id, email: user.email, name: 'x', role: 'labeler' as const, via: 'jwt' as const };
    revocations.set('stale-lookup', principal, before);
    expect(revocations.get('stale-lookup')).toBeUndefined();
    revocations.set('fresh-lookup', principal, revocations.currentEpoch());
    expect(revocations.get('fresh-lookup')?.id).toBe(user.id);
  });
});

describe('sessions while the revocation channel is down', () => {
  it('caches no callers, so a revocation whose notice could not arrive still holds at once', async () => {
    const redis = new URL(REDIS_URL);
    const proxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
    const app = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
    try {
      const user = await app.createUser('labeler');
      const login = await app.post('/auth/login', { email: user.email, password: user.password });
      const token = login.body.accessToken as string;
      expect((await app.get('/auth/me', token)).status).toBe(200);
      await proxy.stop();
      const { subscriber } = app.http.get(AuthRedis);
      await waitFor(() => subscriber.status !== 'ready', 5_000, 'the subscriber to notice');
      // Another replica revoking while this one hears nothing: the row changes, no notice comes.
      await app.db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1', [user.id]);
      expect((await app.get('/auth/me', token)).status).toBe(401);
      expect((await app.get('/auth/me', user.token)).status).toBe(200);
    } finally {
      await proxy.start();
      await waitForRedisBack(app);
      await app.close();
      await proxy.stop();
    }
  });
});
