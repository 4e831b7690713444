import { describe, expect, it } from 'vitest';
import { Rng, cholesky, choleskyInverse, fromRows, zeros } from '@borda/numeric';
import type { PairObservation } from '../src/model';
import { PreferentialGP } from '../src/preferential-gp';
import { laplaceEvidenceGradient, laplaceFit } from '../src/preferential-gp-evidence';
import type { Comparisons } from '../src/preferential-gp-laplace';
import { likelihoodTerms, logNormalCdf } from '../src/preferential-gp-likelihood';
import { ardKernel, kernelMatrix, kernelValue } from '../src/kernels';

const pair = (first: number[], second: number[], outcome: number): PairObservation => ({ first, second, outcome });

/** Random comparisons among `arms` rows, labelled by Bradley–Terry draws of `reward`. */
function btComparisons(arms: number[][], reward: (x: number[]) => number, count: number, seed: number) {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const a = rng.int(arms.length);
    const b = rng.intExcluding(arms.length, a);
    const p = 1 / (1 + Math.exp(-(reward(arms[a]) - reward(arms[b]))));
    return pair(arms[a], arms[b], rng.bernoulli(p));
  });
}

function asComparisons(model: PreferentialGP, observations: PairObservation[], arms: number[][]): Comparisons {
  const index = (row: ArrayLike<number>) => arms.findIndex((a) => a.every((v, k) => v === row[k]));
  void model;
  return {
    first: Int32Array.from(observations.map((o) => index(o.first))),
    second: Int32Array.from(observations.map((o) => index(o.second))),
    outcomes: Float64Array.from(observations.map((o) => o.outcome)),
    count: observations.length,
  };
}

describe('pairwise likelihoods', () => {
  it('log Φ matches reference values, far into the tail', () => {
    // scipy.stats.norm.logcdf
    expect(logNormalCdf(0)).toBeCloseTo(Math.log(0.5), 7);
    expect(Math.exp(logNormalCdf(1))).toBeCloseTo(0.8413447460685429, 7);
    expect(logNormalCdf(-5) / Math.log(2.866515718791939e-7)).toBeCloseTo(1, 6);
    expect(logNormalCdf(-20) / -203.91715537109846).toBeCloseTo(1, 6);
  });

  for (const kind of ['logistic', 'probit'] as const) {
    it(`${kind}: slope, curvature and its slope are ℓ′, −ℓ″, −ℓ‴ (central differences)`, () => {
      for (const y of [1, 0, 0.5, 0.8]) {
        for (const z of [-3, -0.4, 0, 1.1, 4]) {
          const t = likelihoodTerms(kind, y, z);
          const at = (h: number) => likelihoodTerms(kind, y, z + h);
          const h = 1e-4;
          expect(t.slope).toBeCloseTo((at(h).logLikelihood - at(-h).logLikelihood) / (2 * h), 5);
          expect(t.curvature).toBeCloseTo(-(at(h).slope - at(-h).slope) / (2 * h), 5);
          expect(t.curvatureSlope).toBeCloseTo((at(h).curvature - at(-h).curvature) / (2 * h), 5);
          expect(t.curvature).toBeGreaterThanOrEqual(0);
        }
      }
    });
  }
});

