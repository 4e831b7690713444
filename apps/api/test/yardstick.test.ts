/**
 * The yardstick: uniformly drawn comparisons at a configured share, their labels as the unbiased
 * held-out set, and the uniform-only baseline against the active model at the same budget.
 */
import { Rng } from '@borda/numeric';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidates } from '../src/learning/candidates';
import { encodeEmbedding } from '../src/learning/embeddings';
import { splitObservations } from '../src/learning/observations';
import { pairKey } from '../src/learning/selection';
import {
  compareWithUniform,
  evaluationSplit,
  hashedSubsample,
  yardstickCount,
  yardstickPicks,
} from '../src/learning/yardstick';
import { JobChain } from '../src/jobs/job-chain.service';
import { type TestApp, type TestUser, startTestApp, waitFor } from './support/harness';
import { fixtureRng, seedCampaign, seedJudgments } from './support/learning-fixtures';

function candidates(sizes: number[]) {
  const prompts = sizes.map((_, p) => ({ id: `p${p}`, embedding: encodeEmbedding([p, 1]) }));
  const responses = sizes.flatMap((n, p) =>
    Array.from({ length: n }, (_, k) => ({
      id: `p${p}r${k}`,
      promptId: `p${p}`,
      ordinal: k,
      embedding: encodeEmbedding([k, p]),
      referenceLogprob: null,
    })),
  );
  return buildCandidates(prompts, responses, 2, 'test');
}

