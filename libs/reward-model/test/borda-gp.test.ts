import { describe, expect, it } from 'vitest';
import { Rng, cholesky, choleskySolve, fromRows, solveLower, zeros } from '@borda/numeric';
import type { FeatureMatrix } from '@borda/numeric';
import { BordaGP, KernelParams, PairObservation, crossKernelMatrix, kernelMatrix } from '@borda/reward-model';
import { logMarginalLikelihood, logMarginalLikelihoodGradient } from '../src/gp-hyperparameters';

const obs = (first: number[], outcome: number): PairObservation => ({ first, second: first, outcome });

function randomRows(rng: Rng, n: number, d: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.next()));
}

function randomObservations(rng: Rng, n: number, d: number): PairObservation[] {
  return randomRows(rng, n, d).map((x) => obs(x, rng.bernoulli(0.3 + 0.4 * x[0])));
}

/** Textbook dense GP posterior (numeric's square Cholesky), independent of the packed factor. */
function denseGP(train: PairObservation[], params: KernelParams, noise: number, m0: number, test: FeatureMatrix) {
  const X = fromRows(train.map((o) => o.first));
  const K = kernelMatrix(params, X);
  for (let i = 0; i < X.rows; i++) K.data[i * X.rows + i] += noise;
  const L = cholesky(K);
  const alpha = choleskySolve(
    L,
    train.map((o) => o.outcome - m0),
  );
  const Ks = crossKernelMatrix(params, test, X);
  const Kss = kernelMatrix(params, test);
  const m = test.rows;
  const n = X.rows;
  const mean = new Float64Array(m);
  const V: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    const k = Ks.data.subarray(j * n, (j + 1) * n);
    for (let i = 0; i < n; i++) mean[j] += k[i] * alpha[i];
    mean[j] += m0;
    V.push(solveLower(L, k));
  }
  const cov = zeros(m, m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      let s = Kss.data[a * m + b];
      for (let i = 0; i < n; i++) s -= V[a][i] * V[b][i];
      cov.data[a * m + b] = s;
    }
  }
  return { mean, cov };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('BordaGP posterior against closed forms', () => {
  it('two 1-D points, RBF: mean, variance and log marginal likelihood by the 2×2 inverse', () => {
    const gp = new BordaGP({ dimension: 1, lengthscale: 1, signalVariance: 1, noiseVariance: 0.1, priorMean: 0.5 });
    gp.update([obs([0], 0.9), obs([1], 0.2)]);
    // K = [[1.1, k], [k, 1.1]], k = e^{−1/2}; K⁻¹ = [[1.1, −k], [−k, 1.1]] / (1.21 − k²).
    const k = Math.exp(-0.5);
    const det = 1.21 - k * k;
    const inv = [1.1 / det, -k / det, -k / det, 1.1 / det];
    const r = [0.4, -0.3];
    const alpha = [inv[0] * r[0] + inv[1] * r[1], inv[2] * r[0] + inv[3] * r[1]];
    const ks = [Math.exp(-0.5 * 0.25 ** 2), Math.exp(-0.5 * 0.75 ** 2)];
    const mean = 0.5 + ks[0] * alpha[0] + ks[1] * alpha[1];
    const quad = ks[0] * (inv[0] * ks[0] + inv[1] * ks[1]) + ks[1] * (inv[2] * ks[0] + inv[3] * ks[1]);
    const post = gp.predict(fromRows([[0.25]]));
    expect(post.mean[0]).toBeCloseTo(mean, 12);
    expect(post.std[0]).toBeCloseTo(Math.sqrt(1 - quad), 12);
    const lml = -0.5 * (r[0] * alpha[0] + r[1] * alpha[1]) - 0.5 * Math.log(det) - Math.log(2 * Math.PI);
    expect(gp.logMarginalLikelihood()).toBeCloseTo(lml, 12);
  });

  it('two 2-D points, Matérn-5/2, and a single point: the same closed forms', () => {
    const l = 0.7;
    const s2 = 0.5;
    const noise = 0.05;
    const matern = (r: number) => {
      const u = (Math.sqrt(5) * r) / l;
      return s2 * (1 + u + (u * u) / 3) * Math.exp(-u);
    };
    const gp = new BordaGP({
      dimension: 2,
      kernel: 'matern52',
      lengthscale: l,
      signalVariance: s2,
      noiseVariance: noise,
    });
    gp.update([obs([0, 0], 1)]);
    // One point: mean = m₀ + k(x*, x₁)(y₁ − m₀)/(σ² + σₙ²), var = σ² − k²/(σ² + σₙ²).
    const k1 = matern(0.5);
    let post = gp.predict(fromRows([[0.3, 0.4]]));
    expect(post.mean[0]).toBeCloseTo(0.5 + (k1 * 0.5) / (s2 + noise), 12);
    expect(post.std[0]).toBeCloseTo(Math.sqrt(s2 - (k1 * k1) / (s2 + noise)), 12);

    gp.update([obs([0.6, 0.8], 0)]);
    const k12 = matern(1);
    const a = s2 + noise;
    const det = a * a - k12 * k12;
    const ks = [matern(0.5), matern(Math.hypot(0.3, 0.4))];
    const r = [0.5, -0.5];
    const alpha = [(a * r[0] - k12 * r[1]) / det, (-k12 * r[0] + a * r[1]) / det];
    const quad = (a * ks[0] * ks[0] - 2 * k12 * ks[0] * ks[1] + a * ks[1] * ks[1]) / det;
    post = gp.predict(fromRows([[0.3, 0.4]]));
    expect(post.mean[0]).toBeCloseTo(0.5 + ks[0] * alpha[0] + ks[1] * alpha[1], 12);
    expect(post.std[0]).toBeCloseTo(Math.sqrt(s2 - quad), 12);
  });

  it('with no data predicts the prior', () => {
    const gp = new BordaGP({ dimension: 3 });
    const post = gp.predict(fromRows([[0.1, 0.2, 0.3]]));
    expect(post.mean[0]).toBe(0.5);
    expect(post.std[0]).toBeCloseTo(0.25, 15);
  });

  for (const kernel of ['rbf', 'matern52'] as const) {
    it(`${kernel}: matches a dense textbook GP on 40 random 3-D points`, () => {
      const rng = new Rng(11);
      const train = randomObservations(rng, 40, 3);
      const test = fromRows(randomRows(rng, 25, 3));
      const gp = new BordaGP({ dimension: 3, kernel, lengthscale: 0.4, signalVariance: 0.3, noiseVariance: 0.2 });
      gp.update(train);
      const ref = denseGP(train, gp.kernel, 0.2, 0.5, test);
      const post = gp.predict(test);
      expect(maxAbsDiff(post.mean, ref.mean)).toBeLessThan(1e-10);
      expect(
        maxAbsDiff(
          post.std.map((s) => s * s),
          ref.cov.data.filter((_, k) => k % 26 === 0),
        ),
      ).toBeLessThan(1e-10);
    });
  }
});

