import { describe, expect, it } from 'vitest';
import { Rng, row, sigmoid } from '@borda/numeric';
import {
  BordaGP,
  LinearBradleyTerry,
  LowRankBorda,
  RandomFourierFeatures,
  type PairObservation,
  type PreferenceModel,
} from '@borda/reward-model';
import {
  AeAutoStrategy,
  AeBordaStrategy,
  candidateSetFromRows,
  candidateSubset,
  createStrategy,
  rankPromptsByGap,
  selectablePrompts,
  type CandidateSet,
  type Query,
} from '@borda/dueling-bandit';
import {
  BayesLinearModel,
  FixedLinearModel,
  FixedPosteriorModel,
  JointGaussianModel,
  idCandidates,
  randomCandidates,
  randomCovariance,
} from './helpers';

describe('ae-auto, one query', () => {
  // Prompt 0: gap (0.5 + 0.2) − (0.5 − 0.2) = 0.4. Prompt 1: UCBs 4, 2.1, 0.8, 1.4 → first = arm 0;
  // LCBs 2, 0.9, −2.8, 0.6 → gap 4 − 2 = 2. Plausible rivals: UCB ≥ LCB(first) = 2 keeps arm 1 only
  // (arm 2 has the largest σ but is confidently beaten, arm 3 too). Prompt 2 has one response.
  const candidates = idCandidates([2, 4, 1]);
  const mean = [0.5, 0.1, 3, 1.5, -1, 1.0, 9];
  const std = [0.1, 0.1, 0.5, 0.3, 0.9, 0.2, 9];

  it('on a Borda model asks the widest-gap prompt, its argmax-UCB arm, against the most uncertain plausible rival', () => {
    const model = new FixedPosteriorModel({ mean, std }, 'borda-gp');
    const strategy = new AeAutoStrategy({ rival: 'informative' });
    const [q] = strategy.select({ candidates, model, batchSize: 1, rng: new Rng(1) });
    expect(q).toEqual({ prompt: 1, first: 0, second: 1, score: expect.closeTo(2, 12) });
  });

  it('on a pairwise model takes the gap on differences: the leader against the rival most plausibly better', () => {
    // Independent arms, so sd(u_a − u_lead)² = σ_a² + σ_lead². Prompt 0: lead 0, rival 1:
    // 0.1 − 0.5 + 2·√0.02 = −0.1172. Prompt 1: lead 0 (μ 3); rivals 1.5 − 3 + 2·√0.34 = −0.3338,
    // −1 − 3 + 2·√1.06 = −1.941, 1 − 3 + 2·√0.29 = −0.9230. Prompt 0's greedy pick can lose more.
    const model = new FixedPosteriorModel({ mean, std }, 'bt-laplace');
    const [q] = new AeAutoStrategy().select({ candidates, model, batchSize: 1, rng: new Rng(1) });
    expect(q).toEqual({ prompt: 0, first: 0, second: 1, score: expect.closeTo(-0.4 + 2 * Math.sqrt(0.02), 12) });
    // Shift prompt 1's rival up: its plausible loss now exceeds prompt 0's.
    const shifted = new FixedPosteriorModel({ mean: [0.5, 0.1, 3, 2.5, -1, 1.0, 9], std }, 'bt-laplace');
    const [r] = new AeAutoStrategy().select({ candidates, model: shifted, batchSize: 1, rng: new Rng(1) });
    expect(r).toEqual({ prompt: 1, first: 0, second: 1, score: expect.closeTo(-0.5 + 2 * Math.sqrt(0.34), 12) });
  });

  it('defaults to the uniform rival on Borda regressions and to the informative one elsewhere', () => {
    const strategy = new AeAutoStrategy();
    expect(['borda-gp', 'low-rank-borda'].map((k) => strategy.rivalRuleFor(k as 'borda-gp'))).toEqual([
      'uniform',
      'uniform',
    ]);
    expect((['linear-bt', 'bt-laplace', 'preferential-gp'] as const).map((k) => strategy.rivalRuleFor(k))).toEqual([
      'informative',
      'informative',
      'informative',
    ]);
    expect(new AeAutoStrategy({ rival: 'informative' }).rivalRuleFor('borda-gp')).toBe('informative');
    const borda = new FixedPosteriorModel({ mean, std }, 'borda-gp');
    const select = (s: AeAutoStrategy, seed: number) =>
      s.select({ candidates, model: borda, batchSize: 1, rng: new Rng(seed) })[0];
    const seeds = Array.from({ length: 20 }, (_, k) => k + 1);
    const byDefault = seeds.map((seed) => select(strategy, seed));
    expect(byDefault).toEqual(seeds.map((seed) => select(new AeAutoStrategy({ rival: 'uniform' }), seed)));
    expect(new Set(byDefault.map((q) => q.second))).toEqual(new Set([1, 2, 3]));
    expect(new Set(seeds.map((seed) => select(new AeAutoStrategy({ rival: 'informative' }), seed).second))).toEqual(
      new Set([1]),
    );
  });

  it('falls back to the most uncertain other response when the first is confidently best', () => {
    // First row 0 (UCB 10.2, LCB 9.8); both others have UCB < 9.8: the larger σ₂ wins.
    const model = new FixedPosteriorModel({ mean: [10, 0, 0], std: [0.1, 0.3, 0.5] }, 'linear-bt');
    const [q] = new AeAutoStrategy().select({ candidates: idCandidates([3]), model, batchSize: 1, rng: new Rng(1) });
    expect([q.first, q.second]).toEqual([0, 2]);
  });

  it("uses the model's differenceVariance, else ‖z‖²_{V⁻¹}, else σ²(first) + σ²(b)", () => {
    // One prompt, first = arm 0 (largest UCB); arms 1 and 2 have the same marginal σ.
    const set = idCandidates([3], (_, k) => [k === 1 ? 1 : 0, k === 2 ? 1 : 0]);
    const mean3 = [1, 0.5, 0.5];
    // Arm 1 moves with arm 0 (covariance 0.8): its difference is better known than arm 2's.
    const covariance = [1, 0.8, 0, 0.8, 1, 0, 0, 0, 1];
    const joint = new JointGaussianModel(mean3, covariance, 'bt-laplace', 3);
    const pick = (model: PreferenceModel) =>
      new AeAutoStrategy().select({ candidates: set, model, batchSize: 1, rng: new Rng(4) })[0];
    expect(pick(joint).second).toBe(2);
    expect(joint.differenceVarianceCalls).toBeGreaterThan(0);
    // A linear model whose V⁻¹ makes direction 1 the unexplored one: arm 1 is the informative rival.
    const linear = new FixedLinearModel(
      { mean: mean3, std: [1, 1, 1] },
      [
        [4, 0],
        [0, 1],
      ],
      3,
    );
    expect(pick(linear).second).toBe(1);
    // Independent arms: the larger marginal σ wins.
    const independent = new FixedPosteriorModel({ mean: mean3, std: [1, 0.6, 0.7] }, 'preferential-gp', 3);
    expect(pick(independent).second).toBe(2);
  });

  it('breaks exact rival ties with the rng, deterministically under a seed', () => {
    const model = new FixedPosteriorModel({ mean: [1, 0, 0, 0], std: [1, 1, 1, 1] }, 'borda-gp');
    const set = idCandidates([4]);
    const seconds = (seed: number) =>
      Array.from({ length: 30 }, (_, k) => {
        const rng = new Rng(seed * 100 + k);
        const strategy = new AeAutoStrategy({ rival: 'informative' });
        return strategy.select({ candidates: set, model, batchSize: 1, rng })[0].second;
      });
    expect(new Set(seconds(1))).toEqual(new Set([1, 2, 3]));
    expect(seconds(1)).toEqual(seconds(1));
  });
});

