/**
 * GET /campaigns/:id/stats against real labels: comparisons are seeded, then labelers lease and
 * judge them through the labeling routes. The test decides each judgment's outcome in the
 * comparison's own order and reads the lease's sides to know which key (A/B) produces it, so
 * every expected number below is fixed by hand whatever sides the server drew.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign, type SeededCampaign } from './support/labeling-fixtures';

type Outcome = 'first' | 'second' | 'tie' | 'both_bad' | 'skip';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Midnight UTC of today (the route's "today"). */
const today = () => {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
};
const iso = (ms: number) => new Date(ms).toISOString();

describe('GET /campaigns/:id/stats', () => {
  let app: TestApp;
  let owner: TestUser;
  let other: TestUser;
  let admin: TestUser;
  let l1: TestUser;
  let l2: TestUser;
  let l3: TestUser;
  let l4: TestUser;
  /** 'A' keys pressed per `campaignId:labelerId` (which side a response lands on is the server's draw). */
  const leftPicks = new Map<string, number>();

  beforeAll(async () => {
    app = await startTestApp();
    [owner, other, admin, l1, l2, l3, l4] = await Promise.all([
      app.createUser('researcher'),
      app.createUser('researcher'),
      app.createUser('admin'),
      app.createUser('labeler'),
      app.createUser('labeler'),
      app.createUser('labeler'),
      app.createUser('labeler'),
    ]);
  });
  afterAll(() => app?.close());

  const stats = (campaignId: string, token = owner.token, query = '') =>
    app.get(`/campaigns/${campaignId}/stats${query}`, token);

  /** Leases the next comparison (asserting it is comparison `index`) and gives it `outcome`. */
  async function judge(
    campaign: SeededCampaign,
    labeler: TestUser,
    index: number | null,
    outcome: Outcome | 'A' | 'B',
    timeTakenMs: number,
  ): Promise<string> {
    const leased = await app.post(`/campaigns/${campaign.campaignId}/next`, {}, labeler.token);
    expect(leased.status).toBe(200);
    const a = leased.body.assignment;
    if (index !== null) expect(a.comparisonId).toBe(campaign.comparisonIds[index]);
    const idempotencyKey = randomUUID();
    if (outcome === 'skip') {
      const res = await app.post(
        `/assignments/${a.id}/skip`,
        { reason: 'unsure', idempotencyKey, timeTakenMs },
        labeler.token,
      );
      expect(res.status).toBe(201);
      return res.body.label.id;
    }
    const { rows } = await app.db.query('SELECT first_response_id FROM comparisons WHERE id = $1', [a.comparisonId]);
    const firstOnLeft = a.left.id === rows[0].first_response_id;
    const choice =
      outcome === 'first' ? (firstOnLeft ? 'A' : 'B') : outcome === 'second' ? (firstOnLeft ? 'B' : 'A') : outcome;
    const key = `${campaign.campaignId}:${labeler.id}`;
    if (choice === 'A') leftPicks.set(key, (leftPicks.get(key) ?? 0) + 1);
    const res = await app.post(`/assignments/${a.id}/submit`, { choice, timeTakenMs, idempotencyKey }, labeler.token);
    expect(res.status).toBe(201);
    return res.body.label.id;
  }

  const moveLabel = (labelId: string, at: number) =>
    app.db.query('UPDATE labels SET created_at = $2::timestamp WHERE id = $1', [labelId, iso(at)]);

  describe('a campaign with redundancy 2 judged by three labelers', () => {
    let campaign: SeededCampaign;
    const d = today();
    /** Where L1's six labels were moved: two days ago, in two consecutive hours. */
    const l1Times = [0, 1, 2, 3, 4, 5].map((i) => d - 2 * DAY + (i < 3 ? 30 * 60_000 : 90 * 60_000) + i * 1000);

    beforeAll(async () => {
      campaign = await seedLabelingCampaign(app, {
        ownerId: owner.id,
        labelerIds: [l1.id, l2.id, l3.id, l4.id],
        prompts: 8,
        comparisons: 8,
        redundancy: 2,
        budget: 100,
      });
      // Comparisons are leased in position order, each to two labelers: L1 takes c0–c5, L2 joins
      // it on c0–c3, L3 on c4–c5 and then has c6 (skipped) and c7 (alone).
      const plan: [TestUser, number, Outcome, number][] = [
        [l1, 0, 'first', 1000],
        [l1, 1, 'second', 2000],
        [l1, 2, 'first', 3000],
        [l1, 3, 'tie', 4000],
        [l1, 4, 'both_bad', 5000],
        [l1, 5, 'first', 6000],
        [l2, 0, 'first', 400], // agrees
        [l2, 1, 'second', 100], // agrees
        [l2, 2, 'second', 300], // disagrees
        [l2, 3, 'tie', 200], // agrees
        [l3, 4, 'both_bad', 10], // agrees
        [l3, 5, 'tie', 20], // disagrees
        [l3, 6, 'skip', 99_999],
        [l3, 7, 'first', 30],
      ];
      const labelIds: string[] = [];
      for (const [labeler, index, outcome, ms] of plan)
        labelIds.push(await judge(campaign, labeler, index, outcome, ms));
      // Pin the timestamps: L1's labels two days back, everyone else's in today's first hour.
      for (let i = 0; i < plan.length; i++) await moveLabel(labelIds[i], i < 6 ? l1Times[i] : d + i * 1000);
      // L4 holds one live lease (c6) and one that ran out (c7).
      const live = await app.post(`/campaigns/${campaign.campaignId}/next`, {}, l4.token);
      expect(live.body.assignment.comparisonId).toBe(campaign.comparisonIds[6]);
      const stale = await app.post(`/campaigns/${campaign.campaignId}/next`, {}, l4.token);
      expect(stale.body.assignment.comparisonId).toBe(campaign.comparisonIds[7]);
      await app.db.query(`UPDATE assignments SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
        stale.body.assignment.id,
      ]);
    });

    it('computes agreement and kappa over the outcomes in comparison order', async () => {
      const res = await stats(campaign.campaignId);
      expect(res.status).toBe(200);
      // Six comparisons with two judgments each, four pairs agree. Pooled outcomes of those twelve
      // judgments: first 4, second 3, tie 3, both bad 2, so Pe = (16 + 9 + 9 + 4) / 144 = 19/72
      // and kappa = (2/3 − 19/72) / (1 − 19/72) = 29/53.
      expect(res.body.agreement).toEqual({
        comparisons: 6,
        pairs: 6,
        agreeingPairs: 4,
        rate: expect.closeTo(2 / 3, 12),
        kappa: expect.closeTo(29 / 53, 12),
      });
    });

    it('reports each labeler, assigned or active, most judgments first', async () => {
      const res = await stats(campaign.campaignId);
      const labelers = res.body.labelers;
      expect(labelers.map((l: any) => l.labelerId)).toEqual([l1.id, l2.id, l3.id, l4.id]);
      const [s1, s2, s3, s4] = labelers;
      expect(s1).toMatchObject({
        email: l1.email,
        labels: 6,
        labelsToday: 0,
        skips: 0,
        ties: 1,
        bothBad: 1,
        decisive: 4,
        medianTimeMs: 3500,
        p90TimeMs: 5500, // percentile_cont: 5000 + 0.5 × (6000 − 5000)
        agreement: expect.closeTo(4 / 6, 12),
        lastLabelAt: iso(l1Times[5]),
      });
      expect(s2).toMatchObject({
        labels: 4,
        labelsToday: 4,
        skips: 0,
        ties: 1,
        bothBad: 0,
        decisive: 3,
        medianTimeMs: 250,
        p90TimeMs: 370,
        agreement: 0.75,
      });
      // The skip's 99 999 ms is not a judgment time.
      expect(s3).toMatchObject({
        labels: 3,
        labelsToday: 3,
        skips: 1,
        ties: 1,
        bothBad: 1,
        decisive: 1,
        medianTimeMs: 20,
        p90TimeMs: 28,
        agreement: 0.5,
      });
      expect(typeof s1.name).toBe('string');
      expect(s4).toEqual({
        labelerId: l4.id,
        name: expect.any(String),
        email: l4.email,
        labels: 0,
        labelsToday: 0,
        skips: 0,
        ties: 0,
        bothBad: 0,
        decisive: 0,
        leftRate: null,
        leftBiasZ: null,
        medianTimeMs: null,
        p90TimeMs: null,
        agreement: null,
        lastLabelAt: null,
      });
      // Left picks depend on the sides the server drew: check them against the keys pressed.
      for (const [stat, decisive] of [
        [s1, 4],
        [s2, 3],
        [s3, 1],
      ] as const) {
        const left = leftPicks.get(`${campaign.campaignId}:${stat.labelerId}`) ?? 0;
        expect(stat.leftRate).toBeCloseTo(left / decisive, 12);
        expect(stat.leftBiasZ).toBeCloseTo((left - decisive / 2) / Math.sqrt(decisive / 4), 12);
      }
    });

    it('fills hourly buckets from the first label to the last, with cumulative judgments', async () => {
      const res = await stats(campaign.campaignId);
      expect(res.body.bucket).toBe('hour'); // the labels span two days
      const points = res.body.labelsOverTime;
      expect(points).toHaveLength(49);
      expect(points[0]).toEqual({ start: iso(d - 2 * DAY), labels: 3, skips: 0, cumulative: 3 });
      expect(points[1]).toEqual({ start: iso(d - 2 * DAY + HOUR), labels: 3, skips: 0, cumulative: 6 });
      for (let i = 2; i < 48; i++) {
        expect(points[i]).toEqual({ start: iso(d - 2 * DAY + i * HOUR), labels: 0, skips: 0, cumulative: 6 });
      }
      expect(points[48]).toEqual({ start: iso(d), labels: 7, skips: 1, cumulative: 13 });
      const sum = (key: string) => points.reduce((s: number, p: any) => s + p[key], 0);
      expect(sum('labels')).toBe(13);
      expect(sum('skips')).toBe(1);
      expect(res.body.budget).toEqual({ used: 13, total: 100 });
    });

    it('buckets by day on request', async () => {
      const res = await stats(campaign.campaignId, owner.token, '?bucket=day');
      expect(res.status).toBe(200);
      expect(res.body.bucket).toBe('day');
      expect(res.body.labelsOverTime).toEqual([
        { start: iso(d - 2 * DAY), labels: 6, skips: 0, cumulative: 6 },
        { start: iso(d - DAY), labels: 0, skips: 0, cumulative: 6 },
        { start: iso(d), labels: 7, skips: 1, cumulative: 13 },
      ]);
    });

    it('counts only live leases', async () => {
      const res = await stats(campaign.campaignId);
      expect(res.body.liveLeases).toBe(1);
      expect(res.body.campaignId).toBe(campaign.campaignId);
      expect(Math.abs(Date.parse(res.body.generatedAt) - Date.now())).toBeLessThan(60_000);
    });

    it('is for the owner and admins: labelers 403, other researchers 404', async () => {
      expect((await stats(campaign.campaignId, admin.token)).status).toBe(200);
      const labeler = await stats(campaign.campaignId, l1.token);
      expect(labeler.status).toBe(403);
      expect(labeler.body.code).toBe('FORBIDDEN');
      const stranger = await stats(campaign.campaignId, other.token);
      expect(stranger.status).toBe(404);
      expect(stranger.body.code).toBe('NOT_FOUND');
      expect((await stats(randomUUID())).status).toBe(404);
      expect((await stats('not-a-uuid')).status).toBe(404);
      expect((await app.get(`/campaigns/${campaign.campaignId}/stats`)).status).toBe(401);
    });

    it('rejects an unknown bucket with 400 VALIDATION_FAILED', async () => {
      const res = await stats(campaign.campaignId, owner.token, '?bucket=week');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  it('measures position bias from the keys pressed, and buckets a long campaign by day', async () => {
    const campaign = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: [l1.id, l2.id],
      prompts: 15,
      comparisons: 15,
      redundancy: 1,
    });
    const d = today();
    const ids: string[] = [];
    // L1 always presses A (left), whichever response is there; L2 presses A twice, B four times, then ties.
    for (let i = 0; i < 8; i++) ids.push(await judge(campaign, l1, null, 'A', 500));
    for (const key of ['A', 'A', 'B', 'B', 'B', 'B', 'tie'] as const)
      ids.push(await judge(campaign, l2, null, key, 500));
    await moveLabel(ids[0], d - 5 * DAY + 60_000);
    for (let i = 1; i < ids.length; i++) await moveLabel(ids[i], d + i * 1000);

    const res = await stats(campaign.campaignId);
    expect(res.status).toBe(200);
    const [s1, s2] = res.body.labelers;
    expect(s1).toMatchObject({
      labelerId: l1.id,
      decisive: 8,
      leftRate: 1,
      leftBiasZ: expect.closeTo(2 * Math.SQRT2, 12),
    });
    // (2 − 3) / √1.5
    expect(s2).toMatchObject({
      labelerId: l2.id,
      labels: 7,
      ties: 1,
      decisive: 6,
      leftRate: expect.closeTo(1 / 3, 12),
      leftBiasZ: expect.closeTo(-1 / Math.sqrt(1.5), 12),
      agreement: null,
    });
    // Redundancy 1: nobody's judgment has a partner.
    expect(res.body.agreement).toEqual({ comparisons: 0, pairs: 0, agreeingPairs: 0, rate: null, kappa: null });

    // Five days between the first and last label: daily buckets by default, hourly on request.
    expect(res.body.bucket).toBe('day');
    expect(res.body.labelsOverTime.map((p: any) => [p.start, p.labels, p.cumulative])).toEqual([
      [iso(d - 5 * DAY), 1, 1],
      [iso(d - 4 * DAY), 0, 1],
      [iso(d - 3 * DAY), 0, 1],
      [iso(d - 2 * DAY), 0, 1],
      [iso(d - DAY), 0, 1],
      [iso(d), 14, 15],
    ]);
    const hourly = await stats(campaign.campaignId, owner.token, '?bucket=hour');
    expect(hourly.body.bucket).toBe('hour');
    expect(hourly.body.labelsOverTime).toHaveLength(5 * 24 + 1);
    expect(hourly.body.labelsOverTime.at(-1)).toEqual({ start: iso(d), labels: 14, skips: 0, cumulative: 15 });
  });

  it('gives kappa null when every paired judgment has the same outcome', async () => {
    const campaign = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: [l1.id, l2.id],
      prompts: 1,
      comparisons: 1,
      redundancy: 2,
    });
    await judge(campaign, l1, 0, 'first', 100);
    await judge(campaign, l2, 0, 'first', 100);
    const res = await stats(campaign.campaignId);
    // Chance agreement is 1 when only one outcome occurs: kappa is undefined, not 0/0.
    expect(res.body.agreement).toEqual({ comparisons: 1, pairs: 1, agreeingPairs: 1, rate: 1, kappa: null });
    expect(res.body.labelers.map((l: any) => l.agreement)).toEqual([1, 1]);
  });

  it('answers for a campaign without labels', async () => {
    const campaign = await seedLabelingCampaign(app, { ownerId: owner.id, labelerIds: [l3.id], budget: 40 });
    const res = await stats(campaign.campaignId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      campaignId: campaign.campaignId,
      bucket: 'hour',
      budget: { used: 0, total: 40 },
      labelsOverTime: [],
      agreement: { comparisons: 0, pairs: 0, agreeingPairs: 0, rate: null, kappa: null },
      liveLeases: 0,
    });
    expect(res.body.labelers).toEqual([
      expect.objectContaining({ labelerId: l3.id, labels: 0, leftRate: null, medianTimeMs: null, lastLabelAt: null }),
    ]);
  });
});
