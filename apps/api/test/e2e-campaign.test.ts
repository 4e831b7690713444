/**
 * One campaign end to end over HTTP, with the real workers on the real queue:
 * create → import → Featurize → ComparisonSelect → lease → label → RewardModelFit → PolicyFit →
 * the next selection comes from the new model version → every export format parses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser, waitFor } from './support/harness';

const PROMPTS = [
  { id: 'reverse', prompt: 'How do I reverse a list in Python?' },
  { id: 'boil', prompt: 'At what temperature does water boil at sea level?' },
  {
    id: 'capital',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of France?' },
    ],
  },
  { id: 'sort', prompt: 'How do I sort a dict by value?' },
  { id: 'http', prompt: 'What does HTTP 404 mean?' },
  { id: 'git', prompt: 'How do I undo the last git commit?' },
];

function jsonl(): string {
  return PROMPTS.map((p, i) =>
    JSON.stringify({
      ...p,
      responses: [
        { text: `A careful, correct answer to ${p.id}.`, model: 'model-a', ref_logprob: -10 - i },
        { text: `A short answer to ${p.id}.`, model: 'model-b', ref_logprob: -8 - i },
        { text: `An off-topic reply about football.`, model: 'model-c', ref_logprob: -20 },
        { text: `I refuse to answer ${p.id}.`, model: 'model-c', ref_logprob: -15 },
      ],
    }),
  ).join('\n');
}

/** The labelers' taste: careful > short > refusal > off-topic (by the response's first word). */
function rank(text: string): number {
  if (text.startsWith('A careful')) return 3;
  if (text.startsWith('A short')) return 2;
  if (text.startsWith('I refuse')) return 1;
  return 0;
}

