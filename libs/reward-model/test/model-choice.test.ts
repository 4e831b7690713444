import { describe, expect, it } from 'vitest';
import { Rng, sigmoid } from '@borda/numeric';
import {
  LaplaceBradleyTerry,
  LinearBradleyTerry,
  LowRankBorda,
  type PairObservation,
  calibrateScale,
  chooseModel,
  defaultModelCandidates,
  pairwiseLogLoss,
} from '@borda/reward-model';

function labelled(
  n: number,
  seed: number,
  reward: (x: Float64Array) => number,
  draw: (rng: Rng, i: number) => Float64Array,
): PairObservation[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const first = draw(rng, 2 * i);
    const second = draw(rng, 2 * i + 1);
    return { first, second, outcome: rng.bernoulli(sigmoid(reward(first) - reward(second))) };
  });
}

function linearProblem(n: number, seed: number): PairObservation[] {
  const w = new Rng(50 + seed).normals(20).map((v) => v * 0.5);
  return labelled(
    n,
    seed,
    (x) => x.reduce((s, v, j) => s + v * w[j], 0),
    (rng) => rng.normals(20),
  );
}

/** A narrow peak on [0, 1]²; half the responses near it (as an active learner would ask). */
function peakProblem(n: number, seed: number): PairObservation[] {
  return labelled(
    n,
    seed,
    (x) => 4 * Math.exp(-((x[0] - 0.3) ** 2 + (x[1] - 0.6) ** 2) / (2 * 0.06 ** 2)),
    (rng, i) =>
      i % 2 === 0
        ? Float64Array.from([0.3 + 0.2 * (rng.next() - 0.5), 0.6 + 0.2 * (rng.next() - 0.5)])
        : Float64Array.from([rng.next(), rng.next()]),
  );
}

describe('chooseModel', () => {
  it('picks the linear map for a reward linear in 20 raw dimensions (evidence)', () => {
    for (const seed of [1, 2]) {
      const choice = chooseModel(defaultModelCandidates({ dimension: 20 }), linearProblem(400, seed));
      expect(choice.method).toBe('evidence');
      expect(choice.name).toBe('bt-laplace/linear');
      expect(choice.scores.map((s) => s.name)).toEqual([
        'bt-laplace/linear',
        'bt-laplace/rff',
        'bt-laplace/linear+rff',
      ]);
      expect(choice.model.observationCount).toBe(400);
    }
  });

  it('picks random Fourier features with a lengthscale well below the median heuristic on a narrow peak', () => {
    for (const seed of [1, 2]) {
      const choice = chooseModel(defaultModelCandidates({ dimension: 2 }), peakProblem(400, seed));
      expect(choice.method).toBe('evidence');
      expect(choice.name).not.toBe('bt-laplace/linear');
      const hp = (choice.model as LaplaceBradleyTerry).hyperparameters;
      expect(hp.lengthscale).not.toBeNull();
      expect(hp.lengthscale!).toBeLessThan(hp.medianHeuristic! / 2.5);
    }
  });

  it('falls back to cross-validation for mixed likelihoods, deterministically, and ranks a broken map last', () => {
    const data = linearProblem(300, 3);
    const candidates = [
      { name: 'linear-bt', create: () => new LinearBradleyTerry({ dimension: 20 }) },
      { name: 'low-rank-borda', create: () => new LowRankBorda({ dimension: 20 }) },
      {
        // ℓ = 0.01 on unit-variance inputs: features that are noise between any two rows.
        name: 'noise-rff',
        create: () =>
          new LaplaceBradleyTerry({ dimension: 20, featureMap: 'rff', lengthscale: 0.01, learnHyperparameters: false }),
      },
    ];
    const choice = chooseModel(candidates, data, { seed: 4 });
    expect(choice.method).toBe('cross-validation');
    const losses = choice.scores.map((s) => s.crossValidatedLogLoss!);
    // The noise map predicts ~½ for every pair: a log-loss near log 2, worse than both others.
    expect(losses[2]).toBeGreaterThan(0.65);
    expect(losses[2]).toBeGreaterThan(Math.max(losses[0], losses[1]));
    expect(choice.name).not.toBe('noise-rff');
    new Rng(123).normals(100);
    const again = chooseModel(candidates, data, { seed: 4 });
    expect(again.scores).toEqual(choice.scores);
    expect(again.model.predict({ rows: 1, cols: 20, data: data[0].first as Float64Array })).toEqual(
      choice.model.predict({ rows: 1, cols: 20, data: data[0].first as Float64Array }),
    );
  });

  it('returns the first candidate, fitted, below the minimum label count', () => {
    const choice = chooseModel(defaultModelCandidates({ dimension: 20 }), linearProblem(12, 5));
    expect(choice.method).toBe('prior');
    expect(choice.name).toBe('bt-laplace/linear');
    expect(choice.model.observationCount).toBe(12);
  });

  it('log-loss uses the probit variance correction, and calibration recovers a known scale', () => {
    const predictions = {
      mean: Float64Array.from([1, -2]),
      variance: Float64Array.from([0, 8 / Math.PI]),
      outcomes: Float64Array.from([1, 0.5]),
    };
    // Pair 2: s = −2 / sqrt(1 + 1) = −√2.
    const expected =
      (-Math.log(sigmoid(1)) - 0.5 * Math.log(sigmoid(-Math.SQRT2)) - 0.5 * Math.log(sigmoid(Math.SQRT2))) / 2;
    expect(pairwiseLogLoss(predictions, 1)).toBeCloseTo(expected, 12);
    const rng = new Rng(6);
    const n = 20_000;
    const mean = Float64Array.from({ length: n }, () => rng.normal());
    const outcomes = mean.map((m) => rng.bernoulli(sigmoid(3 * m)));
    const scale = calibrateScale({ mean, variance: new Float64Array(n), outcomes });
    expect(scale).toBeGreaterThan(2.7);
    expect(scale).toBeLessThan(3.3);
  });
});
