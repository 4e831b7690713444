/**
 * Ranking campaigns (issue 14 item 3) through HTTP on a real database: a ranking lease serves k
 * responses of one prompt, POST /assignments/:id/rank validates the order, stores one ranking and
 * its k(k-1)/2 implied pairwise judgments idempotently, the fit's judgments include them, and the
 * rankings export has the ranking best first. Pairwise campaigns are untouched.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '../src/database/prisma.service';
import { LearningRepository } from '../src/workers/learning.repository';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

describe('ranking campaigns', () => {
  let app: TestApp;
  let owner: TestUser;
  let labeler: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    owner = await app.createUser('researcher');
    labeler = await app.createUser('labeler');
  });
  afterAll(() => app?.close());

  /** A ranking campaign of `prompts` prompts with 5 responses each; one task per prompt (the trigger fills k). */
  async function seedRanking(rankSize = 4, prompts = 2) {
    const seeded = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: [labeler.id],
      prompts,
      responsesPerPrompt: 5,
      comparisons: 0,
    });
    await app.db.query(`UPDATE campaigns SET judgment_mode = 'ranking', rank_size = $2 WHERE id = $1`, [
      seeded.campaignId,
      rankSize,
    ]);
    await app.db.query(
      `INSERT INTO comparisons (id, campaign_id, prompt_id, first_response_id, second_response_id, strategy, score,
                                labels_required)
       SELECT gen_random_uuid(), p.campaign_id, p.id, r1.id, r2.id, 'seed', 0, 1 FROM prompts p
       JOIN responses r1 ON r1.prompt_id = p.id AND r1.ordinal = 0 JOIN responses r2 ON r2.prompt_id = p.id AND r2.ordinal = 1
       WHERE p.campaign_id = $1 ORDER BY p.ordinal`,
      [seeded.campaignId],
    );
    return seeded.campaignId;
  }
  const next = async (campaignId: string) =>
    (await app.post(`/campaigns/${campaignId}/next`, {}, labeler.token)).body.assignment;
  const rank = (id: string, body: object) => app.post(`/assignments/${id}/rank`, body, labeler.token);
  const count = async (sql: string, params: unknown[]) => (await app.db.query(sql, params)).rows[0].n as number;

  it('serves k responses of one prompt, validates the order and stores the ranking once with its implied pairs', async () => {
    const campaignId = await seedRanking(4);
    const a = await next(campaignId);
    expect(a.ranking).toHaveLength(4);
    const ids: string[] = a.ranking.map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids).toEqual(expect.arrayContaining([a.left.id, a.right.id]));
    const promptOf = await app.db.query('SELECT DISTINCT prompt_id FROM responses WHERE id = ANY($1::uuid[])', [ids]);
    expect(promptOf.rows).toEqual([{ prompt_id: a.prompt.id }]);

    // Not a permutation: a response missing, one twice, one foreign; each a 400 naming `order`.
    const foreign = randomUUID();
    for (const order of [ids.slice(0, 3), [ids[0], ids[0], ids[1], ids[2]], [...ids.slice(0, 3), foreign]]) {
      const bad = await rank(a.id, { order, idempotencyKey: randomUUID() });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(bad.body.details.field).toBe('order');
      expect(bad.body.message).toMatch(/order/);
    }
    expect(await count('SELECT count(*)::int AS n FROM rankings WHERE campaign_id = $1', [campaignId])).toBe(0);

    const order = [...ids].reverse();
    const body = { order, idempotencyKey: 'rank-1', timeTakenMs: 4200 };
    const replies = await Promise.all([0, 1, 2].map(() => rank(a.id, body)));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(replies.map((r) => r.body.ranking.id)).size).toBe(1);
    const first = replies.find((r) => r.status === 201)!.body;
    expect(first).toMatchObject({ impliedPairs: 6, duplicate: false, ranking: { order, assignmentId: a.id } });
    // The same key for another order is refused; the same order under a new key answers the stored one.
    expect((await rank(a.id, { order: ids, idempotencyKey: 'rank-1' })).status).toBe(422);
    const again = await rank(a.id, { order, idempotencyKey: 'rank-2' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, ranking: { id: first.ranking.id } });
    const changed = await rank(a.id, { order: ids, idempotencyKey: 'rank-3' });
    expect(changed.status).toBe(409);

    // Stored once: one ranking, k(k-1)/2 implied pairs (each winner above its loser), one label counted once.
    expect(await count('SELECT count(*)::int AS n FROM rankings WHERE campaign_id = $1', [campaignId])).toBe(1);
    const pairs = await app.db.query('SELECT winner_id, loser_id FROM ranking_pairs WHERE ranking_id = $1', [
      first.ranking.id,
    ]);
    expect(pairs.rows).toHaveLength(6);
    for (const p of pairs.rows) expect(order.indexOf(p.winner_id)).toBeLessThan(order.indexOf(p.loser_id));
    const labels = await app.db.query('SELECT * FROM labels WHERE assignment_id = $1', [a.id]);
    expect(labels.rows).toHaveLength(1);
    expect(labels.rows[0].ranking_id).toBe(first.ranking.id);
    // The label is the comparison pair as ranked, in the sides shown.
    const leftWins = order.indexOf(a.left.id) < order.indexOf(a.right.id);
    expect(labels.rows[0].choice).toBe(leftWins ? 'A' : 'B');
    const k = await app.db.query('SELECT label_count FROM campaigns WHERE id = $1', [campaignId]);
    expect(k.rows[0].label_count).toBe(1); // one ranking is one judgment of the budget
    expect(
      await count('SELECT count(*)::int AS n FROM comparisons WHERE id = $1 AND state = $2', [
        a.comparisonId,
        'complete',
      ]),
    ).toBe(1);

    // The fit learns from the 6 implied pairs, not the label as well.
    const learning = new LearningRepository(app.http.get(PrismaService, { strict: false }));
    const judgments = await learning.judgments({ campaignId });
    expect(judgments).toHaveLength(6);
    const pairIds = new Set(
      (await app.db.query('SELECT id FROM ranking_pairs WHERE ranking_id = $1', [first.ranking.id])).rows.map(
        (r) => r.id,
      ),
    );
    for (const j of judgments) {
      expect(pairIds.has(j.id)).toBe(true);
      const winner = j.outcome === 1 ? j.firstResponseId : j.secondResponseId;
      const loser = j.outcome === 1 ? j.secondResponseId : j.firstResponseId;
      expect(order.indexOf(winner)).toBeLessThan(order.indexOf(loser));
    }
    // The first side is the smaller id (not always the winner), as a label's is its comparison's first.
    for (const j of judgments) expect(j.firstResponseId < j.secondResponseId).toBe(true);

    // Exports: the ranking best first, and the raw export marks its label with the ranking.
    const exported = await app.get(`/campaigns/${campaignId}/exports/rankings`, owner.token);
    expect(exported.status).toBe(200);
    const lines = exported.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ ranking_id: first.ranking.id, prompt_id: a.prompt.id, labeler_id: labeler.id });
    expect(lines[0].responses.map((r: { id: string }) => r.id)).toEqual(order);
    expect(lines[0].prompt).toBe(a.prompt.text);
    const raw = await app.get(`/campaigns/${campaignId}/exports/raw`, owner.token);
    const rawLines = raw.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rawLines).toHaveLength(1);
    expect(rawLines[0].rankingId).toBe(first.ranking.id);
    // Labelers cannot export.
    expect((await app.get(`/campaigns/${campaignId}/exports/rankings`, labeler.token)).status).toBe(403);
  });

  it('keeps pairwise campaigns as they are: no ranking on the lease, rank refused', async () => {
    const { campaignId } = await seedLabelingCampaign(app, { ownerId: owner.id, labelerIds: [labeler.id] });
    const a = await next(campaignId);
    expect(a.ranking).toBeUndefined();
    const refused = await rank(a.id, { order: [a.left.id, a.right.id], idempotencyKey: randomUUID() });
    expect(refused.status).toBe(409);
    expect(refused.body.details.reason).toBe('NOT_A_RANKING');
    expect(
      (await app.post(`/assignments/${a.id}/submit`, { choice: 'A', idempotencyKey: randomUUID() }, labeler.token))
        .status,
    ).toBe(201);
  });

  it('takes judgmentMode and rankSize at creation, draft only', async () => {
    const created = await app.post(
      '/campaigns',
      { name: 'ranking', budget: 10, judgmentMode: 'ranking', rankSize: 5 },
      owner.token,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ judgmentMode: 'ranking', rankSize: 5 });
    const tooBig = await app.post(
      '/campaigns',
      { name: 'r', budget: 10, judgmentMode: 'ranking', rankSize: 9 },
      owner.token,
    );
    expect(tooBig.status).toBe(400);
    const plain = await app.post('/campaigns', { name: 'pairs', budget: 10 }, owner.token);
    expect(plain.body).toMatchObject({ judgmentMode: 'pairwise', rankSize: 4 });
    // Structural: a draft may change it, a started campaign may not.
    const patched = await app.patch(
      `/campaigns/${plain.body.id}`,
      { judgmentMode: 'ranking', rankSize: 3 },
      owner.token,
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ judgmentMode: 'ranking', rankSize: 3 });
    const active = await seedRanking(4, 1);
    const refused = await app.patch(`/campaigns/${active}`, { judgmentMode: 'pairwise' }, owner.token);
    expect(refused.body.code).toBe('INVALID_TRANSITION');
    expect(refused.body.details.field).toBe('judgmentMode');
  });
});
