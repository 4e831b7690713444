import { describe, expect, it } from 'vitest';
import { Rng, cholesky, fromRows } from '@borda/numeric';
import { BordaGP } from '../src/borda-gp';
import type { PairObservation } from '../src/model';
import { logPriorDensity, logPriorGradient } from '../src/gp-hyperparameter-search';
import { GpData, logMarginalLikelihood, logMarginalLikelihoodGradient } from '../src/gp-hyperparameters';
import { KernelParams, ardKernel, kernelMatrix } from '../src/kernels';

const obs = (first: number[], outcome: number): PairObservation => ({ first, second: first, outcome });

/** n points uniform in [0, 1]^d with y = 0.5 + f(x) + noise, f a draw from the GP with `kernel`. */
function gpDraw(kernel: KernelParams, n: number, d: number, noise: number, seed: number): PairObservation[] {
  const rng = new Rng(seed);
  const xs = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.next()));
  const K = kernelMatrix(kernel, fromRows(xs));
  for (let i = 0; i < n; i++) K.data[i * n + i] += 1e-8;
  const L = cholesky(K);
  const eps = rng.normals(n);
  return xs.map((x, i) => {
    let f = 0.5;
    for (let k = 0; k <= i; k++) f += L.data[i * n + k] * eps[k];
    return obs(x, f + Math.sqrt(noise) * rng.normal());
  });
}

function toData(observations: PairObservation[], d: number): GpData {
  return {
    inputs: Float64Array.from(observations.flatMap((o) => Array.from(o.first))),
    outcomes: Float64Array.from(observations.map((o) => o.outcome)),
    count: observations.length,
    dimension: d,
    priorMean: 0.5,
  };
}

/** Outcomes clipped into [0, 1] as the model requires (the draws stay well inside it at these scales). */
const clip = (o: PairObservation[]) => o.map((x) => obs(Array.from(x.first), Math.min(1, Math.max(0, x.outcome))));

/**
 * The narrow-peak Borda problem of issue 9: a 20 × 20 grid (context, action) in [0, 1]², each context
 * with two narrow (width 0.05) near-tied peaks in the action; labels are Bradley–Terry draws of the
 * first arm against a uniformly random other action of the same context.
 */
function narrowPeakLabels(count: number, seed: number): PairObservation[] {
  const G = 20;
  const reward = (c: number, a: number) =>
    3 * Math.exp(-0.5 * ((a - 0.2 - 0.1 * c) / 0.05) ** 2) + 2.9 * Math.exp(-0.5 * ((a - 0.75 + 0.1 * c) / 0.05) ** 2);
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const c = rng.int(G) / (G - 1);
    const j = rng.int(G);
    const k = rng.intExcluding(G, j);
    const [a, b] = [j / (G - 1), k / (G - 1)];
    const outcome = rng.bernoulli(1 / (1 + Math.exp(-(reward(c, a) - reward(c, b)))));
    return { first: [c, a], second: [c, b], outcome };
  });
}

describe('ARD marginal-likelihood gradient', () => {
  for (const name of ['rbf', 'matern52'] as const) {
    it(`${name}: ∂/∂log ℓᵢ, ∂/∂log σ², ∂/∂log σₙ² match central differences (d = 3)`, () => {
      const data = toData(gpDraw(ardKernel('rbf', [0.3, 0.8, 0.5], 0.05), 30, 3, 0.01, 4), 3);
      const theta = [Math.log(0.4), Math.log(0.9), Math.log(0.25), Math.log(0.07), Math.log(0.02)];
      const at = (t: number[]) =>
        logMarginalLikelihood(data, ardKernel(name, t.slice(0, 3).map(Math.exp), Math.exp(t[3])), Math.exp(t[4]));
      const g = logMarginalLikelihoodGradient(data, ardKernel(name, [0.4, 0.9, 0.25], 0.07), 0.02);
      expect(g).toHaveLength(5);
      for (let j = 0; j < 5; j++) {
        const h = 1e-5;
        const up = theta.slice();
        const down = theta.slice();
        up[j] += h;
        down[j] -= h;
        const numeric = (at(up) - at(down)) / (2 * h);
        expect(Math.abs(g[j] - numeric)).toBeLessThan(1e-5 * Math.max(1, Math.abs(numeric)));
      }
      // The isotropic gradient is the sum of the ARD ones at equal lengthscales.
      const iso = logMarginalLikelihoodGradient(data, { name, lengthscale: 0.4, signalVariance: 0.07 }, 0.02);
      const ard = logMarginalLikelihoodGradient(data, ardKernel(name, [0.4, 0.4, 0.4], 0.07), 0.02);
      expect(iso[0]).toBeCloseTo(ard[0] + ard[1] + ard[2], 9);
      expect(iso.slice(1)).toEqual([ard[3], ard[4]].map((v) => expect.closeTo(v, 9)));
    });
  }

  it('the log-normal hyperprior gradient matches central differences', () => {
    const priors = [{ centre: 0.5, logStd: 1 }, null, { centre: 0.25, logStd: 1.5 }];
    const theta = [Math.log(0.2), 3, Math.log(0.9)];
    const g = logPriorGradient(theta, priors);
    expect(g[1]).toBe(0);
    for (const j of [0, 2]) {
      const up = theta.slice();
      const down = theta.slice();
      up[j] += 1e-6;
      down[j] -= 1e-6;
      expect(g[j]).toBeCloseTo((logPriorDensity(up, priors) - logPriorDensity(down, priors)) / 2e-6, 6);
    }
    // A Gaussian density on log θ: at the centre it is −log(s·sqrt(2π)).
    expect(logPriorDensity([Math.log(0.5)], [priors[0]])).toBeCloseTo(-0.5 * Math.log(2 * Math.PI), 14);
  });
});

