import { describe, expect, it } from 'vitest';
import { type Matrix, Rng, cholesky, choleskyInverse, fromRows, sigmoid, zeros } from '@borda/numeric';
import {
  LaplaceBradleyTerry,
  type PairObservation,
  type SerializedModel,
  blockDiagonal,
  canHallucinate,
  hasDifferenceVariance,
  isLinearPreferenceModel,
  loadModel,
  solvePairMode,
} from '@borda/reward-model';

function linearPairs(n: number, d: number, seed: number, scale = 1): PairObservation[] {
  const rng = new Rng(seed);
  const w = rng.normals(d).map((v) => v * scale);
  return Array.from({ length: n }, (_, i) => {
    const first = rng.normals(d);
    const second = rng.normals(d);
    let s = 0;
    for (let j = 0; j < d; j++) s += w[j] * (first[j] - second[j]);
    return { first, second, outcome: i % 23 === 0 ? 0.5 : rng.bernoulli(sigmoid(s)) };
  });
}

/** Dense H = Λ + Σ σ'(θᵀz) z zᵀ in the model's feature space. */
function denseHessian(model: LaplaceBradleyTerry, data: readonly PairObservation[]): Matrix {
  const p = model.featureDimension;
  const h = zeros(p, p);
  const hp = model.hyperparameters;
  const prior = blockDiagonal(
    model.features.blockSizes,
    [hp.linearPrecision, hp.rffPrecision].filter((v) => v !== null),
  );
  for (let j = 0; j < p; j++) h.data[j * p + j] = prior[j];
  const theta = model.theta;
  for (const o of data) {
    const a = model.features.transformRow(o.first);
    const b = model.features.transformRow(o.second);
    const z = a.map((v, k) => v - b[k]);
    const ps = sigmoid(z.reduce((s, v, k) => s + v * theta[k], 0));
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) h.data[i * p + j] += ps * (1 - ps) * z[i] * z[j];
  }
  return h;
}

function quadratic(inverse: Matrix, v: Float64Array): number {
  const p = v.length;
  let s = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s += v[i] * inverse.data[i * p + j] * v[j];
  return s;
}

