/**
 * Gold comparisons (issue 10 item 1) through HTTP on a real database: generated, marked and imported
 * gold; served at the campaign's rate, deterministic per labeler, never twice to one labeler, never
 * in the budget nor in label_count; indistinguishable from other leases; feedback after a miss;
 * per-labeler gold accuracy with a Wilson 95 % interval.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@borda/numeric';
import { degrade } from '../src/crowd/degrade';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

/** Wilson score interval, written out independently of the service's implementation. */
function wilson95(k: number, n: number) {
  const z = 1.959963984540054;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { low: centre - half, high: centre + half };
}

describe('degraded copies', () => {
  const text =
    'The sky is blue because of Rayleigh scattering. Short waves scatter more. Sunsets look red for the same reason.';
  const letters = (t: string) => [...t.replace(/[^a-z]/gi, '')].sort().join('');

  it('are a deterministic function of the text and the seeded stream', () => {
    for (const kind of ['truncate', 'shuffle_sentences', 'scramble_words'] as const) {
      const a = degrade(text, [kind], new Rng(7).fork(3));
      const b = degrade(text, [kind], new Rng(7).fork(3));
      expect(a).toEqual(b);
      expect(a?.kind).toBe(kind);
      expect(a?.text).not.toBe(text);
    }
  });

  it('truncate keeps a prefix, shuffle keeps the sentences, scramble keeps the letters', () => {
    const truncated = degrade(text, ['truncate'], new Rng(1))!.text;
    expect(text.startsWith(truncated)).toBe(true);
    expect(truncated.split(' ').length).toBeLessThanOrEqual(text.split(' ').length / 2);
    const shuffled = degrade(text, ['shuffle_sentences'], new Rng(1))!.text;
    expect(shuffled.split(/(?<=[.!?]) /).sort()).toEqual(text.split(/(?<=[.!?]) /).sort());
    const scrambled = degrade(text, ['scramble_words'], new Rng(1))!.text;
    expect(letters(scrambled)).toBe(letters(text));
  });

  it('gives null when no allowed degradation applies, and falls back to one that does', () => {
    expect(degrade('Yes.', ['truncate', 'shuffle_sentences'], new Rng(1))).toBeNull();
    expect(degrade('Yes, certainly.', ['truncate', 'scramble_words'], new Rng(1))?.kind).toBe('scramble_words');
  });
});

