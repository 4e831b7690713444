/**
 * Webhooks against a real receiver on 127.0.0.1 (node:http) and the real worker: registration rules,
 * signed deliveries, retries with a delivery log, the learning-loop and budget events, and
 * reconciliation deriving an event the fast path never saw.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { webhookDeliveryListSchema, webhookEnvelopeSchema } from '@borda/api-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReconcileService } from '../src/jobs/reconcile.service';
import { LINK_LOCAL_REFUSED, guardedLookup } from '../src/webhooks/webhook-sender';
import { createActiveCampaign, createCampaign } from './support/campaign-fixtures';
import { type TestApp, type TestUser, startTestApp, waitFor } from './support/harness';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let app: TestApp;
let owner: TestUser;
let other: TestUser;
let labeler: TestUser;
let admin: TestUser;
let receiver: Server;
let base: string;
const received: Received[] = [];
/** Per path, the statuses to answer in turn (then 200). */
const script = new Map<string, number[]>();

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = script.get(path)?.shift() ?? 200;
      if (status >= 300 && status < 400) res.setHeader('location', `${base}/redirected`);
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  app = await startTestApp({ workers: true });
  [owner, other, labeler, admin] = await Promise.all([
    app.createUser('researcher'),
    app.createUser('researcher'),
    app.createUser('labeler'),
    app.createUser('admin'),
  ]);
});

