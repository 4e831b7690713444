/**
 * Adaptive redundancy and review (issue 10 item 6): a split at k = 2 opens one more slot exactly
 * once (also under concurrent submits), comparisons still split at the cap go to the review queue,
 * the researcher's adjudication becomes gold; requestExtraJudgment and the pure candidate rule.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtraJudgmentRepository } from '../src/crowd/extra-judgment.repository';
import { extraJudgmentCandidates } from '../src/crowd/extra-judgments';
import { PrismaService } from '../src/database/prisma.service';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

describe('split-breaking judgments and the review queue', () => {
  let app: TestApp;
  let owner: TestUser;
  let labelers: TestUser[];
  let extra: ExtraJudgmentRepository;

  beforeAll(async () => {
    app = await startTestApp({ env: { MAX_LEASES_PER_LABELER: '20' } });
    owner = await app.createUser('researcher');
    labelers = [];
    for (let i = 0; i < 4; i++) labelers.push(await app.createUser('labeler'));
    extra = new ExtraJudgmentRepository(app.http.get(PrismaService, { strict: false }));
  });
  afterAll(() => app?.close());

  const seed = async (comparisons: number, splitExtraCap = 1) => {
    const seeded = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: labelers.map((l) => l.id),
      comparisons,
      prompts: comparisons,
      redundancy: 2,
    });
    await app.db.query('UPDATE campaigns SET split_extra_cap = $2 WHERE id = $1', [seeded.campaignId, splitExtraCap]);
    return seeded;
  };
  const lease = async (campaignId: string, user: TestUser) =>
    (await app.post(`/campaigns/${campaignId}/next`, {}, user.token)).body.assignment as {
      id: string;
      comparisonId: string;
      left: { id: string };
    } | null;
  /** Judges in the comparison's own order: 'first', 'second' or 'tie'. */
  const judge = async (a: { id: string; comparisonId: string; left: { id: string } }, vote: string, user: TestUser) => {
    const c = (await app.db.query('SELECT first_response_id FROM comparisons WHERE id = $1', [a.comparisonId])).rows[0];
    const firstOnLeft = a.left.id === c.first_response_id;
    const choice = vote === 'tie' ? 'tie' : (vote === 'first') === firstOnLeft ? 'A' : 'B';
    const res = await app.post(`/assignments/${a.id}/submit`, { choice, idempotencyKey: randomUUID() }, user.token);
    expect(res.status).toBe(201);
  };
  const comparison = async (id: string) =>
    (
      await app.db.query(
        'SELECT state, labels_required, labels_received, split_extras, votes_first, votes_second FROM comparisons WHERE id = $1',
        [id],
      )
    ).rows[0];

  it('opens one more slot when k = 2 splits, and completes on the tie-breaking judgment', async () => {
    const { campaignId, comparisonIds } = await seed(2);
    const [c0] = comparisonIds;
    await judge((await lease(campaignId, labelers[0]))!, 'first', labelers[0]);
    await judge((await lease(campaignId, labelers[1]))!, 'second', labelers[1]);
    expect(await comparison(c0)).toEqual({
      state: 'open',
      labels_required: 3,
      labels_received: 2,
      split_extras: 1,
      votes_first: 1,
      votes_second: 1,
    });
    const third = (await lease(campaignId, labelers[2]))!;
    expect(third.comparisonId).toBe(c0); // back in the pool at its old position
    await judge(third, 'second', labelers[2]);
    expect(await comparison(c0)).toMatchObject({ state: 'complete', labels_required: 3, labels_received: 3 });
    // Agreement (or a tie among decisive votes being absent) completes at k as before.
    const c1 = comparisonIds[1];
    await judge((await lease(campaignId, labelers[0]))!, 'first', labelers[0]);
    await judge((await lease(campaignId, labelers[1]))!, 'first', labelers[1]);
    expect(await comparison(c1)).toMatchObject({ state: 'complete', labels_required: 2, split_extras: 0 });
  });

  it('opens exactly one slot per split comparison under concurrent submits', async () => {
    const n = 12;
    const { campaignId, comparisonIds } = await seed(n);
    const mine: Record<number, { id: string; comparisonId: string; left: { id: string } }[]> = { 0: [], 1: [] };
    for (const who of [0, 1]) for (let i = 0; i < n; i++) mine[who].push((await lease(campaignId, labelers[who]))!);
    // Both labelers' judgments of each comparison arrive at the same time, with opposite votes.
    await Promise.all(
      [0, 1].flatMap((who) => mine[who].map((a) => judge(a, who === 0 ? 'first' : 'second', labelers[who]))),
    );
    for (const id of comparisonIds) {
      expect(await comparison(id)).toEqual({
        state: 'open',
        labels_required: 3,
        labels_received: 2,
        split_extras: 1,
        votes_first: 1,
        votes_second: 1,
      });
    }
    // Two more labelers race for the extra slots: each slot goes to exactly one of them.
    const leased = await Promise.all(
      Array.from({ length: 2 * n }, async (_, i) => ({
        who: 2 + (i % 2),
        a: await lease(campaignId, labelers[2 + (i % 2)]),
      })),
    );
    const granted = leased.filter((x) => x.a !== null);
    expect(granted).toHaveLength(n);
    expect(new Set(granted.map((x) => x.a!.comparisonId)).size).toBe(n);
    // Third judgments that tie keep the split: at the cap (1) the comparisons complete and go to review.
    await Promise.all(granted.map((x) => judge(x.a!, 'tie', labelers[x.who])));
    const review = await app.get(`/campaigns/${campaignId}/review`, owner.token);
    expect(review.status).toBe(200);
    expect(review.body).toHaveLength(n);
    expect(review.body[0]).toMatchObject({ votesFirst: 1, votesSecond: 1, judgments: 3, splitExtras: 1 });
  });

  it('sends splits straight to review at cap 0; adjudication becomes gold and grades the labelers', async () => {
    const { campaignId, comparisonIds } = await seed(1, 0);
    const [c0] = comparisonIds;
    await judge((await lease(campaignId, labelers[0]))!, 'first', labelers[0]);
    await judge((await lease(campaignId, labelers[1]))!, 'second', labelers[1]);
    expect(await comparison(c0)).toMatchObject({ state: 'complete', labels_required: 2, split_extras: 0 });
    const queue = await app.get(`/campaigns/${campaignId}/review`, owner.token);
    expect(queue.body.map((r: { comparisonId: string }) => r.comparisonId)).toEqual([c0]);
    expect((await app.get(`/campaigns/${campaignId}/review`, labelers[0].token)).status).toBe(403);

    const item = queue.body[0];
    const bad = await app.post(`/campaigns/${campaignId}/review/${c0}`, { answer: randomUUID() }, owner.token);
    expect(bad.status).toBe(400);
    const done = await app.post(`/campaigns/${campaignId}/review/${c0}`, { answer: item.first.id }, owner.token);
    expect(done.status).toBe(200);
    const stored = (await app.db.query('SELECT gold_response_id, gold_source FROM comparisons WHERE id = $1', [c0]))
      .rows[0];
    expect(stored).toEqual({ gold_response_id: item.first.id, gold_source: 'review' });
    expect((await app.get(`/campaigns/${campaignId}/review`, owner.token)).body).toEqual([]);
    expect(
      (await app.post(`/campaigns/${campaignId}/review/${c0}`, { answer: item.first.id }, owner.token)).status,
    ).toBe(404);
    const crowd = (await app.get(`/campaigns/${campaignId}/crowd/labelers`, owner.token)).body as {
      labelerId: string;
      goldAccuracy: { successes: number; trials: number };
    }[];
    const grade = (i: number) => crowd.find((l) => l.labelerId === labelers[i].id)!.goldAccuracy;
    expect(grade(0)).toMatchObject({ successes: 1, trials: 1 });
    expect(grade(1)).toMatchObject({ successes: 0, trials: 1 });
    const audit = await app.db.query(
      `SELECT action FROM audit_log WHERE campaign_id = $1 AND action = 'review.adjudicated'`,
      [campaignId],
    );
    expect(audit.rowCount).toBe(1);
  });

  // A slot only another labeler could fill, with every assigned labeler already in, would stay open for
  // good and hold the buffer: seen as a campaign stalled at 298 of 300 with three labelers.
  it('asks for an extra judgment or breaks a split only while an assigned labeler can still give it', async () => {
    const seeded = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: labelers.slice(0, 2).map((l) => l.id),
      comparisons: 2,
      prompts: 2,
      redundancy: 2,
    });
    const { campaignId } = seeded;
    await app.db.query('UPDATE campaigns SET extra_judgment_cap = 2, split_extra_cap = 1 WHERE id = $1', [campaignId]);
    const [c0] = seeded.comparisonIds;
    for (const labeler of labelers.slice(0, 2)) await judge((await lease(campaignId, labeler))!, 'first', labeler);
    expect(await comparison(c0)).toMatchObject({ state: 'complete', labels_required: 2 });
    expect(await extra.requestExtraJudgment({ campaignId, comparisonId: c0, reason: 'low_trust_labeler' })).toBe(false);
    // A split between the only two labelers completes (and waits for review) instead of reopening.
    const first = (await lease(campaignId, labelers[0]))!;
    const second = (await lease(campaignId, labelers[1]))!;
    await judge(first, 'first', labelers[0]);
    await judge(second, 'second', labelers[1]);
    expect(await comparison(first.comparisonId)).toMatchObject({ state: 'complete', labels_required: 2 });
  });

  it('requestExtraJudgment reopens a complete comparison with a reason, bounded per comparison', async () => {
    const { campaignId, comparisonIds } = await seed(1, 0);
    await app.db.query('UPDATE campaigns SET extra_judgment_cap = 2 WHERE id = $1', [campaignId]);
    const [c0] = comparisonIds;
    const ask = () => extra.requestExtraJudgment({ campaignId, comparisonId: c0, reason: 'low_trust_labeler' });
    expect(await ask()).toBe(false); // still open: nothing to reopen
    await judge((await lease(campaignId, labelers[0]))!, 'first', labelers[0]);
    await judge((await lease(campaignId, labelers[1]))!, 'first', labelers[1]);
    expect(await ask()).toBe(true);
    expect(await comparison(c0)).toMatchObject({ state: 'open', labels_required: 3 });
    expect(await ask()).toBe(false); // pending: asking again changes nothing
    await judge((await lease(campaignId, labelers[2]))!, 'first', labelers[2]);
    expect(await ask()).toBe(true);
    await judge((await lease(campaignId, labelers[3]))!, 'first', labelers[3]);
    expect(await ask()).toBe(false); // extra_judgment_cap (2) reached
    const reasons = await app.db.query('SELECT reason FROM extra_judgment_requests WHERE comparison_id = $1', [c0]);
    expect(reasons.rows.map((r) => r.reason)).toEqual(['low_trust_labeler', 'low_trust_labeler']);
    expect(await comparison(c0)).toMatchObject({ state: 'complete', labels_required: 4, labels_received: 4 });
  });

  it('extraJudgmentCandidates: low-trust judgments and majorities against a confident model', () => {
    const trust = new Map([
      ['honest', 0.9],
      ['spammer', 0.5],
    ]);
    const model = new Map([
      ['c1', 0.95],
      ['c2', 0.95],
      ['c3', 0.6],
    ]);
    const judgments = [
      { comparisonId: 'c0', labelerId: 'spammer', outcome: 1 },
      { comparisonId: 'c1', labelerId: 'honest', outcome: 0 },
      { comparisonId: 'c2', labelerId: 'honest', outcome: 1 },
      { comparisonId: 'c3', labelerId: 'honest', outcome: 0 },
      { comparisonId: 'c4', labelerId: 'unknown', outcome: 1 },
      { comparisonId: 'c5', labelerId: 'spammer', outcome: 0.5 },
    ];
    const out = extraJudgmentCandidates(
      judgments,
      (id) => trust.get(id),
      (id) => model.get(id),
    );
    expect(out).toEqual([
      { comparisonId: 'c0', reason: 'low_trust_labeler' },
      { comparisonId: 'c1', reason: 'contradicts_model' },
    ]);
    // One trusted judgment is enough to not ask for low trust.
    expect(
      extraJudgmentCandidates(
        [...judgments.slice(0, 1), { comparisonId: 'c0', labelerId: 'honest', outcome: 1 }],
        (id) => trust.get(id),
        () => undefined,
      ),
    ).toEqual([]);
  });
});