describe('MAP-II recovers known lengthscales', () => {
  it('isotropic, 1-D: ℓ = 0.15 from 80 points within a factor 1.5', () => {
    const data = clip(gpDraw({ name: 'rbf', lengthscale: 0.15, signalVariance: 0.04 }, 80, 1, 0.0025, 9));
    const gp = new BordaGP({ dimension: 1, lengthscale: 0.5, learnHyperparameters: true });
    gp.fit(data);
    const h = gp.hyperparameters;
    expect(h.ard).toBe(false);
    expect(h.learnedAt).toBe(80);
    expect(h.lengthscale).toBeGreaterThan(0.15 / 1.5);
    expect(h.lengthscale).toBeLessThan(0.15 * 1.5);
    expect(h.logMarginalLikelihood).toBeCloseTo(gp.logMarginalLikelihood(), 10);
  });

  it('ARD, 2-D: ℓ = (0.15, 0.6) from 150 points, each within a factor 1.5', () => {
    const data = clip(gpDraw(ardKernel('rbf', [0.15, 0.6], 0.04), 150, 2, 0.0025, 3));
    const gp = new BordaGP({ dimension: 2, lengthscale: 0.5, learnHyperparameters: true });
    gp.fit(data);
    const [l1, l2] = gp.hyperparameters.lengthscales;
    expect(gp.hyperparameters.ard).toBe(true);
    expect(l1 / 0.15).toBeGreaterThan(1 / 1.5);
    expect(l1 / 0.15).toBeLessThan(1.5);
    expect(l2 / 0.6).toBeGreaterThan(1 / 1.5);
    expect(l2 / 0.6).toBeLessThan(1.5);
    // It beats the isotropic starting point on the evidence by a wide margin.
    expect(gp.logMarginalLikelihood()).toBeGreaterThan(
      gp.logMarginalLikelihoodAt({ lengthscale: 0.5, signalVariance: 0.0625, noiseVariance: 0.25 }) + 50,
    );
  });

  it('on the narrow-peak grid problem the action lengthscale ends well below the median heuristic 0.55', () => {
    const gp = new BordaGP({ dimension: 2, lengthscale: 0.55, learnHyperparameters: true });
    gp.fit(narrowPeakLabels(300, 1));
    const [context, action] = gp.hyperparameters.lengthscales;
    expect(action).toBeLessThan(0.55 / 3);
    expect(context).toBeGreaterThan(action); // the peaks move slowly with the context
    const iso = new BordaGP({ dimension: 2, lengthscale: 0.55, learnHyperparameters: { ard: false } });
    iso.fit(narrowPeakLabels(300, 1));
    expect(iso.hyperparameters.lengthscale).toBeLessThan(0.55 / 2);
  });
});

describe('hyperpriors', () => {
  // Three labels, two of them close and contradictory: the evidence alone prefers a tiny ℓ.
  const tiny = [obs([0.3], 1), obs([0.32], 0), obs([0.7], 1)];

  it('without priors three labels drive ℓ to the bottom of its range; with them it stays near the centre', () => {
    const ml = new BordaGP({ dimension: 1, lengthscale: 0.5, learnHyperparameters: { priors: false } });
    ml.fit(tiny);
    expect(ml.hyperparameters.lengthscale).toBeLessThan(0.01);
    expect(ml.hyperparameters.logHyperprior).toBeNull();
    const map = new BordaGP({ dimension: 1, lengthscale: 0.5, learnHyperparameters: true });
    map.fit(tiny);
    expect(map.hyperparameters.lengthscale).toBeGreaterThan(0.5 / 1.5);
    expect(map.hyperparameters.lengthscale).toBeLessThan(0.5 * 1.5);
    expect(map.hyperparameters.noiseVariance).toBeGreaterThan(0.25 / 2);
    expect(map.hyperparameters.logHyperprior).toBeLessThan(0);
  });

  it('below minObservations the initial values are kept', () => {
    const gp = new BordaGP({ dimension: 1, lengthscale: 0.5, learnHyperparameters: { minObservations: 4 } });
    gp.fit(tiny);
    expect(gp.hyperparameters).toMatchObject({ lengthscale: 0.5, noiseVariance: 0.25, learnedAt: null });
  });
});

