import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';

describe('auth', () => {
  let app: TestApp;
  let researcher: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    researcher = await app.createUser('researcher');
  });
  afterAll(() => app?.close());

  it('logs in with a password and uses the JWT session', async () => {
    const login = await app.post('/auth/login', { email: researcher.email, password: researcher.password });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ email: researcher.email, role: 'researcher' });
    const me = await app.get('/auth/me', login.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: researcher.id, role: 'researcher' });
  });

  it('refuses a wrong password without saying whether the email exists', async () => {
    const wrong = await app.post('/auth/login', { email: researcher.email, password: 'not-the-password' });
    const unknown = await app.post('/auth/login', { email: 'nobody@test.borda', password: 'whatever-123' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses further logins after ten failures for one email, even with the right password', async () => {
    const victim = await app.createUser('labeler');
    for (let i = 0; i < 10; i++) {
      expect((await app.post('/auth/login', { email: victim.email, password: `guess-${i}` })).status).toBe(401);
    }
    const limited = await app.post('/auth/login', { email: victim.email, password: victim.password });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(limited.body.details.retryAfterSeconds).toBeGreaterThan(0);
    // Other accounts are unaffected.
    expect((await app.post('/auth/login', { email: researcher.email, password: researcher.password })).status).toBe(
      200,
    );
  });

  it('answers every route without credentials with UNAUTHENTICATED', async () => {
    const res = await app.get('/auth/me');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    const forged = await app.get('/auth/me', 'borda_forged');
    expect(forged.status).toBe(401);
  });

  it('refuses a session token signed with another key or expired', async () => {
    const sign = (claims: object, key: string) => {
      const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
      return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
    };
    // A real session to name: tokens without one are refused (security-sessions.test.ts).
    const login = await app.post('/auth/login', { email: researcher.email, password: researcher.password });
    const { jti } = JSON.parse(Buffer.from(login.body.accessToken.split('.')[1], 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: researcher.id, role: 'researcher', jti, iat: now, exp: now + 600 };
    expect((await app.get('/auth/me', sign(claims, app.config.jwtSecret))).status).toBe(200);
    expect((await app.get('/auth/me', sign(claims, 'another-secret-another-secret-0123456'))).status).toBe(401);
    expect((await app.get('/auth/me', sign({ ...claims, exp: now - 5 }, app.config.jwtSecret))).status).toBe(401);
  });

  it('creates, uses and revokes API tokens', async () => {
    const created = await app.post('/auth/tokens', { name: 'script' }, researcher.token);
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^borda_/);
    expect((await app.get('/auth/me', created.body.token)).status).toBe(200);
    const stored = await app.db.query('SELECT token_hash FROM api_tokens WHERE id = $1', [created.body.id]);
    expect(stored.rows[0].token_hash).not.toContain(created.body.token);
    expect((await app.delete(`/auth/tokens/${created.body.id}`, researcher.token)).status).toBe(204);
    expect((await app.get('/auth/me', created.body.token)).status).toBe(401);
  });

  it('lets only admins create users, and validates the body by field', async () => {
    const admin = await app.createUser('admin');
    const body = { email: 'new-labeler@test.borda', name: 'New', role: 'labeler', password: 'long-enough-1' };
    const denied = await app.post('/users', body, researcher.token);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    const bad = await app.post('/users', { ...body, email: 'not-an-email', password: 'short' }, admin.token);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['email', 'password']);
    const ok = await app.post('/users', body, admin.token);
    expect(ok.status).toBe(201);
    const dup = await app.post('/users', body, admin.token);
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('CONFLICT');
  });

  it('refuses an oversize JSON body with PAYLOAD_TOO_LARGE', async () => {
    const res = await app.request('POST', '/auth/login', {
      body: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) }),
      contentType: 'application/json',
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('serves the OpenAPI document', async () => {
    const res = await app.get('/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.paths['/auth/login']).toBeDefined();
  });
});
