/**
 * The acceptance test of active selection through the whole service: simulated labelers with a
 * known Bradley–Terry utility label 300 comparisons through the API (lease → submit), while the
 * workers fit, derive policies and refill buffers on the real queue. The AE-Borda campaign's final
 * policy must end with lower suboptimality than a uniform-strategy campaign on the same data,
 * labelers and seeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser, waitFor } from './support/harness';
import { labelWithBradleyTerry, type SyntheticProblem, tabularProblem } from './support/synthetic';

const BUDGET = 300;
const RETRAIN_EVERY = 8;

describe('synthetic labelers through the API', () => {
  let app: TestApp;
  let researcher: TestUser;
  let labelers: TestUser[];
  // Five problems, each labeled under both strategies with the same campaign and labeler seeds: one
  // 10-prompt problem is a noisy yardstick (a single run's SubOpt varies by ±0.2–0.3), the mean of five is not.
  const problems = [2, 4, 5, 6, 7].map((seed) => tabularProblem(seed));

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    researcher = await app.createUser('researcher');
    labelers = [];
    for (let i = 0; i < 3; i++) labelers.push(await app.createUser('labeler'));
  });
  afterAll(() => app?.close());

  /** Runs one campaign to its budget and returns the final greedy policy's suboptimality. */
  async function runCampaign(strategy: string, problem: SyntheticProblem) {
    const created = await app.post(
      '/campaigns',
      {
        name: `synthetic ${strategy}`,
        strategy,
        budget: BUDGET,
        retrainEvery: RETRAIN_EVERY,
        batchSize: 4,
        bufferSize: 8,
        featureSource: 'embedding',
        featureDim: problem.prompts * problem.responses,
        seed: 7,
        labelerIds: labelers.map((l) => l.id),
      },
      researcher.token,
    );
    expect(created.status, created.text).toBe(201);
    const id: string = created.body.id;
    const imported = await app.request('POST', `/campaigns/${id}/imports`, {
      token: researcher.token,
      body: problem.jsonl,
    });
    expect(imported.status, imported.text).toBe(201);
    expect((await app.post(`/campaigns/${id}/start`, {}, researcher.token)).status).toBe(200);

    const stored = await labelWithBradleyTerry(
      app,
      id,
      labelers.map((l) => l.token),
      problem,
      11,
      // A pair of campaigns took about 160 s in a loaded CI run: the per-campaign deadline leaves room.
      { pauseEvery: RETRAIN_EVERY, timeoutMs: 600_000 },
    );
    expect(stored).toBe(BUDGET);
    const { rows } = await app.db.query(`SELECT count(*)::int AS n FROM labels WHERE campaign_id = $1`, [id]);
    expect(rows[0].n).toBe(BUDGET);

    // The budget completes the campaign and forces a final fit: wait for the policy of all 300 labels.
    const entries = await waitFor(
      async () => {
        const policy = await app.db.query(
          `SELECT pv.id FROM policy_versions pv WHERE pv.campaign_id = $1 AND pv.label_count = $2
           ORDER BY pv.version DESC LIMIT 1`,
          [id, BUDGET],
        );
        if (policy.rowCount === 0) return null;
        const picks = await app.db.query<{ prompt: string; response: string }>(
          `SELECT p.external_id AS prompt, r.external_id AS response
             FROM policy_entries e JOIN prompts p ON p.id = e.prompt_id JOIN responses r ON r.id = e.greedy_response_id
            WHERE e.policy_version_id = $1`,
          [policy.rows[0].id],
        );
        return picks.rows;
      },
      180_000,
      `the final policy of ${strategy}`,
    );
    expect(entries).toHaveLength(problem.prompts);
    const gaps = entries.map((e) => problem.best.get(e.prompt)! - problem.utility.get(e.response)!);
    const campaign = await app.get(`/campaigns/${id}`, researcher.token);
    expect(campaign.body.status).toBe('completed');
    return { mean: gaps.reduce((a, b) => a + b, 0) / gaps.length, max: Math.max(...gaps), campaignId: id };
  }

  it(
    'AE-Borda ends with lower suboptimality than uniform on the same data and seed',
    { timeout: 1_800_000 },
    async () => {
      const active = [];
      const uniform = [];
      for (const problem of problems) {
        // Both strategies of a problem run side by side: the labelers pause per campaign, so neither
        // waits on the other's jobs for its own model.
        const [a, u] = await Promise.all([runCampaign('ae-borda', problem), runCampaign('uniform', problem)]);
        active.push(a);
        uniform.push(u);
      }
      const mean = (runs: { mean: number }[]) => runs.reduce((a, r) => a + r.mean, 0) / runs.length;
      console.log(
        `SubOpt_mean per problem: ae-borda ${active.map((r) => r.mean.toFixed(3)).join(', ')}; ` +
          `uniform ${uniform.map((r) => r.mean.toFixed(3)).join(', ')}`,
      );
      expect(mean(active)).toBeLessThan(mean(uniform));

      // Selection really followed the model: comparisons came from many fitted versions.
      for (const run of active) {
        const chosen = await app.db.query(
          `SELECT count(DISTINCT model_version_id)::int AS versions FROM comparisons WHERE campaign_id = $1`,
          [run.campaignId],
        );
        expect(chosen.rows[0].versions).toBeGreaterThan(10);
      }
    },
  );
});
