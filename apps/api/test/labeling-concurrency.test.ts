/**
 * Many labelers at once against one campaign: the SKIP LOCKED lease must never hand one comparison
 * to more labelers than it needs, nor to the same labeler twice, and the budget must stop the campaign.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

const LABELERS = 50;

describe('labeling under concurrency', () => {
  let app: TestApp;
  let owner: TestUser;
  let labelers: TestUser[];

  beforeAll(async () => {
    app = await startTestApp();
    owner = await app.createUser('researcher');
    labelers = await Promise.all(Array.from({ length: LABELERS }, () => app.createUser('labeler')));
  });
  afterAll(() => app?.close());

  const seed = (options: object) =>
    seedLabelingCampaign(app, { ownerId: owner.id, labelerIds: labelers.map((l) => l.id), ...options });
  const next = (campaignId: string, user: TestUser) => app.post(`/campaigns/${campaignId}/next`, {}, user.token);

  it('with k=1, 50 simultaneous next calls get 50 different comparisons', async () => {
    const { campaignId } = await seed({ comparisons: 80, prompts: 20, redundancy: 1 });
    const results = await Promise.all(labelers.map((l) => next(campaignId, l)));
    expect(results.every((r) => r.status === 200 && r.body.assignment)).toBe(true);
    const ids = results.map((r) => r.body.assignment.comparisonId);
    expect(new Set(ids).size).toBe(LABELERS);
    const doubled = await app.db.query(
      `SELECT comparison_id FROM assignments WHERE campaign_id = $1 AND state = 'leased' AND expires_at > now()
       GROUP BY comparison_id HAVING count(*) > 1`,
      [campaignId],
    );
    expect(doubled.rows).toEqual([]);
  });

  it('with k=1 and fewer comparisons than labelers, the rest are told no_comparisons', async () => {
    const { campaignId } = await seed({ comparisons: 20, redundancy: 1 });
    const results = await Promise.all(labelers.map((l) => next(campaignId, l)));
    const leased = results.filter((r) => r.body.assignment);
    expect(leased.length).toBe(20);
    expect(new Set(leased.map((r) => r.body.assignment.comparisonId)).size).toBe(20);
    expect(results.filter((r) => r.body.reason === 'no_comparisons').length).toBe(LABELERS - 20);
  });

  it('with k=3, rounds of next → submit never give a labeler one comparison twice nor a comparison a 4th label', async () => {
    const { campaignId } = await seed({ comparisons: 100, prompts: 25, responsesPerPrompt: 4, redundancy: 3 });
    const ROUNDS = 4;
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        labelers.map(async (labeler) => {
          const res = await next(campaignId, labeler);
          expect(res.status).toBe(200);
          if (!res.body.assignment) return;
          const submit = await app.post(
            `/assignments/${res.body.assignment.id}/submit`,
            { choice: 'B', idempotencyKey: randomUUID() },
            labeler.token,
          );
          expect(submit.status).toBe(201);
        }),
      );
    }
    const labels = await app.db.query<{ comparison_id: string; labeler_id: string }>(
      'SELECT comparison_id, labeler_id FROM labels WHERE campaign_id = $1',
      [campaignId],
    );
    expect(labels.rows.length).toBe(LABELERS * ROUNDS);
    const pairs = new Set(labels.rows.map((r) => `${r.comparison_id}/${r.labeler_id}`));
    expect(pairs.size).toBe(labels.rows.length);
    const perComparison = await app.db.query(
      `SELECT c.id, c.labels_received, c.labels_required, c.state, count(l.id)::int AS labels
       FROM comparisons c LEFT JOIN labels l ON l.comparison_id = c.id
       WHERE c.campaign_id = $1 GROUP BY c.id`,
      [campaignId],
    );
    for (const row of perComparison.rows) {
      expect(row.labels).toBeLessThanOrEqual(3);
      expect(row.labels_received).toBe(row.labels);
      expect(row.state).toBe(row.labels === 3 ? 'complete' : 'open');
    }
    const campaign = await app.db.query('SELECT label_count FROM campaigns WHERE id = $1', [campaignId]);
    expect(campaign.rows[0].label_count).toBe(LABELERS * ROUNDS);
  });

  it('completes the campaign when the budget is reached', async () => {
    const BUDGET = 30;
    const { campaignId } = await seed({ comparisons: 100, prompts: 10, redundancy: 1, budget: BUDGET });
    const completedBy: boolean[] = [];
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        labelers.map(async (labeler) => {
          const res = await next(campaignId, labeler);
          if (res.status !== 200 || !res.body.assignment) return;
          const submit = await app.post(
            `/assignments/${res.body.assignment.id}/submit`,
            { choice: 'A', idempotencyKey: randomUUID() },
            labeler.token,
          );
          if (submit.status === 201) completedBy.push(submit.body.campaignCompleted);
        }),
      );
    }
    const campaign = await app.db.query('SELECT status, label_count FROM campaigns WHERE id = $1', [campaignId]);
    expect(campaign.rows[0]).toEqual({ status: 'completed', label_count: BUDGET });
    expect(completedBy.filter(Boolean).length).toBe(1);
    const open = await app.db.query(
      `SELECT count(*)::int AS n FROM comparisons WHERE campaign_id = $1 AND state = 'open'`,
      [campaignId],
    );
    expect(open.rows[0].n).toBe(0);
    const live = await app.db.query(
      `SELECT count(*)::int AS n FROM assignments WHERE campaign_id = $1 AND state = 'leased'`,
      [campaignId],
    );
    expect(live.rows[0].n).toBe(0);
    const after = await next(campaignId, labelers[0]);
    expect(after.status).toBe(409);
    expect(after.body.code).toBe('CAMPAIGN_NOT_ACTIVE');
    const fit = await app.db.query(`SELECT count(*)::int AS n FROM job_runs WHERE campaign_id = $1 AND name = $2`, [
      campaignId,
      'RewardModelFit',
    ]);
    expect(fit.rows[0].n).toBe(1);
  });

  it('answers the retryable budget_leased while the remaining budget is all leased', async () => {
    const { campaignId } = await seed({ comparisons: 20, redundancy: 1, budget: 5 });
    const results = await Promise.all(labelers.slice(0, 10).map((l) => next(campaignId, l)));
    const leased = results.filter((r) => r.body.assignment);
    expect(leased.length).toBe(5);
    expect(results.filter((r) => r.body.reason === 'budget_leased').length).toBe(5);
    expect(results.filter((r) => r.body.reason === 'budget_reached')).toEqual([]);
    // A labeler holding a lease gets it back rather than budget_reached.
    const holder = labelers[results.findIndex((r) => r.body.assignment)];
    expect((await next(campaignId, holder)).body.assignment).not.toBeNull();
  });

  // Budget 4 on 10 prompts × 3 responses: 2 judged, a labeler's page holds the other 2 as leases and
  // abandons them. Before, next answered budget_reached (final: the app stopped) with budget left.
  it('budget left but all leased is not final: the slots come back when the leases lapse', async () => {
    const { campaignId } = await seed({
      comparisons: 10,
      prompts: 10,
      responsesPerPrompt: 3,
      redundancy: 1,
      budget: 4,
    });
    const [worker, other] = labelers;
    for (let i = 0; i < 2; i++) {
      const lease = (await next(campaignId, worker)).body.assignment;
      const submit = await app.post(
        `/assignments/${lease.id}/submit`,
        { choice: 'A', idempotencyKey: randomUUID() },
        worker.token,
      );
      expect(submit.status).toBe(201);
    }
    const held = [(await next(campaignId, worker)).body.assignment, (await next(campaignId, worker)).body.assignment];
    expect(held.every(Boolean)).toBe(true);
    const holding = held.map((l) => l.id);
    const mine = await app.post(`/campaigns/${campaignId}/next`, { holding }, worker.token);
    expect(mine.body).toEqual({ assignment: null, reason: 'budget_leased' });
    const theirs = await next(campaignId, other);
    expect(theirs.body).toEqual({ assignment: null, reason: 'budget_leased' });
    // The page is closed: its leases lapse, and the budget they held is free again.
    await app.db.query(`UPDATE assignments SET expires_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`, [
      holding,
    ]);
    const again = await next(campaignId, other);
    expect(again.body.assignment).not.toBeNull();
    const spent = await app.post(
      `/assignments/${again.body.assignment.id}/submit`,
      { choice: 'B', idempotencyKey: randomUUID() },
      other.token,
    );
    expect(spent.status).toBe(201);
    const last = (await next(campaignId, other)).body.assignment;
    await app.post(`/assignments/${last.id}/submit`, { choice: 'A', idempotencyKey: randomUUID() }, other.token);
    const done = await next(campaignId, worker);
    expect(done.status === 409 || done.body.reason === 'budget_reached').toBe(true);
  });
});