afterAll(async () => {
  await app?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** Checks Borda-Signature the way a receiver should (see apps/api/README.md): HMAC of "t.body", constant time. */
function verify(secret: string, r: Received): boolean {
  const header = String(r.headers['borda-signature'] ?? '');
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${r.body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const at = (path: string) => received.filter((r) => r.path === path);

async function register(campaignId: string, path: string, events: string[], user = owner) {
  const res = await app.post(`/campaigns/${campaignId}/webhooks`, { url: `${base}${path}`, events }, user.token);
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; secret: string; url: string; events: string[] };
}

async function deliveries(campaignId: string, webhookId: string) {
  const res = await app.get(`/campaigns/${campaignId}/webhooks/${webhookId}/deliveries`, owner.token);
  expect(res.status, res.text).toBe(200);
  return webhookDeliveryListSchema.parse(res.body).items;
}

describe('registration', () => {
  it('answers the secret once, lists without it, deletes; checks roles and ownership', async () => {
    const campaign = await createCampaign(app, owner.token);
    const created = await register(campaign.id, '/reg', ['campaign.completed', 'model_version.published']);
    expect(created.secret).toMatch(/^whsec_[\w-]{43}$/);
    const list = await app.get(`/campaigns/${campaign.id}/webhooks`, owner.token);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: created.id, url: `${base}/reg`, active: true });
    expect(list.text).not.toContain(created.secret);
    expect((await app.get(`/campaigns/${campaign.id}/webhooks`, admin.token)).status).toBe(200);

    // Another researcher's campaign does not exist for them; labelers may not manage webhooks at all.
    expect((await app.get(`/campaigns/${campaign.id}/webhooks`, other.token)).status).toBe(404);
    const foreignOk = { url: `${base}/x`, events: ['campaign.completed'] };
    expect((await app.post(`/campaigns/${campaign.id}/webhooks`, foreignOk, other.token)).status).toBe(404);
    expect((await app.post(`/campaigns/${campaign.id}/webhooks`, foreignOk, labeler.token)).status).toBe(403);
    expect((await app.get(`/campaigns/${campaign.id}/webhooks`, labeler.token)).status).toBe(403);
    expect((await app.delete(`/campaigns/${campaign.id}/webhooks/${created.id}`, other.token)).status).toBe(404);
    expect((await app.get(`/campaigns/${campaign.id}/webhooks/${created.id}/deliveries`, other.token)).status).toBe(
      404,
    );

    expect((await app.delete(`/campaigns/${campaign.id}/webhooks/${created.id}`, owner.token)).status).toBe(204);
    expect((await app.delete(`/campaigns/${campaign.id}/webhooks/${created.id}`, owner.token)).status).toBe(404);
    expect((await app.get(`/campaigns/${campaign.id}/webhooks`, owner.token)).body.items).toEqual([]);
    const audit = await app.db.query(`SELECT action FROM audit_log WHERE campaign_id = $1 ORDER BY id`, [campaign.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['webhook.create', 'webhook.delete']));
  });

  it.each([
    ['javascript:alert(1)', 'must use http or https'],
    ['ftp://example.com/hook', 'must use http or https'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://[fe80::1]/hook', 'link-local'],
    ['http://[::ffff:169.254.169.254]/hook', 'link-local'],
    ['not a url', 'absolute http or https URL'],
  ])('refuses %s with 400 naming url', async (url, message) => {
    const campaign = await createCampaign(app, owner.token);
    const res = await app.post(
      `/campaigns/${campaign.id}/webhooks`,
      { url, events: ['campaign.completed'] },
      owner.token,
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.issues[0].path).toBe('url');
    expect(res.body.message).toContain(message);
  });

  it('refuses unknown or repeated events and allows loopback http', async () => {
    const campaign = await createCampaign(app, owner.token);
    const path = `/campaigns/${campaign.id}/webhooks`;
    const unknown = await app.post(path, { url: `${base}/e`, events: ['campaign.deleted'] }, owner.token);
    expect(unknown.status).toBe(400);
    expect(unknown.body.details.issues[0].path).toMatch(/^events/);
    expect((await app.post(path, { url: `${base}/e`, events: [] }, owner.token)).status).toBe(400);
    const twice = { url: `${base}/e`, events: ['campaign.completed', 'campaign.completed'] };
    expect((await app.post(path, twice, owner.token)).status).toBe(400);
    expect(
      (await app.post(path, { url: 'http://localhost:9/e', events: ['labeler.flagged'] }, owner.token)).status,
    ).toBe(201);
  });
});

describe('delivery', () => {
  it('sends a signed ping the secret verifies', async () => {
    const campaign = await createCampaign(app, owner.token);
    const hook = await register(campaign.id, '/ping', ['campaign.completed']);
    const res = await app.post(`/campaigns/${campaign.id}/webhooks/${hook.id}/test`, {}, owner.token);
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ event: 'ping', state: 'pending', webhookId: hook.id });
    const [got] = await waitFor(() => (at('/ping').length ? at('/ping') : null), 20_000, 'the ping');
    expect(verify(hook.secret, got)).toBe(true);
    expect(verify('whsec_wrong', got)).toBe(false);
    expect(verify(hook.secret, { ...got, body: got.body.replace('ping', 'pong') })).toBe(false);
    expect(got.headers['borda-event']).toBe('ping');
    expect(got.headers['borda-delivery']).toBe(res.body.id);
    expect(got.headers['content-type']).toBe('application/json');
    const envelope = webhookEnvelopeSchema.parse(JSON.parse(got.body));
    expect(envelope).toMatchObject({ event: 'ping', campaignId: campaign.id, data: { webhookId: hook.id } });
    const [logged] = await waitFor(async () => {
      const items = await deliveries(campaign.id, hook.id);
      return items[0]?.state === 'delivered' ? items : null;
    });
    expect(logged).toMatchObject({ id: res.body.id, attempts: 1, statusCode: 200, error: null });
    expect(logged.attemptLog).toEqual([expect.objectContaining({ attempt: 1, statusCode: 200 })]);
  });

  it('retries a failing receiver with backoff: delivered on the third attempt, three rows in the log', async () => {
    const campaign = await createCampaign(app, owner.token);
    const hook = await register(campaign.id, '/flaky', ['campaign.completed']);
    script.set('/flaky', [500, 500]);
    const res = await app.post(`/campaigns/${campaign.id}/webhooks/${hook.id}/test`, {}, owner.token);
    expect(res.status).toBe(202);
    const [logged] = await waitFor(
      async () => {
        const items = await deliveries(campaign.id, hook.id);
        return items[0]?.state === 'delivered' ? items : null;
      },
      30_000,
      'the third attempt',
    );
    expect(logged.attempts).toBe(3);
    expect(logged.attemptLog.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(logged.attemptLog[0].error).toBe('the receiver answered 500');
    const rows = await app.db.query(`SELECT count(*)::int AS n FROM webhook_delivery_attempts WHERE delivery_id = $1`, [
      res.body.id,
    ]);
    expect(rows.rows[0].n).toBe(3);
    // Every attempt sends the same event (same body, same event id), each under a valid signature.
    const got = at('/flaky');
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    expect(got.every((r) => verify(hook.secret, r))).toBe(true);
    // Backoff: the gaps between attempts grow (1 s, then 2 s).
    const times = logged.attemptLog.map((a) => Date.parse(a.attemptedAt));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(900);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(1_800);
  });

  it('does not follow redirects, and a deleted webhook stops its retries', async () => {
    const campaign = await createCampaign(app, owner.token);
    const hook = await register(campaign.id, '/moved', ['campaign.completed']);
    script.set('/moved', [302, 302, 302, 302, 302]);
    const res = await app.post(`/campaigns/${campaign.id}/webhooks/${hook.id}/test`, {}, owner.token);
    const [logged] = await waitFor(async () => {
      const items = await deliveries(campaign.id, hook.id);
      return items[0]?.attemptLog.length ? items : null;
    });
    expect(logged.state).toBe('pending');
    expect(logged.attemptLog[0]).toMatchObject({ statusCode: 302, error: 'the receiver answered 302' });
    expect(logged.nextAttemptAt).not.toBeNull();
    expect(at('/redirected')).toHaveLength(0);
    expect((await app.delete(`/campaigns/${campaign.id}/webhooks/${hook.id}`, owner.token)).status).toBe(204);
    const run = await waitFor(async () => {
      const { rows } = await app.db.query(
        `SELECT state, result FROM job_runs WHERE job_key = $1 ORDER BY queued_at DESC`,
        [`WebhookDelivery.${res.body.id}`],
      );
      return rows[0]?.state === 'completed' ? rows[0] : null;
    });
    expect(run.result.skipped).toMatch(/not found/);
  });
});

describe('link-local targets at delivery time', () => {
  it('fails a stored link-local URL for good on the first attempt, without retries', async () => {
    const campaign = await createCampaign(app, owner.token);
    // A row the API would refuse (written before the rule, or by hand): the worker applies the rule again.
    const { rows } = await app.db.query(
      `INSERT INTO webhooks (campaign_id, url, events, secret) VALUES ($1, 'http://169.254.169.254/latest/meta-data/',
       '{campaign.completed}', 'whsec_x') RETURNING id`,
      [campaign.id],
    );
    const res = await app.post(`/campaigns/${campaign.id}/webhooks/${rows[0].id}/test`, {}, owner.token);
    expect(res.status).toBe(202);
    const [logged] = await waitFor(async () => {
      const items = await deliveries(campaign.id, rows[0].id);
      return items[0]?.state === 'failed' ? items : null;
    });
    expect(logged.attempts).toBe(1);
    expect(logged.attemptLog).toHaveLength(1);
    expect(logged.error).toMatch(/link-local/);
    expect(logged.nextAttemptAt).toBeNull();
  });

  it('refuses a name that resolves to a link-local address, and passes others', async () => {
    const lookup = (answer: string) =>
      guardedLookup(((_host: string, _options: unknown, cb: (...args: unknown[]) => void) =>
        cb(null, [{ address: answer, family: 4 }])) as never);
    const call = (fn: ReturnType<typeof guardedLookup>) =>
      new Promise<NodeJS.ErrnoException | null>((resolve) => fn('hooks.example', { all: true }, (e) => resolve(e)));
    const refused = await call(lookup('169.254.169.254'));
    expect(refused?.code).toBe(LINK_LOCAL_REFUSED);
    expect(refused?.message).toContain('169.254.169.254');
    expect(await call(lookup('203.0.113.7'))).toBeNull();
    // The real resolver: loopback is allowed.
    const real = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      guardedLookup()('localhost', {}, (e) => resolve(e)),
    );
    expect(real).toBeNull();
  });
});

