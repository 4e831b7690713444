/**
 * Account administration (issue 14 item 5): an admin resets a password (generated, shown once, the
 * user's sessions revoked, audit-logged) and invites people from a CSV (dry run; per-line 422s;
 * all or nothing). Nobody but an admin may do either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';

describe('accounts', () => {
  let app: TestApp;
  let admin: TestUser;
  let researcher: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await app.createUser('admin');
    researcher = await app.createUser('researcher');
  });
  afterAll(() => app?.close());

  const login = (email: string, password: string) => app.post('/auth/login', { email, password });

  it('resets a password: the new one signs in, the old one and its sessions no longer work', async () => {
    const user = await app.createUser('labeler');
    const session = (await login(user.email, user.password)).body.accessToken as string;
    expect((await app.get('/auth/me', session)).status).toBe(200);

    const reset = await app.post(`/users/${user.id}/password`, undefined, admin.token);
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ userId: user.id, sessionsRevoked: 1 });
    expect(reset.body.password).toMatch(/^[A-Za-z0-9_-]{24}$/);

    expect((await app.get('/auth/me', session)).status).toBe(401);
    expect((await login(user.email, user.password)).status).toBe(401);
    expect((await login(user.email, reset.body.password)).status).toBe(200);
    const audit = await app.db.query(
      `SELECT actor_id, details FROM audit_log WHERE action = 'user.password_reset' AND details->>'userId' = $1`,
      [user.id],
    );
    expect(audit.rows).toEqual([{ actor_id: admin.id, details: { userId: user.id, sessionsRevoked: 1 } }]);
    // The password itself is never logged.
    expect(JSON.stringify(audit.rows)).not.toContain(reset.body.password);
  });

  it('lets only admins reset passwords, and says when the user is unknown', async () => {
    const user = await app.createUser('labeler');
    expect((await app.post(`/users/${user.id}/password`, undefined, researcher.token)).status).toBe(403);
    expect((await app.post(`/users/${user.id}/password`, undefined, user.token)).status).toBe(403);
    expect(
      (await app.post('/users/00000000-0000-4000-8000-000000000000/password', undefined, admin.token)).status,
    ).toBe(404);
    expect((await login(user.email, user.password)).status).toBe(200);
  });

  it('invites from a CSV: the dry run lists the rows and creates nobody, then each gets a password that signs in', async () => {
    const csv = [
      'email,role,name',
      'ada@invite.test,labeler,Ada Lovelace',
      '"Grace@Invite.test",Researcher,"Hopper, Grace"',
      'alan@invite.test,labeler',
      '',
    ].join('\r\n');
    const dry = await app.post('/users/invitations?dryRun=true', { csv }, admin.token);
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({
      dryRun: true,
      rows: [
        { line: 2, email: 'ada@invite.test', role: 'labeler', name: 'Ada Lovelace' },
        { line: 3, email: 'grace@invite.test', role: 'researcher', name: 'Hopper, Grace' },
        { line: 4, email: 'alan@invite.test', role: 'labeler', name: 'alan' },
      ],
    });
    const count = async () =>
      (await app.db.query(`SELECT count(*)::int AS n FROM users WHERE email LIKE '%@invite.test'`)).rows[0].n;
    expect(await count()).toBe(0);

    const made = await app.post('/users/invitations', { csv }, admin.token);
    expect(made.status).toBe(201);
    expect(made.body.created).toHaveLength(3);
    expect(new Set(made.body.created.map((c: { password: string }) => c.password)).size).toBe(3);
    for (const account of made.body.created) {
      const signIn = await login(account.email, account.password);
      expect(signIn.status, account.email).toBe(200);
      expect(signIn.body.user).toMatchObject({ email: account.email, role: account.role, name: account.name });
    }
    const audit = await app.db.query(`SELECT details FROM audit_log WHERE action = 'user.invite'`);
    expect(audit.rows[0].details.count).toBe(3);
    expect(JSON.stringify(audit.rows)).not.toContain(made.body.created[0].password);

    // The same file again: every line's email is taken, nothing more is created.
    const again = await app.post('/users/invitations', { csv }, admin.token);
    expect(again.status).toBe(422);
    expect(again.body.details.issues.map((i: { line: number }) => i.line)).toEqual([2, 3, 4]);
    expect(await count()).toBe(3);
  });

  it('answers 422 with every problem by line and creates nobody', async () => {
    const csv = [
      'bea@bad.test,labeler',
      'not-an-email,labeler',
      'carl@bad.test,boss',
      'bea@bad.test,researcher',
      'dora@bad.test',
      '"eve@bad.test,labeler',
      'fay@bad.test,admin,Fay',
    ].join('\n');
    for (const path of ['/users/invitations?dryRun=true', '/users/invitations']) {
      const res = await app.post(path, { csv }, admin.token);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('IMPORT_INVALID');
      expect(res.body.message).toMatch(/^line 2: /);
      expect(res.body.details.issues).toEqual([
        { line: 2, path: 'email', message: '"not-an-email" is not an email address' },
        { line: 3, path: 'role', message: 'role must be one of admin, researcher, labeler, got "boss"' },
        { line: 4, path: 'email', message: 'bea@bad.test is already on line 1' },
        { line: 5, path: 'line', message: 'expected email,role[,name], got 1 field(s)' },
        { line: 6, path: 'line', message: 'a quoted field is not closed' },
      ]);
    }
    expect((await app.db.query(`SELECT count(*)::int AS n FROM users WHERE email LIKE '%@bad.test'`)).rows[0].n).toBe(
      0,
    );
    const empty = await app.post('/users/invitations?dryRun=true', { csv: 'email,role\n' }, admin.token);
    expect(empty.status).toBe(422);
    expect(empty.body.details.issues).toEqual([{ line: 1, path: 'csv', message: 'the CSV lists nobody' }]);
    expect((await app.post('/users/invitations', { text: 'x' }, admin.token)).status).toBe(400);
    expect(
      (await app.post('/users/invitations?dryRun=true', { csv: 'a@b.test,labeler' }, researcher.token)).status,
    ).toBe(403);
  });
});