describe('incremental updates and the tracked candidate cache', () => {
  it('label-by-label updates give the batch fit posterior (to 1e-9) and the same log likelihood', () => {
    const rng = new Rng(5);
    const train = randomObservations(rng, 120, 4);
    const test = fromRows(randomRows(rng, 50, 4));
    const incremental = new BordaGP({ dimension: 4, autoTrack: false });
    for (let i = 0; i < train.length; i += 7) incremental.update(train.slice(i, i + 7));
    const batch = new BordaGP({ dimension: 4, autoTrack: false });
    batch.fit(train);
    const a = incremental.predict(test);
    const b = batch.predict(test);
    expect(incremental.observationCount).toBe(120);
    expect(maxAbsDiff(a.mean, b.mean)).toBeLessThan(1e-9);
    expect(maxAbsDiff(a.std, b.std)).toBeLessThan(1e-9);
    expect(incremental.logMarginalLikelihood()).toBeCloseTo(batch.logMarginalLikelihood(), 9);
    // fit discards what came before.
    incremental.fit(train.slice(0, 10));
    expect(incremental.observationCount).toBe(10);
  });

  it('one label at a time builds the very factor fit() builds (bit-identical predictions)', () => {
    const rng = new Rng(15);
    const train = randomObservations(rng, 41, 3);
    const test = fromRows(randomRows(rng, 10, 3));
    const single = new BordaGP({ dimension: 3 });
    for (const o of train) single.update([o]);
    const batch = new BordaGP({ dimension: 3 });
    batch.fit(train);
    expect(single.predict(test)).toEqual(batch.predict(test));
    expect(single.logMarginalLikelihood()).toBe(batch.logMarginalLikelihood());
  });

  it('a numerically singular label is refused by name and the earlier ones are kept', () => {
    const gp = new BordaGP({ dimension: 1, noiseVariance: 1e-20 });
    expect(() => gp.update([obs([0.3], 1), obs([0.3], 0)])).toThrow(
      /observation 1 made K \+ σₙ²I numerically singular/,
    );
    expect(gp.observationCount).toBe(1);
    expect(gp.predict(fromRows([[0.3]])).mean[0]).toBeCloseTo(1, 6);
  });

  it('the tracked set, updated one row per label, equals a fresh predict', () => {
    const rng = new Rng(6);
    const candidates = fromRows(randomRows(rng, 60, 2));
    const copy = { rows: candidates.rows, cols: candidates.cols, data: candidates.data.slice() };
    const gp = new BordaGP({ dimension: 2, kernel: 'matern52', lengthscale: 0.3, autoTrack: false });
    gp.update(randomObservations(rng, 5, 2));
    expect(gp.track(candidates)).toBe(true);
    for (let t = 0; t < 40; t++) {
      gp.update(randomObservations(rng, 1 + (t % 3), 2));
      if (t % 8 === 0 || t === 39) {
        const cached = gp.predict(candidates);
        const fresh = gp.predict(copy);
        expect(maxAbsDiff(cached.mean, fresh.mean)).toBeLessThan(1e-12);
        expect(maxAbsDiff(cached.std, fresh.std)).toBeLessThan(1e-9);
      }
    }
    expect(gp.trackedFeatures).toBe(candidates);
    // A refit and a hyperparameter change rebuild the cache.
    gp.setHyperparameters({ lengthscale: 0.5 });
    expect(maxAbsDiff(gp.predict(candidates).std, gp.predict(copy).std)).toBeLessThan(1e-9);
  });

  it('auto-tracks a matrix predicted twice in a row, and drops the cache past its budget', () => {
    const rng = new Rng(7);
    const candidates = fromRows(randomRows(rng, 10, 2));
    const gp = new BordaGP({ dimension: 2, trackingBudget: 10 * 12 });
    gp.update(randomObservations(rng, 3, 2));
    gp.predict(candidates);
    expect(gp.trackedFeatures).toBeNull();
    gp.predict(candidates);
    expect(gp.trackedFeatures).toBe(candidates);
    const copy = { rows: 10, cols: 2, data: candidates.data.slice() };
    gp.update(randomObservations(rng, 20, 2));
    expect(gp.trackedFeatures).toBeNull(); // 23 rows × 10 candidates > 120 doubles
    expect(gp.predict(candidates)).toEqual(gp.predict(copy));
  });
});

