/**
 * When a new model version arrives, the open picks of older versions that nobody started are retired,
 * but only once the new picks are in: labelers keep taking them while the selection runs. They are not
 * counted as available (the refill replaces them all), a pick a labeler holds is kept, and yardsticks
 * are never retired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobChain } from '../src/jobs/job-chain.service';
import { type TestApp, type TestUser, startTestApp, waitFor } from './support/harness';
import { fixtureRng, seedCampaign, seedJudgments } from './support/learning-fixtures';

describe('retiring an older model picks', () => {
  let app: TestApp;
  let researcher: TestUser;
  let labeler: TestUser;
  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    researcher = await app.createUser('researcher');
    labeler = await app.createUser('labeler');
  });
  afterAll(() => app?.close());

  const selections = async (campaignId: string) =>
    (
      await app.db.query<{ result: { created: number; retiredStalePicks: number } }>(
        `SELECT result FROM job_runs WHERE campaign_id = $1 AND name = 'ComparisonSelect' AND state = 'completed'
          ORDER BY finished_at`,
        [campaignId],
      )
    ).rows.map((r) => r.result);

  it('replaces the unstarted picks of the prior after the first fit, keeping the one a labeler holds', async () => {
    const embedding = (p: number, r: number | null) => {
      const rand = fixtureRng(p * 131 + (r ?? -1) * 17 + 3);
      return Array.from({ length: 4 }, () => rand() * 2 - 1);
    };
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 30,
      responsesPerPrompt: 4,
      embedding,
      featureDim: 4,
      bufferSize: 10,
      batchSize: 5,
    });
    const { campaignId } = seeded;
    await app.db.query('UPDATE campaigns SET yardstick_share = 0 WHERE id = $1', [campaignId]);
    await app.db.query('INSERT INTO campaign_labelers (campaign_id, user_id) VALUES ($1, $2)', [
      campaignId,
      labeler.id,
    ]);
    const chain = app.http.get(JobChain);
    await chain.refillIfLow(campaignId, true);
    await waitFor(async () => ((await selections(campaignId)).length === 1 ? true : null), 30_000, 'the prior fill');
    const held = await app.post(`/campaigns/${campaignId}/next`, {}, labeler.token);
    expect(held.status, held.text).toBe(200);
    const heldComparison: string = held.body.assignment.comparisonId;

    await seedJudgments(app.db, seeded, {
      labelerId: labeler.id,
      count: 200,
      utility: (p, r) => 4 * embedding(p, r)[0],
    });
    await chain.fitNow(campaignId);
    const [, refill] = await waitFor(
      async () => {
        const done = await selections(campaignId);
        return done.length >= 2 ? done : null;
      },
      60_000,
      'the refill on version 1',
    );
    // The nine unstarted prior picks were not counted as available: the refill made ten new ones, then
    // retired those nine. The held one stays open.
    expect(refill).toMatchObject({ created: 10, retiredStalePicks: 9 });
    const { rows: open } = await app.db.query<{ id: string; model_version_id: string | null }>(
      `SELECT id, model_version_id FROM comparisons WHERE campaign_id = $1 AND state = 'open'`,
      [campaignId],
    );
    expect(open).toHaveLength(11);
    expect(open.filter((c) => c.model_version_id === null).map((c) => c.id)).toEqual([heldComparison]);
    // Retired after the new picks were stored, not before: meanwhile the old ones were still there to lease.
    const { rows: order } = await app.db.query<{ created: Date; retired: Date }>(
      `SELECT (SELECT max(created_at) FROM comparisons WHERE campaign_id = $1 AND model_version_id IS NOT NULL) AS created,
              (SELECT min(completed_at) FROM comparisons WHERE campaign_id = $1 AND state = 'cancelled') AS retired`,
      [campaignId],
    );
    expect(order[0].retired.getTime()).toBeGreaterThanOrEqual(order[0].created.getTime());
  });
});
