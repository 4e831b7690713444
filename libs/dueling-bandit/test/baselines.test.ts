import { describe, expect, it } from 'vitest';
import { Rng } from '@borda/numeric';
import {
  AeNeuralStrategy,
  ApoStrategy,
  BaldStrategy,
  DtsStrategy,
  MaxInPStrategy,
  UniformBordaStrategy,
  UniformStrategy,
  binaryEntropy,
  pairMutualInformation,
  survivingArms,
} from '@borda/dueling-bandit';
import { FixedLinearModel, FixedPosteriorModel, idCandidates } from './helpers';

const unordered = (a: number, b: number) => [Math.min(a, b), Math.max(a, b)];

describe('uniform', () => {
  it('covers all prompts roughly evenly, skips single-response prompts, asks distinct ordered pairs uniformly', () => {
    const candidates = idCandidates([3, 1, 3, 3, 3, 0]);
    const model = new FixedPosteriorModel({ mean: [], std: [] });
    const strategy = new UniformStrategy();
    const rng = new Rng(5);
    const prompts = new Map<number, number>();
    const pairs = new Map<string, number>();
    const n = 2000;
    for (let t = 0; t < n; t++) {
      const [q] = strategy.select({ candidates, model, batchSize: 1, rng });
      expect(q.first).not.toBe(q.second);
      prompts.set(q.prompt, (prompts.get(q.prompt) ?? 0) + 1);
      if (q.prompt === 0) pairs.set(`${q.first}${q.second}`, (pairs.get(`${q.first}${q.second}`) ?? 0) + 1);
    }
    expect([...prompts.keys()].sort()).toEqual([0, 2, 3, 4]);
    // Expectation 500 per prompt (sd ≈ 19); 6 ordered pairs in prompt 0, ≈ 83 each (sd ≈ 8.4).
    for (const c of prompts.values()) expect(Math.abs(c - n / 4)).toBeLessThan(80);
    expect(pairs.size).toBe(6);
    const total = [...pairs.values()].reduce((s, c) => s + c, 0);
    for (const c of pairs.values()) expect(Math.abs(c - total / 6)).toBeLessThan(40);
  });

  it('uses distinct prompts within a batch and starts a new pass when the batch exceeds them', () => {
    const candidates = idCandidates([2, 2, 2]);
    const model = new FixedPosteriorModel({ mean: [], std: [] });
    const queries = new UniformStrategy().select({ candidates, model, batchSize: 7, rng: new Rng(1) });
    const prompts = queries.map((q) => q.prompt);
    expect(new Set(prompts.slice(0, 3)).size).toBe(3);
    expect(new Set(prompts.slice(3, 6)).size).toBe(3);
    expect(prompts).toHaveLength(7);
  });
});

describe('uniform-borda', () => {
  it('shows the argmax-UCB response of the sampled prompt against another response', () => {
    const candidates = idCandidates([3, 3]);
    // UCB (β = 2): prompt 0 → [2, 1, 2.3] (arm 2), prompt 1 → [2, 0, 1] (arm 0).
    const model = new FixedPosteriorModel({ mean: [0, 1, 0.5, 2, 0, 0], std: [1, 0, 0.9, 0, 0, 0.5] });
    const seen = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const [q] = new UniformBordaStrategy().select({ candidates, model, batchSize: 1, rng: new Rng(seed) });
      seen.add(q.prompt);
      expect(q.first).toBe(q.prompt === 0 ? 2 : 0);
      expect(q.second).not.toBe(q.first);
    }
    expect(seen.size).toBe(2);
  });
});