describe('hallucination', () => {
  for (const tracked of [false, true]) {
    it(`variance after add(i) is the variance of a model that observed row i (${tracked ? 'tracked' : 'fresh'} pool)`, () => {
      const rng = new Rng(21);
      const pool = fromRows(randomRows(rng, 30, 2));
      const gp = new BordaGP({ dimension: 2, lengthscale: 0.3, noiseVariance: 0.1, autoTrack: false });
      gp.update(randomObservations(rng, 15, 2));
      if (tracked) gp.track(pool);
      const snapshot = BordaGP.load(gp.toJSON());
      const session = gp.hallucinate(pool);
      // Later labels must not leak into the session (it is a snapshot).
      gp.update(randomObservations(rng, 4, 2));
      const row = (i: number) => Array.from(pool.data.subarray(i * 2, i * 2 + 2));
      const picks = [3, 17, 3, 29];
      const outcomes = [0, 1, 0.5, 0.2]; // any outcome: the variance does not depend on it
      let previous = Float64Array.from(session.variance);
      for (let t = 0; t < picks.length; t++) {
        session.add(picks[t]);
        snapshot.update([obs(row(picks[t]), outcomes[t])]);
        const expected = snapshot.predict(pool).std.map((s) => s * s);
        expect(maxAbsDiff(session.variance, expected)).toBeLessThan(1e-10);
        for (let j = 0; j < pool.rows; j++) expect(session.variance[j]).toBeLessThanOrEqual(previous[j] + 1e-15);
        previous = Float64Array.from(session.variance);
      }
      expect(() => session.add(30)).toThrow(/poolIndex 30/);
    });
  }
});