describe('Laplace mode and evidence', () => {
  const arms = [[0.1], [0.35], [0.5], [0.9]];
  const comparisons = [
    pair([0.1], [0.35], 1),
    pair([0.1], [0.5], 1),
    pair([0.35], [0.5], 0),
    pair([0.9], [0.1], 0),
    pair([0.9], [0.35], 1),
    pair([0.5], [0.9], 0.5),
    pair([0.1], [0.9], 1),
    pair([0.35], [0.1], 1),
  ];

  it('the Newton mode is the maximiser a plain gradient ascent finds on Σℓ − ½fᵀK⁻¹f', () => {
    const gp = new PreferentialGP({ dimension: 1, lengthscale: 0.3, learnHyperparameters: false });
    gp.fit(comparisons);
    const kernel = gp.kernel;
    const K = kernelMatrix(kernel, fromRows(arms));
    for (let i = 0; i < 4; i++) K.data[i * 5] += 1e-6 * kernel.signalVariance;
    const Kinv = choleskyInverse(cholesky(K)).data;
    const data = asComparisons(gp, comparisons, arms);
    const f = new Float64Array(4);
    for (let it = 0; it < 200000; it++) {
      const g = new Float64Array(4);
      for (let i = 0; i < data.count; i++) {
        const slope = likelihoodTerms('logistic', data.outcomes[i], f[data.first[i]] - f[data.second[i]]).slope;
        g[data.first[i]] += slope;
        g[data.second[i]] -= slope;
      }
      for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) g[a] -= Kinv[a * 4 + b] * f[b];
      for (let a = 0; a < 4; a++) f[a] += 0.05 * g[a];
    }
    const mode = gp.mode;
    for (let a = 0; a < 4; a++) expect(mode[a]).toBeCloseTo(f[a], 6);
  });

  it('two arms: the evidence is the 1-D Laplace formula and close to the exact integral', () => {
    const wins = [1, 1, 1, 0, 1, 0.5, 1];
    const observations = wins.map((y) => pair([0.2], [0.7], y));
    const gp = new PreferentialGP({ dimension: 1, lengthscale: 0.4, signalVariance: 2, learnHyperparameters: false });
    gp.fit(observations);
    // f_a − f_b ~ N(0, s²) and the likelihood depends on nothing else.
    const k = gp.kernel;
    const s2 = 2 * k.signalVariance * (1 + 1e-6) - 2 * kernelValue(k, [0.2], [0.7]);
    const logLik = (z: number) => wins.reduce((t, y) => t + likelihoodTerms('logistic', y, z).logLikelihood, 0);
    let z = 0;
    for (let it = 0; it < 100; it++) {
      const g = wins.reduce((t, y) => t + likelihoodTerms('logistic', y, z).slope, 0) - z / s2;
      const w = wins.reduce((t, y) => t + likelihoodTerms('logistic', y, z).curvature, 0) + 1 / s2;
      z += g / w;
    }
    const W = wins.reduce((t, y) => t + likelihoodTerms('logistic', y, z).curvature, 0);
    const laplace = logLik(z) - (z * z) / (2 * s2) - 0.5 * Math.log(1 + s2 * W);
    expect(gp.logEvidence()).toBeCloseTo(laplace, 7);
    // Exact: ∫ Π p(yᵢ | z) N(z; 0, s²) dz by the trapezoid rule.
    const s = Math.sqrt(s2);
    let integral = 0;
    const steps = 40000;
    const h = (24 * s) / steps;
    for (let i = 0; i <= steps; i++) {
      const x = -12 * s + i * h;
      const weight = i === 0 || i === steps ? 0.5 : 1;
      integral += (weight * Math.exp(logLik(x) - (x * x) / (2 * s2))) / Math.sqrt(2 * Math.PI * s2);
    }
    const exact = Math.log(integral * h);
    expect(Math.abs(gp.logEvidence() - exact)).toBeLessThan(0.05);
    expect(gp.logEvidence()).not.toBeCloseTo(exact, 6); // an approximation, not the integral
  });

  for (const kind of ['logistic', 'probit'] as const) {
    it(`${kind}: the evidence gradient (ARD ℓ₁, ℓ₂, σ²) matches central differences, mode dependence included`, () => {
      const rng = new Rng(3);
      const points = Array.from({ length: 9 }, () => [rng.next(), rng.next()]);
      const observations = btComparisons(points, (x) => 2 * x[0] - x[1], 30, 4);
      const gp = new PreferentialGP({ dimension: 2, learnHyperparameters: false, likelihood: kind });
      gp.fit(observations);
      const data = asComparisons(gp, observations, points);
      const used = points.filter((_, i) => Array.from(data.first).includes(i) || Array.from(data.second).includes(i));
      expect(used).toHaveLength(9);
      const arms = fromRows(points);
      const newton = { maxIterations: 100, tolerance: 1e-15 };
      const evidence = (t: number[]) =>
        laplaceFit(
          ardKernel('rbf', [Math.exp(t[0]), Math.exp(t[1])], Math.exp(t[2])),
          arms,
          data,
          kind,
          1e-6,
          null,
          newton,
        ).laplace.logEvidence;
      const theta = [Math.log(0.3), Math.log(0.7), Math.log(1.5)];
      const fit = laplaceFit(ardKernel('rbf', [0.3, 0.7], 1.5), arms, data, kind, 1e-6, null, newton);
      const g = laplaceEvidenceGradient(fit, arms, data);
      for (let j = 0; j < 3; j++) {
        const h = 1e-5;
        const up = theta.slice();
        const down = theta.slice();
        up[j] += h;
        down[j] -= h;
        const numeric = (evidence(up) - evidence(down)) / (2 * h);
        expect(Math.abs(g[j] - numeric)).toBeLessThan(1e-5 * Math.max(1, Math.abs(numeric)));
      }
    });
  }
});