describe('apo', () => {
  it('picks the (prompt, pair) with the largest ‖z‖_{V⁻¹} over all prompts', () => {
    // Points in the plane, metric diag(1, 4): prompt 1's pair (0,2) differs by (0, 1.5) → norm 3,
    // prompt 0's widest pair differs by (2.5, 0) → norm 2.5.
    const points = [
      [
        [0, 0],
        [2.5, 0],
        [1, 0],
      ],
      [
        [0, 0],
        [0, 0.5],
        [0, 1.5],
      ],
    ];
    const candidates = idCandidates([3, 3], (p, k) => points[p][k]);
    const model = new FixedLinearModel(
      { mean: [0, 0, 0, 0, 0, 0], std: [1, 1, 1, 1, 1, 1] },
      [
        [1, 0],
        [0, 4],
      ],
      3,
    );
    const queries = new ApoStrategy().select({ candidates, model, batchSize: 2, rng: new Rng(1) });
    expect(queries[0].prompt).toBe(1);
    expect(unordered(queries[0].first, queries[0].second)).toEqual([0, 2]);
    expect(queries[0].score).toBeCloseTo(3, 12);
    expect(queries[1].prompt).toBe(0);
    expect(unordered(queries[1].first, queries[1].second)).toEqual([0, 1]);
    expect(queries[1].score).toBeCloseTo(2.5, 12);
  });

  it('refuses a model without differenceNorm', () => {
    const candidates = idCandidates([2]);
    const model = new FixedPosteriorModel({ mean: [0, 0], std: [1, 1] }, 'linear-bt');
    expect(() => new ApoStrategy().select({ candidates, model, batchSize: 1, rng: new Rng(1) })).toThrow(
      /linear Bradley–Terry model exposing differenceNorm/,
    );
  });
});

describe('maxinp', () => {
  // Arm 0 is far from the others (largest distances) but its mean is so low that it is beaten
  // with confidence: −10 − 0 + 2·‖z‖ < 0 for every ‖z‖ ≤ 3.2.
  const points = [
    [3, 0],
    [0, 0],
    [0, 1],
    [1, 0],
  ];
  const candidates = idCandidates([4], (_, k) => points[k]);
  const mean = [-10, 0, 0.1, 0];
  const model = new FixedLinearModel(
    { mean, std: [1, 1, 1, 1] },
    [
      [1, 0],
      [0, 1],
    ],
    3,
  );

  it('keeps exactly the arms not confidently beaten', () => {
    const m = 4;
    const norm = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++)
        norm[i * m + j] = Math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1]);
    expect(survivingArms(mean, norm, 0, m, 2)).toEqual([1, 2, 3]);
    // With a very wide β nothing is confidently beaten.
    expect(survivingArms(mean, norm, 0, m, 100)).toEqual([0, 1, 2, 3]);
  });

  it('never picks a confidently beaten arm, and picks the widest surviving pair', () => {
    for (let seed = 0; seed < 20; seed++) {
      const [q] = new MaxInPStrategy().select({ candidates, model, batchSize: 1, rng: new Rng(seed) });
      expect(unordered(q.first, q.second)).toEqual([2, 3]);
      expect(q.score).toBeCloseTo(Math.SQRT2, 12);
    }
  });

  it('pairs a lone survivor with its most uncertain competitor', () => {
    const lone = new FixedLinearModel(
      { mean: [5, -10, -10, -10], std: [1, 1, 1, 1] },
      [
        [1, 0],
        [0, 1],
      ],
      3,
    );
    const [q] = new MaxInPStrategy().select({ candidates, model: lone, batchSize: 1, rng: new Rng(0) });
    expect(unordered(q.first, q.second)).toEqual([0, 2]); // distance √10 is the largest from arm 0
  });
});

describe('dts', () => {
  // Arm 0: UCB −4.8 < max LCB −0.2, so never optimistic, although every draw loves it.
  // Arms 1..3 optimistic. Draw 0 prefers arm 3 among them, draw 1 prefers arm 1 (beside arm 0).
  const candidates = idCandidates([4]);
  const posterior = {
    mean: [-5, 0, 0, 0],
    std: [0.1, 0.1, 0.1, 0.1],
    samples: [
      [100, 0, 1, 2],
      [100, 3, 1, 2],
    ],
  };

  it('takes the first response among the optimistic ones and the second among those not beaten by it', () => {
    const model = new FixedPosteriorModel(posterior, 'linear-bt');
    for (let seed = 0; seed < 10; seed++) {
      const [q] = new DtsStrategy().select({ candidates, model, batchSize: 1, rng: new Rng(seed) });
      expect(q.first).toBe(3);
      expect(q.second).toBe(1);
      expect(q.score).toBe(2);
    }
  });

  it('falls back to a uniform other response when every other response is confidently beaten', () => {
    const model = new FixedPosteriorModel(
      { mean: [0, -5, -5, -5], std: [0.1, 0.1, 0.1, 0.1], samples: [[0, 9, 9, 9]] },
      'linear-bt',
    );
    const seen = new Set<number>();
    for (let seed = 0; seed < 60; seed++) {
      const [q] = new DtsStrategy().select({ candidates, model, batchSize: 1, rng: new Rng(seed) });
      expect(q.first).toBe(0);
      seen.add(q.second);
    }
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });
});