describe('posterior samples', () => {
  it('are reproducible under a seed and have the posterior mean and covariance', () => {
    const rng = new Rng(8);
    const train = randomObservations(rng, 12, 1);
    const points = fromRows([[0.2], [0.25], [0.9]]);
    const gp = new BordaGP({ dimension: 1, lengthscale: 0.2, noiseVariance: 0.1 });
    gp.update(train);
    const ref = denseGP(train, gp.kernel, 0.1, 0.5, points);
    const draws = gp.sample(points, 20000, new Rng(1));
    expect(gp.sample(points, 2, new Rng(1))[1]).toEqual(draws[1]);
    for (let a = 0; a < 3; a++) {
      let m = 0;
      for (const d of draws) m += d[a];
      m /= draws.length;
      expect(Math.abs(m - ref.mean[a])).toBeLessThan(4 * Math.sqrt(ref.cov.data[a * 4] / draws.length));
      for (let b = 0; b <= a; b++) {
        let c = 0;
        for (const d of draws) c += (d[a] - ref.mean[a]) * (d[b] - ref.mean[b]);
        c /= draws.length;
        expect(Math.abs(c - ref.cov.data[a * 3 + b])).toBeLessThan(0.05 * gp.kernel.signalVariance);
      }
    }
    // Nearby points are strongly correlated in every draw.
    let corr = 0;
    for (const d of draws) corr += (d[0] - ref.mean[0]) * (d[1] - ref.mean[1]);
    expect(corr / draws.length / Math.sqrt(ref.cov.data[0] * ref.cov.data[4])).toBeGreaterThan(0.9);
  });
});

