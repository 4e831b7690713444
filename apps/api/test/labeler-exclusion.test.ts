/**
 * Acting on a labeler (issue 10 item 4): exclude / restore their labels (left out of fits and
 * exports, a refit queued), pause / resume their work, every action audit-logged. Through HTTP on a
 * real database; the learning side is read with the workers' own LearningRepository.judgments().
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '../src/database/prisma.service';
import { LearningRepository } from '../src/workers/learning.repository';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

describe('excluding and pausing a labeler', () => {
  let app: TestApp;
  let owner: TestUser;
  let labelers: TestUser[];
  let learning: LearningRepository;

  beforeAll(async () => {
    app = await startTestApp();
    owner = await app.createUser('researcher');
    labelers = [await app.createUser('labeler'), await app.createUser('labeler')];
    learning = new LearningRepository(app.http.get(PrismaService, { strict: false }));
  });
  afterAll(() => app?.close());

  const next = (campaignId: string, user: TestUser) => app.post(`/campaigns/${campaignId}/next`, {}, user.token);
  const judgeAll = async (campaignId: string, user: TestUser, n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const a = (await next(campaignId, user)).body.assignment;
      const res = await app.post(
        `/assignments/${a.id}/submit`,
        { choice: 'A', idempotencyKey: randomUUID() },
        user.token,
      );
      ids.push(res.body.label.id);
    }
    return ids;
  };
  const act = (campaignId: string, labelerId: string, action: string, body: object = {}, token = owner.token) =>
    app.post(`/campaigns/${campaignId}/crowd/labelers/${labelerId}/${action}`, body, token);
  const fitRuns = async (campaignId: string) =>
    (
      await app.db.query(`SELECT count(*)::int AS n FROM job_runs WHERE campaign_id = $1 AND name = 'RewardModelFit'`, [
        campaignId,
      ])
    ).rows[0].n as number;

  it('leaves excluded labels out of judgments() and exports, queues a refit, and restores them', async () => {
    const { campaignId } = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: labelers.map((l) => l.id),
      comparisons: 8,
      redundancy: 2,
    });
    const bad = await judgeAll(campaignId, labelers[0], 4);
    const good = await judgeAll(campaignId, labelers[1], 4);
    const ids = async () => (await learning.judgments({ campaignId })).map((j) => j.id).sort();
    expect(await ids()).toEqual([...bad, ...good].sort());
    expect(await fitRuns(campaignId)).toBe(0);

    const excluded = await act(campaignId, labelers[0].id, 'exclude', { reason: 'answers backwards' });
    expect(excluded.status).toBe(200);
    expect(excluded.body).toEqual({ labelerId: labelers[0].id, labelsExcluded: true, paused: false });
    expect(await ids()).toEqual([...good].sort());
    expect(await fitRuns(campaignId)).toBe(1);
    // Stored all the same.
    expect(
      (await app.db.query('SELECT count(*)::int AS n FROM labels WHERE labeler_id = $1', [labelers[0].id])).rows[0].n,
    ).toBe(4);
    const raw = await app.get(`/campaigns/${campaignId}/exports/raw`, owner.token);
    for (const id of bad) expect(raw.text).not.toContain(id);
    for (const id of good) expect(raw.text).toContain(id);
    const trl = await app.get(`/campaigns/${campaignId}/exports/trl?aggregate=majority`, owner.token);
    expect(trl.text.trim().split('\n')).toHaveLength(4);

    const listed = await app.get(`/campaigns/${campaignId}/crowd/labelers`, owner.token);
    expect(listed.body.find((l: { labelerId: string }) => l.labelerId === labelers[0].id)).toMatchObject({
      labelsExcluded: true,
      paused: false,
      reason: 'answers backwards',
      judgments: 4,
    });

    const restored = await act(campaignId, labelers[0].id, 'restore');
    expect(restored.body).toEqual({ labelerId: labelers[0].id, labelsExcluded: false, paused: false });
    expect(await ids()).toEqual([...bad, ...good].sort());
    expect(await fitRuns(campaignId)).toBeGreaterThanOrEqual(1);

    const audit = await app.db.query(
      `SELECT action, details FROM audit_log WHERE campaign_id = $1 AND action LIKE 'crowd.%' ORDER BY id`,
      [campaignId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['crowd.labeler_exclude', 'crowd.labeler_restore']);
    expect(audit.rows[0].details).toMatchObject({ labelerId: labelers[0].id, reason: 'answers backwards' });
  });

  it('pauses a labeler: their leases end and next answers 409 LABELER_PAUSED until resumed', async () => {
    const { campaignId } = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: labelers.map((l) => l.id),
      comparisons: 8,
    });
    const held = (await next(campaignId, labelers[0])).body.assignment;
    const paused = await act(campaignId, labelers[0].id, 'exclude', { pause: true });
    expect(paused.body).toMatchObject({ labelsExcluded: true, paused: true });
    const lease = (await app.db.query('SELECT state, expires_at FROM assignments WHERE id = $1', [held.id])).rows[0];
    expect(lease.state).toBe('expired');
    const refused = await next(campaignId, labelers[0]);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CONFLICT', details: { reason: 'LABELER_PAUSED' } });
    // The slot went back to the pool: the other labeler gets the same comparison first.
    expect((await next(campaignId, labelers[1])).body.assignment.comparisonId).toBe(held.comparisonId);

    expect((await act(campaignId, labelers[0].id, 'resume')).body).toMatchObject({
      paused: false,
      labelsExcluded: true,
    });
    expect((await next(campaignId, labelers[0])).status).toBe(200);
    expect((await act(campaignId, labelers[0].id, 'pause')).body.paused).toBe(true);
    expect((await next(campaignId, labelers[0])).status).toBe(409);

    // Researcher-only, campaign-scoped, known labelers only.
    expect((await act(campaignId, labelers[1].id, 'exclude', {}, labelers[0].token)).status).toBe(403);
    expect((await act(campaignId, randomUUID(), 'exclude')).status).toBe(404);
    const other = await app.createUser('researcher');
    expect((await act(campaignId, labelers[1].id, 'exclude', {}, other.token)).status).toBe(404);
  });

  it('leaves judgments about synthetic gold responses out of judgments()', async () => {
    const { campaignId } = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: [labelers[0].id],
      prompts: 4,
      responsesPerPrompt: 3,
      comparisons: 4,
    });
    await app.db.query('UPDATE campaigns SET gold_rate = 0.5 WHERE id = $1', [campaignId]);
    await app.post(`/campaigns/${campaignId}/gold/generate`, { count: 2 }, owner.token);
    const labelIds = await judgeAll(campaignId, labelers[0], 4);
    const gold = await app.db.query(`SELECT id FROM labels WHERE campaign_id = $1 AND gold`, [campaignId]);
    expect(gold.rowCount).toBe(2);
    const judged = (await learning.judgments({ campaignId })).map((j) => j.id);
    expect(judged).toHaveLength(2);
    for (const g of gold.rows) expect(judged).not.toContain(g.id);
    expect(labelIds).toHaveLength(4);
  });
});
