/**
 * WORKER_JOBS: a worker process serves only the queues it is given, and the launcher gives buffer
 * refills processes of their own (launcher/worker-roles.ts), so no fit can hold them up.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/env';
import { JOB_NAMES, JobName } from '../src/jobs/job-names';
import { workerRoles } from '../src/launcher/worker-roles';
import { ADMIN_URL } from './support/global-setup';
import { startTestApp, type TestApp, waitFor } from './support/harness';

const baseEnv = { DATABASE_URL: ADMIN_URL, JWT_SECRET: 'x'.repeat(32) };

describe('WORKER_JOBS', () => {
  it('defaults to every job and refuses an unknown name, naming the variable', () => {
    expect(loadConfig(baseEnv).workerJobs).toEqual(JOB_NAMES);
    expect(loadConfig({ ...baseEnv, WORKER_JOBS: ' ComparisonSelect ,PolicyFit,PolicyFit' }).workerJobs).toEqual([
      JobName.ComparisonSelect,
      JobName.PolicyFit,
    ]);
    expect(() => loadConfig({ ...baseEnv, WORKER_JOBS: 'ComparisonSelect,Fit' })).toThrow(
      /WORKER_JOBS.*unknown job Fit/,
    );
  });

  it('the launcher splits selection from everything else unless told not to', () => {
    const roles = workerRoles(2, 1);
    expect(roles.map((r) => r.name)).toEqual(['worker 1', 'worker 2', 'selection worker 1']);
    expect(roles[2].jobs).toEqual([JobName.ComparisonSelect]);
    for (const general of roles.slice(0, 2)) {
      expect(general.jobs).not.toContain(JobName.ComparisonSelect);
      expect([...general.jobs, JobName.ComparisonSelect].sort()).toEqual([...JOB_NAMES].sort());
    }
    expect(workerRoles(1, 0)).toEqual([{ name: 'worker 1', jobs: JOB_NAMES }]);
  });
});

describe('a worker serves only its jobs', () => {
  let app: TestApp | undefined;
  afterAll(() => app?.close());

  it('a campaign is featurized by one worker and its buffer filled only once a selection worker runs', async () => {
    app = await startTestApp({ workers: true, env: { WORKER_JOBS: 'Featurize,RewardModelFit,PolicyFit' } });
    const researcher = await app.createUser('researcher');
    const created = await app.post('/campaigns', { name: 'roles', strategy: 'uniform', budget: 10 }, researcher.token);
    expect(created.status, created.text).toBe(201);
    const id: string = created.body.id;
    const imported = await app.request('POST', `/campaigns/${id}/imports`, {
      token: researcher.token,
      body: '{"id":"p1","prompt":"Hi","responses":[{"id":"a","text":"one"},{"id":"b","text":"two"}]}\n',
    });
    expect(imported.status, imported.text).toBe(201);
    expect((await app.post(`/campaigns/${id}/start`, {}, researcher.token)).status).toBe(200);
    const states = async (name: JobName) =>
      (
        await app!.db.query<{ state: string }>(
          `SELECT state::text FROM job_runs WHERE campaign_id = $1 AND name = $2`,
          [id, name],
        )
      ).rows.map((r) => r.state);

    await waitFor(
      async () => ((await states(JobName.ComparisonSelect)).length > 0 ? true : null),
      20_000,
      'featurization to finish and queue a selection',
    );
    expect(await states(JobName.Featurize)).toContain('completed');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await states(JobName.ComparisonSelect)).toEqual(['queued']); // nobody here serves it

    const selection = await createWorkerApp({ ...app.config, workerJobs: [JobName.ComparisonSelect] });
    try {
      await waitFor(
        async () => ((await states(JobName.ComparisonSelect)).includes('completed') ? true : null),
        20_000,
        'the selection worker to fill the buffer',
      );
      const { rows } = await app.db.query(`SELECT count(*)::int AS n FROM comparisons WHERE campaign_id = $1`, [id]);
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await selection.close();
    }
  });
});
