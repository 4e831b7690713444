/**
 * A job whose failure cannot be recorded (the database refuses the write) is run again later rather
 * than dropped with its job_runs row left active: the failure is recorded once the database takes it.
 * The fault is real: a trigger makes Postgres refuse to mark this one run failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDispatcher } from '../src/jobs/job-dispatcher.service';
import { JOB_RETRY, JobName, bullJobId } from '../src/jobs/job-names';
import { type TestApp, type TestUser, startTestApp, waitFor } from './support/harness';
import { fixtureRng, seedCampaign } from './support/learning-fixtures';

let app: TestApp;
let researcher: TestUser;

beforeAll(async () => {
  app = await startTestApp({ workers: true });
  researcher = await app.createUser('researcher');
});
afterAll(() => app?.close());

const embedding = (p: number, r: number | null) => {
  const rand = fixtureRng(p * 53 + (r ?? -1) * 11 + 3);
  return Array.from({ length: 6 }, () => rand() * 2 - 1);
};

describe('recording a failure', () => {
  it('runs the job again until its failure can be written, instead of leaving the run active', async () => {
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 6,
      responsesPerPrompt: 3,
      featureDim: 6,
      embedding,
      status: 'paused',
    });
    // A model version nobody can load: every PolicyFit attempt on it throws.
    const { rows } = await app.db.query(
      `INSERT INTO model_versions (id, campaign_id, version, kind, label_count, metrics, parameters)
       VALUES (gen_random_uuid(), $1, 1, 'borda-gp', 0, '{}', '{"kind": "corrupt"}') RETURNING id`,
      [seeded.campaignId],
    );
    // Postgres refuses to mark runs of this campaign failed until the trigger is dropped.
    await app.db.query(`
      CREATE FUNCTION refuse_failed_run() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.state = 'failed' THEN RAISE EXCEPTION 'the database refuses this write'; END IF;
        RETURN NEW;
      END $$`);
    await app.db.query(
      `CREATE TRIGGER refuse_failed_run BEFORE UPDATE ON job_runs FOR EACH ROW
         WHEN (NEW.campaign_id = '${seeded.campaignId}'::uuid) EXECUTE FUNCTION refuse_failed_run()`,
    );
    const { run } = await app.http
      .get(JobDispatcher)
      .enqueue(JobName.PolicyFit, { campaignId: seeded.campaignId, modelVersionId: rows[0].id });
    const state = async () =>
      (await app.db.query('SELECT state, error, attempts FROM job_runs WHERE id = $1', [run.id])).rows[0];

    // Every attempt is spent and the failure cannot be written: the job keeps coming back.
    const attempts = JOB_RETRY[JobName.PolicyFit].attempts;
    await waitFor(
      async () => ((await state()).attempts >= attempts ? true : null),
      60_000,
      'the last attempt of the PolicyFit',
    );
    const job = await app.http.get(JobDispatcher).queue(JobName.PolicyFit).getJob(bullJobId(run.jobKey, run.id));
    await waitFor(async () => ((await job?.getState()) === 'delayed' ? true : null), 20_000, 'the job to be delayed');
    expect((await state()).state).toBe('active');

    await app.db.query('DROP TRIGGER refuse_failed_run ON job_runs');
    const failed = await waitFor(
      async () => {
        const s = await state();
        return s.state === 'failed' ? s : null;
      },
      30_000,
      'the failure to be recorded',
    );
    expect(failed.error).toMatch(/unknown kind "corrupt"/);
    expect(failed.attempts).toBe(attempts);
  });
});
