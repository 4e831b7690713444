import { describe, expect, it } from 'vitest';
import { Rng, logSigmoid, sigmoid } from '@borda/numeric';
import {
  BtFeatures,
  DifferenceData,
  laplaceFit,
  learnHyperparameters,
  medianHeuristic,
  standardisationOf,
} from '@borda/reward-model';

/** 1-D differences z and outcomes drawn from a logistic model with slope `theta`. */
function oneDimensional(n: number, theta: number, seed: number): { z: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const z = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    z[i] = rng.normal();
    y[i] = i % 17 === 0 ? 0.5 : rng.bernoulli(sigmoid(theta * z[i]));
  }
  return { z, y };
}

/** log ∫ Π lik · N(θ; 0, 1/λ) dθ by the trapezoid rule on a wide fine grid (log-sum-exp). */
function exactLogEvidence(z: Float64Array, y: Float64Array, lambda: number): number {
  const values: number[] = [];
  const step = 1e-3;
  for (let t = -15; t <= 15; t += step) {
    let v = -0.5 * lambda * t * t + 0.5 * Math.log(lambda / (2 * Math.PI));
    for (let i = 0; i < z.length; i++) v += y[i] * logSigmoid(t * z[i]) + (1 - y[i]) * logSigmoid(-t * z[i]);
    values.push(v);
  }
  const top = Math.max(...values);
  let sum = 0;
  for (const v of values) sum += Math.exp(v - top);
  return top + Math.log(sum * step);
}

/** Pairs of raw rows with labels from a reward function. */
function pairs(
  n: number,
  d: number,
  seed: number,
  reward: (x: Float64Array) => number,
  draw: (rng: Rng) => Float64Array,
): { first: Float64Array; second: Float64Array; outcomes: Float64Array } {
  const rng = new Rng(seed);
  const first = new Float64Array(n * d);
  const second = new Float64Array(n * d);
  const outcomes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = draw(rng);
    const b = draw(rng);
    first.set(a, i * d);
    second.set(b, i * d);
    outcomes[i] = rng.bernoulli(sigmoid(reward(a) - reward(b)));
  }
  return { first, second, outcomes };
}

function featuresFor(
  kind: 'linear' | 'rff' | 'linear+rff',
  first: Float64Array,
  second: Float64Array,
  d: number,
): { features: BtFeatures; centre: number } {
  const rows = new Float64Array(first.length + second.length);
  rows.set(first);
  rows.set(second, first.length);
  const centre = medianHeuristic(rows, d);
  const features = new BtFeatures({
    kind,
    inputDimension: d,
    standardisation: standardisationOf(rows, d),
    rffFeatures: 64,
    kernel: 'rbf',
    lengthscale: centre,
    seed: 0,
  });
  return { features, centre };
}