/** ae-auto's single query from first principles (no library code): gap, argmax UCB, plausible argmax Var. */
function bruteForceQuery(
  mean: ArrayLike<number>,
  covariance: ArrayLike<number>,
  candidates: CandidateSet,
  beta: number,
): { prompt: number; first: number; second: number } {
  const n = mean.length;
  const sd = (i: number) => Math.sqrt(covariance[i * n + i]);
  let best = { prompt: -1, first: -1, gap: -Infinity };
  for (let p = 0; p + 1 < candidates.offsets.length; p++) {
    const start = candidates.offsets[p];
    const end = candidates.offsets[p + 1];
    if (end - start < 2) continue;
    let maxUcb = -Infinity;
    let maxLcb = -Infinity;
    let first = -1;
    for (let r = start; r < end; r++) {
      if (mean[r] + beta * sd(r) > maxUcb) [maxUcb, first] = [mean[r] + beta * sd(r), r];
      maxLcb = Math.max(maxLcb, mean[r] - beta * sd(r));
    }
    if (maxUcb - maxLcb > best.gap) best = { prompt: p, first, gap: maxUcb - maxLcb };
  }
  const start = candidates.offsets[best.prompt];
  const end = candidates.offsets[best.prompt + 1];
  const f = best.first;
  const others = Array.from({ length: end - start }, (_, k) => start + k).filter((r) => r !== f);
  const plausible = others.filter((r) => mean[r] + beta * sd(r) >= mean[f] - beta * sd(f));
  const pool = plausible.length > 0 ? plausible : others;
  const variance = (r: number) => covariance[f * n + f] + covariance[r * n + r] - 2 * covariance[f * n + r];
  const second = pool.reduce((a, b) => (variance(b) > variance(a) ? b : a));
  return { prompt: best.prompt, first: f - start, second: second - start };
}

