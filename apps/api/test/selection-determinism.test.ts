/**
 * The same campaign, seed and labels give the same selections whatever a worker did before: a worker
 * that served earlier rounds (and once conditioned its model on comparisons that have been labeled
 * since) picks exactly what a freshly started worker picks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobChain } from '../src/jobs/job-chain.service';
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
afterAll(() => app?.close());

async function selectionsDone(campaignId: string, count: number): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await app.db.query(
        `SELECT state, error FROM job_runs WHERE campaign_id = $1 AND name = 'ComparisonSelect'`,
        [campaignId],
      );
      const failed = rows.find((r) => r.state === 'failed');
      if (failed) throw new Error(`ComparisonSelect failed: ${failed.error}`);
      const busy = rows.some((r) => r.state === 'queued' || r.state === 'active');
      return !busy && rows.filter((r) => r.state === 'completed').length >= count ? true : null;
    },
    90_000,
    `${count} completed selections`,
  );
}

/**
 * The open comparisons a refill created after `since`, as (prompt, first, second, score) in creation
 * order: the score is the strategy's value of the pick under the conditioned posterior, so it shows a
 * difference in conditioning even where the picks happen to agree.
 */
async function picksSince(campaignId: string, since: Date): Promise<{ id: string; pair: string }[]> {
  const { rows } = await app.db.query<{ id: string; pair: string }>(
    `SELECT id, prompt_id || ':' || first_response_id || ':' || second_response_id || ':' || score AS pair FROM comparisons
      WHERE campaign_id = $1 AND state = 'open' AND created_at > $2 ORDER BY position, id`,
    [campaignId, since],
  );
  return rows;
}

describe('deterministic selection', () => {
  it('picks the same comparisons in a worker with history and in a fresh one', async () => {
    const embedding = (p: number, r: number | null) => {
      const rand = fixtureRng(p * 131 + (r ?? -1) * 17 + 5);
      return Array.from({ length: 6 }, () => rand() * 2 - 1);
    };
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 30,
      responsesPerPrompt: 4,
      embedding,
      featureDim: 6,
      bufferSize: 12,
      batchSize: 4,
      strategy: 'ae-auto',
    });
    const { campaignId } = seeded;
    await app.db.query('UPDATE campaigns SET yardstick_share = 0 WHERE id = $1', [campaignId]);
    await seedJudgments(app.db, seeded, {
      labelerId: labeler.id,
      count: 120,
      utility: (p, r) => 4 * embedding(p, r)[0],
    });
    const chain = app.http.get(JobChain);
    await chain.fitNow(campaignId);
    await selectionsDone(campaignId, 1);
    const first = await picksSince(campaignId, new Date(0));
    expect(first.length).toBeGreaterThanOrEqual(8);

    // Half of that buffer is judged (this worker's model once conditioned on all of it).
    const judged = first.slice(0, Math.floor(first.length / 2)).map((c) => c.id);
    await app.db.query(
      `UPDATE comparisons SET state = 'complete', labels_received = labels_required, completed_at = now()
        WHERE id = ANY($1::uuid[])`,
      [judged],
    );

    // The worker with history refills.
    const before = new Date();
    await chain.refillIfLow(campaignId, true);
    await selectionsDone(campaignId, 2);
    const withHistory = await picksSince(campaignId, before);
    expect(withHistory.length).toBeGreaterThan(0);

    // The same state again, served by a worker that has seen nothing of this campaign.
    await app.db.query('DELETE FROM comparisons WHERE id = ANY($1::uuid[])', [withHistory.map((c) => c.id)]);
    await app.stopWorkers();
    await app.startWorkers();
    const again = new Date();
    await chain.refillIfLow(campaignId, true);
    await selectionsDone(campaignId, 3);
    const fresh = await picksSince(campaignId, again);

    expect(fresh.map((c) => c.pair)).toEqual(withHistory.map((c) => c.pair));
  });
});