describe('posterior', () => {
  it('differenceVariance, predict and the joint covariance agree with a dense computation', () => {
    const rng = new Rng(7);
    const candidates = Array.from({ length: 12 }, () => [rng.next(), rng.next()]);
    const observations = btComparisons(candidates, (x) => 3 * x[0], 40, 8);
    const gp = new PreferentialGP({ dimension: 2, lengthscale: 0.4, learnHyperparameters: false });
    gp.fit(observations);
    // The model's arms in its own order (first seen), which gp.mode follows.
    const stored = gp.toJSON().arms;
    const points = Array.from({ length: 12 }, (_, i) => stored.slice(2 * i, 2 * i + 2));
    const data = asComparisons(gp, observations, points);
    const kernel = gp.kernel;
    const n = 12;
    const K = kernelMatrix(kernel, fromRows(points));
    for (let i = 0; i < n; i++) K.data[i * n + i] += 1e-6 * kernel.signalVariance;
    const Kinv = choleskyInverse(cholesky(K));
    // Σ_f = (K⁻¹ + W)⁻¹, W = Σ wᵢ dᵢdᵢᵀ at the mode.
    const f = gp.mode;
    const P = zeros(n, n);
    P.data.set(Kinv.data);
    for (let i = 0; i < data.count; i++) {
      const [a, b] = [data.first[i], data.second[i]];
      const w = likelihoodTerms('logistic', data.outcomes[i], f[a] - f[b]).curvature;
      P.data[a * n + a] += w;
      P.data[b * n + b] += w;
      P.data[a * n + b] -= w;
      P.data[b * n + a] -= w;
    }
    const Sigma = choleskyInverse(cholesky(P)).data;
    const x = [0.2, 0.9];
    const y = [0.75, 0.3];
    const kx = points.map((p) => kernelValue(kernel, p, x));
    const ky = points.map((p) => kernelValue(kernel, p, y));
    const Kinvk = (k: number[]) =>
      Array.from({ length: n }, (_, i) => k.reduce((s, kj, j) => s + Kinv.data[i * n + j] * kj, 0));
    const [ax, ay] = [Kinvk(kx), Kinvk(ky)];
    const quad = (u: number[], v: number[], M: ArrayLike<number>) =>
      u.reduce((s, ui, i) => s + ui * v.reduce((t, vj, j) => t + M[i * n + j] * vj, 0), 0);
    const cov = (ku: number[], au: number[], kv: number[], av: number[], prior: number) =>
      prior - ku.reduce((s, v, i) => s + v * av[i], 0) + quad(au, av, Sigma);
    const vxx = cov(kx, ax, kx, ax, kernelValue(kernel, x, x));
    const vyy = cov(ky, ay, ky, ay, kernelValue(kernel, y, y));
    const vxy = cov(kx, ax, ky, ay, kernelValue(kernel, x, y));
    expect(gp.differenceVariance(x, y)).toBeCloseTo(vxx + vyy - 2 * vxy, 8);
    const post = gp.predict(fromRows([x, y]));
    expect(post.std[0] ** 2).toBeCloseTo(vxx, 8);
    expect(post.mean[0]).toBeCloseTo(
      kx.reduce((s, v, i) => s + v * Kinvk(Array.from(f))[i], 0),
      8,
    );
    // The rival's covariance matters: Var(f(x) − f(x')) for a near twin is far below Var f(x) + Var f(x').
    const twin = [0.21, 0.9];
    expect(gp.differenceVariance(x, twin)).toBeLessThan(0.05 * (vxx + gp.predict(fromRows([twin])).std[0] ** 2));
    // Joint draws have that covariance.
    const draws = gp.sample(fromRows([x, y]), 6000, new Rng(1));
    let c = 0;
    for (const d of draws) c += (d[0] - post.mean[0]) * (d[1] - post.mean[1]);
    expect(c / draws.length).toBeCloseTo(vxy, 1);
    expect(gp.sample(fromRows([x, y]), 2, new Rng(1))[1]).toEqual(draws[1]);
  });

  it('ranks the truly better arm higher once it has enough Bradley–Terry labels', () => {
    const points = Array.from({ length: 25 }, (_, i) => [i / 24]);
    const reward = (x: number[]) => 3 * Math.sin(2 * Math.PI * x[0]);
    const gp = new PreferentialGP({ dimension: 1, lengthscale: 0.5 });
    gp.fit(btComparisons(points, reward, 600, 11));
    const { mean, std } = gp.predict(fromRows(points));
    let agree = 0;
    let total = 0;
    for (let a = 0; a < 25; a++) {
      for (let b = 0; b < a; b++) {
        if (Math.abs(reward(points[a]) - reward(points[b])) < 1) continue;
        total++;
        if (Math.sign(mean[a] - mean[b]) === Math.sign(reward(points[a]) - reward(points[b]))) agree++;
      }
    }
    expect(agree / total).toBeGreaterThan(0.97);
    // The learned lengthscale is shorter than the 0.5 it started from (a period-1 sine), and the
    // uncertainty is well below the prior's.
    expect(gp.hyperparameters.lengthscale).toBeLessThan(0.4);
    expect(gp.hyperparameters.learnedAt).toBe(600);
    for (const s of std) expect(s).toBeLessThan(Math.sqrt(gp.kernel.signalVariance));
  });
});

