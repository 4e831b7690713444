/**
 * A trigger that arrives while a job of the same key runs is kept as one queued successor, which
 * starts only when the running one has finished; so a fit asked for during a fit (more labels, the
 * budget reached) is never dropped, and the last model covers every label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobChain } from '../src/jobs/job-chain.service';
import { JobDispatcher } from '../src/jobs/job-dispatcher.service';
import { JobName, bullJobId, jobKey } from '../src/jobs/job-names';
import { ReconcileRepository } from '../src/workers/reconcile.repository';
import { type TestApp, type TestUser, startTestApp, waitFor } from './support/harness';
import { fixtureRng, seedCampaign, seedJudgments } from './support/learning-fixtures';

function embedding(p: number, r: number | null): number[] {
  const rand = fixtureRng(p * 131 + (r ?? -1) * 17 + 5);
  return Array.from({ length: 8 }, () => rand() * 2 - 1);
}
const utility = (p: number, r: number) => 3 * embedding(p, r)[0];

async function fitRuns(app: TestApp, campaignId: string) {
  const { rows } = await app.db.query<{ id: string; state: string; error: string | null }>(
    `SELECT id, state, error FROM job_runs WHERE campaign_id = $1 AND name = 'RewardModelFit' ORDER BY queued_at`,
    [campaignId],
  );
  return rows;
}

describe('job successors (no workers)', () => {
  let app: TestApp;
  let owner: TestUser;
  beforeAll(async () => {
    app = await startTestApp(); // no workers: runs stay where the test puts them
    owner = await app.createUser('researcher');
  });
  afterAll(() => app?.close());

  it('dedupes while queued, queues exactly one successor while running', async () => {
    const { campaignId } = await seedCampaign(app.db, { ownerId: owner.id, prompts: 2, responsesPerPrompt: 2 });
    const dispatcher = app.http.get(JobDispatcher);
    const first = await dispatcher.enqueue(JobName.RewardModelFit, { campaignId });
    const again = await dispatcher.enqueue(JobName.RewardModelFit, { campaignId });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, run: { id: first.run.id } });

    // The first run starts: a trigger now must not be swallowed by it.
    await app.db.query(`UPDATE job_runs SET state = 'active' WHERE id = $1`, [first.run.id]);
    const successor = await dispatcher.enqueue(JobName.RewardModelFit, { campaignId });
    const third = await dispatcher.enqueue(JobName.RewardModelFit, { campaignId });
    expect(successor.created).toBe(true);
    expect(successor.run.id).not.toBe(first.run.id);
    expect(third).toMatchObject({ created: false, run: { id: successor.run.id } });
    expect((await fitRuns(app, campaignId)).map((r) => r.state)).toEqual(['active', 'queued']);

    // Both are distinct BullMQ jobs (the same id would make BullMQ ignore the successor).
    const queue = dispatcher.queue(JobName.RewardModelFit);
    const key = jobKey(JobName.RewardModelFit, { campaignId });
    expect(await queue.getJob(bullJobId(key, first.run.id))).toBeTruthy();
    expect(await queue.getJob(bullJobId(key, successor.run.id))).toBeTruthy();
    // Postgres keeps a second run of the key from becoming active while one is.
    await expect(
      app.db.query(`UPDATE job_runs SET state = 'active' WHERE id = $1`, [successor.run.id]),
    ).rejects.toThrow(/job_runs_active_key/);
  });
});

describe('job successors (workers)', () => {
  let app: TestApp;
  let owner: TestUser;
  let labeler: TestUser;
  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    owner = await app.createUser('researcher');
    labeler = await app.createUser('labeler');
  });
  afterAll(() => app?.close());

  it('a fit asked for while one runs waits for it, then fits every label', async () => {
    const seeded = await seedCampaign(app.db, {
      ownerId: owner.id,
      prompts: 10,
      responsesPerPrompt: 3,
      embedding,
      retrainEvery: 1_000,
      bufferSize: 0,
    });
    const { campaignId } = seeded;
    await seedJudgments(app.db, seeded, { labelerId: labeler.id, count: 40, utility });
    // A fit of this key is running elsewhere (another worker): Postgres says so.
    const key = jobKey(JobName.RewardModelFit, { campaignId });
    const { rows } = await app.db.query<{ id: string }>(
      `INSERT INTO job_runs (id, campaign_id, name, job_key, payload, state, started_at)
       VALUES (gen_random_uuid(), $1, 'RewardModelFit', $2, $3, 'active', now()) RETURNING id`,
      [campaignId, key, JSON.stringify({ campaignId })],
    );
    // The budget is reached meanwhile: the completion fit is queued as the successor.
    await app.db.query(`UPDATE campaigns SET status = 'completed' WHERE id = $1`, [campaignId]);
    await app.http.get(JobChain).fitNow(campaignId);
    const [running, successor] = await fitRuns(app, campaignId);
    expect(successor.state).toBe('queued');
    // It does not start while the other run is active...
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await fitRuns(app, campaignId))[1].state).toBe('queued');
    // ...and runs as soon as that one finishes.
    await app.db.query(`UPDATE job_runs SET state = 'completed', finished_at = now() WHERE id = $1`, [running.id]);
    await waitFor(
      async () => ((await fitRuns(app, campaignId))[1].state === 'completed' ? true : null),
      60_000,
      'the successor fit completes',
    );
    const version = await app.db.query(
      'SELECT label_count FROM model_versions WHERE campaign_id = $1 ORDER BY version DESC LIMIT 1',
      [campaignId],
    );
    expect(version.rows[0].label_count).toBe(40);
    expect(rows[0].id).toBe(running.id);
  });

  it('reconciliation fits a completed campaign whose last model misses labels', async () => {
    const seeded = await seedCampaign(app.db, {
      ownerId: owner.id,
      prompts: 6,
      responsesPerPrompt: 3,
      embedding,
      status: 'completed',
      retrainEvery: 1_000,
    });
    await seedJudgments(app.db, seeded, { labelerId: labeler.id, count: 30, utility });
    await app.db.query(
      `INSERT INTO model_versions (id, campaign_id, version, kind, label_count, metrics, parameters)
       VALUES (gen_random_uuid(), $1, 1, 'borda-gp', 25, '{}', '{}')`,
      [seeded.campaignId],
    );
    expect(await app.workers!.get(ReconcileRepository).campaignsNeedingFit()).toContain(seeded.campaignId);
  });
});
