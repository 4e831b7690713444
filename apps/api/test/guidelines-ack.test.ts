/**
 * Versioned guidelines (issue 14 item 5): changing a started campaign's guidelines raises the
 * version, and a labeler gets no more work until they acknowledge it (`next` answers the distinct
 * reason guidelines_not_acknowledged); a stale acknowledgement is refused; the first version, draft
 * edits and owners need none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION_TTL_MS } from '../src/guidelines/guidelines.service';
import { startTestApp, type TestApp, type TestUser, waitFor } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

describe('guidelines acknowledgement', () => {
  let app: TestApp;
  let owner: TestUser;
  let labeler: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    owner = await app.createUser('researcher');
    labeler = await app.createUser('labeler');
    other = await app.createUser('labeler');
  });
  afterAll(() => app?.close());

  const next = (campaignId: string, user: TestUser) => app.post(`/campaigns/${campaignId}/next`, {}, user.token);
  const version = async (campaignId: string) =>
    (await app.db.query('SELECT guidelines_version AS v FROM campaigns WHERE id = $1', [campaignId])).rows[0].v;

  it('holds back work after a change until the labeler acknowledges the current version', async () => {
    const { campaignId } = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: [labeler.id, other.id],
      comparisons: 10,
    });
    const first = await next(campaignId, labeler);
    expect(first.body.assignment).not.toBeNull(); // version 1 needs no acknowledgement
    expect((await app.get(`/campaigns/${campaignId}/guidelines`, labeler.token)).body).toMatchObject({
      version: 1,
      mustAcknowledge: false,
    });

    // The seeded campaign's strategy is a placeholder the PATCH validation would refuse.
    await app.db.query(`UPDATE campaigns SET strategy = 'uniform' WHERE id = $1`, [campaignId]);
    const patch = await app.patch(
      `/campaigns/${campaignId}`,
      { guidelines: '## New\nPrefer **short** answers.' },
      owner.token,
    );
    expect(patch.status, patch.text).toBe(200);
    expect(await version(campaignId)).toBe(2);
    // Setting the same text again is no change.
    await app.patch(`/campaigns/${campaignId}`, { guidelines: '## New\nPrefer **short** answers.' }, owner.token);
    expect(await version(campaignId)).toBe(2);

    // Within the version cache's lifetime every labeler of this process sees the change.
    const gated = await waitFor(
      async () => {
        const res = await next(campaignId, labeler);
        return res.body.reason === 'guidelines_not_acknowledged' ? res : null;
      },
      VERSION_TTL_MS + 5_000,
      'the gate',
    );
    expect(gated.status).toBe(200);
    expect(gated.body).toEqual({ assignment: null, reason: 'guidelines_not_acknowledged', guidelinesVersion: 2 });
    // The owner is not held back.
    expect((await next(campaignId, owner)).body.reason).not.toBe('guidelines_not_acknowledged');

    const view = await app.get(`/campaigns/${campaignId}/guidelines`, labeler.token);
    expect(view.body).toEqual({
      guidelines: '## New\nPrefer **short** answers.',
      version: 2,
      acknowledgedVersion: null,
      mustAcknowledge: true,
    });

    const stale = await app.post(`/campaigns/${campaignId}/guidelines/ack`, { version: 1 }, labeler.token);
    expect(stale.status).toBe(409);
    expect(stale.body.details).toMatchObject({ version: 2 });
    expect((await app.post(`/campaigns/${campaignId}/guidelines/ack`, { version: 'x' }, labeler.token)).status).toBe(
      400,
    );
    expect((await next(campaignId, labeler)).body.reason).toBe('guidelines_not_acknowledged');

    const ack = await app.post(`/campaigns/${campaignId}/guidelines/ack`, { version: 2 }, labeler.token);
    expect(ack.status).toBe(200);
    const after = await next(campaignId, labeler);
    expect(after.body.assignment).not.toBeNull();
    const row = await app.db.query(
      'SELECT guidelines_ack_version AS v FROM campaign_labelers WHERE campaign_id = $1 AND user_id = $2',
      [campaignId, labeler.id],
    );
    expect(row.rows[0].v).toBe(2);
    // One labeler's acknowledgement is theirs alone.
    expect((await next(campaignId, other)).body.reason).toBe('guidelines_not_acknowledged');
    expect((await app.get(`/campaigns/${campaignId}/guidelines`, labeler.token)).body.mustAcknowledge).toBe(false);
  });

  it('does not raise the version for edits while the campaign is a draft, and keeps others out', async () => {
    const { campaignId } = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: [labeler.id],
      comparisons: 2,
      status: 'draft',
    });
    await app.db.query(`UPDATE campaigns SET guidelines = 'Draft text' WHERE id = $1`, [campaignId]);
    expect(await version(campaignId)).toBe(1);
    await app.db.query(`UPDATE campaigns SET status = 'active' WHERE id = $1`, [campaignId]);
    await app.db.query(`UPDATE campaigns SET guidelines = 'Changed while active' WHERE id = $1`, [campaignId]);
    expect(await version(campaignId)).toBe(2);

    expect((await app.get(`/campaigns/${campaignId}/guidelines`, other.token)).status).toBe(404);
    expect((await app.post(`/campaigns/${campaignId}/guidelines/ack`, { version: 2 }, other.token)).status).toBe(404);
  });
});