describe('gold comparisons', () => {
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

  const seed = async (options: object = {}) => {
    const seeded = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: labelers.map((l) => l.id),
      prompts: 10,
      responsesPerPrompt: 4,
      comparisons: 40,
      ...options,
    });
    // A strategy the campaign routes accept, so settings can be PATCHed.
    await app.db.query(`UPDATE campaigns SET strategy = 'uniform' WHERE id = $1`, [seeded.campaignId]);
    return seeded;
  };
  const next = (campaignId: string, user: TestUser) => app.post(`/campaigns/${campaignId}/next`, {}, user.token);
  const submit = (id: string, choice: string, user: TestUser) =>
    app.post(`/assignments/${id}/submit`, { choice, idempotencyKey: randomUUID() }, user.token);
  const row = async (sql: string, params: unknown[]) => (await app.db.query(sql, params)).rows[0];
  const goldAnswerOf = async (comparisonId: string) =>
    (await row('SELECT gold_response_id FROM comparisons WHERE id = $1', [comparisonId])).gold_response_id as string;

  it('generates gold against synthetic degraded copies that never become candidates', async () => {
    const { campaignId } = await seed();
    const generated = await app.post(`/campaigns/${campaignId}/gold/generate`, { count: 6 }, owner.token);
    expect(generated.status).toBe(201);
    expect(generated.body.created).toBe(6);
    const copies = await app.db.query(
      `SELECT r.*, c.first_response_id, c.gold_response_id, c.state, c.labels_required, o.text AS original
       FROM comparisons c JOIN responses r ON r.id = c.second_response_id JOIN responses o ON o.id = c.first_response_id
       WHERE c.campaign_id = $1 AND c.gold_source = 'generated'`,
      [campaignId],
    );
    expect(copies.rows).toHaveLength(6);
    for (const copy of copies.rows) {
      expect(copy).toMatchObject({ synthetic: true, embedding: null, state: 'complete', labels_required: 0 });
      expect(copy.featurized_at).not.toBeNull(); // Featurize never picks it up
      expect(copy.ordinal).toBeLessThan(0);
      expect(copy.gold_response_id).toBe(copy.first_response_id);
      expect(copy.text).not.toBe(copy.original);
      expect(['truncate', 'shuffle_sentences', 'scramble_words']).toContain(copy.metadata.degradation);
    }
    expect((await app.get(`/campaigns/${campaignId}/gold`, labelers[0].token)).status).toBe(403);
  });

  it('serves gold at the rate, never twice, outside the budget, looking like any other lease', async () => {
    const { campaignId } = await seed({ budget: 30 });
    await app.post(`/campaigns/${campaignId}/gold/generate`, { count: 12 }, owner.token);
    const patched = await app.patch(`/campaigns/${campaignId}`, { goldRate: 0.25, goldFeedback: true }, owner.token);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ goldRate: 0.25, goldFeedback: true });

    const labeler = labelers[0];
    let goldLeases = 0;
    let misses = 0;
    let correct = 0;
    const goldSeen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await next(campaignId, labeler);
      expect(res.status).toBe(200);
      const a = res.body.assignment;
      // The same shape as any lease: nothing says "gold" or "synthetic".
      expect(Object.keys(a).sort()).toEqual(
        ['comparisonId', 'expiresAt', 'id', 'leaseSeconds', 'left', 'prompt', 'right'].sort(),
      );
      expect(res.text).not.toMatch(/gold|synthetic|degrad/i);
      const assignment = await row('SELECT gold FROM assignments WHERE id = $1', [a.id]);
      if (!assignment.gold) {
        expect((await submit(a.id, 'A', labeler)).status).toBe(201);
        continue;
      }
      goldLeases++;
      expect(goldSeen.has(a.comparisonId)).toBe(false);
      goldSeen.add(a.comparisonId);
      const answer = await goldAnswerOf(a.comparisonId);
      const right = a.left.id === answer ? 'A' : 'B';
      const wrong = right === 'A' ? 'B' : 'A';
      // Miss every other gold check: the feedback names the side that was expected.
      const miss = goldLeases % 2 === 1;
      const res2 = await submit(a.id, miss ? wrong : right, labeler);
      expect(res2.status).toBe(201);
      if (miss) {
        misses++;
        expect(res2.body.goldFeedback).toEqual({ correct: false, expected: right });
      } else {
        correct++;
        expect(res2.body.goldFeedback).toBeUndefined();
      }
    }
    // 20 leases at rate 0.25: exactly 5 gold (⌊N·r⌋ or ⌈N·r⌉, equal here).
    expect(goldLeases).toBe(5);
    const campaign = await row('SELECT label_count FROM campaigns WHERE id = $1', [campaignId]);
    expect(campaign.label_count).toBe(15); // gold judgments never count
    const goldLabels = await row(
      `SELECT count(*)::int AS n, bool_and(l.gold) AS all_gold, max(c.labels_received) AS received
       FROM labels l JOIN comparisons c ON c.id = l.comparison_id
       WHERE l.campaign_id = $1 AND c.gold_response_id IS NOT NULL`,
      [campaignId],
    );
    expect(goldLabels).toEqual({ n: 5, all_gold: true, received: 0 });

    // Gold accuracy with its Wilson interval, for the researcher.
    const crowd = await app.get(`/campaigns/${campaignId}/crowd/labelers`, owner.token);
    expect(crowd.status).toBe(200);
    const mine = crowd.body.find((l: { labelerId: string }) => l.labelerId === labeler.id);
    expect(mine.judgments).toBe(20);
    expect(mine.goldAccuracy).toMatchObject({ successes: correct, trials: 5, rate: correct / 5 });
    const expected = wilson95(correct, 5);
    expect(mine.goldAccuracy.low).toBeCloseTo(expected.low, 12);
    expect(mine.goldAccuracy.high).toBeCloseTo(expected.high, 12);
    expect(misses).toBe(3);
    const untouched = crowd.body.find((l: { labelerId: string }) => l.labelerId === labelers[1].id);
    expect(untouched.goldAccuracy).toMatchObject({ trials: 0, rate: null, low: 0, high: 1 });

    // The budget (30) ends with 30 ordinary judgments whatever gold was served on the way.
    for (let i = 0; i < 60; i++) {
      const res = await next(campaignId, labelers[1]);
      if (!res.body.assignment) break;
      await submit(res.body.assignment.id, 'B', labelers[1]);
    }
    const done = await row('SELECT label_count, status FROM campaigns WHERE id = $1', [campaignId]);
    expect(done).toEqual({ label_count: 30, status: 'completed' });
    const judged = await row(
      'SELECT count(*) FILTER (WHERE NOT gold)::int AS ordinary, count(*) FILTER (WHERE gold)::int AS gold FROM labels WHERE campaign_id = $1',
      [campaignId],
    );
    expect(judged.ordinary).toBe(30);
    expect(judged.gold).toBeGreaterThan(5);

    // Synthetic responses never reach an export.
    const raw = await app.get(`/campaigns/${campaignId}/exports/raw`, owner.token);
    const synthetic = await app.db.query('SELECT id FROM responses WHERE campaign_id = $1 AND synthetic', [campaignId]);
    for (const s of synthetic.rows) expect(raw.text).not.toContain(s.id);
  });

  it('never serves one gold twice to a labeler; gold turns past the gold pool fall back to ordinary work', async () => {
    const { campaignId } = await seed({ comparisons: 40 });
    await app.post(`/campaigns/${campaignId}/gold/generate`, { count: 4 }, owner.token);
    await app.patch(`/campaigns/${campaignId}`, { goldRate: 0.5 }, owner.token);
    for (const labeler of labelers.slice(0, 2)) {
      const gold: number[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < 16; i++) {
        const a = (await next(campaignId, labeler)).body.assignment;
        const isGold = (await row('SELECT gold FROM assignments WHERE id = $1', [a.id])).gold;
        if (isGold) {
          expect(seen.has(a.comparisonId)).toBe(false);
          seen.add(a.comparisonId);
          gold.push(i);
        }
        await submit(a.id, 'tie', labeler);
      }
      expect(gold).toHaveLength(4); // only 4 gold exist: the other gold turns fall back to ordinary work
    }
    const dup = await row(
      `SELECT count(*)::int AS n FROM (SELECT comparison_id, labeler_id FROM assignments WHERE campaign_id = $1
       GROUP BY 1, 2 HAVING count(*) > 1) d`,
      [campaignId],
    );
    expect(dup.n).toBe(0);
  });

  it('marks complete comparisons as gold and imports gold JSONL (all or nothing, line-numbered)', async () => {
    const { campaignId, comparisonIds } = await seed({ comparisons: 4, prompts: 2, responsesPerPrompt: 3 });
    await app.db.query(`UPDATE responses SET external_id = 'r' || ordinal WHERE campaign_id = $1`, [campaignId]);
    const first = await row('SELECT first_response_id FROM comparisons WHERE id = $1', [comparisonIds[0]]);
    const open = await app.post(
      `/campaigns/${campaignId}/gold`,
      { comparisonId: comparisonIds[0], answer: first.first_response_id },
      owner.token,
    );
    expect(open.status).toBe(409);
    expect(open.body.details.reason).toBe('COMPARISON_OPEN');
    const a = (await next(campaignId, labelers[0])).body.assignment;
    expect(a.comparisonId).toBe(comparisonIds[0]);
    await submit(a.id, 'A', labelers[0]);
    const marked = await app.post(
      `/campaigns/${campaignId}/gold`,
      { comparisonId: comparisonIds[0], answer: first.first_response_id },
      owner.token,
    );
    expect(marked.status).toBe(200);
    const notAResponse = await app.post(
      `/campaigns/${campaignId}/gold`,
      { comparisonId: comparisonIds[0], answer: randomUUID() },
      owner.token,
    );
    expect(notAResponse.status).toBe(400);
    // The labeler's earlier judgment is graded against the marked answer.
    const crowd = await app.get(`/campaigns/${campaignId}/crowd/labelers`, owner.token);
    const graded = crowd.body.find((l: { labelerId: string }) => l.labelerId === labelers[0].id).goldAccuracy;
    expect(graded.trials).toBe(1);

    const bad = [
      JSON.stringify({ promptId: 'p0', responseIds: ['r0', 'r1'], answer: 'r1' }),
      JSON.stringify({ promptId: 'nope', responseIds: ['r0', 'r1'], answer: 'r0' }),
      '{not json',
      JSON.stringify({ promptId: 'p1', responseIds: ['r0', 'r2'], answer: 'r9' }),
    ].join('\n');
    const refused = await app.request('POST', `/campaigns/${campaignId}/gold/imports`, {
      token: owner.token,
      body: bad,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('IMPORT_INVALID');
    expect([...new Set(refused.body.details.errors.map((e: { line: number }) => e.line))].sort()).toEqual([2, 3, 4]);
    const good = [
      JSON.stringify({ promptId: 'p0', responseIds: ['r0', 'r1'], answer: 'r1' }),
      JSON.stringify({ promptId: 'p1', responseIds: ['r2', 'r0'], answer: 'r2' }),
    ].join('\n');
    const imported = await app.request('POST', `/campaigns/${campaignId}/gold/imports`, {
      token: owner.token,
      body: good,
    });
    expect(imported.status).toBe(201);
    expect(imported.body).toEqual({ created: 2 });
    const list = await app.get(`/campaigns/${campaignId}/gold`, owner.token);
    expect(list.body.comparisons.map((c: { source: string }) => c.source).sort()).toEqual([
      'imported',
      'imported',
      'marked',
    ]);
    const audit = await app.db.query(
      `SELECT action FROM audit_log WHERE campaign_id = $1 AND action LIKE 'gold.%' ORDER BY id`,
      [campaignId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['gold.marked', 'gold.imported']);
  });
});
