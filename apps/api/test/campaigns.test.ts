import { DEFAULT_STRATEGY } from '@borda/dueling-bandit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignDataError } from '../src/learning/campaign-data-error';
import { modelOptionsOf } from '../src/learning/model-factory';
import { createCampaign, DEFAULT_CAMPAIGN, importJsonl, jsonl } from './support/campaign-fixtures';
import { startTestApp, type TestApp, type TestUser } from './support/harness';

const issuePaths = (body: { details?: { issues?: { path: string }[] } }) =>
  (body.details?.issues ?? []).map((i) => i.path).sort();

describe('campaigns', () => {
  let app: TestApp;
  let researcher: TestUser;
  let other: TestUser;
  let admin: TestUser;
  let labeler: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    researcher = await app.createUser('researcher');
    other = await app.createUser('researcher');
    admin = await app.createUser('admin');
    labeler = await app.createUser('labeler');
    outsider = await app.createUser('labeler');
  });
  afterAll(() => app?.close());

  it('refuses bad or misspelt modelOptions with 400 naming the field, and keeps good ones', async () => {
    const post = (modelOptions: object) =>
      app.post('/campaigns', { ...DEFAULT_CAMPAIGN, modelOptions }, researcher.token);
    const negative = await post({ lengthscale: -1 });
    expect(negative.status).toBe(400);
    expect(issuePaths(negative.body)).toEqual(['modelOptions.lengthscale']);
    const typo = await post({ lenghtscale: 0.5 });
    expect(typo.status).toBe(400);
    expect(typo.body.message).toContain('lenghtscale');
    const nested = await post({ neural: { members: 0 } });
    expect(issuePaths(nested.body)).toEqual(['modelOptions.neural.members']);
    const good = await post({ lengthscale: 0.5, featureMap: 'linear', dpo: { epochs: 5 } });
    expect(good.status, good.text).toBe(201);
    expect(good.body.modelOptions).toEqual({ lengthscale: 0.5, featureMap: 'linear', dpo: { epochs: 5 } });
  });

  it('parses stored modelOptions instead of casting them: a row that no longer fits halts learning with the reason', () => {
    expect(modelOptionsOf({ modelOptions: { lengthscale: 0.5 } })).toEqual({ lengthscale: 0.5 });
    expect(modelOptionsOf({ modelOptions: null })).toEqual({});
    expect(() => modelOptionsOf({ modelOptions: { lengthscale: 'wide' } })).toThrow(CampaignDataError);
    expect(() => modelOptionsOf({ modelOptions: { lengthscale: 'wide' } })).toThrow(/modelOptions\.lengthscale/);
  });

  it('runs the default strategy when the request names none', async () => {
    const { strategy: _named, ...unnamed } = DEFAULT_CAMPAIGN;
    const res = await app.post('/campaigns', unnamed, researcher.token);
    expect(res.status, res.text).toBe(201);
    expect(res.body.strategy).toBe(DEFAULT_STRATEGY);
  });

  it('creates a campaign with defaults and stores the configuration', async () => {
    const res = await app.post('/campaigns', { ...DEFAULT_CAMPAIGN, labelerIds: [labeler.id] }, researcher.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'draft',
      strategy: 'ae-borda',
      model: 'auto',
      redundancy: 1,
      retrainEvery: 50,
      batchSize: 16,
      bufferSize: 32,
      leaseSeconds: 300,
      featureSource: 'text',
      featureDim: 32,
      seed: 1,
      ownerId: researcher.id,
      labelerIds: [labeler.id],
    });
    const { rows } = await app.db.query(
      `SELECT c.model_kind, c.budget, array_agg(l.user_id::text) AS labelers FROM campaigns c
       JOIN campaign_labelers l ON l.campaign_id = c.id WHERE c.id = $1 GROUP BY c.id`,
      [res.body.id],
    );
    expect(rows[0]).toEqual({ model_kind: 'auto', budget: 200, labelers: [labeler.id] });
    const audit = await app.get(`/campaigns/${res.body.id}/audit`, researcher.token);
    expect(audit.body.map((a: { action: string }) => a.action)).toContain('campaign.created');
  });

  it('names the field of every validation failure', async () => {
    const bad = await app.post(
      '/campaigns',
      {
        ...DEFAULT_CAMPAIGN,
        budget: 0,
        redundancy: 21,
        batchSize: 0,
        leaseSeconds: 5,
        featureDim: 1,
        strategyOptions: { beta: -1 },
      },
      researcher.token,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(issuePaths(bad.body)).toEqual([
      'batchSize',
      'budget',
      'featureDim',
      'leaseSeconds',
      'redundancy',
      'strategyOptions.beta',
    ]);
    const strategy = await app.post('/campaigns', { ...DEFAULT_CAMPAIGN, strategy: 'nope' }, researcher.token);
    expect(strategy.status).toBe(400);
    expect(issuePaths(strategy.body)).toEqual(['strategy']);
    expect(strategy.body.message).toContain('ae-borda');
    const model = await app.post(
      '/campaigns',
      { ...DEFAULT_CAMPAIGN, strategy: 'apo', model: 'borda-gp' },
      researcher.token,
    );
    expect(model.status).toBe(400);
    expect(issuePaths(model.body)).toEqual(['model']);
    const buffer = await app.post(
      '/campaigns',
      { ...DEFAULT_CAMPAIGN, batchSize: 64, bufferSize: 32 },
      researcher.token,
    );
    expect(issuePaths(buffer.body)).toEqual(['bufferSize']);
    const labelers = await app.post(
      '/campaigns',
      { ...DEFAULT_CAMPAIGN, labelerIds: [labeler.id, other.id] },
      researcher.token,
    );
    expect(labelers.status).toBe(400);
    expect(issuePaths(labelers.body)).toEqual(['labelerIds']);
    expect(labelers.body.message).toContain(other.id);
    const { rows } = await app.db.query('SELECT count(*)::int AS n FROM campaigns WHERE owner_id = $1 AND budget = 0', [
      researcher.id,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('walks the lifecycle and refuses invalid transitions with from/to', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const early = await app.post(`/campaigns/${campaign.id}/start`, {}, researcher.token);
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('two responses');
    const pause = await app.post(`/campaigns/${campaign.id}/pause`, {}, researcher.token);
    expect(pause.status).toBe(409);
    expect(pause.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'draft', to: 'paused' } });

    await importJsonl(app, researcher.token, campaign.id, jsonl(3, 2));
    const start = await app.post(`/campaigns/${campaign.id}/start`, {}, researcher.token);
    expect(start.status).toBe(200);
    expect(start.body.status).toBe('active');
    expect(start.body.startedAt).not.toBeNull();
    expect((await app.post(`/campaigns/${campaign.id}/archive`, {}, researcher.token)).body.details).toMatchObject({
      from: 'active',
      to: 'archived',
    });
    expect((await app.post(`/campaigns/${campaign.id}/pause`, {}, researcher.token)).body.status).toBe('paused');
    expect((await app.post(`/campaigns/${campaign.id}/resume`, {}, researcher.token)).body.status).toBe('active');
    expect((await app.post(`/campaigns/${campaign.id}/start`, {}, researcher.token)).status).toBe(409);

    // Completion withdraws open work: open comparisons are cancelled and live leases expire.
    const prompt = await app.db.query(`SELECT id FROM prompts WHERE campaign_id = $1 ORDER BY ordinal LIMIT 1`, [
      campaign.id,
    ]);
    const responses = await app.db.query(`SELECT id FROM responses WHERE prompt_id = $1 ORDER BY ordinal`, [
      prompt.rows[0].id,
    ]);
    const comparison = await app.db.query(
      `INSERT INTO comparisons (id, campaign_id, prompt_id, first_response_id, second_response_id, strategy, score, labels_required)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, 'ae-borda', 1, 1) RETURNING id`,
      [campaign.id, prompt.rows[0].id, responses.rows[0].id, responses.rows[1].id],
    );
    await app.db.query(
      `INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, first_on_left, expires_at)
       VALUES (gen_random_uuid(), $1, $2, $3, true, now() + interval '5 minutes')`,
      [campaign.id, comparison.rows[0].id, labeler.id],
    );
    const complete = await app.post(`/campaigns/${campaign.id}/complete`, {}, researcher.token);
    expect(complete.status).toBe(200);
    expect(complete.body.completedAt).not.toBeNull();
    const states = await app.db.query(
      `SELECT (SELECT state FROM comparisons WHERE campaign_id = $1) AS comparison,
              (SELECT state FROM assignments WHERE campaign_id = $1) AS assignment`,
      [campaign.id],
    );
    expect(states.rows[0]).toEqual({ comparison: 'cancelled', assignment: 'expired' });
    expect((await app.post(`/campaigns/${campaign.id}/resume`, {}, researcher.token)).body.details).toMatchObject({
      from: 'completed',
      to: 'active',
    });
    expect((await app.post(`/campaigns/${campaign.id}/archive`, {}, researcher.token)).body.status).toBe('archived');
    const jobs = await app.get(`/campaigns/${campaign.id}/jobs`, researcher.token);
    expect(jobs.status).toBe(200);
    expect(jobs.body.map((j: { name: string }) => j.name)).toContain('Featurize');
    const actions = (await app.get(`/campaigns/${campaign.id}/audit`, researcher.token)).body.map(
      (a: { action: string }) => a.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'campaign.start',
        'campaign.pause',
        'campaign.resume',
        'campaign.complete',
        'campaign.archive',
      ]),
    );
  });

  it('queues a final reward-model fit on completion when labels exist', async () => {
    const campaign = await createCampaign(app, researcher.token);
    await importJsonl(app, researcher.token, campaign.id, jsonl(2, 2));
    await app.post(`/campaigns/${campaign.id}/start`, {}, researcher.token);
    await app.db.query('UPDATE campaigns SET label_count = 3 WHERE id = $1', [campaign.id]);
    expect((await app.post(`/campaigns/${campaign.id}/complete`, {}, researcher.token)).status).toBe(200);
    const { rows } = await app.db.query(
      `SELECT state FROM job_runs WHERE campaign_id = $1 AND name = 'RewardModelFit'`,
      [campaign.id],
    );
    expect(rows).toEqual([{ state: 'queued' }]);
  });

  it('retrains on request once judgments exist, reusing a queued fit', async () => {
    const campaign = await createCampaign(app, researcher.token);
    await importJsonl(app, researcher.token, campaign.id, jsonl(2, 2));
    const draft = await app.post(`/campaigns/${campaign.id}/retrain`, {}, researcher.token);
    expect([draft.status, draft.body.code]).toEqual([409, 'INVALID_TRANSITION']);
    await app.post(`/campaigns/${campaign.id}/start`, {}, researcher.token);
    const empty = await app.post(`/campaigns/${campaign.id}/retrain`, {}, researcher.token);
    expect([empty.status, empty.body.code]).toEqual([409, 'CONFLICT']);
    await app.db.query('UPDATE campaigns SET label_count = 5 WHERE id = $1', [campaign.id]);
    for (let i = 0; i < 2; i++) {
      const res = await app.post(`/campaigns/${campaign.id}/retrain`, {}, researcher.token);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ queued: true, labelCount: 5 });
    }
    const { rows } = await app.db.query(
      `SELECT state FROM job_runs WHERE campaign_id = $1 AND name = 'RewardModelFit'`,
      [campaign.id],
    );
    expect(rows).toEqual([{ state: 'queued' }]);
  });

  it('patches tunables any time and structural fields only in draft', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const draft = await app.patch(
      `/campaigns/${campaign.id}`,
      { strategy: 'dts', model: 'linear-bt', featureDim: 16 },
      researcher.token,
    );
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ strategy: 'dts', model: 'linear-bt', featureDim: 16 });
    const incompatible = await app.patch(`/campaigns/${campaign.id}`, { strategy: 'ae-borda' }, researcher.token);
    expect(issuePaths(incompatible.body)).toEqual(['model']);
    await importJsonl(app, researcher.token, campaign.id, jsonl(2, 2));
    await app.post(`/campaigns/${campaign.id}/start`, {}, researcher.token);
    const tune = await app.patch(
      `/campaigns/${campaign.id}`,
      { name: 'Renamed', budget: 500, batchSize: 8, bufferSize: 8 },
      researcher.token,
    );
    expect(tune.status).toBe(200);
    expect(tune.body).toMatchObject({ name: 'Renamed', budget: 500, batchSize: 8, bufferSize: 8 });
    const structural = await app.patch(`/campaigns/${campaign.id}`, { seed: 7 }, researcher.token);
    expect(structural.status).toBe(409);
    expect(structural.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { field: 'seed' } });
    expect(structural.body.message).toContain('seed');
    await app.db.query('UPDATE campaigns SET label_count = 40 WHERE id = $1', [campaign.id]);
    const budget = await app.patch(`/campaigns/${campaign.id}`, { budget: 39 }, researcher.token);
    expect(budget.status).toBe(400);
    expect(issuePaths(budget.body)).toEqual(['budget']);
    const buffer = await app.patch(`/campaigns/${campaign.id}`, { bufferSize: 4 }, researcher.token);
    expect(issuePaths(buffer.body)).toEqual(['bufferSize']);
    const { rows } = await app.db.query('SELECT seed, budget, buffer_size FROM campaigns WHERE id = $1', [campaign.id]);
    expect(rows[0]).toEqual({ seed: 1, budget: 500, buffer_size: 8 });
  });

  it('checks roles and ownership on every route', async () => {
    const campaign = await createCampaign(app, researcher.token, { labelerIds: [labeler.id] });
    await importJsonl(app, researcher.token, campaign.id, jsonl(2, 2));
    const id = campaign.id;
    const routes: [string, string, unknown?][] = [
      ['GET', `/campaigns/${id}`],
      ['PATCH', `/campaigns/${id}`, { name: 'x' }],
      ['POST', `/campaigns/${id}/start`, {}],
      ['POST', `/campaigns/${id}/pause`, {}],
      ['POST', `/campaigns/${id}/resume`, {}],
      ['POST', `/campaigns/${id}/complete`, {}],
      ['POST', `/campaigns/${id}/archive`, {}],
      ['POST', `/campaigns/${id}/retrain`, {}],
      ['GET', `/campaigns/${id}/labelers`],
      ['PUT', `/campaigns/${id}/labelers`, { labelerIds: [] }],
      ['POST', `/campaigns/${id}/imports`, jsonl(1, 2, { start: 50 })],
      ['GET', `/campaigns/${id}/prompts`],
      ['GET', `/campaigns/${id}/jobs`],
      ['GET', `/campaigns/${id}/audit`],
    ];
    const call = (token: string, [method, path, body]: [string, string, unknown?]) =>
      app.request(method, path, { token, body }).then((r) => r.status);
    for (const route of routes) {
      expect([route[0], route[1], await call(other.token, route)]).toEqual([route[0], route[1], 404]);
      const asOutsider = await call(outsider.token, route);
      expect([route[1], asOutsider]).toEqual([route[1], route[0] === 'GET' && route[1].endsWith(id) ? 404 : 403]);
      const asLabeler = await call(labeler.token, route);
      expect([route[1], asLabeler]).toEqual([route[1], route[0] === 'GET' && route[1].endsWith(id) ? 200 : 403]);
      expect((await app.request(route[0], route[1])).status).toBe(401);
    }
    expect(await call(admin.token, ['GET', `/campaigns/${id}`])).toBe(200);
    expect(await call(admin.token, ['PATCH', `/campaigns/${id}`, { name: 'by admin' }])).toBe(200);
    expect(await call(admin.token, ['GET', `/campaigns/${id}/prompts`])).toBe(200);
    expect(await call(labeler.token, ['POST', '/campaigns', DEFAULT_CAMPAIGN])).toBe(403);
    const { rows } = await app.db.query('SELECT status, name FROM campaigns WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'draft', name: 'by admin' });
  });

  it('lists campaigns by role and gives labelers the reduced view with their work', async () => {
    const mine = await createCampaign(app, researcher.token, { name: 'Mine', labelerIds: [labeler.id] });
    const theirs = await createCampaign(app, other.token, { name: 'Theirs' });
    await importJsonl(app, researcher.token, mine.id, jsonl(2, 3));
    const prompt = await app.db.query(`SELECT id FROM prompts WHERE campaign_id = $1 ORDER BY ordinal LIMIT 1`, [
      mine.id,
    ]);
    const responses = await app.db.query(`SELECT id FROM responses WHERE prompt_id = $1 ORDER BY ordinal`, [
      prompt.rows[0].id,
    ]);
    const insert = (first: number, second: number, state = 'open') =>
      app.db.query(
        `INSERT INTO comparisons (id, campaign_id, prompt_id, first_response_id, second_response_id, strategy, score, labels_required, state)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, 'ae-borda', 1, 1, $5) RETURNING id`,
        [mine.id, prompt.rows[0].id, responses.rows[first].id, responses.rows[second].id, state],
      );
    await insert(0, 1);
    await insert(0, 2);
    await insert(1, 2, 'cancelled');
    const taken = await insert(1, 0);
    await app.db.query(
      `INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, first_on_left, expires_at)
       VALUES (gen_random_uuid(), $1, $2, $3, true, now() + interval '5 minutes')`,
      [mine.id, taken.rows[0].id, labeler.id],
    );

    const asResearcher = await app.get('/campaigns', researcher.token);
    const names = asResearcher.body.map((c: { name: string }) => c.name);
    expect(names).toContain('Mine');
    expect(names).not.toContain('Theirs');
    const asAdmin = (await app.get('/campaigns', admin.token)).body.map((c: { id: string }) => c.id);
    expect(asAdmin).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    const asLabeler = await app.get('/campaigns', labeler.token);
    const entry = asLabeler.body.find((c: { id: string }) => c.id === mine.id);
    expect(entry).toEqual({
      id: mine.id,
      name: 'Mine',
      guidelines: DEFAULT_CAMPAIGN.guidelines,
      status: 'draft',
      progress: { labelCount: 0, budget: 200, remaining: 2, done: 0 },
    });
    expect(asLabeler.body.some((c: { id: string }) => c.id === theirs.id)).toBe(false);
    expect((await app.get('/campaigns', outsider.token)).body).toEqual([]);
    const reduced = await app.get(`/campaigns/${mine.id}`, labeler.token);
    expect(reduced.body).toEqual(entry);
    const full = await app.get(`/campaigns/${mine.id}`, researcher.token);
    expect(full.body.counts).toEqual({
      prompts: 2,
      responses: 6,
      comparisons: { open: 3, complete: 0, cancelled: 1 },
      labels: 0,
      skips: 0,
    });
    expect(full.body.budgetUsed).toBe(0);
  });

  it('replaces the labeler set and checks the role', async () => {
    const campaign = await createCampaign(app, researcher.token, { labelerIds: [labeler.id] });
    const bad = await app.request('PUT', `/campaigns/${campaign.id}/labelers`, {
      token: researcher.token,
      body: { labelerIds: [outsider.id, admin.id] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain(admin.id);
    const ok = await app.request('PUT', `/campaigns/${campaign.id}/labelers`, {
      token: researcher.token,
      body: { labelerIds: [outsider.id] },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.map((l: { id: string }) => l.id)).toEqual([outsider.id]);
    const listed = await app.get(`/campaigns/${campaign.id}/labelers`, researcher.token);
    expect(listed.body).toEqual([expect.objectContaining({ id: outsider.id, email: outsider.email })]);
    expect((await app.get(`/campaigns/${campaign.id}`, labeler.token)).status).toBe(404);
    expect((await app.get(`/campaigns/${campaign.id}`, outsider.token)).status).toBe(200);
  });

  it('pages prompts with their responses and no embeddings', async () => {
    const campaign = await createCampaign(app, researcher.token);
    await importJsonl(app, researcher.token, campaign.id, jsonl(5, 3));
    const first = await app.get(`/campaigns/${campaign.id}/prompts?limit=2`, researcher.token);
    expect(first.status).toBe(200);
    expect(first.body.items.map((p: { externalId: string }) => p.externalId)).toEqual(['p0', 'p1']);
    expect(first.body.items[0].responses).toHaveLength(3);
    expect(first.body.items[0]).not.toHaveProperty('embedding');
    expect(first.body.items[0].responses[0]).not.toHaveProperty('embedding');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { externalId: string }[]; nextCursor: string | null } } = await app.get(
        `/campaigns/${campaign.id}/prompts?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        researcher.token,
      );
      seen.push(...page.body.items.map((p: { externalId: string }) => p.externalId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect((await app.get(`/campaigns/${campaign.id}/prompts?limit=0`, researcher.token)).status).toBe(400);
  });
});