describe('LaplaceBradleyTerry', () => {
  const d = 5;
  const data = linearPairs(200, d, 1);
  const probe = fromRows(Array.from({ length: 7 }, (_, i) => Array.from({ length: d }, (_, j) => Math.sin(i + 2 * j))));

  it('implements the optional capabilities', () => {
    const model = new LaplaceBradleyTerry({ dimension: d });
    expect(isLinearPreferenceModel(model)).toBe(true);
    expect(hasDifferenceVariance(model)).toBe(true);
    expect(canHallucinate(model)).toBe(true);
  });

  for (const featureMap of ['linear', 'linear+rff'] as const) {
    it(`${featureMap}: θ̂ is the mode and predict/differenceVariance match a dense solve`, () => {
      const model = new LaplaceBradleyTerry({ dimension: d, featureMap, rffFeatures: 16 });
      model.fit(data);
      const h = denseHessian(model, data);
      const inverse = choleskyInverse(cholesky(h));
      // Gradient of the log posterior at θ̂ is zero: Σ (y − σ) z = Λθ̂.
      const theta = model.theta;
      const p = model.featureDimension;
      const hp = model.hyperparameters;
      const prior = blockDiagonal(
        model.features.blockSizes,
        [hp.linearPrecision, hp.rffPrecision].filter((v) => v !== null),
      );
      const gradient = theta.map((t, j) => -prior[j] * t);
      for (const o of data) {
        const a = model.features.transformRow(o.first);
        const b = model.features.transformRow(o.second);
        const z = a.map((v, k) => v - b[k]);
        const r = o.outcome - sigmoid(z.reduce((s, v, k) => s + v * theta[k], 0));
        for (let j = 0; j < p; j++) gradient[j] += r * z[j];
      }
      for (const g of gradient) expect(Math.abs(g)).toBeLessThan(1e-7);
      const { mean, std } = model.predict(probe);
      for (let i = 0; i < probe.rows; i++) {
        const phi = model.features.transformRow(probe.data.subarray(i * d, (i + 1) * d));
        expect(mean[i]).toBeCloseTo(
          phi.reduce((s, v, k) => s + v * theta[k], 0),
          10,
        );
        expect(std[i] ** 2).toBeCloseTo(quadratic(inverse, phi), 8);
      }
      const first = probe.data.subarray(0, d);
      const second = probe.data.subarray(d, 2 * d);
      const z = model.features.transformRow(first).map((v, k) => v - model.features.transformRow(second)[k]);
      expect(model.differenceVariance(first, second)).toBeCloseTo(quadratic(inverse, z), 8);
      expect(model.differenceNorm(first, second) ** 2).toBeCloseTo(model.differenceVariance(first, second), 10);
      const white = model.whiten(fromRows([first, second]));
      let squared = 0;
      for (let k = 0; k < p; k++) squared += (white.data[k] - white.data[p + k]) ** 2;
      expect(squared).toBeCloseTo(model.differenceVariance(first, second), 10);
    });
  }

  it('the pair mode solves y − σ(s) = (s − s0)/q', () => {
    for (const [s0, q, y] of [
      [0, 1, 1],
      [3, 50, 0],
      [-2, 1e-3, 0.5],
      [10, 1e4, 0],
    ]) {
      const s = solvePairMode(s0, q, y);
      expect(Math.abs(y - sigmoid(s) - (s - s0) / q)).toBeLessThan(1e-9 * Math.max(1, 1 / q));
    }
  });

  it('O(d²) online updates stay close to a full refit', () => {
    const all = linearPairs(700, 8, 2);
    // A fixed reference: both models standardise identically.
    const reference = fromRows(all.map((o) => o.first));
    const options = { dimension: 8, learnHyperparameters: false, refitGrowth: 100, reference } as const;
    const online = new LaplaceBradleyTerry(options);
    online.fit(all.slice(0, 500));
    for (const o of all.slice(500)) online.update([o]);
    expect(online.observationCount).toBe(700);
    const batch = new LaplaceBradleyTerry(options);
    batch.fit(all);
    const rows = fromRows(linearPairs(50, 8, 3).map((o) => o.first));
    const a = online.predict(rows);
    const b = batch.predict(rows);
    let spread = 0;
    let worst = 0;
    let worstStd = 0;
    for (let i = 0; i < rows.rows; i++) {
      spread = Math.max(spread, Math.abs(b.mean[i]));
      worst = Math.max(worst, Math.abs(a.mean[i] - b.mean[i]));
      worstStd = Math.max(worstStd, Math.abs(a.std[i] / b.std[i] - 1));
    }
    expect(worst).toBeLessThan(0.03 * spread);
    expect(worstStd).toBeLessThan(0.05);
  });

  it('round-trips through JSON exactly and keeps updating identically', () => {
    const model = new LaplaceBradleyTerry({ dimension: d, featureMap: 'linear+rff', rffFeatures: 16, seed: 4 });
    model.fit(data.slice(0, 150));
    model.update(data.slice(150, 160));
    const copy = loadModel(JSON.parse(JSON.stringify(model.toJSON())) as SerializedModel) as LaplaceBradleyTerry;
    expect(copy.predict(probe)).toEqual(model.predict(probe));
    expect(copy.hyperparameters).toEqual(model.hyperparameters);
    model.update(data.slice(160));
    copy.update(data.slice(160));
    expect(copy.predict(probe)).toEqual(model.predict(probe));
    expect(copy.sample(probe, 2, new Rng(1))).toEqual(model.sample(probe, 2, new Rng(1)));
  });

  it('hallucination and the conditioner agree with a dense rank-one update', () => {
    const model = new LaplaceBradleyTerry({ dimension: d });
    model.fit(data);
    const session = model.hallucinate(probe);
    const conditioner = model.conditioner();
    session.add(2);
    conditioner.addRow(probe.data.subarray(2 * d, 3 * d));
    const h = denseHessian(model, data);
    const p = model.featureDimension;
    // φ̄ = 0 for the standardised linear block when every pair's rows are its standardisation rows.
    const mean = new Float64Array(p);
    for (const o of data) {
      for (const row of [o.first, o.second]) {
        const phi = model.features.transformRow(row);
        for (let k = 0; k < p; k++) mean[k] += phi[k] / (2 * data.length);
      }
    }
    const u = model.features.transformRow(probe.data.subarray(2 * d, 3 * d)).map((v, k) => v - mean[k]);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) h.data[i * p + j] += 0.25 * u[i] * u[j];
    const inverse = choleskyInverse(cholesky(h));
    const fromConditioner = conditioner.varianceAt(probe);
    for (let i = 0; i < probe.rows; i++) {
      const phi = model.features.transformRow(probe.data.subarray(i * d, (i + 1) * d));
      expect(session.variance[i]).toBeCloseTo(quadratic(inverse, phi), 8);
      expect(fromConditioner[i]).toBeCloseTo(quadratic(inverse, phi), 8);
    }
  });

  it('is deterministic under its seed whatever ran before', () => {
    const run = (): string => {
      const model = new LaplaceBradleyTerry({ dimension: 2, featureMap: 'rff', rffFeatures: 32, seed: 7 });
      model.update(linearPairs(60, 2, 5).slice(0, 30));
      model.update(linearPairs(60, 2, 5).slice(30));
      return JSON.stringify([model.toJSON(), model.sample(probe2, 2, new Rng(3))]);
    };
    const probe2 = fromRows([
      [0.1, 0.2],
      [1, -1],
    ]);
    const first = run();
    new Rng(99).normals(1000);
    new LaplaceBradleyTerry({ dimension: 2, featureMap: 'rff', seed: 8 }).fit(linearPairs(40, 2, 6));
    expect(run()).toBe(first);
  });

  it('absorbs 100,000 labels at d = 64 through O(d²) updates and periodic refits', { timeout: 120_000 }, () => {
    const dimension = 64;
    const rng = new Rng(11);
    const w = rng.normals(dimension).map((v) => v / 4);
    const model = new LaplaceBradleyTerry({ dimension });
    const batch: PairObservation[] = [];
    for (let i = 0; i < 100_000; i++) {
      const first = rng.normals(dimension);
      const second = rng.normals(dimension);
      let s = 0;
      for (let j = 0; j < dimension; j++) s += w[j] * (first[j] - second[j]);
      batch.push({ first, second, outcome: rng.bernoulli(sigmoid(s)) });
      if (batch.length === 1000) model.update(batch.splice(0));
    }
    expect(model.observationCount).toBe(100_000);
    // θ̂ (standardised, so ≈ w) points the way of the true weights.
    const theta = model.theta;
    let cos = 0;
    for (let j = 0; j < dimension; j++) cos += theta[j] * w[j];
    cos /= Math.hypot(...theta) * Math.hypot(...w);
    expect(cos).toBeGreaterThan(0.99);
  });
});