describe('ae-auto informative rival', () => {
  it('matches a brute-force search on random correlated posteriors', () => {
    const rng = new Rng(11);
    let filtered = 0;
    for (let trial = 0; trial < 60; trial++) {
      const sizes = Array.from({ length: 6 }, () => 1 + rng.int(7));
      const candidates = idCandidates(sizes);
      const n = candidates.features.rows;
      const mean = Array.from(rng.normals(n));
      const covariance = randomCovariance(n, 3, rng, 0.05);
      const beta = trial % 2 === 0 ? 2 : 1;
      const model = new JointGaussianModel(mean, covariance, 'borda-gp');
      const strategy = new AeAutoStrategy({ beta, rival: 'informative' });
      const [q] = strategy.select({ candidates, model, batchSize: 1, rng: new Rng(trial) });
      const expected = bruteForceQuery(mean, covariance, candidates, beta);
      expect({ prompt: q.prompt, first: q.first, second: q.second }, `trial ${trial}`).toEqual(expected);
      // The plausibility filter mattered in some trials (it excluded the highest-variance rival).
      const start = candidates.offsets[q.prompt];
      const f = start + q.first;
      const vars = Array.from({ length: sizes[q.prompt] }, (_, k) =>
        start + k === f
          ? -Infinity
          : covariance[f * n + f] + covariance[(start + k) * n + start + k] - 2 * covariance[f * n + start + k],
      );
      if (vars.indexOf(Math.max(...vars)) !== q.second) filtered++;
    }
    expect(filtered).toBeGreaterThan(0);
  });

  it('on pairwise models matches a brute-force relative gap on random correlated posteriors', () => {
    const rng = new Rng(12);
    for (let trial = 0; trial < 60; trial++) {
      const sizes = Array.from({ length: 6 }, () => 1 + rng.int(7));
      const candidates = idCandidates(sizes);
      const n = candidates.features.rows;
      const mean = Array.from(rng.normals(n));
      const covariance = randomCovariance(n, 3, rng, 0.05);
      const beta = trial % 2 === 0 ? 2 : 1;
      const model = new JointGaussianModel(mean, covariance, 'bt-laplace');
      const [q] = new AeAutoStrategy({ beta }).select({ candidates, model, batchSize: 1, rng: new Rng(trial) });
      let best = { prompt: -1, first: -1, second: -1, gap: -Infinity };
      for (let p = 0; p < sizes.length; p++) {
        const start = candidates.offsets[p];
        if (sizes[p] < 2) continue;
        let lead = start;
        for (let r = start; r < start + sizes[p]; r++) if (mean[r] > mean[lead]) lead = r;
        for (let r = start; r < start + sizes[p]; r++) {
          if (r === lead) continue;
          const v = covariance[lead * n + lead] + covariance[r * n + r] - 2 * covariance[lead * n + r];
          const u = mean[r] - mean[lead] + beta * Math.sqrt(Math.max(0, v));
          if (u > best.gap) best = { prompt: p, first: lead - start, second: r - start, gap: u };
        }
      }
      expect({ ...q, score: expect.closeTo(best.gap, 9) }, `trial ${trial}`).toEqual({
        prompt: best.prompt,
        first: best.first,
        second: best.second,
        score: q.score,
      });
    }
  });

  it('on a real LinearBradleyTerry model equals the brute-force relative gap with ‖z‖²_{V⁻¹}', () => {
    const candidates = randomCandidates(8, 5, 3, 21);
    const model = new LinearBradleyTerry({ dimension: 3 });
    const rng = new Rng(3);
    const rows = candidates.features.rows;
    model.update(
      Array.from({ length: 25 }, () => {
        const i = rng.int(rows);
        const j = rng.int(rows);
        return { first: row(candidates.features, i), second: row(candidates.features, j), outcome: rng.bernoulli(0.7) };
      }),
    );
    const [q] = new AeAutoStrategy().select({ candidates, model, batchSize: 1, rng: new Rng(1) });
    const { mean } = model.predict(candidates.features);
    const norm2 = (a: number, b: number) =>
      model.differenceNorm(row(candidates.features, a), row(candidates.features, b)) ** 2;
    let best = { prompt: -1, first: -1, second: -1, gap: -Infinity };
    for (let p = 0; p < 8; p++) {
      const start = candidates.offsets[p];
      let lead = start;
      for (let r = start; r < start + 5; r++) if (mean[r] > mean[lead]) lead = r;
      for (let r = start; r < start + 5; r++) {
        const u = r === lead ? -Infinity : mean[r] - mean[lead] + 2 * Math.sqrt(norm2(lead, r));
        if (u > best.gap) best = { prompt: p, first: lead - start, second: r - start, gap: u };
      }
    }
    expect([q.prompt, q.first, q.second]).toEqual([best.prompt, best.first, best.second]);
    expect(q.score).toBeCloseTo(best.gap, 9);
  });
});