describe('Laplace evidence', () => {
  it('matches numerical integration in 1-D, and the gap shrinks with more labels', () => {
    const gaps: number[] = [];
    for (const n of [20, 400]) {
      const { z, y } = oneDimensional(n, 1.5, 3);
      const data = new DifferenceData(1, 2, false);
      data.append(z, y);
      const fit = laplaceFit(data, new Float64Array(1));
      gaps.push(Math.abs(fit.logEvidence - exactLogEvidence(z, y, 2)));
    }
    // Laplace is O(1/n) off: a few hundredths with 20 labels, a few thousandths with 400.
    expect(gaps[0]).toBeLessThan(0.05);
    expect(gaps[1]).toBeLessThan(0.005);
    expect(gaps[1]).toBeLessThan(gaps[0]);
  });

  it('block-prior gradient and Hessian agree with finite differences', () => {
    const rng = new Rng(5);
    const d = 4;
    const n = 30;
    const data = new DifferenceData(d, [0.5, 0.5, 3, 3], false);
    const y = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0.5 : rng.bernoulli(0.6)));
    data.append(rng.normals(n * d), y);
    const theta = rng.normals(d);
    const { gradient, hessian } = data.derivatives(theta);
    const h = 1e-5;
    for (let j = 0; j < d; j++) {
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[j] += h;
      minus[j] -= h;
      expect(gradient[j]).toBeCloseTo((data.logPosterior(plus) - data.logPosterior(minus)) / (2 * h), 5);
      const gPlus = data.derivatives(plus).gradient;
      const gMinus = data.derivatives(minus).gradient;
      for (let k = 0; k < d; k++) {
        // The returned Hessian is the negated one: H = −∇²log p.
        expect(hessian.data[k * d + j]).toBeCloseTo(-(gPlus[k] - gMinus[k]) / (2 * h), 5);
      }
    }
  });

  it('learned precision maximises evidence + hyperprior (checked against a scan over λ)', () => {
    const d = 6;
    const truth = new Rng(9).normals(d);
    const { first, second, outcomes } = pairs(
      300,
      d,
      2,
      (x) => x.reduce((s, v, j) => s + v * truth[j], 0),
      (rng) => rng.normals(d),
    );
    const { features, centre } = featuresFor('linear', first, second, d);
    const result = learnHyperparameters({
      first,
      second,
      outcomes,
      count: 300,
      features,
      initialPrecisions: [1],
      lengthscaleCentre: centre,
      learnLengthscale: false,
      wideSearch: true,
    });
    const data = new DifferenceData(d, 1, false);
    data.append(features.differences(first, second, 300), outcomes);
    // Gamma(1.5, rate 0.5) hyperprior: log density (a − 1) log λ − rate·λ up to a constant.
    let best = { lambda: 0, objective: -Infinity };
    for (let logLambda = -4; logLambda <= 4; logLambda += 0.01) {
      const lambda = Math.exp(logLambda);
      data.setPriorPrecision(lambda);
      const objective = laplaceFit(data, new Float64Array(d)).logEvidence + 0.5 * Math.log(lambda) - 0.5 * lambda;
      if (objective > best.objective) best = { lambda, objective };
    }
    // MacKay's fixed point ignores how σ'(θ̂ᵀz) moves with λ; the optimum moves by a few percent at most.
    expect(Math.abs(Math.log(result.precisions[0] / best.lambda))).toBeLessThan(0.1);
    expect(result.objective).toBeGreaterThan(best.objective - 0.05);
  });

  it('recovers a known prior scale', () => {
    const d = 20;
    // The Gamma hyperprior (mode 1) adds about one pseudo-coefficient of squared size 1: negligible
    // against Σθ² = d/λ for λ ≲ 2, a strong pull for λ = 16 unless it is made flatter.
    const cases = [
      { lambda: 0.5, shape: undefined },
      { lambda: 2, shape: undefined },
      { lambda: 16, shape: 1.02 },
    ];
    for (const { lambda, shape } of cases) {
      const errors: number[] = [];
      for (const seed of [1, 2, 3]) {
        const truth = new Rng(100 + seed).normals(d).map((v) => v / Math.sqrt(lambda));
        const { first, second, outcomes } = pairs(
          3000,
          d,
          seed,
          (x) => x.reduce((s, v, j) => s + v * truth[j], 0),
          (rng) => rng.normals(d),
        );
        const { features, centre } = featuresFor('linear', first, second, d);
        const scale = features.standardisation.scale;
        // The prior acts on standardised coefficients θ_j·s_j: the realised scale is d / Σ(θ_j s_j)².
        const realised = d / truth.reduce((s, v, j) => s + (v * scale[j]) ** 2, 0);
        const result = learnHyperparameters({
          first,
          second,
          outcomes,
          count: 3000,
          features,
          initialPrecisions: [1],
          lengthscaleCentre: centre,
          learnLengthscale: false,
          wideSearch: true,
          maxPoints: 3000,
          hyperprior: { precisionShape: shape },
        });
        errors.push(Math.abs(Math.log(result.precisions[0] / realised)));
      }
      // Within ±35% of the realised precision on every seed.
      for (const e of errors) expect(e).toBeLessThan(Math.log(1.35));
    }
  });

  it('learns a lengthscale well below the median heuristic on a narrow peak, deterministically', () => {
    const reward = (x: Float64Array): number =>
      4 * Math.exp(-((x[0] - 0.3) ** 2 + (x[1] - 0.6) ** 2) / (2 * 0.06 ** 2));
    // Half the responses near the peak, as an active learner would ask there once it found it.
    let drawn = 0;
    const { first, second, outcomes } = pairs(400, 2, 4, reward, (rng) =>
      drawn++ % 2 === 0
        ? Float64Array.from([0.3 + 0.2 * (rng.next() - 0.5), 0.6 + 0.2 * (rng.next() - 0.5)])
        : Float64Array.from([rng.next(), rng.next()]),
    );
    const { features, centre } = featuresFor('rff', first, second, 2);
    const problem = {
      first,
      second,
      outcomes,
      count: 400,
      features,
      initialPrecisions: [1],
      lengthscaleCentre: centre,
      learnLengthscale: true,
      wideSearch: true,
    };
    const result = learnHyperparameters(problem);
    expect(result.features.lengthscale).toBeLessThan(centre / 2.5);
    const again = learnHyperparameters(problem);
    expect(again.features.lengthscale).toBe(result.features.lengthscale);
    expect(Array.from(again.precisions)).toEqual(Array.from(result.precisions));
    expect(again.logEvidence).toBe(result.logEvidence);
  });
});
