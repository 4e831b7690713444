/**
 * A labeler's counts are defined once (labeler-work.repository.ts): GET /campaigns and GET
 * /campaigns/:id/progress agree on what is remaining and judged, progress counts held comparisons
 * and skips apart and says why nothing is left (issue 14: "Remaining: 0" while holding a comparison, 16 vs 17 done, and a
 * "the model retrains" message when the comparisons were only waiting for other labelers).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

describe('labeler counts', () => {
  let app: TestApp;
  let owner: TestUser;
  let labelers: TestUser[];

  beforeAll(async () => {
    app = await startTestApp();
    owner = await app.createUser('researcher');
    labelers = [];
    for (let i = 0; i < 3; i++) labelers.push(await app.createUser('labeler'));
  });
  afterAll(() => app?.close());

  const seed = (options: Parameters<typeof seedLabelingCampaign>[1] | object = {}) =>
    seedLabelingCampaign(app, { ownerId: owner.id, labelerIds: labelers.map((l) => l.id), ...options });
  const next = async (campaignId: string, user: TestUser) =>
    (await app.post(`/campaigns/${campaignId}/next`, {}, user.token)).body;
  const submit = (id: string, user: TestUser) =>
    app.post(`/assignments/${id}/submit`, { choice: 'A', idempotencyKey: randomUUID() }, user.token);
  const skip = (id: string, user: TestUser) =>
    app.post(`/assignments/${id}/skip`, { reason: 'unclear', idempotencyKey: randomUUID() }, user.token);

  /**
   * The progress counts (which the home page shows too), after checking that the campaign list's
   * own copies of them (remaining, judgments, budget used) agree.
   */
  async function counts(campaignId: string, user: TestUser) {
    const list = await app.get('/campaigns', user.token);
    expect(list.status).toBe(200);
    const home = list.body.find((c: { id: string }) => c.id === campaignId).progress;
    const progress = (await app.get(`/campaigns/${campaignId}/progress`, user.token)).body;
    expect({ remaining: home.remaining, done: home.done, used: home.labelCount }).toEqual({
      remaining: progress.remaining,
      done: progress.doneTotal,
      used: progress.budget.used,
    });
    return {
      remaining: progress.remaining,
      leased: progress.leased,
      waitReason: progress.waitReason,
      done: progress.doneTotal,
      skipped: progress.skippedTotal,
      used: progress.budget.used,
    };
  }

  it('counts a held comparison as held, not as nothing, and judgments apart from skips, on both pages', async () => {
    const { campaignId } = await seed({ comparisons: 4, redundancy: 2 });
    const [me] = labelers;
    expect(await counts(campaignId, me)).toEqual({
      remaining: 4,
      leased: 0,
      waitReason: null,
      done: 0,
      skipped: 0,
      used: 0,
    });

    const first = (await next(campaignId, me)).assignment;
    expect(await counts(campaignId, me)).toMatchObject({ remaining: 3, leased: 1, waitReason: null });
    expect((await skip(first.id, me)).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await submit((await next(campaignId, me)).assignment.id, me)).status).toBe(201);

    // Every open comparison has my judgment or skip; the rest is for the other labelers, not for a retrain.
    expect(await next(campaignId, me)).toEqual({ assignment: null, reason: 'no_comparisons' });
    expect(await counts(campaignId, me)).toEqual({
      remaining: 0,
      leased: 0,
      waitReason: 'others_judging',
      done: 3,
      skipped: 1,
      used: 3,
    });
    expect((await app.get(`/campaigns/${campaignId}/progress`, me.token)).body).toMatchObject({ doneToday: 3 });
    // Another labeler still has all four.
    expect(await counts(campaignId, labelers[1])).toMatchObject({ remaining: 4, waitReason: null });
  });

  it("says when the open comparisons are leased to other labelers, and when the budget's rest is leased", async () => {
    const leasedOut = await seed({ comparisons: 1 });
    const held = (await next(leasedOut.campaignId, labelers[0])).assignment;
    expect(await counts(leasedOut.campaignId, labelers[1])).toMatchObject({
      remaining: 0,
      waitReason: 'others_leased',
    });
    expect(await counts(leasedOut.campaignId, labelers[0])).toMatchObject({ remaining: 0, leased: 1 });

    // Two comparisons, room in the budget for one: while it is leased, the other cannot be given.
    const tight = await seed({ comparisons: 2, budget: 1 });
    const last = (await next(tight.campaignId, labelers[0])).assignment;
    expect(await next(tight.campaignId, labelers[1])).toEqual({ assignment: null, reason: 'budget_leased' });
    expect(await counts(tight.campaignId, labelers[1])).toMatchObject({ remaining: 0, waitReason: 'budget_leased' });
    expect((await submit(last.id, labelers[0])).status).toBe(201);
    expect(await counts(tight.campaignId, labelers[1])).toMatchObject({ remaining: 0, waitReason: 'budget_reached' });

    // When the held comparison is judged, nothing is open any more: the next selection is awaited.
    expect((await submit(held.id, labelers[0])).status).toBe(201);
    expect(await counts(leasedOut.campaignId, labelers[1])).toMatchObject({ remaining: 0, waitReason: 'selecting' });
  });

  it('keeps the remaining work of a paused campaign and says it is paused', async () => {
    const { campaignId } = await seed({ comparisons: 3 });
    await app.db.query("UPDATE campaigns SET status = 'paused' WHERE id = $1", [campaignId]);
    expect(await counts(campaignId, labelers[2])).toMatchObject({ remaining: 3, waitReason: 'campaign_paused' });
  });
});