describe('updates, serialisation and limits', () => {
  const rng = new Rng(21);
  const points = Array.from({ length: 15 }, () => [rng.next(), rng.next()]);
  const labels = btComparisons(points, (x) => 2 * x[0] + x[1], 80, 22);
  const grid = fromRows([
    [0.1, 0.2],
    [0.6, 0.6],
  ]);

  it('label-by-label updates reach the batch mode (fixed hyperparameters)', () => {
    const batch = new PreferentialGP({ dimension: 2, lengthscale: 0.4, learnHyperparameters: false });
    batch.fit(labels);
    const incremental = new PreferentialGP({ dimension: 2, lengthscale: 0.4, learnHyperparameters: false });
    for (let t = 0; t < 80; t += 7) incremental.update(labels.slice(t, t + 7));
    expect(incremental.observationCount).toBe(80);
    const a = batch.predict(grid);
    const b = incremental.predict(grid);
    for (let j = 0; j < 2; j++) {
      // Equal up to the Newton tolerance (the two runs take different paths to the mode).
      expect(b.mean[j]).toBeCloseTo(a.mean[j], 6);
      expect(b.std[j]).toBeCloseTo(a.std[j], 6);
    }
  });

  it('is deterministic, and fit() does not depend on what came before', () => {
    const a = new PreferentialGP({ dimension: 2 });
    a.fit(labels);
    const b = new PreferentialGP({ dimension: 2 });
    b.update(labels.slice(0, 30));
    b.fit(labels);
    expect(b.toJSON()).toEqual(a.toJSON());
    expect(a.hyperparameters.ard).toBe(true);
  });

  it('toJSON / load round-trips bit-identically and both go on identically', () => {
    const gp = new PreferentialGP({ dimension: 2, learnHyperparameters: { growth: 1.5 } });
    gp.update(labels.slice(0, 50));
    const loaded = PreferentialGP.load(JSON.parse(JSON.stringify(gp.toJSON())));
    expect(loaded.predict(grid)).toEqual(gp.predict(grid));
    expect(loaded.differenceVariance([0.1, 0.2], [0.6, 0.6])).toBe(gp.differenceVariance([0.1, 0.2], [0.6, 0.6]));
    expect(loaded.hyperparameters).toEqual(gp.hyperparameters);
    expect(loaded.toJSON()).toEqual(gp.toJSON());
    for (const model of [gp, loaded]) model.update(labels.slice(50, 80));
    expect(loaded.toJSON()).toEqual(gp.toJSON());
    expect(() => PreferentialGP.load({ ...gp.toJSON(), kind: 'borda-gp' } as never)).toThrow(/kind/);
  });

  it('refuses more distinct arms than maxArms with a RangeError, leaving the model unchanged', () => {
    const gp = new PreferentialGP({ dimension: 2, maxArms: 10, learnHyperparameters: false });
    gp.update(labels.slice(0, 3));
    const before = gp.toJSON();
    expect(() => gp.update(labels)).toThrow(/distinct arms exceed maxArms = 10/);
    expect(gp.toJSON()).toEqual(before);
    expect(() => gp.update([pair([0.1, 0.2], [0.3], 1)])).toThrow(/second response/);
    expect(() => new PreferentialGP({ dimension: 2, likelihood: 'cauchy' as never })).toThrow(/likelihood/);
  });

  it('predicts the prior before any label', () => {
    const gp = new PreferentialGP({ dimension: 2, signalVariance: 4 });
    expect(gp.predict(grid)).toEqual({ mean: new Float64Array(2), std: Float64Array.of(2, 2) });
    expect(gp.differenceVariance([0, 0], [0, 0])).toBe(0);
  });
});
