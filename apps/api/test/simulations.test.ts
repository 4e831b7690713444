import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDispatcher } from '../src/jobs/job-dispatcher.service';
import { JobName } from '../src/jobs/job-names';
import { startTestApp, waitFor, type TestApp, type TestUser } from './support/harness';

describe('simulations', () => {
  let app: TestApp;
  let researcher: TestUser;
  let other: TestUser;
  let admin: TestUser;
  const tiny = {
    environment: 'branin',
    gridSize: 5,
    strategies: ['uniform', 'ae-borda'],
    budget: 30,
    batchSize: 5,
    seeds: 2,
  };

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    [researcher, other, admin] = await Promise.all([
      app.createUser('researcher'),
      app.createUser('researcher'),
      app.createUser('admin'),
    ]);
  });
  afterAll(() => app?.close());

  it('validates the request against the simulator registries before queueing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...tiny, environment: 'atlantis' }, 'environment'],
      [{ ...tiny, environment: '/etc/passwd.json' }, 'environment'],
      [{ ...tiny, strategies: ['uniform', 'psychic'] }, 'strategies.1'],
      [{ ...tiny, strategies: [] }, 'strategies'],
      [{ ...tiny, budget: 5000 }, 'budget'],
      [{ ...tiny, seeds: 21 }, 'seeds'],
    ];
    for (const [body, path] of cases) {
      const res = await app.post('/simulations', body, researcher.token);
      expect(res.status, path).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(
        res.body.details.issues.map((i: any) => i.path),
        path,
      ).toContain(path);
    }
    const dup = await app.post('/simulations', { ...tiny, strategies: ['uniform', 'uniform'] }, researcher.token);
    expect(dup.status).toBe(400);
    expect(dup.body.message).toContain('twice');
    const small = await app.post('/simulations', { ...tiny, budget: 3, batchSize: 5 }, researcher.token);
    expect(small.status).toBe(400);
    const labeler = await app.createUser('labeler');
    expect((await app.post('/simulations', tiny, labeler.token)).status).toBe(403);
    const rows = await app.db.query('SELECT count(*)::int AS n FROM simulations');
    expect(rows.rows[0].n).toBe(0);
  });

  it('runs every (strategy, seed) in the worker and stores curves with 95% intervals', async () => {
    const created = await app.post('/simulations', tiny, researcher.token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'queued', progress: 0, ownerId: researcher.id });
    const id = created.body.id;
    const done = await waitFor(
      async () => {
        const res = await app.get(`/simulations/${id}`, researcher.token);
        return ['completed', 'failed'].includes(res.body.state) ? res.body : null;
      },
      90_000,
      'the simulation to finish',
    );
    expect(done.error).toBeNull();
    expect(done.state).toBe('completed');
    expect(done.progress).toBe(1);
    const result = done.result;
    expect(result.environment).toMatchObject({ prompts: 5, responses: 25 });
    expect(result.strategies.map((s: any) => s.strategy)).toEqual(['uniform', 'ae-borda']);
    expect(result.runs).toHaveLength(4);
    for (const s of result.strategies) {
      expect(s.seeds).toEqual([1, 2]);
      const { labels, subOptMax } = s.aggregate;
      expect(labels[0]).toBe(0);
      expect(labels.at(-1)).toBe(30);
      expect(subOptMax.mean).toHaveLength(labels.length);
      expect(subOptMax.halfWidth.every((h: number) => h >= 0)).toBe(true);
      const finals = result.runs.filter((r: any) => r.strategy === s.strategy).map((r: any) => r.finalSubOptMax);
      expect(s.final.subOptMax.mean).toBeCloseTo((finals[0] + finals[1]) / 2);
    }
    // uniform is in the set, so every strategy gets its label-efficiency ratio against it.
    expect(result.strategies[1]).toHaveProperty('labelEfficiencyRatio');
    // The job's mirror row is closed by the tracker after the processor returns, a moment after the
    // simulation row itself says completed.
    const run = await waitFor(
      async () => {
        const { rows } = await app.db.query(`SELECT state, progress FROM job_runs WHERE name = 'SimulationRun'`);
        return rows[0]?.state === 'active' ? null : rows;
      },
      10_000,
      'the SimulationRun job run to close',
    );
    expect(run).toEqual([{ state: 'completed', progress: 1 }]);
  });

  it('lists own simulations (admins all) and hides others behind 404', async () => {
    const mine = await app.get('/simulations', researcher.token);
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0].result).toBeUndefined();
    const theirs = await app.post('/simulations', { ...tiny, strategies: ['uniform'], seeds: 1 }, other.token);
    expect((await app.get('/simulations', other.token)).body.items).toHaveLength(1);
    const all = await app.get('/simulations?limit=1', admin.token);
    expect(all.body.items.map((s: any) => s.id)).toEqual([theirs.body.id]);
    const next = await app.get(`/simulations?limit=1&cursor=${all.body.nextCursor}`, admin.token);
    expect(next.body).toMatchObject({ items: [{ ownerId: researcher.id }], nextCursor: null });
    expect((await app.get(`/simulations/${theirs.body.id}`, researcher.token)).status).toBe(404);
    expect((await app.get(`/simulations/${theirs.body.id}`, admin.token)).status).toBe(200);
    await waitFor(
      async () => (await app.get(`/simulations/${theirs.body.id}`, other.token)).body.state === 'completed',
    );
  });

  it('runs off the event loop: the process keeps answering while a simulation computes', async () => {
    const created = await app.post(
      '/simulations',
      { environment: 'branin', gridSize: 20, strategies: ['ae-borda'], budget: 1500, batchSize: 1, seeds: 2 },
      researcher.token,
    );
    expect(created.status, created.text).toBe(201);
    await waitFor(
      async () => (await app.get(`/simulations/${created.body.id}`, researcher.token)).body.state === 'running',
    );
    // The HTTP app and the workers share this test process: a simulation on the main thread would
    // hold every request for the length of a run.
    let slowest = 0;
    let samples = 0;
    while ((await app.get(`/simulations/${created.body.id}`, researcher.token)).body.state === 'running') {
      const started = performance.now();
      expect((await app.get('/health')).status).toBe(200);
      slowest = Math.max(slowest, performance.now() - started);
      samples++;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(samples).toBeGreaterThan(5);
    expect(slowest).toBeLessThan(500);
    const done = await app.get(`/simulations/${created.body.id}`, researcher.token);
    expect(done.body.state).toBe('completed');
  });

  it('marks the simulation failed when its job fails for good', async () => {
    // A config the API would refuse, written straight to the table: the worker must not retry it.
    const row = await app.db.query(
      `INSERT INTO simulations (id, owner_id, config) VALUES (gen_random_uuid(), $1, $2) RETURNING id`,
      [researcher.id, JSON.stringify({ ...tiny, strategies: ['psychic'], seedStart: 1, environmentSeed: 1 })],
    );
    const id = row.rows[0].id;
    await app.http.get(JobDispatcher).enqueue(JobName.SimulationRun, { simulationId: id });
    const failed = await waitFor(async () => {
      const res = await app.get(`/simulations/${id}`, researcher.token);
      return res.body.state === 'failed' ? res.body : null;
    });
    expect(failed.error).toContain('psychic');
    const run = await app.db.query(`SELECT state, attempts FROM job_runs WHERE payload->>'simulationId' = $1`, [id]);
    expect(run.rows).toEqual([{ state: 'failed', attempts: 1 }]);
  });
});