describe("ae-auto with the paper's uniform rival", () => {
  it('draws the rival uniformly from the other responses (chi-square, fixed seed)', () => {
    const model = new FixedPosteriorModel({ mean: [0, 0, 1, 0, 0], std: [1, 1, 1, 1, 1] }, 'linear-bt');
    const strategy = new AeAutoStrategy({ rival: 'uniform' });
    const rng = new Rng(42);
    const counts = [0, 0, 0, 0, 0];
    const draws = 4000;
    for (let t = 0; t < draws; t++) {
      const [q] = strategy.select({ candidates: idCandidates([5]), model, batchSize: 1, rng });
      expect(q.first).toBe(2);
      counts[q.second]++;
    }
    expect(counts[2]).toBe(0);
    const expected = draws / 4;
    const chiSquare = [0, 1, 3, 4].reduce((s, k) => s + (counts[k] - expected) ** 2 / expected, 0);
    // 3 degrees of freedom: P(χ² > 16.27) = 0.001 under uniformity.
    expect(chiSquare).toBeLessThan(16.27);
  });
});

describe('ae-auto batches', () => {
  it('hallucinates each pick: the same prompts and firsts as ae-borda, scores = gaps after the earlier picks', () => {
    const candidates = randomCandidates(40, (p) => (p % 9 === 0 ? 1 : 2 + (p % 3)), 3, 5);
    const obs = new Rng(8);
    const observed = Array.from({ length: 4 }, () => Array.from(obs.normals(3)));
    const model = new BayesLinearModel(3, [0.4, -0.3, 0.2], 0.3, observed);
    const batchSize = 8;
    const queries = new AeAutoStrategy().select({ candidates, model, batchSize, rng: new Rng(1) });
    const borda = new AeBordaStrategy().select({ candidates, model, batchSize, rng: new Rng(1) });
    expect(queries).toHaveLength(batchSize);
    // A Borda regression gets the uniform rival by default: ae-auto is then exactly ae-borda.
    expect(queries).toEqual(borda);
    const informative = new AeAutoStrategy({ rival: 'informative' }).select({
      candidates,
      model,
      batchSize,
      rng: new Rng(1),
    });
    expect(informative.map((q) => [q.prompt, q.first, q.score])).toEqual(
      borda.map((q) => [q.prompt, q.first, q.score]),
    );
    // Recompute each pick's gap under a session conditioned on the earlier picks' first rows.
    const selectable = selectablePrompts(candidates);
    const all = candidateSubset(candidates, selectable);
    const session = model.hallucinate(all.features);
    const { mean, std } = model.predict(candidates.features);
    const original = rankPromptsByGap(mean, std, candidates.offsets, selectable, 2);
    const originalGap = new Map(Array.from(original.order, (p, k) => [p, original.gap[k]]));
    let shrunk = 0;
    for (const q of queries) {
      const s = selectable.indexOf(q.prompt);
      let maxUcb = -Infinity;
      let maxLcb = -Infinity;
      for (let r = all.offsets[s]; r < all.offsets[s + 1]; r++) {
        const g = candidates.offsets[q.prompt] + r - all.offsets[s];
        const sd = Math.min(Math.sqrt(session.variance[r]), std[g]);
        maxUcb = Math.max(maxUcb, mean[g] + 2 * sd);
        maxLcb = Math.max(maxLcb, mean[g] - 2 * sd);
      }
      expect(q.score).toBeCloseTo(maxUcb - maxLcb, 10);
      if (q.score < originalGap.get(q.prompt)! - 1e-9) shrunk++;
      session.add(all.offsets[s] + q.first);
    }
    expect(shrunk).toBeGreaterThan(0);
  });

  it('fills a batch larger than the prompts by hallucinated repeats, never more than the batch', () => {
    const candidates = randomCandidates(3, 3, 2, 8);
    const model = new BayesLinearModel(2, [0.1, 0.2], 0.25, [], 'borda-gp');
    for (const batchSize of [1, 2, 7]) {
      const queries = new AeAutoStrategy().select({ candidates, model, batchSize, rng: new Rng(2) });
      expect(queries).toHaveLength(batchSize);
      for (const q of queries) expect(q.first).not.toBe(q.second);
    }
  });

  it('without hallucination: distinct prompts by gap first, then new passes asking new rivals', () => {
    // Three prompts of three responses, wide posteriors (every rival plausible), no hallucinate().
    const candidates = idCandidates([3, 3, 3], (_, k) => [k, 1 - k]);
    const model = new FixedLinearModel(
      { mean: [0, 0.1, 0.2, 0, 0, 0, 0.3, 0, 0.1], std: [1, 1, 1.5, 1, 1, 1, 2, 1, 1] },
      [
        [1, 0],
        [0, 1],
      ],
      3,
    );
    const queries = new AeAutoStrategy().select({ candidates, model, batchSize: 7, rng: new Rng(5) });
    expect(queries).toHaveLength(7);
    // One pass over the three prompts by decreasing relative gap, then the next pass in the same order.
    const firstPass = queries.slice(0, 3).map((q) => q.prompt);
    expect(new Set(firstPass)).toEqual(new Set([0, 1, 2]));
    expect(queries.map((q) => q.prompt)).toEqual([...firstPass, ...firstPass, firstPass[0]]);
    const scores = queries.slice(0, 3).map((q) => q.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const p of [0, 1, 2]) {
      const asked = queries.filter((q) => q.prompt === p);
      // A prompt's first two queries ask its two other responses, one each.
      expect(new Set(asked.slice(0, 2).map((q) => q.second)).size).toBe(2);
      for (const q of asked) expect(q.second).not.toBe(q.first);
    }
  });
});

