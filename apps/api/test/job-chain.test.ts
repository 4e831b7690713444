/**
 * Buffer refills and pending fits: a low buffer that still holds work waits for the fit that is on
 * its way (whose chain refills with the new model); an empty buffer is refilled at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobChain } from '../src/jobs/job-chain.service';
import { JobDispatcher } from '../src/jobs/job-dispatcher.service';
import { JobName } from '../src/jobs/job-names';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

describe('JobChain.refillIfLow', () => {
  let app: TestApp;
  let owner: TestUser;
  beforeAll(async () => {
    app = await startTestApp(); // no workers: queued jobs stay queued for inspection
    owner = await app.createUser('researcher');
  });
  afterAll(() => app?.close());

  const selects = async (campaignId: string) =>
    (
      await app.db.query(
        `SELECT count(*)::int AS n FROM job_runs WHERE campaign_id = $1 AND name = 'ComparisonSelect'`,
        [campaignId],
      )
    ).rows[0].n;
  const seed = (comparisons: number) =>
    seedLabelingCampaign(app, { ownerId: owner.id, labelerIds: [], prompts: 4, comparisons, bufferSize: 8 });

  it('refills a low buffer when no fit is pending', async () => {
    const { campaignId } = await seed(2);
    await app.http.get(JobChain).refillIfLow(campaignId);
    expect(await selects(campaignId)).toBe(1);
  });

  it('lets a low buffer that still holds work wait for a pending fit', async () => {
    const { campaignId } = await seed(2);
    await app.http.get(JobDispatcher).enqueue(JobName.RewardModelFit, { campaignId });
    await app.http.get(JobChain).refillIfLow(campaignId);
    expect(await selects(campaignId)).toBe(0);
    // Forced refills (after a policy, after featurization) do not wait.
    await app.http.get(JobChain).refillIfLow(campaignId, true);
    expect(await selects(campaignId)).toBe(1);
  });

  it('refills an empty buffer at once even while a fit is pending', async () => {
    const { campaignId } = await seed(0);
    await app.http.get(JobDispatcher).enqueue(JobName.RewardModelFit, { campaignId });
    await app.http.get(JobChain).refillIfLow(campaignId);
    expect(await selects(campaignId)).toBe(1);
  });
});
