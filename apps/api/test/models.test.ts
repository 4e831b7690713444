import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import {
  type SeededCampaign,
  type SeededEntry,
  seedCampaign,
  seedJudgments,
  seedModelVersion,
  seedPolicy,
} from './support/readside-fixtures';

describe('models, certificate and policy', () => {
  let app: TestApp;
  let owner: TestUser;
  let other: TestUser;
  let labeler: TestUser;
  let admin: TestUser;
  let campaign: SeededCampaign;
  let empty: SeededCampaign;
  let entries: SeededEntry[];
  let v2: string;

  beforeAll(async () => {
    app = await startTestApp();
    [owner, other, labeler, admin] = await Promise.all([
      app.createUser('researcher'),
      app.createUser('researcher'),
      app.createUser('labeler'),
      app.createUser('admin'),
    ]);
    campaign = await seedCampaign(app, owner, { prompts: 12, responses: 3, labelers: [labeler] });
    empty = await seedCampaign(app, owner, { prompts: 2 });
    await seedModelVersion(app, campaign, { version: 1, labelCount: 50, gap: 0.9 });
    await seedModelVersion(app, campaign, { version: 2, labelCount: 100, gap: null });
    v2 = await seedModelVersion(app, campaign, { version: 3, labelCount: 150, gap: 0.4 });
    entries = await seedPolicy(app, campaign, v2, { version: 1, labelCount: 150 });
    await seedJudgments(
      app,
      campaign,
      [
        { prompt: 0, first: 0, second: 1, labeler, choice: 'A', strength: 2, key: 'c1' },
        { prompt: 0, first: 0, second: 1, labeler: owner, choice: 'tie', key: 'c1' },
        { prompt: 0, first: 1, second: 2, labeler, choice: 'skip' },
        { prompt: 1, first: 0, second: 1, labeler, choice: 'B' },
      ],
      { modelVersionId: v2 },
    );
  });
  afterAll(() => app?.close());

  it('lists versions newest first, without calibration bins, with the certificate gap', async () => {
    const res = await app.get(`/campaigns/${campaign.id}/models`, owner.token);
    expect(res.status).toBe(200);
    expect(res.body.items.map((v: any) => [v.version, v.labelCount, v.gap])).toEqual([
      [3, 150, 0.4],
      [2, 100, null],
      [1, 50, 0.9],
    ]);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items[0].metrics.heldOutAccuracy).toBe(0.7);
    expect(res.body.items[0].metrics.calibration).toBeUndefined();
    expect(res.body.items[0].parameters).toBeUndefined();
    const first = await app.get(`/campaigns/${campaign.id}/models?limit=2`, owner.token);
    expect(first.body.items.map((v: any) => v.version)).toEqual([3, 2]);
    const rest = await app.get(`/campaigns/${campaign.id}/models?limit=2&cursor=${first.body.nextCursor}`, owner.token);
    expect(rest.body).toMatchObject({ items: [{ version: 1 }], nextCursor: null });
  });

  it('returns one version with calibration, and parameters only when asked', async () => {
    const res = await app.get(`/campaigns/${campaign.id}/models/3`, owner.token);
    expect(res.status).toBe(200);
    expect(res.body.metrics.calibration).toHaveLength(1);
    expect(res.body.certificate.gap).toBe(0.4);
    expect(res.body.parameters).toBeUndefined();
    const withParams = await app.get(`/campaigns/${campaign.id}/models/3?includeParameters=true`, owner.token);
    expect(withParams.body.parameters).toEqual({ kind: 'borda-gp', weights: [1, 2, 3] });
    expect((await app.get(`/campaigns/${campaign.id}/models/9`, owner.token)).status).toBe(404);
  });

  it('refuses labelers with 403 and other researchers with 404; admins see everything', async () => {
    for (const path of ['models', 'models/3', 'certificate', 'policy', `policy/prompts/${campaign.prompts[0].id}`]) {
      const asLabeler = await app.get(`/campaigns/${campaign.id}/${path}`, labeler.token);
      expect(asLabeler.status, path).toBe(403);
      expect(asLabeler.body.code).toBe('FORBIDDEN');
      expect((await app.get(`/campaigns/${campaign.id}/${path}`, other.token)).status, path).toBe(404);
      expect((await app.get(`/campaigns/${campaign.id}/${path}`, admin.token)).status, path).toBe(200);
    }
  });

  it('serves the certificate of the newest version and the gap history, oldest first', async () => {
    const res = await app.get(`/campaigns/${campaign.id}/certificate`, owner.token);
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(3);
    expect(res.body.current).toMatchObject({ gap: 0.4, units: 'borda', labelCount: 150 });
    expect(res.body.history).toEqual([
      { version: 1, labelCount: 50, gap: 0.9 },
      { version: 3, labelCount: 150, gap: 0.4 },
    ]);
  });

  it('answers NO_MODEL_YET before any fit', async () => {
    for (const path of ['certificate', 'policy']) {
      const res = await app.get(`/campaigns/${empty.id}/${path}`, owner.token);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('NO_MODEL_YET');
    }
    expect((await app.get(`/campaigns/${empty.id}/models`, owner.token)).body.items).toEqual([]);
  });

  it('pages through the policy in every sort order without gaps or repeats', async () => {
    const expected = {
      prompt: campaign.prompts.map((p) => p.id),
      // Equal values are ordered by prompt id, in the direction of the sort (uuid order = hex order).
      confidence: [...entries]
        .sort((a, b) => a.lcbMargin - b.lcbMargin || (a.promptId < b.promptId ? -1 : 1))
        .map((e) => e.promptId),
      gap: [...entries].sort((a, b) => b.gap - a.gap || (a.promptId < b.promptId ? 1 : -1)).map((e) => e.promptId),
    };
    for (const sort of ['prompt', 'confidence', 'gap'] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = `sort=${sort}&limit=5${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await app.get(`/campaigns/${campaign.id}/policy?${q}`, owner.token);
        expect(res.status).toBe(200);
        expect(res.body.policy).toMatchObject({ version: 1, modelVersion: 3, labelCount: 150 });
        seen.push(...res.body.items.map((e: any) => e.promptId));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages, sort).toBe(3);
      expect(seen, sort).toEqual(expected[sort]);
    }
    const first = await app.get(`/campaigns/${campaign.id}/policy?limit=2`, owner.token);
    const e0 = first.body.items[0];
    expect(e0).toMatchObject({ externalId: 'p0', snippet: 'Prompt 0: explain topic 0' });
    expect(e0.picks).toMatchObject({ greedy: entries[0].greedy, pessimistic: entries[0].pessimistic, dpo: null });
    expect(e0.confidence).toBeCloseTo(entries[0].lcbMargin);
    expect(first.body.items[1].snippet).toBe('Question 1?');
    // A new policy version mid-way: later pages continue from the cursor's prompt in the new version.
    const page1 = await app.get(`/campaigns/${campaign.id}/policy?limit=5`, owner.token);
    await seedPolicy(app, campaign, v2, { version: 2, labelCount: 160 });
    const page2 = await app.get(
      `/campaigns/${campaign.id}/policy?limit=5&cursor=${page1.body.nextCursor}`,
      owner.token,
    );
    expect(page2.body.policy.version).toBe(2);
    expect(page2.body.items.map((e: any) => e.externalId)).toEqual(['p5', 'p6', 'p7', 'p8', 'p9']);
    const bad = await app.get(`/campaigns/${campaign.id}/policy?cursor=nonsense`, owner.token);
    expect(bad.status).toBe(400);
    expect((await app.get(`/campaigns/${campaign.id}/policy?sort=random`, owner.token)).status).toBe(400);
  });

  it('explains one prompt: ranked responses, picks and the labelled comparisons', async () => {
    const prompt = campaign.prompts[0];
    const res = await app.get(`/campaigns/${campaign.id}/policy/prompts/${prompt.id}`, owner.token);
    expect(res.status).toBe(200);
    const means = res.body.responses.map((r: any) => r.mean);
    expect(means).toEqual([...entries[0].means].sort((a, b) => b - a));
    expect(res.body.responses[0]).toMatchObject({ rank: 1, responseId: entries[0].greedy });
    expect(res.body.responses[0].text).toContain('p0-r');
    expect(res.body.picks.greedy).toBe(entries[0].greedy);
    expect(res.body.comparisons).toHaveLength(2);
    const shared = res.body.comparisons.find((c: any) => c.labels.length === 2);
    expect(shared.modelVersion).toBe(3);
    expect(shared.labels.map((l: any) => l.choice)).toEqual(['A', 'tie']);
    expect(shared.labels[0]).toMatchObject({ labelerId: labeler.id, strength: 2, outcome: 1 });
    expect(shared.labels[0].labelerName).toBeTruthy();
    const skipped = res.body.comparisons.find((c: any) => c.labels.length === 1);
    expect(skipped.labels[0]).toMatchObject({ choice: 'skip', skipReason: 'unsure', outcome: null });
    const foreign = await app.get(`/campaigns/${campaign.id}/policy/prompts/${empty.prompts[0].id}`, owner.token);
    expect(foreign.status).toBe(404);
  });
});
