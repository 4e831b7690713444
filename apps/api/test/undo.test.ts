/**
 * Labelers fix their own mistakes (issue 10 item 7) and a changed mind is never dropped silently
 * (issue 12 item 8), through HTTP on a real database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

describe('undo and changed minds', () => {
  let app: TestApp;
  let owner: TestUser;
  let labelers: TestUser[];

  beforeAll(async () => {
    app = await startTestApp();
    owner = await app.createUser('researcher');
    labelers = [await app.createUser('labeler'), await app.createUser('labeler')];
  });
  afterAll(() => app?.close());

  const seed = (options: object = {}) =>
    seedLabelingCampaign(app, { ownerId: owner.id, labelerIds: labelers.map((l) => l.id), comparisons: 6, ...options });
  const next = async (campaignId: string, user: TestUser) =>
    (await app.post(`/campaigns/${campaignId}/next`, {}, user.token)).body.assignment;
  const submit = (id: string, body: object, user: TestUser) =>
    app.post(`/assignments/${id}/submit`, { idempotencyKey: randomUUID(), ...body }, user.token);
  const revise = (id: string, body: object, user: TestUser) =>
    app.post(`/assignments/${id}/revise`, { idempotencyKey: randomUUID(), ...body }, user.token);
  const row = async (sql: string, params: unknown[]) => (await app.db.query(sql, params)).rows[0];
  const fitRuns = async (campaignId: string) =>
    (
      await row(`SELECT count(*)::int AS n FROM job_runs WHERE campaign_id = $1 AND name = 'RewardModelFit'`, [
        campaignId,
      ])
    ).n as number;

  it('changes a judgment within the window once, idempotently, keeping the history', async () => {
    const { campaignId } = await seed();
    const a = await next(campaignId, labelers[0]);
    const submitted = await submit(a.id, { choice: 'A', strength: 2 }, labelers[0]);
    expect(submitted.status).toBe(201);
    const undoUntil = new Date(submitted.body.undoUntil).getTime();
    expect(Math.abs(undoUntil - Date.now() - 120_000)).toBeLessThan(10_000);
    const before = await row('SELECT * FROM labels WHERE assignment_id = $1', [a.id]);
    const cmpBefore = await row('SELECT votes_first, votes_second FROM comparisons WHERE id = $1', [a.comparisonId]);
    expect(cmpBefore.votes_first + cmpBefore.votes_second).toBe(1);

    const body = { choice: 'B', strength: 3, idempotencyKey: 'undo-1' };
    const repeats = await Promise.all([0, 1, 2, 3].map(() => revise(a.id, body, labelers[0])));
    expect(repeats.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(repeats.filter((r) => !r.body.duplicate)).toHaveLength(1);
    expect(new Set(repeats.map((r) => r.body.revision.id)).size).toBe(1);
    expect(repeats[0].body).toMatchObject({
      label: { id: before.id, choice: 'B', strength: 3 },
      revision: { oldChoice: 'A', newChoice: 'B' },
    });
    const after = await row('SELECT * FROM labels WHERE assignment_id = $1', [a.id]);
    expect(after.outcome).toBe(1 - before.outcome);
    const revisions = await app.db.query('SELECT * FROM label_revisions WHERE label_id = $1', [before.id]);
    expect(revisions.rows).toHaveLength(1);
    expect(revisions.rows[0]).toMatchObject({
      old_choice: 'A',
      new_choice: 'B',
      old_outcome: before.outcome,
      new_outcome: after.outcome,
      old_strength: 2,
      new_strength: 3,
    });
    // The comparison's decisive votes moved with the label; counters did not change.
    const cmpAfter = await row('SELECT votes_first, votes_second, labels_received FROM comparisons WHERE id = $1', [
      a.comparisonId,
    ]);
    expect([cmpAfter.votes_first, cmpAfter.votes_second]).toEqual([cmpBefore.votes_second, cmpBefore.votes_first]);
    expect(cmpAfter.labels_received).toBe(1);
    expect((await row('SELECT label_count FROM campaigns WHERE id = $1', [campaignId])).label_count).toBe(1);

    // The key names that revision: another request under it is refused.
    const mismatch = await revise(a.id, { ...body, choice: 'tie', strength: undefined }, labelers[0]);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('IDEMPOTENCY_MISMATCH');
    // A retry of the original submit (its outbox copy) is still recognised as the same request.
    const retry = await app.post(
      `/assignments/${a.id}/submit`,
      { choice: 'A', strength: 2, idempotencyKey: before.idempotency_key },
      labelers[0].token,
    );
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ duplicate: true, label: { choice: 'B' } });
    // Changing again within the window is a second revision.
    const again = await revise(a.id, { choice: 'tie' }, labelers[0]);
    expect(again.status).toBe(200);
    expect(again.body.revision).toMatchObject({ oldChoice: 'B', newChoice: 'tie' });
  });

  it('refuses outside the window, on skips and on other labelers’ assignments', async () => {
    const { campaignId } = await seed();
    const a = await next(campaignId, labelers[0]);
    await submit(a.id, { choice: 'A' }, labelers[0]);
    await app.db.query(`UPDATE labels SET created_at = created_at - interval '121 seconds' WHERE assignment_id = $1`, [
      a.id,
    ]);
    const late = await revise(a.id, { choice: 'B' }, labelers[0]);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('CONFLICT');
    expect(late.body.details).toMatchObject({
      reason: 'UNDO_WINDOW_CLOSED',
      label: { choice: 'A' },
      undoWindowSeconds: 120,
    });
    expect((await row('SELECT choice FROM labels WHERE assignment_id = $1', [a.id])).choice).toBe('A');

    const foreign = await revise(a.id, { choice: 'B' }, labelers[1]);
    expect(foreign.status).toBe(409);
    expect(foreign.body.code).toBe('LEASE_NOT_HELD');

    const s = await next(campaignId, labelers[0]);
    await app.post(`/assignments/${s.id}/skip`, { reason: 'unsure', idempotencyKey: randomUUID() }, labelers[0].token);
    const skipped = await revise(s.id, { choice: 'A' }, labelers[0]);
    expect(skipped.status).toBe(409);
    expect(skipped.body.details.reason).toBe('NOT_REVISABLE');

    // A window of 0 turns undo off: the submit answer carries no deadline.
    await app.db.query('UPDATE campaigns SET undo_window_seconds = 0 WHERE id = $1', [campaignId]);
    const z = await next(campaignId, labelers[0]);
    const res = await submit(z.id, { choice: 'A' }, labelers[0]);
    expect(res.body.undoUntil).toBeUndefined();
    expect((await revise(z.id, { choice: 'B' }, labelers[0])).body.details.reason).toBe('UNDO_WINDOW_CLOSED');
  });

  it('answers a changed mind under a new key with 409 and the stored judgment', async () => {
    const { campaignId } = await seed();
    const a = await next(campaignId, labelers[0]);
    const first = await submit(a.id, { choice: 'A' }, labelers[0]);
    const changed = await submit(a.id, { choice: 'B' }, labelers[0]);
    expect(changed.status).toBe(409);
    expect(changed.body).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'JUDGMENT_EXISTS', label: { id: first.body.label.id, choice: 'A' } },
    });
    const same = await submit(a.id, { choice: 'A' }, labelers[0]);
    expect(same.status).toBe(200);
    expect(same.body.duplicate).toBe(true);
    expect((await app.db.query('SELECT 1 FROM labels WHERE assignment_id = $1', [a.id])).rowCount).toBe(1);
  });

  it('queues a refit only when a published model already trained on the old value', async () => {
    const { campaignId } = await seed();
    const a = await next(campaignId, labelers[0]);
    await submit(a.id, { choice: 'A' }, labelers[0]);
    expect((await revise(a.id, { choice: 'B' }, labelers[0])).status).toBe(200);
    expect(await fitRuns(campaignId)).toBe(0);
    await app.db.query(
      `INSERT INTO model_versions (id, campaign_id, version, kind, label_count, metrics, parameters, created_at)
       VALUES (gen_random_uuid(), $1, 1, 'linear-bt', 1, '{}', '{}', now() + interval '1 second')`,
      [campaignId],
    );
    expect((await revise(a.id, { choice: 'A' }, labelers[0])).status).toBe(200);
    expect(await fitRuns(campaignId)).toBe(1);
  });
});