describe('bald', () => {
  it('matches the closed-form mutual information', () => {
    // Draws disagree: p = σ(±2). MI = H(½) − H(σ(2)).
    const samples = [
      [2, 0],
      [0, 2],
    ];
    const p = 1 / (1 + Math.exp(-2));
    expect(pairMutualInformation(samples, 0, 1)).toBeCloseTo(Math.log(2) - binaryEntropy(p), 12);
    // Draws agree on a coin flip or on a sure winner: nothing to learn.
    expect(pairMutualInformation([[0, 0]], 0, 1)).toBe(0);
    expect(
      pairMutualInformation(
        [
          [5, 0],
          [5, 0],
        ],
        0,
        1,
      ),
    ).toBeCloseTo(0, 12);
  });

  it('prefers a pair whose draws disagree over pairs whose draws are confident', () => {
    // Prompt 0: draws agree (confident, or all at ½). Prompt 1: responses 1 and 2 swap order across draws.
    const candidates = idCandidates([3, 3]);
    const samples = Array.from({ length: 8 }, (_, s) => [0, 4, 4, s % 2 ? 3 : -3, 0, s % 2 ? -3 : 3]);
    const model = new FixedPosteriorModel({ mean: [0, 0, 0, 0, 0, 0], std: [1, 1, 1, 1, 1, 1], samples }, 'linear-bt');
    const queries = new BaldStrategy({ posteriorSamples: 8 }).select({
      candidates,
      model,
      batchSize: 1,
      rng: new Rng(3),
    });
    expect(queries[0].prompt).toBe(1);
    // Pair (0, 2) swaps by ±6 across draws: the largest disagreement.
    expect(unordered(queries[0].first, queries[0].second)).toEqual([0, 2]);
    expect(queries[0].score).toBeCloseTo(Math.log(2) - binaryEntropy(1 / (1 + Math.exp(-6))), 12);
    const twoPrompts = new BaldStrategy({ posteriorSamples: 8 }).select({
      candidates,
      model,
      batchSize: 2,
      rng: new Rng(3),
    });
    expect(twoPrompts.map((q) => q.prompt)).toEqual([1, 0]);
  });
});

describe('ae-neural', () => {
  it('keeps the widest-gap prompts of the pool, distinct, paired as AE-Borda', () => {
    // Gaps with β = 2: prompt 0 → 0.4; prompt 1 → UCB max 3 (arm 0) − LCB max 0 = 3; prompt 2 → 2.
    const candidates = idCandidates([2, 2, 2]);
    const model = new FixedPosteriorModel(
      { mean: [0, 0, 0, 1, 0, 0], std: [0.1, 0.1, 1.5, 0.5, 0.5, 0.5] },
      'neural-bt',
    );
    const queries = new AeNeuralStrategy().select({ candidates, model, batchSize: 2, rng: new Rng(4) });
    expect(queries.map((q) => q.prompt)).toEqual([1, 2]);
    expect(queries[0].first).toBe(0);
    expect(queries[0].second).toBe(1);
    expect(queries[0].score).toBeCloseTo(3, 12);
    expect(queries[1].score).toBeCloseTo(2, 12);
  });

  it('only scores a pool of ~poolFactor × batch prompts', () => {
    const candidates = idCandidates(Array(50).fill(2));
    const mean = Array.from({ length: 100 }, (_, r) => (r === 98 ? 1 : 0));
    const std = Array.from({ length: 100 }, (_, r) => (r === 98 ? 1 : 0.1));
    const model = new FixedPosteriorModel({ mean, std }, 'neural-bt');
    const full = new AeNeuralStrategy({ poolFactor: 50 }).select({ candidates, model, batchSize: 1, rng: new Rng(0) });
    expect(full[0].prompt).toBe(49);
    const seen = new Set<number>();
    for (let seed = 0; seed < 30; seed++) {
      const [q] = new AeNeuralStrategy({ poolFactor: 3 }).select({
        candidates,
        model,
        batchSize: 1,
        rng: new Rng(seed),
      });
      seen.add(q.prompt);
    }
    // A full scan would always return prompt 49 (the only wide gap); a pool of 3 rarely holds it.
    expect(seen.size).toBeGreaterThan(5);
  });
});
