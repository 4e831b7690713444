/**
 * Redis flushed under running workers: without any restart, the periodic reconciliation puts a
 * job that Postgres still lists as queued back on its queue, and it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, startTestApp, waitFor } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';
import { fixtureRng, seedCampaign, seedJudgments } from './support/learning-fixtures';

let app: TestApp;
let researcher: TestUser;
let labeler: TestUser;

beforeAll(async () => {
  app = await startTestApp({ workers: true, env: { RECONCILE_INTERVAL_MS: '300' } });
  researcher = await app.createUser('researcher');
  labeler = await app.createUser('labeler');
});
afterAll(() => app?.close());

const embedding = (p: number, r: number | null) => {
  const rand = fixtureRng(p * 31 + (r ?? -1) * 5 + 3);
  return Array.from({ length: 4 }, () => rand() * 2 - 1);
};

describe('periodic reconciliation', () => {
  it('re-queues a fit whose Redis job vanished while the workers kept running', async () => {
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 10,
      responsesPerPrompt: 3,
      featureDim: 4,
      embedding,
      status: 'paused',
    });
    await seedJudgments(app.db, seeded, { labelerId: labeler.id, count: 40, utility: (p, r) => embedding(p, r)[0] });
    await app.flushRedis();
    // What a flush leaves behind: Postgres says a fit is queued, Redis knows nothing of it.
    const { rows } = await app.db.query(
      `INSERT INTO job_runs (id, campaign_id, name, job_key, payload)
       VALUES (gen_random_uuid(), $1, 'RewardModelFit', $2, $3) RETURNING id`,
      [seeded.campaignId, `RewardModelFit.${seeded.campaignId}`, JSON.stringify({ campaignId: seeded.campaignId })],
    );
    const run = await waitFor(
      async () => {
        const r = await app.db.query('SELECT state, result FROM job_runs WHERE id = $1', [rows[0].id]);
        return r.rows[0].state === 'completed' ? r.rows[0] : null;
      },
      30_000,
      'the orphaned fit to be re-queued and run',
    );
    expect(run.result).toBeTruthy();
    const versions = await app.db.query('SELECT label_count FROM model_versions WHERE campaign_id = $1', [
      seeded.campaignId,
    ]);
    expect(versions.rows).toEqual([{ label_count: 40 }]);
  });

  it('retires leases that expired more than an hour ago, and only those', async () => {
    const labelers = [
      await app.createUser('labeler'),
      await app.createUser('labeler'),
      await app.createUser('labeler'),
    ];
    const { campaignId, comparisonIds } = await seedLabelingCampaign(app, {
      ownerId: researcher.id,
      labelerIds: labelers.map((l) => l.id),
      comparisons: 3,
    });
    const ages = ["now() - interval '2 hours'", "now() - interval '5 minutes'", "now() + interval '5 minutes'"];
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { rows } = await app.db.query(
        `INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, first_on_left, expires_at)
         VALUES (gen_random_uuid(), $1, $2, $3, true, ${ages[i]}) RETURNING id`,
        [campaignId, comparisonIds[i], labelers[i].id],
      );
      ids.push(rows[0].id);
    }
    await waitFor(
      async () =>
        (await app.db.query(`SELECT state FROM assignments WHERE id = $1`, [ids[0]])).rows[0].state === 'expired',
      10_000,
      'the stale lease to be retired',
    );
    const { rows } = await app.db.query(`SELECT id, state FROM assignments WHERE id = ANY($1::uuid[])`, [ids]);
    const state = new Map(rows.map((r) => [r.id, r.state]));
    expect([state.get(ids[0]), state.get(ids[1]), state.get(ids[2])]).toEqual(['expired', 'leased', 'leased']);
  });
});