describe('yardstick selection', () => {
  it('keeps the running share, making up a deficit within one batch', () => {
    expect(yardstickCount(0, 0, 100, 16)).toBe(0);
    expect(yardstickCount(0.1, 0, 0, 10)).toBe(1);
    expect(yardstickCount(0.1, 1, 10, 10)).toBe(1);
    expect(yardstickCount(0.1, 0, 200, 16)).toBe(16); // turned on late: catches up, at most a batch
    expect(yardstickCount(0.5, 30, 40, 4)).toBe(0); // ahead of the share: none
    let yardstick = 0;
    let total = 0;
    for (let round = 0; round < 200; round++) {
      const batch = 1 + (round % 7);
      yardstick += yardstickCount(0.1, yardstick, total, batch);
      total += batch;
    }
    expect(Math.abs(yardstick / total - 0.1)).toBeLessThan(0.01);
  });

  it('draws prompts and pairs uniformly, never a pair already open', () => {
    const set = candidates([3, 3, 3]);
    const taken = new Set([pairKey(0, 0, 1)]);
    const rng = new Rng(5);
    const counts = new Map<string, number>();
    const draws = 3000;
    for (let i = 0; i < draws; i++) {
      const picked = yardstickPicks(set, 1, rng, new Set(taken));
      expect(picked).toHaveLength(1);
      const { prompt, firstRow, secondRow } = picked[0];
      const key = pairKey(prompt, firstRow, secondRow);
      expect(key).not.toBe(pairKey(0, 0, 1));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // A draw that hits an open pair is redrawn whole: every free pair is equally likely (8 of them).
    for (const n of counts.values()) expect(Math.abs(n / draws - 1 / 8)).toBeLessThan(0.03);
    expect(counts.size).toBe(8);
    // Within one call every pick is new and recorded in `taken`; when pairs run out it returns fewer.
    const once = new Set<string>();
    const picks = yardstickPicks(set, 12, new Rng(9), once);
    expect(picks).toHaveLength(9);
    expect(new Set(picks.map((p) => pairKey(p.prompt, p.firstRow, p.secondRow))).size).toBe(9);
    expect(once.size).toBe(9);
  });
});

describe('yardstick evaluation split', () => {
  const labels = (n: number, yardstickEvery: number) =>
    Array.from({ length: n }, (_, i) => ({ labelId: `label-${i}`, yardstick: i % yardstickEvery === 0 }));

  it('holds out half of the yardstick labels once there are enough, the rest train both models', () => {
    const all = labels(400, 4);
    const split = evaluationSplit(all, splitObservations);
    expect(split.source).toBe('yardstick');
    expect(split.test.every((o) => o.yardstick)).toBe(true);
    expect(split.uniformTrain.every((o) => o.yardstick)).toBe(true);
    expect(split.test.length + split.uniformTrain.length).toBe(100);
    expect(Math.abs(split.test.length - 50)).toBeLessThan(15);
    expect(split.train.length + split.test.length).toBe(400);
    expect(split.activeTrain).toHaveLength(300);
    // A label keeps its side as the campaign grows.
    const later = evaluationSplit(labels(800, 4), splitObservations);
    const held = new Set(later.test.map((o) => o.labelId));
    expect(split.test.every((o) => held.has(o.labelId))).toBe(true);
  });

  it('falls back to the hashed split of all labels with too few yardstick labels', () => {
    const split = evaluationSplit(labels(200, 20), splitObservations);
    expect(split.source).toBe('hashed');
    expect(split.uniformTrain).toEqual([]);
    expect(split.test.some((o) => !o.yardstick)).toBe(true);
  });

  it('compares the uniform-only model with the active one on the same budget and held-out labels', async () => {
    const split = evaluationSplit(labels(400, 4), splitObservations);
    const calls: { train: number; test: number; yardstick: boolean }[] = [];
    const result = await compareWithUniform(split, async (train, test) => {
      calls.push({ train: train.length, test: test.length, yardstick: train.every((o) => o.yardstick) });
      return { accuracy: train.every((o) => o.yardstick) ? 0.6 : 0.7, logLoss: 0.5 };
    });
    expect(result).toEqual({
      uniformOnly: { trainSize: split.uniformTrain.length, accuracy: 0.6, logLoss: 0.5 },
      activeSameBudget: { trainSize: split.uniformTrain.length, accuracy: 0.7, logLoss: 0.5 },
    });
    expect(calls.map((c) => c.test)).toEqual([split.test.length, split.test.length]);
    expect(calls.map((c) => c.yardstick)).toEqual([true, false]);
    expect(
      await compareWithUniform(evaluationSplit(labels(200, 20), splitObservations), async () => ({
        accuracy: 1,
        logLoss: 0,
      })),
    ).toBeNull();
    expect(hashedSubsample(labels(10, 1), 4).map((o) => o.labelId)).toEqual(
      hashedSubsample([...labels(10, 1)].reverse(), 4).map((o) => o.labelId),
    );
  });
});

describe('yardstick in the service', () => {
  let app: TestApp;
  let researcher: TestUser;
  let labeler: TestUser;
  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    researcher = await app.createUser('researcher');
    labeler = await app.createUser('labeler');
  });
  afterAll(() => app?.close());

  const embedding = (p: number, r: number | null) => {
    const rand = fixtureRng(p * 977 + (r ?? -1) * 31 + 11);
    return Array.from({ length: 6 }, () => rand() * 2 - 1);
  };

  it('selects the configured share uniformly and evaluates on yardstick labels', async () => {
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 40,
      responsesPerPrompt: 4,
      embedding,
      featureDim: 6,
      bufferSize: 40,
      batchSize: 8,
      strategy: 'uniform',
    });
    const { campaignId } = seeded;
    await app.db.query('UPDATE campaigns SET yardstick_share = 0.25 WHERE id = $1', [campaignId]);
    await app.http.get(JobChain).refillIfLow(campaignId, true);
    const open = await waitFor(
      async () => {
        const { rows } = await app.db.query(
          `SELECT yardstick, strategy FROM comparisons WHERE campaign_id = $1 AND state = 'open'`,
          [campaignId],
        );
        if (rows.length === 40) return rows;
        const runs = await app.db.query(`SELECT state, error FROM job_runs WHERE campaign_id = $1`, [campaignId]);
        const failed = runs.rows.find((r) => r.error);
        if (failed) throw new Error(`selection failed: ${failed.error}`);
        return null;
      },
      30_000,
      'the buffer to fill',
    );
    expect(open.filter((c) => c.yardstick)).toHaveLength(10);
    expect(open.filter((c) => c.yardstick).every((c) => c.strategy === 'yardstick')).toBe(true);

    // Labels: half of the seeded comparisons count as yardstick ones. The reward is steep enough
    // (most labels agree with it) and the held-out half large enough (about 60) that a model fitted on
    // the other half is better than chance whichever comparisons the hashed split holds out.
    await seedJudgments(app.db, seeded, {
      labelerId: labeler.id,
      count: 240,
      utility: (p, r) => 6 * embedding(p, r)[0],
    });
    await app.db.query(
      `UPDATE comparisons SET yardstick = true WHERE campaign_id = $1 AND strategy = 'fixture'
         AND id IN (SELECT id FROM comparisons WHERE campaign_id = $1 AND strategy = 'fixture' ORDER BY id LIMIT 120)`,
      [campaignId],
    );
    await app.http.get(JobChain).fitNow(campaignId);
    const version = await waitFor(
      async () => {
        const { rows } = await app.db.query('SELECT metrics FROM model_versions WHERE campaign_id = $1', [campaignId]);
        return rows[0] ?? null;
      },
      60_000,
      'a model version',
    );
    const m = version.metrics;
    expect(m.heldOutSource).toBe('yardstick');
    expect(Math.abs(m.testSize - 60)).toBeLessThan(25);
    expect(m.yardstick.uniformOnly.trainSize).toBe(120 - m.testSize);
    expect(m.yardstick.activeSameBudget.trainSize).toBe(m.yardstick.uniformOnly.trainSize);
    for (const s of [m.yardstick.uniformOnly, m.yardstick.activeSameBudget]) {
      expect(s.accuracy).toBeGreaterThan(0.6);
      expect(s.logLoss).toBeGreaterThan(0);
    }
    const view = await app.get(`/campaigns/${campaignId}/models`, researcher.token);
    expect(view.body.items[0].metrics).toMatchObject({ heldOutSource: 'yardstick' });
  });

  it('keeps the share over the comparisons that stand: retired picks do not earn more yardsticks', async () => {
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 40,
      responsesPerPrompt: 4,
      embedding,
      featureDim: 6,
      bufferSize: 40,
      batchSize: 8,
      strategy: 'uniform',
    });
    const { campaignId } = seeded;
    await app.db.query('UPDATE campaigns SET yardstick_share = 0.25 WHERE id = $1', [campaignId]);
    const open = async () =>
      (
        await app.db.query<{ yardstick: boolean }>(
          `SELECT yardstick FROM comparisons WHERE campaign_id = $1 AND state = 'open'`,
          [campaignId],
        )
      ).rows;
    await app.http.get(JobChain).refillIfLow(campaignId, true);
    await waitFor(async () => ((await open()).length === 40 ? true : null), 30_000, 'the first fill');
    // A newer model retires the strategy's unstarted picks (retireStalePicks); the yardstick ones stay.
    await app.db.query(
      `UPDATE comparisons SET state = 'cancelled' WHERE campaign_id = $1 AND state = 'open' AND NOT yardstick`,
      [campaignId],
    );
    expect((await open()).length).toBe(10);
    await app.http.get(JobChain).refillIfLow(campaignId, true);
    const refilled = await waitFor(
      async () => {
        const rows = await open();
        return rows.length === 40 ? rows : null;
      },
      30_000,
      'the refill',
    );
    // 10 yardsticks among the 40 that stand is the 25 % share already: the refill adds none. Counting
    // the 30 retired picks as well would have added about 8 more (and more at every retirement).
    expect(refilled.filter((c) => c.yardstick)).toHaveLength(10);
  });
});