describe('ae-auto on real models', () => {
  const D = 3;
  function problem(): { candidates: CandidateSet; reward: Float64Array } {
    const rng = new Rng(17);
    const candidates = candidateSetFromRows(
      Array.from({ length: 10 }, () => Array.from({ length: 4 }, () => Array.from({ length: D }, () => rng.next()))),
    );
    const reward = Float64Array.from({ length: candidates.features.rows }, (_, r) => {
      const x = row(candidates.features, r);
      return 3 * Math.sin(3 * x[0]) * x[1] - 2 * x[2];
    });
    return { candidates, reward };
  }
  const models: Record<string, () => PreferenceModel> = {
    'borda-gp': () => new BordaGP({ dimension: D }),
    'low-rank-borda': () =>
      new LowRankBorda({
        dimension: D,
        featureMap: new RandomFourierFeatures({ inputDimension: D, features: 32, seed: 3, path: 'js' }),
      }),
    'linear-bt': () => new LinearBradleyTerry({ dimension: D }),
  };

  function run(kind: string, seed: number, rival: 'informative' | 'uniform') {
    const { candidates, reward } = problem();
    const model = models[kind]();
    const strategy = createStrategy('ae-auto', { modelKind: model.kind, rival });
    const root = new Rng(seed);
    const selectRng = root.fork(1);
    const labelRng = root.fork(2);
    const log: Query[][] = [];
    for (let t = 0; t < 4; t++) {
      const queries = strategy.select({ candidates, model, batchSize: 5, rng: selectRng });
      const observations: PairObservation[] = queries.map((q) => {
        const a = candidates.offsets[q.prompt] + q.first;
        const b = candidates.offsets[q.prompt] + q.second;
        return {
          first: row(candidates.features, a),
          second: row(candidates.features, b),
          outcome: labelRng.bernoulli(sigmoid(reward[a] - reward[b])),
        };
      });
      model.update(observations);
      log.push(queries);
    }
    return { log, model, candidates };
  }

  for (const kind of Object.keys(models)) {
    it(`${kind}: full batches of valid queries, deterministic under a seed`, () => {
      const first = run(kind, 5, 'informative');
      expect(first.model.observationCount).toBe(20);
      for (const batch of first.log) {
        expect(batch).toHaveLength(5);
        for (const q of batch) {
          const m = first.candidates.offsets[q.prompt + 1] - first.candidates.offsets[q.prompt];
          expect(q.first).not.toBe(q.second);
          expect(Math.max(q.first, q.second)).toBeLessThan(m);
          expect(Math.min(q.first, q.second)).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(q.score)).toBe(true);
        }
      }
      expect(run(kind, 5, 'informative').log).toEqual(first.log);
      const uniform = run(kind, 5, 'uniform').log;
      expect(run(kind, 5, 'uniform').log).toEqual(uniform);
      expect(JSON.stringify(run(kind, 6, 'uniform').log)).not.toEqual(JSON.stringify(uniform));
    });
  }

  it('refuses a neural model, naming the kinds it accepts', () => {
    const model = new FixedPosteriorModel({ mean: [0, 0], std: [1, 1] }, 'neural-bt');
    expect(() =>
      new AeAutoStrategy().select({ candidates: idCandidates([2]), model, batchSize: 1, rng: new Rng(1) }),
    ).toThrow(
      "ae-auto is defined on model kinds borda-gp, low-rank-borda, linear-bt, bt-laplace, preferential-gp; got a 'neural-bt' model",
    );
  });
});