describe('the re-learning schedule', () => {
  const labels = narrowPeakLabels(60, 2);

  it('update() re-learns each time the count grows ×1.25 (or by `every`) and appends in between', () => {
    const gp = new BordaGP({ dimension: 2, lengthscale: 0.55, learnHyperparameters: true });
    const learnedAt: (number | null)[] = [];
    for (let t = 0; t < 60; t += 5) {
      gp.update(labels.slice(t, t + 5));
      learnedAt.push(gp.hyperparameters.learnedAt);
    }
    // 25·1.25 = 31.25 → 35; 35·1.25 = 43.75 → 45; 45·1.25 = 56.25 → 60.
    expect(learnedAt).toEqual([5, 10, 15, 20, 25, 25, 35, 35, 45, 45, 45, 60]);
    const counted = new BordaGP({ dimension: 2, lengthscale: 0.55, learnHyperparameters: { every: 20 } });
    for (let t = 0; t < 60; t += 5) counted.update(labels.slice(t, t + 5));
    expect(counted.hyperparameters.learnedAt).toBe(45);
  });

  it('what is learned depends only on the observations: incremental and batch models agree', () => {
    const incremental = new BordaGP({ dimension: 2, lengthscale: 0.55, learnHyperparameters: true });
    for (let t = 0; t < 60; t += 5) incremental.update(labels.slice(t, t + 5));
    const batch = new BordaGP({ dimension: 2, lengthscale: 0.55, learnHyperparameters: true });
    batch.fit(labels);
    expect(incremental.hyperparameters).toEqual(batch.hyperparameters);
    const grid = fromRows([
      [0.1, 0.2],
      [0.5, 0.7],
    ]);
    expect(incremental.predict(grid)).toEqual(batch.predict(grid));
  });

  it('toJSON / load round-trips the learned values, the record and the schedule exactly', () => {
    const gp = new BordaGP({ dimension: 2, lengthscale: 0.55, learnHyperparameters: { growth: 1.5 } });
    gp.update(labels.slice(0, 40));
    const json = JSON.parse(JSON.stringify(gp.toJSON()));
    expect(json.version).toBe(2);
    expect(json.lengthscales).toHaveLength(2);
    expect(json.initial).toEqual({ lengthscale: 0.55, signalVariance: 0.0625, noiseVariance: 0.25 });
    const loaded = BordaGP.load(json);
    expect(loaded.hyperparameters).toEqual(gp.hyperparameters);
    expect(loaded.toJSON()).toEqual(gp.toJSON());
    const grid = fromRows([[0.3, 0.3]]);
    expect(loaded.predict(grid)).toEqual(gp.predict(grid));
    // Both go on identically: the next labels do not re-learn (40 < 60), then 60 does.
    for (const model of [gp, loaded]) model.update(labels.slice(40, 50));
    expect(loaded.hyperparameters.learnedAt).toBe(40);
    for (const model of [gp, loaded]) model.update(labels.slice(50, 60));
    expect(loaded.hyperparameters).toEqual(gp.hyperparameters);
    expect(loaded.hyperparameters.learnedAt).toBe(60);
  });

  it('loads a version-1 model (no learning fields) as fixed hyperparameters', () => {
    const gp = new BordaGP({ dimension: 2, lengthscale: 0.3 });
    gp.update(labels.slice(0, 10));
    const { initial: _i, learnHyperparameters: _l, learned: _r, ...v1 } = gp.toJSON();
    const loaded = BordaGP.load({ ...v1, version: 1 });
    expect(loaded.learning).toBe(false);
    expect(loaded.hyperparameters).toEqual(gp.hyperparameters);
    expect(loaded.predict(fromRows([[0.2, 0.2]]))).toEqual(gp.predict(fromRows([[0.2, 0.2]])));
  });

  it('rejects bad schedule options by name', () => {
    expect(() => new BordaGP({ dimension: 1, learnHyperparameters: { growth: 1 } })).toThrow(/growth/);
    expect(() => new BordaGP({ dimension: 1, learnHyperparameters: { every: 0 } })).toThrow(/every/);
    expect(() => new BordaGP({ dimension: 1, learnHyperparameters: { minObservations: 1 } })).toThrow(
      /minObservations/,
    );
    expect(() => new BordaGP({ dimension: 2, lengthscales: [0.1] })).toThrow(/lengthscales/);
  });
});
