/**
 * Existing judgments imported with a dataset (issue 13 item 2): skipped on request, marked gold on
 * request, and a campaign that starts from them is fitted on them (with the workers running) without
 * any judgment given in Borda and without spending its labeling budget.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from './support/campaign-fixtures';
import { startTestApp, type TestApp, type TestUser, waitFor } from './support/harness';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, 'fixtures', 'imports', name));

describe('imported judgments', () => {
  let app: TestApp;
  let researcher: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    researcher = await app.createUser('researcher');
  });
  afterAll(() => app?.close());

  const post = (campaignId: string, body: Buffer, query = '') =>
    app.request('POST', `/campaigns/${campaignId}/imports${query}`, { token: researcher.token, body });

  async function completed(campaignId: string, name: string) {
    const outcome = await waitFor(
      async () => {
        const { rows } = await app.db.query(
          `SELECT state, error FROM job_runs WHERE campaign_id = $1 AND name = $2 ORDER BY queued_at`,
          [campaignId, name],
        );
        const failed = rows.find((r) => r.state === 'failed');
        if (failed) return { failed: String(failed.error) };
        return rows.some((r) => r.state === 'completed') ? { ok: true } : null;
      },
      60_000,
      `a completed ${name}`,
    );
    if ('failed' in outcome) throw new Error(`${name} failed: ${outcome.failed}`);
  }

  it('attributes judgments of concurrent imports into two campaigns to one pseudo-labeler', async () => {
    const [a, b] = [await createCampaign(app, researcher.token), await createCampaign(app, researcher.token)];
    const [ra, rb] = await Promise.all([post(a.id, fixture('hh-rlhf.jsonl')), post(b.id, fixture('binarized.jsonl'))]);
    expect([ra.status, rb.status]).toEqual([201, 201]);
    const { rows } = await app.db.query(
      `SELECT u.email, u.disabled_at IS NOT NULL AS disabled, u.password_hash IS NULL AS no_password,
              count(l.id)::int AS labels
       FROM users u JOIN labels l ON l.labeler_id = u.id WHERE l.campaign_id IN ($1, $2) GROUP BY u.id`,
      [a.id, b.id],
    );
    expect(rows).toEqual([{ email: 'imported-judgments@borda.invalid', disabled: true, no_password: true, labels: 6 }]);
  });

  it('skips the judgments when asked, and marks them gold when asked', async () => {
    const explicit = await createCampaign(app, researcher.token);
    const named = await post(explicit.id, fixture('hh-rlhf.jsonl'), '?format=hh-rlhf&judgments=false');
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ format: 'hh-rlhf', judgmentCount: 0, promptCount: 3 });
    expect((await app.db.query(`SELECT 1 FROM labels WHERE campaign_id = $1`, [explicit.id])).rowCount).toBe(0);

    const gold = await createCampaign(app, researcher.token);
    expect((await post(gold.id, fixture('binarized.jsonl'), '?asGold=true')).status).toBe(201);
    const rows = await app.db.query(
      `SELECT c.gold_source, r.text FROM comparisons c JOIN responses r ON r.id = c.gold_response_id
       WHERE c.campaign_id = $1 ORDER BY r.text`,
      [gold.id],
    );
    expect(rows.rows.map((r) => r.gold_source)).toEqual(['imported', 'imported', 'imported']);
    // The chosen answers of binarized.jsonl.
    expect(rows.rows.map((r) => r.text)).toEqual([
      'A spider has eight legs.',
      'Bonjour.',
      'Put the request in the first sentence.',
    ]);
    const list = await app.request('GET', `/campaigns/${gold.id}/gold`, { token: researcher.token });
    expect(list.status).toBe(200);
    expect(list.body.comparisons.map((c: any) => c.source)).toEqual(['imported', 'imported', 'imported']);
    // The imported label on its own gold comparison is the answer, not a graded judgment.
    expect(list.body.comparisons.map((c: any) => c.graded)).toEqual([0, 0, 0]);
  });

  it('fits the reward model of a campaign that starts from imported judgments only', async () => {
    const campaign = await createCampaign(app, researcher.token);
    let judgments = 0;
    for (const file of ['ultrafeedback.jsonl', 'hh-rlhf.jsonl', 'binarized.jsonl']) {
      const res = await post(campaign.id, fixture(file));
      expect(res.status).toBe(201);
      judgments += res.body.judgmentCount;
    }
    expect(judgments).toBe(8);
    expect((await app.post(`/campaigns/${campaign.id}/start`, {}, researcher.token)).status).toBe(200);
    await completed(campaign.id, 'Featurize');

    const retrain = await app.post(`/campaigns/${campaign.id}/retrain`, {}, researcher.token);
    expect(retrain.status).toBe(202);
    await completed(campaign.id, 'RewardModelFit');
    const { rows } = await app.db.query(
      `SELECT (v.certificate->>'labelCount')::int AS judgments, c.label_count AS budget_used
       FROM model_versions v JOIN campaigns c ON c.id = v.campaign_id WHERE v.campaign_id = $1`,
      [campaign.id],
    );
    // The fit saw every imported judgment; none of them was counted against the budget.
    expect(rows).toEqual([{ judgments: 8, budget_used: 0 }]);

    // Without any judgment there is still nothing to fit.
    const bare = await createCampaign(app, researcher.token);
    expect((await post(bare.id, fixture('plain.jsonl'))).status).toBe(201);
    expect((await app.post(`/campaigns/${bare.id}/start`, {}, researcher.token)).status).toBe(200);
    expect((await app.post(`/campaigns/${bare.id}/retrain`, {}, researcher.token)).status).toBe(409);
  });
});