describe('events', () => {
  it('delivers model_version.published, campaign.budget_reached and campaign.completed from labeling', async () => {
    const campaign = await createActiveCampaign(app, owner.token, {
      prompts: 6,
      overrides: { budget: 6, retrainEvery: 3 },
    });
    const all = await register(campaign.id, '/all', [
      'model_version.published',
      'campaign.budget_reached',
      'campaign.completed',
      'labeler.flagged',
    ]);
    const completedOnly = await register(campaign.id, '/completed-only', ['campaign.completed']);
    for (let i = 0; i < 6; i++) {
      const next = await waitFor(async () => {
        const res = await app.post(`/campaigns/${campaign.id}/next`, {}, owner.token);
        return res.body.assignment ? res.body.assignment : null;
      });
      const submitted = await app.post(
        `/assignments/${next.id}/submit`,
        { choice: i % 2 ? 'A' : 'B', idempotencyKey: randomUUID() },
        owner.token,
      );
      expect(submitted.status, submitted.text).toBe(201);
    }
    const events = () => at('/all').map((r) => JSON.parse(r.body).event as string);
    await waitFor(
      () =>
        ['model_version.published', 'campaign.budget_reached', 'campaign.completed'].every((e) => events().includes(e)),
      60_000,
      'the three events',
    );
    expect(at('/all').every((r) => verify(all.secret, r))).toBe(true);
    const bodies = at('/all').map((r) => webhookEnvelopeSchema.parse(JSON.parse(r.body)));
    expect(bodies.every((b) => b.campaignId === campaign.id)).toBe(true);
    const published = bodies.find((b) => b.event === 'model_version.published')!;
    const version = await app.db.query(`SELECT id, version FROM model_versions WHERE id = $1`, [
      published.data.modelVersionId,
    ]);
    expect(version.rows[0]).toBeDefined();
    expect(bodies.find((b) => b.event === 'campaign.budget_reached')!.data).toMatchObject({ labelCount: 6, budget: 6 });
    expect(bodies.find((b) => b.event === 'campaign.completed')!.data).toMatchObject({ budgetReached: true });
    // One delivery per event, even though every fit and reconciliation pass derives the events again.
    expect(events().filter((e) => e === 'campaign.completed')).toHaveLength(1);

    // The other webhook gets only what it subscribed to, with the same event id.
    const [only] = await waitFor(() => (at('/completed-only').length ? at('/completed-only') : null));
    const onlyBody = JSON.parse(only.body);
    expect(onlyBody.event).toBe('campaign.completed');
    expect(onlyBody.id).toBe(bodies.find((b) => b.event === 'campaign.completed')!.id);
    expect(verify(completedOnly.secret, only)).toBe(true);
    expect(verify(all.secret, only)).toBe(false);
  });

  it('reconciliation derives events the fast path missed, and labeler.flagged only when newly flagged', async () => {
    const campaign = await createActiveCampaign(app, owner.token, { prompts: 4 });
    await register(campaign.id, '/reconciled', ['campaign.completed', 'labeler.flagged']);
    // Completed behind the service's back: no hook ran, only the stored state says it happened.
    await app.db.query(`UPDATE campaigns SET status = 'completed', completed_at = now() WHERE id = $1`, [campaign.id]);
    const v = async (version: number) =>
      (
        await app.db.query(
          `INSERT INTO model_versions (id, campaign_id, version, kind, label_count, metrics, parameters)
           VALUES (gen_random_uuid(), $1, $2, 'linear-bt', 0, '{}', '{}') RETURNING id`,
          [campaign.id, version],
        )
      ).rows[0].id as string;
    const flag = (modelVersionId: string, labelerId: string, flagged: boolean) =>
      app.db.query(
        `INSERT INTO labeler_reliability (model_version_id, campaign_id, labeler_id, judgments, directional, accuracy,
           accuracy_low, accuracy_high, inverted, inverted_low, inverted_high, random, random_low, random_high,
           position_bias, position_bias_low, position_bias_high, flagged, reasons)
         VALUES ($1, $2, $3, 10, 10, 0.5, 0.3, 0.7, 0, 0, 0.1, 0.5, 0.3, 0.7, 0, -0.1, 0.1, $4, '[{"kind":"random"}]')`,
        [modelVersionId, campaign.id, labelerId, flagged],
      );
    const [v1, v2] = [await v(1001), await v(1002)];
    await flag(v1, labeler.id, true);
    await flag(v2, labeler.id, true); // still flagged: not news
    await flag(v1, other.id, false);
    await flag(v2, other.id, true); // newly flagged
    await app.workers!.get(ReconcileService).reconcile({ forceRefill: false, featurize: false });
    const bodies = () => at('/reconciled').map((r) => JSON.parse(r.body));
    await waitFor(() => bodies().length >= 3, 20_000, 'three reconciled events');
    const flagged = bodies()
      .filter((b) => b.event === 'labeler.flagged')
      .map((b) => `${b.data.labelerId}@${b.data.modelVersionId}`);
    expect(flagged.sort()).toEqual([`${labeler.id}@${v1}`, `${other.id}@${v2}`].sort());
    expect(bodies().filter((b) => b.event === 'campaign.completed')).toHaveLength(1);
    // Deriving again adds nothing.
    await app.workers!.get(ReconcileService).reconcile({ forceRefill: false, featurize: false });
    const { rows } = await app.db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE campaign_id = $1`, [
      campaign.id,
    ]);
    expect(rows[0].n).toBe(3);
  });
});
