import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng, sigmoid } from '@borda/numeric';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import {
  type JudgmentSpec,
  type SeededCampaign,
  outcomeOf,
  seedCampaign,
  seedJudgments,
} from './support/readside-fixtures';

/** Response ordinal → source model; ordinal 3 is a second alpha response (alpha vs alpha never counts). */
const MODELS = ['alpha', 'beta', 'gamma', 'alpha'];
const TRUE_RATING: Record<string, number> = { alpha: 1, beta: 0, gamma: -1 };
const PROMPTS = 8;
const domainOf = (prompt: number) => (prompt % 2 === 0 ? 'code' : 'chat');

interface Tally {
  comparisons: number;
  wins: number;
  losses: number;
  ties: number;
  bothBad: number;
}

/** The test's own count of what the route should report, from the specs (comparison order, not screen order). */
function tally(specs: JudgmentSpec[], keep: (s: JudgmentSpec) => boolean, weightOf: (s: JudgmentSpec) => number[]) {
  const models: Record<string, Tally> = {};
  const h2h: Record<string, number> = {};
  const counts: Record<string, number> = {};
  const get = (m: string) => (models[m] ??= { comparisons: 0, wins: 0, losses: 0, ties: 0, bothBad: 0 });
  for (const s of specs) {
    const a = MODELS[s.first];
    const b = MODELS[s.second];
    if (!keep(s) || a === b || (s.prompt === 0 && (s.first === 3 || s.second === 3))) continue;
    const [w, sign] = weightOf(s);
    let outcome = outcomeOf(s.choice, s.firstOnLeft ?? true);
    if (s.choice === 'both_bad') {
      get(a).bothBad++;
      get(b).bothBad++;
      continue;
    }
    if (outcome === null) continue;
    if (sign < 0) outcome = 1 - outcome;
    for (const [m, won] of [
      [a, outcome],
      [b, 1 - outcome],
    ] as const) {
      const t = get(m);
      t.comparisons += w;
      if (won === 1) t.wins += w;
      else if (won === 0) t.losses += w;
      else t.ties += w;
    }
    h2h[`${a}>${b}`] = (h2h[`${a}>${b}`] ?? 0) + w * outcome;
    h2h[`${b}>${a}`] = (h2h[`${b}>${a}`] ?? 0) + w * (1 - outcome);
    counts[`${a}|${b}`] = (counts[`${a}|${b}`] ?? 0) + w;
    counts[`${b}|${a}`] = (counts[`${b}|${a}`] ?? 0) + w;
  }
  return { models, h2h, counts };
}

