import { describe, expect, it } from 'vitest';
import { Rng } from '@borda/numeric';
import type { HallucinatingModel } from '@borda/reward-model';
import {
  AeBordaStrategy,
  candidateSubset,
  hallucinatedGreedy,
  rankPromptsByGap,
  selectablePrompts,
  type CandidateSet,
} from '@borda/dueling-bandit';
import { BayesLinearModel, FixedPosteriorModel, idCandidates, randomCandidates } from './helpers';

describe('ae-borda, one query', () => {
  // Prompt 0: gap (0.5+2·0.1) − (0.5−0.2) = 0.4. Prompt 1: UCB max = 1+2·0.5 = 2 (arm 2),
  // LCB max = 0.8−0.2 = 0.6 (arm 1) → gap 1.4. Prompt 2 has one response (never selectable).
  const candidates = idCandidates([2, 3, 1]);
  const model = new FixedPosteriorModel({
    mean: [0.5, 0.1, 0.0, 0.8, 1.0, 9],
    std: [0.1, 0.1, 0.1, 0.1, 0.5, 9],
  });

  it('picks the widest-gap prompt and its argmax-UCB arm, with the gap as score', () => {
    const [q] = new AeBordaStrategy().select({ candidates, model, batchSize: 1, rng: new Rng(1) });
    expect(q.prompt).toBe(1);
    expect(q.first).toBe(2);
    expect(q.score).toBeCloseTo(1.4, 12);
    expect(q.second).not.toBe(q.first);
  });

  it('never asks a response against itself and draws the comparator uniformly from the others', () => {
    const many = idCandidates([5]);
    const fixed = new FixedPosteriorModel({ mean: [0, 0, 1, 0, 0], std: [1, 1, 1, 1, 1] });
    const strategy = new AeBordaStrategy();
    const rng = new Rng(42);
    const counts = [0, 0, 0, 0, 0];
    const n = 4000;
    for (let t = 0; t < n; t++) {
      const [q] = strategy.select({ candidates: many, model: fixed, batchSize: 1, rng });
      expect(q.first).toBe(2);
      counts[q.second]++;
    }
    expect(counts[2]).toBe(0);
    // Each of the 4 others has expectation 1000 and sd ≈ 27; ±120 is > 4 sd.
    for (const k of [0, 1, 3, 4]) expect(Math.abs(counts[k] - n / 4)).toBeLessThan(120);
  });

  it('without hallucination returns the top prompts by gap, distinct, capped at the selectable count', () => {
    const queries = new AeBordaStrategy().select({ candidates, model, batchSize: 5, rng: new Rng(3) });
    expect(queries.map((q) => q.prompt)).toEqual([1, 0]);
    expect(queries[1].first).toBe(0);
  });

  it('is reproducible under a seed', () => {
    const c = randomCandidates(30, 4, 3, 5);
    const m = new BayesLinearModel(3, [0.3, -0.2, 0.1], 0.25, [[1, 0, 0]]);
    const run = (seed: number) =>
      new AeBordaStrategy({ beta: 1.5 }).select({ candidates: c, model: m, batchSize: 6, rng: new Rng(seed) });
    expect(run(9)).toEqual(run(9));
    expect(run(9).map((q) => q.second)).not.toEqual(run(10).map((q) => q.second));
  });
});

