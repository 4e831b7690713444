/**
 * Judgments on several aspects (issue 14 item 2) through HTTP on a real database: the campaign's
 * aspects are validated, answers are checked at submit, the training aspect's answer is the outcome
 * the fits learn from, and the exports carry every answer.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '../src/database/prisma.service';
import { LearningRepository } from '../src/workers/learning.repository';
import { createActiveCampaign, createCampaign } from './support/campaign-fixtures';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

const ASPECTS = [
  { key: 'helpful', label: 'More helpful', kind: 'pairwise', required: true },
  { key: 'harmless', label: 'More harmless', kind: 'pairwise' },
  { key: 'clarity', label: 'Clarity', kind: 'rating' },
  { key: 'ideal', label: 'Ideal response', kind: 'text' },
];

describe('aspects', () => {
  let app: TestApp;
  let owner: TestUser;
  let labeler: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    owner = await app.createUser('researcher');
    labeler = await app.createUser('labeler');
  });
  afterAll(() => app?.close());

  /** An active campaign with open comparisons (seeded: no workers), asking `aspects` as the API stored them. */
  const active = async (overrides: { aspects?: object[]; trainingAspect?: string }) => {
    const draft = await createCampaign(app, owner.token, overrides);
    const { campaignId } = await seedLabelingCampaign(app, { ownerId: owner.id, labelerIds: [labeler.id] });
    await app.db.query(
      `UPDATE campaigns SET aspects = d.aspects, training_aspect = d.training_aspect FROM campaigns d
       WHERE campaigns.id = $1 AND d.id = $2`,
      [campaignId, draft.id],
    );
    return (await app.get(`/campaigns/${campaignId}`, owner.token)).body;
  };
  const next = async (campaignId: string) =>
    (await app.post(`/campaigns/${campaignId}/next`, {}, labeler.token)).body.assignment;
  const submit = (id: string, body: object) =>
    app.post(`/assignments/${id}/submit`, { idempotencyKey: randomUUID(), ...body }, labeler.token);
  const label = async (assignmentId: string) =>
    (await app.db.query('SELECT * FROM labels WHERE assignment_id = $1', [assignmentId])).rows[0];

  it('validates the aspects at create and patch, draft only', async () => {
    const dup = await app.post('/campaigns', { name: 'x', budget: 10, aspects: [ASPECTS[0], ASPECTS[0]] }, owner.token);
    expect(dup.status).toBe(400);
    expect(dup.text).toContain('aspect key helpful is repeated');
    const ratingTrains = await app.post(
      '/campaigns',
      { name: 'x', budget: 10, aspects: ASPECTS, trainingAspect: 'clarity' },
      owner.token,
    );
    expect(ratingTrains.status).toBe(400);
    expect(ratingTrains.text).toContain('trainingAspect clarity must be a pairwise aspect');
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ key: `a${i}`, label: `A${i}`, kind: 'text' }));
    expect((await app.post('/campaigns', { name: 'x', budget: 10, aspects: tooMany }, owner.token)).status).toBe(400);

    const draft = await createCampaign(app, owner.token, { aspects: ASPECTS, trainingAspect: 'harmless' });
    expect(draft.aspects.map((a: { key: string }) => a.key)).toEqual(['helpful', 'harmless', 'clarity', 'ideal']);
    expect(draft.trainingAspect).toBe('harmless');
    const unknown = await app.patch(`/campaigns/${draft.id}`, { trainingAspect: 'nope' }, owner.token);
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toMatchObject({ field: 'trainingAspect' });

    const started = await createActiveCampaign(app, owner.token, { prompts: 2, overrides: { aspects: ASPECTS } });
    const late = await app.patch(`/campaigns/${started.id}`, { aspects: [] }, owner.token);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('INVALID_TRANSITION');
  });

  it('checks answers at submit, stores them, and learns from the training aspect', async () => {
    const campaign = await active({ aspects: ASPECTS, trainingAspect: 'harmless' });
    const labelerView = (await app.get(`/campaigns/${campaign.id}`, labeler.token)).body;
    expect(labelerView.aspects).toHaveLength(4);
    const a = await next(campaign.id);

    const missing = await submit(a.id, { choice: 'A', aspects: { harmless: 'B' } });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    expect(missing.body.message).toContain('aspect helpful');
    const unknownKey = await submit(a.id, { choice: 'A', aspects: { helpful: 'A', bogus: 'A' } });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.message).toContain('bogus');
    const outOfRange = await submit(a.id, { choice: 'A', aspects: { helpful: 'A', clarity: { A: 8, B: 1 } } });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.message).toContain('clarity');
    const tooLong = await submit(a.id, { choice: 'A', aspects: { helpful: 'A', ideal: 'x'.repeat(10_001) } });
    expect(tooLong.status).toBe(400);
    expect(await label(a.id)).toBeUndefined();

    const answers = { helpful: 'A', harmless: 'B', clarity: { A: 6, B: 2 }, ideal: 'A better answer.' };
    const ok = await submit(a.id, { choice: 'A', aspects: answers });
    expect(ok.status).toBe(201);
    expect(ok.body.label.aspects).toEqual(answers);
    const stored = await label(a.id);
    expect(stored.aspects).toEqual(answers);
    // harmless = B (the right response) trains, not the main choice A.
    const firstOnRight = stored.right_response_id === (await comparisonFirst(a.comparisonId));
    expect(stored.outcome).toBe(firstOnRight ? 1 : 0);

    const learning = new LearningRepository(app.http.get(PrismaService));
    const judgments = await learning.judgments({ campaignId: campaign.id });
    expect(judgments).toEqual([expect.objectContaining({ id: stored.id, outcome: stored.outcome })]);

    // Changing the main choice within the undo window keeps the training aspect's outcome.
    const revised = await app.post(
      `/assignments/${a.id}/revise`,
      { choice: 'B', idempotencyKey: randomUUID() },
      labeler.token,
    );
    expect(revised.status).toBe(200);
    expect(await label(a.id)).toMatchObject({ choice: 'B', outcome: stored.outcome });

    // Not answering the (optional) training aspect: no outcome, so no training data from this label.
    const b = await next(campaign.id);
    expect((await submit(b.id, { choice: 'A', aspects: { helpful: 'A' } })).status).toBe(201);
    expect((await label(b.id)).outcome).toBeNull();
    expect(await learning.judgments({ campaignId: campaign.id })).toHaveLength(1);

    const raw = (await app.get(`/campaigns/${campaign.id}/exports/raw`, owner.token)).text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(raw.find((l) => l.assignmentId === a.id)).toMatchObject({ choice: 'B', aspects: answers });
    expect(raw.find((l) => l.assignmentId === b.id)).toMatchObject({ aspects: { helpful: 'A' } });
    // The dashboard's summary: pairwise counts, rating means, text answers.
    const summary = await app.get(`/campaigns/${campaign.id}/aspects`, owner.token);
    expect(summary.status).toBe(200);
    expect(summary.body.aspects).toEqual([
      { key: 'helpful', label: 'More helpful', kind: 'pairwise', answered: 2, pairwise: { A: 2, B: 0, tie: 0 } },
      { key: 'harmless', label: 'More harmless', kind: 'pairwise', answered: 1, pairwise: { A: 0, B: 1, tie: 0 } },
      { key: 'clarity', label: 'Clarity', kind: 'rating', answered: 1, rating: { meanA: 6, meanB: 2 } },
      { key: 'ideal', label: 'Ideal response', kind: 'text', answered: 1 },
    ]);
    expect((await app.get(`/campaigns/${campaign.id}/aspects`, labeler.token)).status).toBe(403);
    // TRL trains on the training aspect: the right response is chosen, and b (unanswered) is left out.
    const trl = (await app.get(`/campaigns/${campaign.id}/exports/trl`, owner.token)).text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(trl).toHaveLength(1);
    expect(trl[0].chosen).toContain(a.right.text);
    const majority = (await app.get(`/campaigns/${campaign.id}/exports/trl?aggregate=majority`, owner.token)).text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(majority).toHaveLength(1);
    expect(majority[0].chosen).toContain(a.right.text);
  });

  it('keeps campaigns without aspects as they were', async () => {
    const campaign = await active({});
    expect(campaign.aspects).toEqual([]);
    expect((await app.get(`/campaigns/${campaign.id}`, labeler.token)).body.aspects).toBeUndefined();
    const a = await next(campaign.id);
    const refused = await submit(a.id, { choice: 'A', aspects: { helpful: 'A' } });
    expect(refused.status).toBe(400);
    const ok = await submit(a.id, { choice: 'A' });
    expect(ok.status).toBe(201);
    expect(ok.body.label.aspects).toBeUndefined();
    const stored = await label(a.id);
    expect(stored.aspects).toBeNull();
    const firstOnLeft = stored.left_response_id === (await comparisonFirst(a.comparisonId));
    expect(stored.outcome).toBe(firstOnLeft ? 1 : 0);
  });

  async function comparisonFirst(comparisonId: string): Promise<string> {
    return (await app.db.query('SELECT first_response_id FROM comparisons WHERE id = $1', [comparisonId])).rows[0]
      .first_response_id;
  }
});
