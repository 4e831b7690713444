/**
 * Harmful content flags (issue 14 item 4): a labeler flags only a comparison they hold, which skips
 * it for them like a skip; the campaign's researcher sees the open flags with the content and
 * resolves or dismisses each (audit-logged); nobody else sees or closes them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

describe('content flags', () => {
  let app: TestApp;
  let owner: TestUser;
  let stranger: TestUser;
  let labelers: TestUser[];

  beforeAll(async () => {
    app = await startTestApp();
    owner = await app.createUser('researcher');
    stranger = await app.createUser('researcher');
    labelers = [await app.createUser('labeler'), await app.createUser('labeler')];
  });
  afterAll(() => app?.close());

  const seed = (comparisons = 2) =>
    seedLabelingCampaign(app, { ownerId: owner.id, labelerIds: labelers.map((l) => l.id), comparisons });
  const next = async (campaignId: string, user: TestUser) =>
    (await app.post(`/campaigns/${campaignId}/next`, {}, user.token)).body.assignment;
  const flag = (assignmentId: string, body: object, user: TestUser) =>
    app.post(`/assignments/${assignmentId}/flag`, { idempotencyKey: randomUUID(), ...body }, user.token);

  it('skips the held comparison for the labeler, stores the flag once, and frees the slot for others', async () => {
    const { campaignId } = await seed(1);
    const leased = await next(campaignId, labelers[0]);
    const key = randomUUID();
    const res = await flag(leased.id, { note: '  Gives dangerous instructions.  ', idempotencyKey: key }, labelers[0]);
    expect(res.status).toBe(201);
    expect(res.body.label.choice).toBe('skip');
    expect(res.body.flagId).toEqual(expect.any(String));

    const assignment = (await app.db.query('SELECT state FROM assignments WHERE id = $1', [leased.id])).rows[0];
    expect(assignment.state).toBe('skipped');
    const label = (await app.db.query('SELECT skip_reason FROM labels WHERE assignment_id = $1', [leased.id])).rows[0];
    expect(label.skip_reason).toBe('flagged as harmful content');
    const rows = (await app.db.query('SELECT * FROM content_flags WHERE campaign_id = $1', [campaignId])).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      comparison_id: leased.comparisonId,
      labeler_id: labelers[0].id,
      note: 'Gives dangerous instructions.',
      resolved_at: null,
    });

    // A retry (same key) answers the stored skip and stores no second flag.
    const again = await flag(leased.id, { idempotencyKey: key }, labelers[0]);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, flagId: res.body.flagId });
    expect((await app.db.query('SELECT count(*)::int AS n FROM content_flags')).rows[0].n).toBeGreaterThanOrEqual(1);
    expect(
      (await app.db.query('SELECT count(*)::int AS n FROM content_flags WHERE campaign_id = $1', [campaignId])).rows[0]
        .n,
    ).toBe(1);

    // The flagger is not given it again; another labeler is.
    expect(await next(campaignId, labelers[0])).toBeNull();
    expect((await next(campaignId, labelers[1])).comparisonId).toBe(leased.comparisonId);
  });

  it('refuses a flag on a comparison the caller does not hold, and validates the body', async () => {
    const { campaignId } = await seed(2);
    const leased = await next(campaignId, labelers[0]);
    const other = await flag(leased.id, {}, labelers[1]);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('LEASE_NOT_HELD');
    expect((await flag(randomUUID(), {}, labelers[0])).status).toBe(404);
    const long = await flag(leased.id, { note: 'x'.repeat(1001) }, labelers[0]);
    expect(long.status).toBe(400);
    expect(long.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(long.body)).toContain('note');
    const noKey = await app.post(`/assignments/${leased.id}/flag`, { note: 'n' }, labelers[0].token);
    expect(noKey.status).toBe(400);
    expect(
      (await app.db.query('SELECT count(*)::int AS n FROM content_flags WHERE campaign_id = $1', [campaignId])).rows[0]
        .n,
    ).toBe(0);
    // Without a note it is still a flag.
    expect((await flag(leased.id, {}, labelers[0])).status).toBe(201);
  });

  it('lists open flags with the content for the owner only, and resolves or dismisses them with an audit entry', async () => {
    const { campaignId } = await seed(3);
    const first = await next(campaignId, labelers[0]);
    const second = await next(campaignId, labelers[1]);
    const a = (await flag(first.id, { note: 'slur in B' }, labelers[0])).body.flagId;
    const b = (await flag(second.id, {}, labelers[1])).body.flagId;

    const list = await app.get(`/campaigns/${campaignId}/flags`, owner.token);
    expect(list.status).toBe(200);
    expect(list.body.openCount).toBe(2);
    expect(list.body.flags.map((f: { id: string }) => f.id).sort()).toEqual([a, b].sort());
    const shown = list.body.flags.find((f: { id: string }) => f.id === a);
    expect(shown).toMatchObject({
      comparisonId: first.comparisonId,
      note: 'slur in B',
      labeler: { id: labelers[0].id },
      resolution: null,
    });
    expect([shown.first.text, shown.second.text].sort()).toEqual([first.left.text, first.right.text].sort());

    // Others: a labeler is refused by role, another researcher does not see the campaign.
    expect((await app.get(`/campaigns/${campaignId}/flags`, labelers[0].token)).status).toBe(403);
    expect((await app.get(`/campaigns/${campaignId}/flags`, stranger.token)).status).toBe(404);
    const foreign = await app.post(
      `/campaigns/${campaignId}/flags/${a}/resolve`,
      { resolution: 'resolved' },
      stranger.token,
    );
    expect(foreign.status).toBe(404);
    expect(
      (await app.post(`/campaigns/${campaignId}/flags/${a}/resolve`, { resolution: 'maybe' }, owner.token)).status,
    ).toBe(400);

    expect(
      (await app.post(`/campaigns/${campaignId}/flags/${a}/resolve`, { resolution: 'resolved' }, owner.token)).status,
    ).toBe(204);
    expect(
      (await app.post(`/campaigns/${campaignId}/flags/${b}/resolve`, { resolution: 'dismissed' }, owner.token)).status,
    ).toBe(204);
    const twice = await app.post(
      `/campaigns/${campaignId}/flags/${a}/resolve`,
      { resolution: 'dismissed' },
      owner.token,
    );
    expect(twice.status).toBe(409);

    expect((await app.get(`/campaigns/${campaignId}/flags`, owner.token)).body).toEqual({ openCount: 0, flags: [] });
    const closed = (await app.get(`/campaigns/${campaignId}/flags?status=closed`, owner.token)).body.flags;
    expect(Object.fromEntries(closed.map((f: { id: string; resolution: string }) => [f.id, f.resolution]))).toEqual({
      [a]: 'resolved',
      [b]: 'dismissed',
    });
    const row = (await app.db.query('SELECT resolved_by FROM content_flags WHERE id = $1', [a])).rows[0];
    expect(row.resolved_by).toBe(owner.id);
    const audit = (
      await app.db.query(
        `SELECT action, details FROM audit_log WHERE campaign_id = $1 AND action LIKE 'content_flag.%' ORDER BY id`,
        [campaignId],
      )
    ).rows;
    expect(audit).toEqual([
      { action: 'content_flag.resolved', details: { flagId: a, comparisonId: first.comparisonId } },
      { action: 'content_flag.dismissed', details: { flagId: b, comparisonId: second.comparisonId } },
    ]);
  });
});