describe('ae-borda batches with hallucination', () => {
  it('spreads a batch over prompts when they are equally uncertain', () => {
    // One-hot features: every arm independent, all equally uncertain. Without hallucination a
    // batch would be the same prompt (ties) — the greedy must move on after each pick.
    const prompts = 6;
    const responses = 3;
    const d = prompts * responses;
    const candidates = idCandidates(Array(prompts).fill(responses), () => []);
    const oneHot = {
      ...candidates,
      features: {
        rows: d,
        cols: d,
        data: Float64Array.from({ length: d * d }, (_, i) => (Math.floor(i / d) === i % d ? 1 : 0)),
      },
    };
    const model = new BayesLinearModel(d, new Float64Array(d), 0.25);
    const queries = new AeBordaStrategy().select({ candidates: oneHot, model, batchSize: prompts, rng: new Rng(1) });
    expect(new Set(queries.map((q) => q.prompt)).size).toBe(prompts);
    // Scores are the hallucinated gaps that chose each query: never increasing along the batch.
    for (let k = 1; k < queries.length; k++) expect(queries[k].score).toBeLessThanOrEqual(queries[k - 1].score + 1e-12);
  });

  it('fills a batch larger than the selectable prompts by hallucinated repeats', () => {
    const candidates = randomCandidates(3, 3, 2, 8);
    const model = new BayesLinearModel(2, [0.1, 0.2]);
    const queries = new AeBordaStrategy().select({ candidates, model, batchSize: 7, rng: new Rng(2) });
    expect(queries).toHaveLength(7);
    for (const q of queries) expect(q.first).not.toBe(q.second);
  });

  /** Greedy over every prompt at once: the definition the pooled version must reproduce. */
  function bruteForce(model: HallucinatingModel, candidates: CandidateSet, beta: number, batch: number) {
    const selectable = selectablePrompts(candidates);
    const { mean, std } = model.predict(candidates.features);
    const ranking = rankPromptsByGap(mean, std, candidates.offsets, selectable, beta);
    const rankOf = new Map(Array.from(ranking.order, (p, k) => [p, k]));
    const all = candidateSubset(candidates, selectable);
    const session = model.hallucinate(all.features);
    const picks: { prompt: number; arm: number; gap: number }[] = [];
    while (picks.length < batch) {
      let best: { prompt: number; arm: number; gap: number; rank: number } | null = null;
      for (let s = 0; s < selectable.length; s++) {
        const p = selectable[s];
        let maxUcb = -Infinity;
        let maxLcb = -Infinity;
        let arm = -1;
        for (let r = all.offsets[s]; r < all.offsets[s + 1]; r++) {
          const g = candidates.offsets[p] + r - all.offsets[s];
          const sd = Math.min(Math.sqrt(session.variance[r]), std[g]);
          if (mean[g] + beta * sd > maxUcb) {
            maxUcb = mean[g] + beta * sd;
            arm = r - all.offsets[s];
          }
          maxLcb = Math.max(maxLcb, mean[g] - beta * sd);
        }
        const gap = maxUcb - maxLcb;
        const rank = rankOf.get(p)!;
        if (!best || gap > best.gap || (gap === best.gap && rank < best.rank)) best = { prompt: p, arm, gap, rank };
      }
      picks.push({ prompt: best!.prompt, arm: best!.arm, gap: best!.gap });
      session.add(all.offsets[selectable.indexOf(best!.prompt)] + best!.arm);
    }
    return { picks, ranking, mean, std };
  }

  it('pooled lazy greedy equals brute-force greedy over all prompts, whatever the initial pool', () => {
    for (const seed of [1, 2, 3]) {
      // Uneven response counts and a single-response prompt; a few observations so gaps differ.
      const candidates = randomCandidates(60, (p) => (p % 7 === 0 ? 1 : 2 + (p % 4)), 4, seed);
      const obsRng = new Rng(seed + 100);
      const observed = Array.from({ length: 5 }, () => Array.from(obsRng.normals(4)));
      const model = new BayesLinearModel(4, [0.4, -0.3, 0.2, 0.1], 0.3, observed);
      const batch = 12;
      const beta = 2;
      const reference = bruteForce(model, candidates, beta, batch);
      for (const initial of [1, 3, 200]) {
        const result = hallucinatedGreedy(model, candidates, reference, reference.ranking, {
          beta,
          batchSize: batch,
          initialPoolPrompts: initial,
        });
        expect(result.exact).toBe(true);
        expect(result.picks.map((p) => [p.prompt, p.arm])).toEqual(reference.picks.map((p) => [p.prompt, p.arm]));
        result.picks.forEach((p, k) => expect(p.gap).toBeCloseTo(reference.picks[k].gap, 12));
        if (initial === 1) expect(result.rebuilds).toBeGreaterThan(0);
      }
      const viaStrategy = new AeBordaStrategy({ beta, initialPoolPrompts: 2 }).select({
        candidates,
        model,
        batchSize: batch,
        rng: new Rng(0),
      });
      expect(viaStrategy.map((q) => [q.prompt, q.first])).toEqual(reference.picks.map((p) => [p.prompt, p.arm]));
    }
  });

  it('equals brute force on exact ties too (ties go to the earlier original rank)', () => {
    // Prompts 0..7, two responses each; prompts share feature directions in pairs, so gaps tie
    // exactly and a pick shrinks its twin.
    const prompts = 8;
    const base = idCandidates(Array(prompts).fill(2));
    const d = prompts / 2;
    const data = new Float64Array(prompts * 2 * d);
    for (let r = 0; r < prompts * 2; r++) data[r * d + (Math.floor(r / 2) % d)] = 1;
    const candidates = { ...base, features: { rows: prompts * 2, cols: d, data } };
    const model = new BayesLinearModel(d, new Float64Array(d), 0.5);
    const reference = bruteForce(model, candidates, 2, 6);
    for (const initial of [1, 2, 3]) {
      const result = hallucinatedGreedy(model, candidates, reference, reference.ranking, {
        beta: 2,
        batchSize: 6,
        initialPoolPrompts: initial,
      });
      expect(result.picks.map((p) => [p.prompt, p.arm])).toEqual(reference.picks.map((p) => [p.prompt, p.arm]));
    }
  });

  it('keeps the pool small when the top prompts are independent of the rest', () => {
    // 60 prompts on one-hot prompt features: a pick only shrinks its own prompt, so the greedy
    // walks down the ranking and the pool never needs the whole campaign.
    const prompts = 60;
    const candidates = idCandidates(Array(prompts).fill(2));
    const features = {
      rows: prompts * 2,
      cols: prompts,
      data: Float64Array.from({ length: prompts * 2 * prompts }, (_, i) =>
        Math.floor(Math.floor(i / prompts) / 2) === i % prompts ? 1 : 0,
      ),
    };
    const set = { ...candidates, features };
    const model = new BayesLinearModel(prompts, new Float64Array(prompts), 0.25);
    const { mean, std } = model.predict(features);
    const ranking = rankPromptsByGap(mean, std, set.offsets, selectablePrompts(set), 2);
    const result = hallucinatedGreedy(model, set, { mean, std }, ranking, {
      beta: 2,
      batchSize: 10,
      initialPoolPrompts: 20,
    });
    expect(new Set(result.picks.map((p) => p.prompt)).size).toBe(10);
    expect(result.poolPrompts).toBe(20);
    expect(result.rebuilds).toBe(0);
    // A batch longer than the pool walks past it: the pool grows just enough, still exact.
    const longer = hallucinatedGreedy(model, set, { mean, std }, ranking, {
      beta: 2,
      batchSize: 30,
      initialPoolPrompts: 20,
    });
    expect(Array.from(longer.picks, (p) => p.prompt)).toEqual(Array.from({ length: 30 }, (_, k) => k));
    expect(longer.exact).toBe(true);
    // A capped pool stays capped and says the batch is no longer the exact greedy.
    const capped = hallucinatedGreedy(model, set, { mean, std }, ranking, {
      beta: 2,
      batchSize: 30,
      initialPoolPrompts: 20,
      maxPoolPrompts: 20,
    });
    expect(capped.poolPrompts).toBe(20);
    expect(capped.exact).toBe(false);
    expect(capped.picks).toHaveLength(30);
  });
});