describe('a campaign end to end', () => {
  let app: TestApp;
  let researcher: TestUser;
  let labelers: TestUser[];

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    researcher = await app.createUser('researcher');
    labelers = [await app.createUser('labeler'), await app.createUser('labeler')];
  });
  afterAll(() => app?.close());

  async function label(campaignId: string, count: number, offset: number) {
    for (let i = 0; i < count; i++) {
      const labeler = labelers[i % labelers.length];
      const next = await waitFor(
        async () => {
          const res = await app.post(`/campaigns/${campaignId}/next`, {}, labeler.token);
          expect(res.status, res.text).toBe(200);
          return res.body.assignment;
        },
        30_000,
        'a comparison to label',
      );
      expect(next.left.text).toBeTypeOf('string');
      expect(JSON.stringify(next)).not.toContain('model-a'); // the source model never reaches labelers
      const heartbeat = await app.post(`/assignments/${next.id}/heartbeat`, {}, labeler.token);
      expect(heartbeat.status, heartbeat.text).toBe(200);
      const leftBetter = rank(next.left.text) >= rank(next.right.text);
      const tie = rank(next.left.text) === rank(next.right.text);
      const submit = await app.post(
        `/assignments/${next.id}/submit`,
        {
          choice: tie ? 'tie' : leftBetter ? 'A' : 'B',
          ...(tie ? {} : { strength: 2 }),
          rationale: 'by the rubric',
          timeTakenMs: 1200,
          idempotencyKey: `e2e-${offset + i}`,
        },
        labeler.token,
      );
      expect(submit.status, submit.text).toBe(201);
    }
  }

  it('runs the whole loop and exports every format', { timeout: 240_000 }, async () => {
    const created = await app.post(
      '/campaigns',
      {
        name: 'End to end',
        guidelines: 'Prefer correct, helpful answers.',
        strategy: 'ae-borda',
        budget: 100,
        retrainEvery: 10,
        batchSize: 4,
        bufferSize: 8,
        featureDim: 16,
        labelerIds: labelers.map((l) => l.id),
      },
      researcher.token,
    );
    expect(created.status, created.text).toBe(201);
    const id: string = created.body.id;

    const imported = await app.request('POST', `/campaigns/${id}/imports`, { token: researcher.token, body: jsonl() });
    expect(imported.status, imported.text).toBe(201);
    expect(imported.body).toMatchObject({ promptCount: PROMPTS.length, responseCount: PROMPTS.length * 4 });
    expect((await app.post(`/campaigns/${id}/start`, {}, researcher.token)).status).toBe(200);

    // Featurize → ComparisonSelect fill the buffer from the prior (no model version yet).
    await waitFor(
      async () =>
        (await app.db.query(`SELECT 1 FROM responses WHERE campaign_id = $1 AND embedding IS NULL`, [id])).rowCount ===
        0,
      30_000,
      'featurization',
    );
    const first = await waitFor(
      async () => {
        const { rows } = await app.db.query<{ model_version_id: string | null }>(
          `SELECT model_version_id FROM comparisons WHERE campaign_id = $1`,
          [id],
        );
        return rows.length ? rows : null;
      },
      30_000,
      'the first selection',
    );
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((c) => c.model_version_id === null)).toBe(true);

    await label(id, 10, 0);

    // Ten judgments trigger RewardModelFit → PolicyFit → ComparisonSelect with the new version.
    const version = await waitFor(
      async () => {
        const res = await app.get(`/campaigns/${id}/models`, researcher.token);
        const items = Array.isArray(res.body) ? res.body : res.body.items;
        return items?.length ? items[0] : null;
      },
      60_000,
      'model version 1',
    );
    expect(version.version).toBe(1);
    expect(version.labelCount).toBeGreaterThanOrEqual(10);
    const versionId = (await app.db.query(`SELECT id FROM model_versions WHERE campaign_id = $1 AND version = 1`, [id]))
      .rows[0].id;
    await waitFor(
      async () =>
        (
          await app.db.query(`SELECT 1 FROM comparisons WHERE campaign_id = $1 AND model_version_id = $2`, [
            id,
            versionId,
          ])
        ).rowCount! > 0,
      60_000,
      'a selection by model version 1',
    );
    const certificate = await app.get(`/campaigns/${id}/certificate`, researcher.token);
    expect(certificate.status, certificate.text).toBe(200);
    const policy = await waitFor(
      async () => {
        const res = await app.get(`/campaigns/${id}/policy`, researcher.token);
        return res.status === 200 ? res.body : null;
      },
      60_000,
      'the first policy',
    );
    expect(JSON.stringify(policy)).toContain(PROMPTS[0].prompt!.slice(0, 10));

    // The labeler leases a comparison chosen by the fitted model.
    await label(id, 6, 10);
    const fromModel = await app.db.query(
      `SELECT count(*)::int AS n FROM labels l JOIN comparisons c ON c.id = l.comparison_id
        WHERE l.campaign_id = $1 AND c.model_version_id IS NOT NULL`,
      [id],
    );
    expect(fromModel.rows[0].n).toBeGreaterThan(0);

    for (const format of ['raw', 'trl', 'trl-conversational', 'openai', 'kto', 'best-of-n']) {
      const res = await app.get(`/campaigns/${id}/exports/${format}`, researcher.token);
      expect(res.status, `${format}: ${res.text}`).toBe(200);
      const lines = res.text.split('\n').filter((l) => l.trim());
      expect(lines.length, format).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line), `${format}: ${line}`).not.toThrow();
      if (format === 'raw') expect(lines).toHaveLength(16);
      if (format === 'openai') expect(JSON.parse(lines[0])).toHaveProperty('preferred_output');
      if (format === 'trl')
        expect(Object.keys(JSON.parse(lines[0]))).toEqual(expect.arrayContaining(['prompt', 'chosen', 'rejected']));
    }

    // The import's `model` of each response reaches the exports and the source-model leaderboard.
    const raw = (await app.get(`/campaigns/${id}/exports/raw`, researcher.token)).text.split('\n').filter(Boolean);
    const modelOfText = (t: string) =>
      t.startsWith('A careful') ? 'model-a' : t.startsWith('A short') ? 'model-b' : 'model-c';
    for (const line of raw.map((l) => JSON.parse(l))) {
      expect(line.left.model).toBe(modelOfText(line.left.text));
      expect(line.right.model).toBe(modelOfText(line.right.text));
    }
    const trl = (await app.get(`/campaigns/${id}/exports/trl?models=true`, researcher.token)).text;
    for (const r of trl
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))) {
      expect(r.chosen_model).toBe(modelOfText(r.chosen));
    }
    const board = await app.get(`/campaigns/${id}/source-models`, researcher.token);
    expect(board.status).toBe(200);
    // The labelers' taste is fixed (careful > short > refusal > off-topic): model-a never loses, model-c never wins.
    const standing = (name: string) => board.body.models.find((m: { model: string }) => m.model === name);
    expect(board.body.models.map((m: { model: string }) => m.model).sort()).toEqual(['model-a', 'model-b', 'model-c']);
    expect(standing('model-a').losses).toBe(0);
    expect(standing('model-c').wins).toBe(0);
  });
});