describe('hyperparameters', () => {
  function gpSample(n: number, lengthscale: number, signal: number, noise: number, seed: number) {
    const rng = new Rng(seed);
    const xs = Array.from({ length: n }, () => [rng.next()]);
    const K = kernelMatrix({ name: 'rbf', lengthscale, signalVariance: signal }, fromRows(xs));
    for (let i = 0; i < n; i++) K.data[i * n + i] += 1e-8;
    const L = cholesky(K);
    const eps = rng.normals(n);
    return xs.map((x, i) => {
      let f = 0.5;
      for (let k = 0; k <= i; k++) f += L.data[i * n + k] * eps[k];
      return obs(x, Math.min(1, Math.max(0, f + Math.sqrt(noise) * rng.normal())));
    });
  }

  it('the analytic marginal-likelihood gradient matches central differences', () => {
    const data = gpSample(25, 0.3, 0.05, 0.01, 2);
    const gpData = {
      inputs: Float64Array.from(data.flatMap((o) => Array.from(o.first))),
      outcomes: Float64Array.from(data.map((o) => o.outcome)),
      count: 25,
      dimension: 1,
      priorMean: 0.5,
    };
    for (const name of ['rbf', 'matern52'] as const) {
      const at = (t: number[]) =>
        logMarginalLikelihood(
          gpData,
          { name, lengthscale: Math.exp(t[0]), signalVariance: Math.exp(t[1]) },
          Math.exp(t[2]),
        );
      const theta = [Math.log(0.4), Math.log(0.07), Math.log(0.02)];
      const g = logMarginalLikelihoodGradient(gpData, { name, lengthscale: 0.4, signalVariance: 0.07 }, 0.02);
      for (let j = 0; j < 3; j++) {
        const h = 1e-5;
        const up = theta.slice();
        const down = theta.slice();
        up[j] += h;
        down[j] -= h;
        expect(g[j]).toBeCloseTo((at(up) - at(down)) / (2 * h), 4);
      }
    }
  });

  it('type-II ML raises the likelihood and recovers the lengthscale of a known GP', () => {
    const data = gpSample(150, 0.15, 0.04, 0.0025, 9);
    const gp = new BordaGP({ dimension: 1, lengthscale: 1, signalVariance: 0.0625, noiseVariance: 0.25 });
    gp.update(data);
    const before = gp.logMarginalLikelihood();
    const result = gp.fitHyperparameters();
    expect(result.logMarginalLikelihood).toBeGreaterThan(result.initialLogMarginalLikelihood);
    expect(gp.logMarginalLikelihood()).toBeGreaterThan(before + 50);
    expect(gp.logMarginalLikelihood()).toBeCloseTo(result.logMarginalLikelihood, 8);
    expect(gp.kernel.lengthscale).toBeGreaterThan(0.08);
    expect(gp.kernel.lengthscale).toBeLessThan(0.3);
    expect(gp.noiseVariance).toBeGreaterThan(0.0008);
    expect(gp.noiseVariance).toBeLessThan(0.008);
    // The refactorised model equals a fresh one built at the fitted values.
    const fresh = new BordaGP({ dimension: 1, ...result });
    fresh.fit(data);
    const grid = fromRows([[0.1], [0.5], [0.77]]);
    expect(maxAbsDiff(gp.predict(grid).mean, fresh.predict(grid).mean)).toBeLessThan(1e-12);
  });
});

describe('serialisation and validation', () => {
  it('toJSON / load round-trips through JSON text and predicts identically', () => {
    const rng = new Rng(13);
    const gp = new BordaGP({ dimension: 3, kernel: 'matern52', lengthscale: 0.45, signalVariance: 0.1 });
    for (let t = 0; t < 6; t++) gp.update(randomObservations(rng, 5, 3));
    const loaded = BordaGP.load(JSON.parse(JSON.stringify(gp.toJSON())));
    const test = fromRows(randomRows(rng, 20, 3));
    expect(loaded.predict(test)).toEqual(gp.predict(test));
    expect(loaded.observationCount).toBe(30);
    expect(loaded.kernel).toEqual(gp.kernel);
    expect(() => BordaGP.load({ ...gp.toJSON(), kind: 'linear-bt' } as never)).toThrow(/kind/);
  });

  it('rejects bad input with a message naming the problem, leaving the model unchanged', () => {
    const gp = new BordaGP({ dimension: 2 });
    gp.update([obs([0.1, 0.2], 1)]);
    expect(() => gp.update([obs([0.1, 0.2], 0), obs([0.1, 0.2, 0.3], 1)])).toThrow(
      /observation 1: first has 3 values, expected dimension 2/,
    );
    expect(() => gp.update([obs([0.1, NaN], 1)])).toThrow(/observation 0: first\[1\] is NaN/);
    expect(() => gp.update([obs([0.1, 0.2], 1.5)])).toThrow(/outcome is 1.5, must be a number in \[0, 1\]/);
    expect(() => gp.fit([obs([0.1, 0.2], -0.1)])).toThrow(/outcome/);
    expect(gp.observationCount).toBe(1);
    expect(() => gp.predict(fromRows([[1, 2, 3]]))).toThrow(/3 columns, expected dimension 2/);
    expect(() => gp.predict({ rows: 2, cols: 2, data: Float64Array.of(0, 0, 0, Infinity) })).toThrow(
      /row 1, column 1 is Infinity/,
    );
    expect(() => new BordaGP({ dimension: 2, lengthscale: -1 })).toThrow(/lengthscale/);
    expect(() => new BordaGP({ dimension: 0 })).toThrow(/dimension/);
    expect(() => new BordaGP({ dimension: 2, noiseVariance: 0 })).toThrow(/noiseVariance/);
  });
});
