import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import {
  type JudgmentSpec,
  type SeededCampaign,
  seedCampaign,
  seedJudgments,
  seedModelVersion,
  seedPolicy,
} from './support/readside-fixtures';

const lines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

describe('exports', () => {
  let app: TestApp;
  let owner: TestUser;
  let other: TestUser;
  let labelers: TestUser[];
  let campaign: SeededCampaign;
  const text = (prompt: number, response: number) => campaign.prompts[prompt].responseTexts[response];

  beforeAll(async () => {
    app = await startTestApp();
    [owner, other] = await Promise.all([app.createUser('researcher'), app.createUser('researcher')]);
    labelers = await Promise.all([1, 2, 3].map(() => app.createUser('labeler')));
    campaign = await seedCampaign(app, owner, { prompts: 6, responses: 3, labelers, name: 'Export Test!' });
    const [l1, l2, l3] = labelers;
    const specs: JudgmentSpec[] = [
      // c1: 2–1 for the first response.
      { prompt: 0, first: 0, second: 1, labeler: l1, choice: 'A', strength: 1, key: 'c1' },
      { prompt: 0, first: 0, second: 1, labeler: l2, choice: 'A', key: 'c1' },
      { prompt: 0, first: 0, second: 1, labeler: l3, choice: 'B', strength: 2, key: 'c1' },
      // c2 (the conversation prompt), second shown on the left: a 1–1 split.
      { prompt: 1, first: 0, second: 2, labeler: l1, choice: 'A', firstOnLeft: false, key: 'c2' },
      { prompt: 1, first: 0, second: 2, labeler: l2, choice: 'B', firstOnLeft: false, key: 'c2' },
      // c3: no decisive judgment.
      { prompt: 2, first: 1, second: 2, labeler: l1, choice: 'tie', key: 'c3' },
      { prompt: 2, first: 1, second: 2, labeler: l2, choice: 'both_bad', key: 'c3' },
      // c4: skipped.
      { prompt: 3, first: 0, second: 1, labeler: l1, choice: 'skip', key: 'c4' },
      // c5: one judgment for the second response, strength 3.
      { prompt: 2, first: 0, second: 1, labeler: l1, choice: 'B', strength: 3, key: 'c5' },
    ];
    await seedJudgments(app, campaign, specs);
  });
  afterAll(() => app?.close());

  it('streams every stored label in raw, with ties, both_bad and skips', async () => {
    const res = await app.get(`/campaigns/${campaign.id}/exports/raw`, owner.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="export-test-raw-[\d-]+\.jsonl"$/);
    const rows = lines(res.text);
    expect(rows).toHaveLength(9);
    const stored = await app.db.query('SELECT id FROM labels WHERE campaign_id = $1', [campaign.id]);
    expect(new Set(rows.map((r) => r.labelId))).toEqual(new Set(stored.rows.map((r) => r.id)));
    const byChoice = (c: string) => rows.filter((r) => r.choice === c);
    expect([byChoice('A').length, byChoice('B').length]).toEqual([3, 3]);
    expect(byChoice('skip')[0]).toMatchObject({ skipReason: 'unsure', outcome: null, strength: null });
    expect(byChoice('tie')[0].outcome).toBe(0.5);
    expect(byChoice('both_bad')[0].outcome).toBeNull();
    const swapped = rows.find((r) => r.prompt.externalId === 'p1' && r.choice === 'A');
    expect(swapped.left).toMatchObject({ id: campaign.prompts[1].responseIds[2], text: text(1, 2) });
    expect(swapped.firstResponseId).toBe(campaign.prompts[1].responseIds[0]);
    expect(swapped.outcome).toBe(0);
    expect(swapped.prompt.messages).toHaveLength(2);
    expect(rows[0]).toMatchObject({ strategy: 'ae-borda', modelVersion: null, timeTakenMs: expect.any(Number) });
    expect(Date.parse(rows[0].createdAt)).toBeLessThanOrEqual(Date.parse(rows[8].createdAt));
  });

  it('writes TRL pairs from decisive judgments only, with margins on request', async () => {
    const res = await app.get(`/campaigns/${campaign.id}/exports/trl`, owner.token);
    expect(res.status).toBe(200);
    const rows = lines(res.text);
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(['chosen', 'prompt', 'rejected']);
    const c2 = rows.filter((r) => r.prompt.includes('Question 1?'));
    expect(c2[0].prompt).toBe('system: Be brief.\n\nuser: Question 1?');
    // A on a swapped comparison chose the left response, which is the comparison's second.
    expect(c2.map((r) => r.chosen).sort()).toEqual([text(1, 0), text(1, 2)].sort());
    const c5 = rows.find((r) => r.chosen === text(2, 1));
    expect(c5).toMatchObject({ rejected: text(2, 0), prompt: 'Prompt 2: explain topic 2' });
    const margins = lines((await app.get(`/campaigns/${campaign.id}/exports/trl?margin=true`, owner.token)).text);
    expect(margins.map((r) => r.margin).sort()).toEqual([0, 0, 0, 1 / 3, 2 / 3, 1].sort());
  });

  it('writes the conversational and OpenAI formats with message lists', async () => {
    const conv = lines((await app.get(`/campaigns/${campaign.id}/exports/trl-conversational`, owner.token)).text);
    expect(conv).toHaveLength(6);
    const convC2 = conv.find((r) => r.prompt.length === 2);
    expect(convC2.prompt).toEqual(campaign.prompts[1].messages);
    const plain = conv.find((r) => r.prompt.length === 1);
    expect(plain.prompt[0].role).toBe('user');
    expect(plain.chosen).toEqual([{ role: 'assistant', content: expect.any(String) }]);
    expect(plain.rejected[0].role).toBe('assistant');
    const openai = lines((await app.get(`/campaigns/${campaign.id}/exports/openai`, owner.token)).text);
    expect(openai).toHaveLength(6);
    for (const r of openai) {
      expect(Object.keys(r).sort()).toEqual(['input', 'non_preferred_output', 'preferred_output']);
      expect(r.input.messages.at(-1).role).toBe('user');
      expect(r.preferred_output).toHaveLength(1);
      expect(r.preferred_output[0].content).not.toBe(r.non_preferred_output[0].content);
    }
  });

  it('collapses repeated judgments to the majority winner and drops splits', async () => {
    const res = await app.get(`/campaigns/${campaign.id}/exports/trl?aggregate=majority&margin=true`, owner.token);
    const rows = lines(res.text);
    expect(rows).toHaveLength(2);
    const c1 = rows.find((r) => r.prompt.startsWith('Prompt 0'));
    expect(c1).toMatchObject({ chosen: text(0, 0), rejected: text(0, 1), margin: 1 / 6 });
    expect(rows.find((r) => r.prompt.startsWith('Prompt 2'))).toMatchObject({ chosen: text(2, 1), margin: 1 });
    const openai = lines(
      (await app.get(`/campaigns/${campaign.id}/exports/openai?aggregate=majority`, owner.token)).text,
    );
    expect(openai).toHaveLength(2);
    expect((await app.get(`/campaigns/${campaign.id}/exports/trl?aggregate=mode`, owner.token)).status).toBe(400);
  });

  it('exports best-of-n SFT lines from the current policy, 409 before one exists', async () => {
    const before = await app.get(`/campaigns/${campaign.id}/exports/best-of-n`, owner.token);
    expect(before.status).toBe(409);
    expect(before.body.code).toBe('NO_MODEL_YET');
    const model = await seedModelVersion(app, campaign, { version: 1, labelCount: 8, gap: 0.5 });
    const entries = await seedPolicy(app, campaign, model, { version: 1, labelCount: 8 });
    const texts = new Map(
      campaign.prompts.flatMap((p) => p.responseIds.map((r, j) => [r, p.responseTexts[j]] as const)),
    );
    const res = await app.get(`/campaigns/${campaign.id}/exports/best-of-n`, owner.token);
    expect(res.status).toBe(200);
    const rows = lines(res.text);
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r.messages.at(-1))).toEqual(
      entries.map((e) => ({ role: 'assistant', content: texts.get(e.pessimistic) })),
    );
    expect(rows[1].messages.slice(0, 2)).toEqual(campaign.prompts[1].messages);
    expect(rows[0].messages[0]).toEqual({ role: 'user', content: 'Prompt 0: explain topic 0' });
    const greedy = lines(
      (await app.get(`/campaigns/${campaign.id}/exports/best-of-n?policy=greedy`, owner.token)).text,
    );
    expect(greedy.map((r) => r.messages.at(-1).content)).toEqual(entries.map((e) => texts.get(e.greedy)));
    const dpo = await app.get(`/campaigns/${campaign.id}/exports/best-of-n?policy=dpo`, owner.token);
    expect(dpo.status).toBe(409);
  });

  it('refuses labelers and other researchers, and audit-logs each export', async () => {
    expect((await app.get(`/campaigns/${campaign.id}/exports/raw`, labelers[0].token)).status).toBe(403);
    expect((await app.get(`/campaigns/${campaign.id}/exports/trl`, other.token)).status).toBe(404);
    const audit = await app.db.query(
      `SELECT details FROM audit_log WHERE campaign_id = $1 AND action = 'export' ORDER BY id`,
      [campaign.id],
    );
    const raw = audit.rows.find((r) => r.details.format === 'raw');
    expect(raw.details).toMatchObject({ lines: 9, complete: true });
    expect(audit.rows.map((r) => r.details.format)).toContain('best-of-n');
  });

  it('streams thousands of labels in batches, none lost or repeated', async () => {
    const big = await seedCampaign(app, owner, { prompts: 10, responses: 4, labelers });
    const choices = ['A', 'B', 'tie', 'A', 'both_bad', 'B', 'skip'] as const;
    const specs: JudgmentSpec[] = Array.from({ length: 3000 }, (_, i) => ({
      prompt: Math.floor(i / 3) % 10,
      first: 0,
      second: 1 + (Math.floor(i / 30) % 3),
      labeler: labelers[i % 3],
      choice: choices[i % choices.length],
      key: `c${Math.floor(i / 3)}`,
    }));
    const { labelIds } = await seedJudgments(app, big, specs);
    const res = await app.get(`/campaigns/${big.id}/exports/raw`, owner.token);
    expect(res.headers.get('content-length')).toBeNull(); // chunked: written as it was read
    const rows = lines(res.text);
    expect(rows).toHaveLength(3000);
    expect(new Set(rows.map((r) => r.labelId))).toEqual(new Set(labelIds));
    const decisive = specs.filter((s) => s.choice === 'A' || s.choice === 'B').length;
    expect(lines((await app.get(`/campaigns/${big.id}/exports/trl`, owner.token)).text)).toHaveLength(decisive);
  });
});
