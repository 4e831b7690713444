/**
 * The buffer a campaign keeps ahead of its labelers (issue 11 item 2): counted in AVAILABLE slots, so
 * leased comparisons no longer hide an empty buffer; sized by the workers from the labeling rate; the
 * rule itself (jobs/buffer-target.ts) against values worked by hand.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignJobsRepository } from '../src/jobs/campaign-jobs.repository';
import { JobChain } from '../src/jobs/job-chain.service';
import {
  MAX_HORIZON_SECONDS,
  MAX_TARGET_SLOTS,
  MIN_HORIZON_SECONDS,
  bufferTarget,
  refillDue,
  refillHorizon,
} from '../src/jobs/buffer-target';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

describe('the buffer rule', () => {
  const quiet = {
    bufferSize: 32,
    redundancy: 1,
    recentLabels: 0,
    activeLabelers: 0,
    assignedLabelers: 0,
    selectionSeconds: 0,
    modelUpdateSeconds: 0,
  };

  it('keeps the researcher floor (bufferSize × redundancy) while nobody labels', () => {
    expect(bufferTarget(quiet)).toBe(32);
    expect(bufferTarget({ ...quiet, redundancy: 3 })).toBe(96);
  });

  it('grows with the labeling rate, the refill horizon and the labelers at work', () => {
    // 30 labelers at one judgment per 5 s: 360 judgments a minute, 6/s. Selections of 4 s and fits of
    // 12 s: H = 2·4 + 12 = 20 s, so 6·20 = 120 slots, plus one prefetch per labeler: 150.
    const crowd = { ...quiet, recentLabels: 360, activeLabelers: 30, selectionSeconds: 4, modelUpdateSeconds: 12 };
    expect(refillHorizon(crowd)).toBe(20);
    expect(bufferTarget(crowd)).toBe(150);
    // A slower crowd on the same campaign needs less, but never below the floor.
    expect(bufferTarget({ ...crowd, recentLabels: 60, activeLabelers: 5 })).toBe(32);
  });

  it('before the first judgment, makes room for each assigned labeler and a prefetch (capped)', () => {
    expect(bufferTarget({ ...quiet, assignedLabelers: 30 })).toBe(60);
    expect(bufferTarget({ ...quiet, assignedLabelers: 5 })).toBe(32); // the floor
    expect(bufferTarget({ ...quiet, assignedLabelers: 5000 })).toBe(640); // 10 labelers per bufferSize, 2 leases each
    expect(bufferTarget({ ...quiet, assignedLabelers: 5000, redundancy: 3 })).toBe(640);
    // Once judgments flow, the rate decides, not the assignment list.
    expect(bufferTarget({ ...quiet, assignedLabelers: 5000, recentLabels: 60, activeLabelers: 3 })).toBe(32);
  });

  it('bounds the horizon and the target', () => {
    expect(refillHorizon({ selectionSeconds: 0, modelUpdateSeconds: 0 })).toBe(MIN_HORIZON_SECONDS);
    expect(refillHorizon({ selectionSeconds: 1_000, modelUpdateSeconds: 0 })).toBe(MAX_HORIZON_SECONDS);
    expect(bufferTarget({ ...quiet, recentLabels: 1e9, activeLabelers: 10 })).toBe(MAX_TARGET_SLOTS);
  });

  it('refills below half the target, and waits for a pending model only above a quarter', async () => {
    const pending = async () => true;
    const idle = async () => false;
    expect(await refillDue(50, 100, idle)).toBe(false);
    expect(await refillDue(49, 100, idle)).toBe(true);
    expect(await refillDue(49, 100, pending)).toBe(false);
    expect(await refillDue(25, 100, pending)).toBe(false);
    expect(await refillDue(24, 100, pending)).toBe(true);
    expect(await refillDue(0, 1, pending)).toBe(true);
    let asked = false;
    await refillDue(80, 100, async () => (asked = true));
    expect(asked).toBe(false); // the pending-model query is only made when it can change the answer
  });
});

describe('buffer accounting in the service', () => {
  let app: TestApp;
  let owner: TestUser;
  let labelers: TestUser[];
  beforeAll(async () => {
    app = await startTestApp(); // no workers: queued jobs stay queued for inspection
    owner = await app.createUser('researcher');
    labelers = [];
    for (let i = 0; i < 4; i++) labelers.push(await app.createUser('labeler'));
  });
  afterAll(() => app?.close());

  const selects = async (campaignId: string) =>
    (
      await app.db.query(
        `SELECT count(*)::int AS n FROM job_runs WHERE campaign_id = $1 AND name = 'ComparisonSelect'`,
        [campaignId],
      )
    ).rows[0].n;
  const next = async (campaignId: string, user: TestUser) =>
    (await app.post(`/campaigns/${campaignId}/next`, {}, user.token)).body;

  it('counts leased comparisons as used: a buffer whose slots are all held is refilled', async () => {
    const { campaignId } = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: labelers.map((l) => l.id),
      prompts: 4,
      comparisons: 6,
      bufferSize: 8,
    });
    const buffers = app.http.get(CampaignJobsRepository);
    // 6 of 8 available, counted up to half the target (all a refill decision needs).
    expect(await buffers.buffer({ campaignId })).toEqual({ status: 'active', target: 8, available: 4 });
    await app.http.get(JobChain).refillIfLow(campaignId);
    expect(await selects(campaignId)).toBe(0);

    // Three labelers lease a comparison each: still 6 open comparisons, but 3 available slots.
    for (const labeler of labelers.slice(0, 3)) expect((await next(campaignId, labeler)).assignment).not.toBeNull();
    expect(await buffers.buffer({ campaignId })).toEqual({ status: 'active', target: 8, available: 3 });
    await app.http.get(JobChain).refillIfLow(campaignId);
    expect(await selects(campaignId)).toBe(1);
  });

  it('follows the target the workers sized from the labeling rate', async () => {
    const { campaignId } = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: [],
      prompts: 4,
      comparisons: 6,
      bufferSize: 8,
    });
    await app.http.get(JobChain).refillIfLow(campaignId);
    expect(await selects(campaignId)).toBe(0);
    await app.http.get(CampaignJobsRepository).setBufferTarget({ campaignId, target: 40 });
    expect((await app.http.get(CampaignJobsRepository).buffer({ campaignId }))?.target).toBe(40);
    await app.http.get(JobChain).refillIfLow(campaignId);
    expect(await selects(campaignId)).toBe(1); // 6 < 40 / 2
  });

  it('measures the demand: recent judgments, labelers holding leases, recent job latencies', async () => {
    const { campaignId } = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: labelers.map((l) => l.id),
      prompts: 4,
      comparisons: 12,
      bufferSize: 8,
    });
    // Two judgments by labeler 0, then everyone holds one lease.
    for (let i = 0; i < 2; i++) {
      const { assignment } = await next(campaignId, labelers[0]);
      const submitted = await app.post(
        `/assignments/${assignment.id}/submit`,
        { choice: 'A', idempotencyKey: randomUUID() },
        labelers[0].token,
      );
      expect(submitted.status, submitted.text).toBe(201);
    }
    for (const labeler of labelers) expect((await next(campaignId, labeler)).assignment).not.toBeNull();
    // A label older than the rate window does not count.
    await app.db.query(
      `UPDATE labels SET created_at = now() - interval '5 minutes'
        WHERE id = (SELECT id FROM labels WHERE campaign_id = $1 ORDER BY created_at LIMIT 1)`,
      [campaignId],
    );
    // Finished runs: selections of 2 s and 6 s (the longest of the recent ones counts), a fit of 19 s.
    const run = (name: string, seconds: number) =>
      app.db.query(
        `INSERT INTO job_runs (id, campaign_id, name, job_key, state, payload, queued_at, started_at, finished_at)
         VALUES (gen_random_uuid(), $1, $2, $3, 'completed', '{}', now() - make_interval(secs => $4 + 1),
                 now() - make_interval(secs => $4), now() - interval '1 second')`,
        [campaignId, name, `${name}.${campaignId}.${randomUUID()}`, seconds],
      );
    await run('ComparisonSelect', 2);
    await run('ComparisonSelect', 6);
    await run('RewardModelFit', 19);
    const demand = await app.http.get(CampaignJobsRepository).bufferDemand({ campaignId });
    expect(demand).toEqual({
      recentLabels: 1,
      activeLabelers: 4,
      assignedLabelers: 4,
      selectionSeconds: 6,
      modelUpdateSeconds: 19,
    });
  });
});
