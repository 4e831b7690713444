/**
 * Failure and recovery of the learning jobs: a job that keeps throwing ends failed with its error;
 * after a Redis flush and a worker restart, reconciliation re-runs unfinished work from Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobChain } from '../src/jobs/job-chain.service';
import { JobDispatcher } from '../src/jobs/job-dispatcher.service';
import { JOB_RETRY, JobName } from '../src/jobs/job-names';
import { type TestApp, type TestUser, startTestApp, waitFor } from './support/harness';
import { fixtureRng, seedCampaign, seedJudgments } from './support/learning-fixtures';

let app: TestApp;
let researcher: TestUser;
let labeler: TestUser;

beforeAll(async () => {
  app = await startTestApp({ workers: true });
  researcher = await app.createUser('researcher');
  labeler = await app.createUser('labeler');
});

afterAll(async () => {
  await app?.close();
});

const embedding = (p: number, r: number | null) => {
  const rand = fixtureRng(p * 101 + (r ?? -1) * 7 + 5);
  return Array.from({ length: 6 }, () => rand() * 2 - 1);
};

describe('a job that throws', () => {
  it('ends failed with its error once the retries are spent', async () => {
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 6,
      responsesPerPrompt: 3,
      featureDim: 6,
      embedding,
      status: 'paused',
    });
    const { rows } = await app.db.query(
      `INSERT INTO model_versions (id, campaign_id, version, kind, label_count, metrics, parameters)
       VALUES (gen_random_uuid(), $1, 1, 'borda-gp', 0, '{}', '{"kind": "corrupt"}') RETURNING id`,
      [seeded.campaignId],
    );
    const { run } = await app.http
      .get(JobDispatcher)
      .enqueue(JobName.PolicyFit, { campaignId: seeded.campaignId, modelVersionId: rows[0].id });
    const failed = await waitFor(
      async () => {
        const r = await app.db.query('SELECT state, error, attempts FROM job_runs WHERE id = $1', [run.id]);
        return r.rows[0].state === 'failed' ? r.rows[0] : null;
      },
      45_000,
      'the PolicyFit run to fail',
    );
    expect(failed.error).toMatch(/unknown kind "corrupt"/);
    expect(failed.attempts).toBe(JOB_RETRY[JobName.PolicyFit].attempts);
    const { rows: policies } = await app.db.query('SELECT 1 FROM policy_versions WHERE campaign_id = $1', [
      seeded.campaignId,
    ]);
    expect(policies).toHaveLength(0);
  });
});

describe('reconciliation after a Redis flush', () => {
  it('re-runs the unfinished fit and refills the buffer, losing no label', async () => {
    await app.stopWorkers();
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 20,
      responsesPerPrompt: 3,
      featureDim: 6,
      embedding,
      bufferSize: 8,
      batchSize: 4,
    });
    const { campaignId } = seeded;
    await seedJudgments(app.db, seeded, {
      labelerId: labeler.id,
      count: 90,
      utility: (p, r) => 2 * embedding(p, r)[0],
    });
    // A fit queued while no worker runs, then Redis forgets every queue.
    await app.http.get(JobChain).fitNow(campaignId);
    const { rows: queued } = await app.db.query(
      `SELECT id, state FROM job_runs WHERE campaign_id = $1 AND name = 'RewardModelFit'`,
      [campaignId],
    );
    expect(queued).toEqual([{ id: queued[0].id, state: 'queued' }]);
    expect(await app.flushRedis()).toBeGreaterThan(0);

    await app.startWorkers();
    // The same run row was put back on the queue and completes: no second fit run.
    await waitFor(
      async () => {
        const r = await app.db.query(
          `SELECT id, state FROM job_runs WHERE campaign_id = $1 AND name = 'RewardModelFit'`,
          [campaignId],
        );
        return r.rows.length === 1 && r.rows[0].id === queued[0].id && r.rows[0].state === 'completed';
      },
      45_000,
      'the fit to run after the restart',
    );
    const { rows: versions } = await app.db.query(
      'SELECT label_count, metrics FROM model_versions WHERE campaign_id = $1',
      [campaignId],
    );
    expect(versions).toHaveLength(1);
    expect(versions[0].label_count).toBe(90);
    expect(versions[0].metrics.trainSize + versions[0].metrics.testSize).toBe(90);
    await waitFor(
      async () => {
        const r = await app.db.query(
          `SELECT count(*)::int AS n FROM comparisons WHERE campaign_id = $1 AND state = 'open'`,
          [campaignId],
        );
        return r.rows[0].n === 8;
      },
      45_000,
      'the buffer to be refilled',
    );
    const { rows: labels } = await app.db.query('SELECT count(*)::int AS n FROM labels WHERE campaign_id = $1', [
      campaignId,
    ]);
    expect(labels[0].n).toBe(90);
  });

  it('queues Featurize for rows without features', async () => {
    await app.stopWorkers();
    const seeded = await seedCampaign(app.db, { ownerId: researcher.id, prompts: 4, responsesPerPrompt: 2 });
    await app.startWorkers();
    await waitFor(
      async () => {
        const r = await app.db.query(
          `SELECT count(*)::int AS n FROM responses WHERE campaign_id = $1 AND featurized_at IS NULL`,
          [seeded.campaignId],
        );
        return r.rows[0].n === 0;
      },
      30_000,
      'featurization after the restart',
    );
  });
});