describe('source models (GET /campaigns/:id/source-models)', () => {
  let app: TestApp;
  let owner: TestUser;
  let labelers: TestUser[];
  let campaign: SeededCampaign;
  let specs: JudgmentSpec[];
  let excluded: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    owner = await app.createUser('researcher');
    labelers = await Promise.all([1, 2, 3].map(() => app.createUser('labeler')));
    excluded = labelers[2];
    campaign = await seedCampaign(app, owner, { prompts: PROMPTS, responses: 4, labelers });
    for (let p = 0; p < PROMPTS; p++) {
      await app.db.query('UPDATE prompts SET metadata = $2 WHERE id = $1', [
        campaign.prompts[p].id,
        JSON.stringify({ domain: domainOf(p), level: p % 3 }),
      ]);
      for (let r = 0; r < 4; r++) {
        // Prompt 0's fourth response has no source model: its judgments cannot count.
        const model = p === 0 && r === 3 ? null : MODELS[r];
        await app.db.query('UPDATE responses SET source_model = $2 WHERE id = $1', [
          campaign.prompts[p].responseIds[r],
          model,
        ]);
      }
    }
    const rng = new Rng(11);
    const pairs = [
      [0, 1],
      [0, 2],
      [1, 2],
      [2, 3],
      [3, 1],
      [0, 3],
    ];
    specs = [];
    for (let i = 0; i < 600; i++) {
      const [first, second] = pairs[i % pairs.length];
      const prompt = Math.floor(i / pairs.length) % PROMPTS;
      const labeler = labelers[i % 2];
      const firstOnLeft = rng.next() < 0.5;
      const u = rng.next();
      const p = sigmoid(TRUE_RATING[MODELS[first]] - TRUE_RATING[MODELS[second]]);
      const firstWins = u < 0.1 ? null : rng.next() < p;
      const choice = u < 0.05 ? 'tie' : u < 0.1 ? 'both_bad' : firstWins === firstOnLeft ? 'A' : ('B' as 'A' | 'B');
      specs.push({ prompt, first, second, labeler, choice, firstOnLeft });
    }
    // The excluded labeler always says gamma wins: were they counted, gamma would not be last.
    for (let i = 0; i < 120; i++) {
      specs.push({ prompt: i % PROMPTS, first: 0, second: 2, labeler: excluded, choice: 'B', firstOnLeft: true });
    }
    specs.push({ prompt: 3, first: 0, second: 1, labeler: labelers[0], choice: 'skip' });
    await seedJudgments(app, campaign, specs);
    await app.db.query(
      `INSERT INTO labeler_standings (campaign_id, labeler_id, labels_excluded) VALUES ($1, $2, true)`,
      [campaign.id, excluded.id],
    );
  });
  afterAll(() => app?.close());

  const counted = (s: JudgmentSpec) => s.labeler !== excluded;
  const unweighted = () => [1, 1];

  it('counts wins, losses, ties and both-bad per model exactly, and the head-to-head matrix', async () => {
    const res = await app.get(`/campaigns/${campaign.id}/source-models`, owner.token);
    expect(res.status).toBe(200);
    const expected = tally(specs, counted, unweighted);
    const board = res.body;
    expect(board.models.map((m: { model: string }) => m.model).sort()).toEqual(['alpha', 'beta', 'gamma']);
    for (const m of board.models) {
      expect(m).toMatchObject(expected.models[m.model]);
      expect(m.winRate.trials).toBe(m.comparisons);
      expect(m.winRate.successes).toBeCloseTo(m.wins + m.ties / 2, 9);
    }
    expect(board.responsesWithoutModel).toBe(1);
    expect(board.models.find((m: { model: string }) => m.model === 'alpha').responses).toBe(2 * PROMPTS - 1);
    const { models, wins, counts } = board.headToHead;
    models.forEach((a: string, i: number) =>
      models.forEach((b: string, j: number) => {
        expect(wins[i][j]).toBeCloseTo(expected.h2h[`${a}>${b}`] ?? 0, 9);
        expect(counts[i][j]).toBeCloseTo(expected.counts[`${a}|${b}`] ?? 0, 9);
        if (i !== j) expect(wins[i][j] + wins[j][i]).toBeCloseTo(counts[i][j], 9);
      }),
    );
    expect(board.judgments).toBeCloseTo(Object.values(expected.models).reduce((s, t) => s + t.comparisons, 0) / 2, 9);
  });

  it('ranks the models in their true order, with intervals that contain the truth', async () => {
    const board = (await app.get(`/campaigns/${campaign.id}/source-models`, owner.token)).body;
    expect(board.models.map((m: { model: string }) => m.model)).toEqual(['alpha', 'beta', 'gamma']);
    expect(board.models.map((m: { rank: number }) => m.rank)).toEqual([1, 2, 3]);
    expect(board.models.reduce((s: number, m: { rating: { value: number } }) => s + m.rating.value, 0)).toBeCloseTo(
      0,
      9,
    );
    for (const m of board.models) {
      // The true ratings are already centred (1, 0, −1).
      expect(m.rating.low).toBeLessThan(TRUE_RATING[m.model]);
      expect(m.rating.high).toBeGreaterThan(TRUE_RATING[m.model]);
      expect(m.elo.value).toBeCloseTo(1000 + (400 / Math.LN10) * m.rating.value, 9);
      // Expected win rate from the true ratings and the pairs this model met.
      let expectedWins = 0;
      let n = 0;
      board.headToHead.models.forEach((other: string, j: number) => {
        const i = board.headToHead.models.indexOf(m.model);
        const c = board.headToHead.counts[i][j];
        if (other === m.model || c === 0) return;
        expectedWins += c * sigmoid(TRUE_RATING[m.model] - TRUE_RATING[other]);
        n += c;
      });
      expect(m.winRate.low).toBeLessThan(expectedWins / n);
      expect(m.winRate.high).toBeGreaterThan(expectedWins / n);
    }
  });

  it('filters by prompt metadata (meta.key=value, numbers matched as text) and refuses unknown parameters', async () => {
    const code = await app.get(`/campaigns/${campaign.id}/source-models?meta.domain=code`, owner.token);
    expect(code.status).toBe(200);
    expect(code.body.meta).toEqual({ domain: 'code' });
    const expected = tally(specs, (s) => counted(s) && domainOf(s.prompt) === 'code', unweighted);
    for (const m of code.body.models) expect(m).toMatchObject(expected.models[m.model]);
    const both = await app.get(`/campaigns/${campaign.id}/source-models?meta.domain=code&meta.level=2`, owner.token);
    const expectedBoth = tally(
      specs,
      (s) => counted(s) && domainOf(s.prompt) === 'code' && s.prompt % 3 === 2,
      unweighted,
    );
    for (const m of both.body.models) expect(m.comparisons).toBe(expectedBoth.models[m.model].comparisons);
    const none = await app.get(`/campaigns/${campaign.id}/source-models?meta.domain=poetry`, owner.token);
    expect(none.body).toMatchObject({ judgments: 0, models: [] });
    const bad = await app.get(`/campaigns/${campaign.id}/source-models?domain=code`, owner.token);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(bad.body)).toContain('domain');
    expect((await app.get(`/campaigns/${campaign.id}/source-models?weights=heavy`, owner.token)).status).toBe(400);
  });

  it('weighs judgments by the reliability weights on request (reversed for an inverted labeler)', async () => {
    const [first] = labelers;
    await app.db.query(
      `UPDATE labels SET weight = 0.5, weight_sign = CASE WHEN labeler_id = $2 THEN -1 ELSE 1 END
       WHERE campaign_id = $1`,
      [campaign.id, first.id],
    );
    const weighted = await app.get(`/campaigns/${campaign.id}/source-models?weights=reliability`, owner.token);
    expect(weighted.status).toBe(200);
    const expected = tally(specs, counted, (s) => [0.5, s.labeler === first ? -1 : 1]);
    for (const m of weighted.body.models) {
      for (const key of ['comparisons', 'wins', 'losses', 'ties'] as const) {
        expect(m[key]).toBeCloseTo(expected.models[m.model][key], 9);
      }
    }
    const plain = await app.get(`/campaigns/${campaign.id}/source-models`, owner.token);
    expect(plain.body.models.find((m: { model: string }) => m.model === 'alpha').comparisons).toBe(
      tally(specs, counted, unweighted).models.alpha.comparisons,
    );
  });

  it('is the campaign owner’s only', async () => {
    expect((await app.get(`/campaigns/${campaign.id}/source-models`, labelers[0].token)).status).toBe(403);
    const other = await app.createUser('researcher');
    expect((await app.get(`/campaigns/${campaign.id}/source-models`, other.token)).status).toBe(404);
  });
});
