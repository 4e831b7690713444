import { describe, expect, it } from 'vitest';
import { type FeatureMatrix, Rng, cholesky, choleskySolve, fromRows, identity, sigmoid, zeros } from '@borda/numeric';
import {
  type FeatureMap,
  LinearBradleyTerry,
  type PairObservation,
  RandomFourierFeatures,
  type SerializedLinearBradleyTerry,
  isLinearPreferenceModel,
} from '@borda/reward-model';

function diff(o: PairObservation): number[] {
  return Array.from(o.first, (v, j) => v - o.second[j]);
}

/** A tiny 2-D problem with soft labels and a tie. */
const tiny: PairObservation[] = [
  { first: [1, 0], second: [0, 1], outcome: 1 },
  { first: [0.5, 2], second: [1, -1], outcome: 0 },
  { first: [2, 1], second: [0, 0], outcome: 1 },
  { first: [-1, 0.5], second: [0.3, 0.2], outcome: 0.5 },
  { first: [0, 1.5], second: [1, 1], outcome: 1 },
  { first: [1, 1], second: [-1, 0], outcome: 0 },
];

/** An independent 2-D Newton solve written for the test (explicit 2×2 inverse). */
function referenceNewton(obs: PairObservation[], lambda: number): number[] {
  let t = [0, 0];
  for (let it = 0; it < 100; it++) {
    const g = [-lambda * t[0], -lambda * t[1]];
    let [a, b, c] = [lambda, 0, lambda]; // [[a, b], [b, c]]
    for (const o of obs) {
      const z = diff(o);
      const p = sigmoid(t[0] * z[0] + t[1] * z[1]);
      g[0] += (o.outcome - p) * z[0];
      g[1] += (o.outcome - p) * z[1];
      const w = p * (1 - p);
      a += w * z[0] * z[0];
      b += w * z[0] * z[1];
      c += w * z[1] * z[1];
    }
    const det = a * c - b * b;
    t = [t[0] + (c * g[0] - b * g[1]) / det, t[1] + (a * g[1] - b * g[0]) / det];
  }
  return t;
}

function precisionAt(obs: PairObservation[], theta: ArrayLike<number>, lambda: number, design: boolean): number[][] {
  const d = theta.length;
  const h = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? lambda : 0)));
  for (const o of obs) {
    const z = diff(o);
    const s = z.reduce((acc, v, j) => acc + v * theta[j], 0);
    const p = sigmoid(s);
    const w = design ? 1 : p * (1 - p);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) h[i][j] += w * z[i] * z[j];
  }
  return h;
}

function quadForm(m: number[][], v: ArrayLike<number>): number {
  const l = cholesky(fromRows(m));
  const x = choleskySolve(l, v);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * x[i];
  return s;
}

function syntheticPairs(theta: number[], n: number, rng: Rng): PairObservation[] {
  const d = theta.length;
  const out: PairObservation[] = [];
  for (let k = 0; k < n; k++) {
    const first = Array.from(rng.normals(d));
    const second = Array.from(rng.normals(d));
    const s = first.reduce((acc, v, j) => acc + (v - second[j]) * theta[j], 0);
    out.push({ first, second, outcome: rng.bernoulli(sigmoid(s)) });
  }
  return out;
}

describe('LinearBradleyTerry: Laplace posterior', () => {
  it('matches an independent Newton solve, with zero gradient and the p(1−p) precision at θ̂', () => {
    const lambda = 0.7;
    const model = new LinearBradleyTerry({ dimension: 2, regularization: lambda });
    model.fit(tiny);
    expect(isLinearPreferenceModel(model)).toBe(true);
    expect(model.newtonReport.converged).toBe(true);
    const ref = referenceNewton(tiny, lambda);
    expect(model.theta[0]).toBeCloseTo(ref[0], 10);
    expect(model.theta[1]).toBeCloseTo(ref[1], 10);

    const theta = model.theta;
    const g = [-lambda * theta[0], -lambda * theta[1]];
    for (const o of tiny) {
      const z = diff(o);
      const p = sigmoid(z[0] * theta[0] + z[1] * theta[1]);
      g[0] += (o.outcome - p) * z[0];
      g[1] += (o.outcome - p) * z[1];
    }
    expect(Math.abs(g[0]) + Math.abs(g[1])).toBeLessThan(1e-10);

    const h = precisionAt(tiny, theta, lambda, false);
    const got = model.posteriorPrecision();
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(got.data[i * 2 + j]).toBeCloseTo(h[i][j], 12);
    const v = precisionAt(tiny, theta, lambda, true);
    const design = model.designPrecision();
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(design.data[i * 2 + j]).toBeCloseTo(v[i][j], 12);

    // predict: mean θ̂ᵀφ and std sqrt(φᵀH⁻¹φ) with the explicit 2×2 inverse.
    const phi = [0.4, -1.3];
    const det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
    const q = (h[1][1] * phi[0] ** 2 - 2 * h[0][1] * phi[0] * phi[1] + h[0][0] * phi[1] ** 2) / det;
    const post = model.predict(fromRows([phi]));
    expect(post.mean[0]).toBeCloseTo(theta[0] * phi[0] + theta[1] * phi[1], 12);
    expect(post.std[0]).toBeCloseTo(Math.sqrt(q), 12);
  });

  it('gives θ̂ = 0 and precision λI + Σ zzᵀ/4 when every label is a tie', () => {
    const ties = tiny.map((o) => ({ ...o, outcome: 0.5 }));
    const model = new LinearBradleyTerry({ dimension: 2, regularization: 2 });
    model.fit(ties);
    expect(Array.from(model.theta)).toEqual([0, 0]);
    const v = precisionAt(ties, [0, 0], 2, true);
    const h = model.posteriorPrecision();
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++)
        expect(h.data[i * 2 + j]).toBeCloseTo((v[i][j] - (i === j ? 2 : 0)) / 4 + (i === j ? 2 : 0), 12);
    }
  });

  it('is invariant to a constant shift of every reward (a feature equal for both responses)', () => {
    const plain = new LinearBradleyTerry({ dimension: 2 });
    plain.fit(tiny);
    const shifted = new LinearBradleyTerry({ dimension: 3 });
    // The extra feature is a per-pair offset (e.g. a prompt-level reward) shared by both responses.
    shifted.fit(
      tiny.map((o, k) => ({
        first: [...Array.from(o.first), 5 - k],
        second: [...Array.from(o.second), 5 - k],
        outcome: o.outcome,
      })),
    );
    expect(shifted.theta[0]).toBeCloseTo(plain.theta[0], 12);
    expect(shifted.theta[1]).toBeCloseTo(plain.theta[1], 12);
    expect(shifted.theta[2]).toBe(0);
    expect(shifted.logPosterior()).toBeCloseTo(plain.logPosterior(), 12);
    expect(shifted.differenceNorm([1, 2, 5], [0, -1, 5])).toBeCloseTo(plain.differenceNorm([1, 2], [0, -1]), 12);
    const a = plain.predict(fromRows([[1, 2]]));
    const b = shifted.predict(fromRows([[1, 2, 0]]));
    expect(b.mean[0]).toBeCloseTo(a.mean[0], 12);
    expect(b.std[0]).toBeCloseTo(a.std[0], 12);
  });

  it('recovers the direction of a known θ* from many synthetic labels', () => {
    const rng = new Rng(11);
    const thetaStar = [1.5, -1, 0.5, 2, 0];
    const model = new LinearBradleyTerry({ dimension: 5 });
    model.fit(syntheticPairs(thetaStar, 2000, rng));
    const t = model.theta;
    const dotTs = thetaStar.reduce((s, v, j) => s + v * t[j], 0);
    const cosine = dotTs / Math.hypot(...thetaStar) / Math.hypot(...t);
    expect(cosine).toBeGreaterThan(0.98);
  });

  it('update() warm-starts to the same θ̂ as a fit on all the data', () => {
    const rng = new Rng(3);
    const data = syntheticPairs([1, -2, 0.5], 300, rng);
    const incremental = new LinearBradleyTerry({ dimension: 3, regularization: 0.5 });
    incremental.update(data.slice(0, 100));
    incremental.update(data.slice(100, 250));
    incremental.update(data.slice(250));
    const full = new LinearBradleyTerry({ dimension: 3, regularization: 0.5 });
    full.fit(data);
    expect(incremental.observationCount).toBe(300);
    for (let j = 0; j < 3; j++) expect(incremental.theta[j]).toBeCloseTo(full.theta[j], 8);
    // A warm start near the optimum needs fewer Newton steps than the cold fit.
    expect(incremental.newtonReport.iterations).toBeLessThan(full.newtonReport.iterations);
  });
});

describe('LinearBradleyTerry: differenceNorm', () => {
  it('equals sqrt(zᵀ V⁻¹ z) for the design and the Hessian precision', () => {
    const rng = new Rng(5);
    const data = syntheticPairs([0.5, 1, -1], 60, rng);
    for (const norm of ['design', 'hessian'] as const) {
      const model = new LinearBradleyTerry({ dimension: 3, regularization: 1.3, norm });
      model.fit(data);
      const v = precisionAt(data, model.theta, 1.3, norm === 'design');
      const a = [0.3, -0.2, 1.1];
      const b = [-0.5, 0.4, 0.2];
      const z = a.map((x, j) => x - b[j]);
      expect(model.differenceNorm(a, b)).toBeCloseTo(Math.sqrt(quadForm(v, z)), 12);
      // whiten(): ‖u_a − u_b‖ is the same norm.
      const u = model.whiten(fromRows([a, b]));
      const w = [0, 1, 2].map((j) => u.data[j] - u.data[3 + j]);
      expect(Math.hypot(...w)).toBeCloseTo(model.differenceNorm(a, b), 12);
    }
  });

  it('shrinks along observed directions and stays at 1/sqrt(λ) along unobserved ones', () => {
    const lambda = 2;
    const model = new LinearBradleyTerry({ dimension: 2, regularization: lambda });
    const e1 = [1, 0];
    const e2 = [0, 1];
    const origin = [0, 0];
    expect(model.differenceNorm(e1, origin)).toBeCloseTo(1 / Math.sqrt(lambda), 12);
    const rng = new Rng(1);
    const along = Array.from({ length: 40 }, () => ({ first: [1, 0], second: [0, 0], outcome: rng.bernoulli(0.7) }));
    model.update(along);
    // Design: V = diag(λ + 40, λ).
    expect(model.differenceNorm(e1, origin)).toBeCloseTo(1 / Math.sqrt(lambda + 40), 12);
    expect(model.differenceNorm(e2, origin)).toBeCloseTo(1 / Math.sqrt(lambda), 12);
    const before = model.differenceNorm(e1, origin);
    model.update(along);
    expect(model.differenceNorm(e1, origin)).toBeLessThan(before);
  });
});

describe('LinearBradleyTerry: sampling', () => {
  it('draws θ whose sample mean and covariance approach θ̂ and H⁻¹', () => {
    const model = new LinearBradleyTerry({ dimension: 2, regularization: 0.7 });
    model.fit(tiny);
    const theta = model.theta;
    const h = model.posteriorPrecision().data;
    const det = h[0] * h[3] - h[1] * h[2];
    const cov = [h[3] / det, -h[1] / det, h[0] / det]; // [c00, c01, c11]
    // With φ = e₀ and e₁ each draw returns θ itself.
    const n = 20000;
    const draws = model.sample(identity(2), n, new Rng(9));
    let m0 = 0;
    let m1 = 0;
    for (const d of draws) {
      m0 += d[0] / n;
      m1 += d[1] / n;
    }
    let c00 = 0;
    let c01 = 0;
    let c11 = 0;
    for (const d of draws) {
      c00 += ((d[0] - m0) * (d[0] - m0)) / (n - 1);
      c01 += ((d[0] - m0) * (d[1] - m1)) / (n - 1);
      c11 += ((d[1] - m1) * (d[1] - m1)) / (n - 1);
    }
    expect(Math.abs(m0 - theta[0])).toBeLessThan(4 * Math.sqrt(cov[0] / n));
    expect(Math.abs(m1 - theta[1])).toBeLessThan(4 * Math.sqrt(cov[2] / n));
    expect(c00 / cov[0]).toBeGreaterThan(0.95);
    expect(c00 / cov[0]).toBeLessThan(1.05);
    expect(c11 / cov[2]).toBeGreaterThan(0.95);
    expect(c11 / cov[2]).toBeLessThan(1.05);
    expect(Math.abs(c01 - cov[1])).toBeLessThan(0.05 * Math.sqrt(cov[0] * cov[2]));
    // Deterministic given the Rng.
    const again = model.sample(identity(2), 3, new Rng(9));
    expect(Array.from(again[2])).toEqual(Array.from(draws[2]));
  });
});

/** φ(x) = [x, x²] per coordinate: a nonlinear map for the test. */
class SquareMap implements FeatureMap {
  constructor(readonly inputDimension: number) {}
  get outputDimension(): number {
    return 2 * this.inputDimension;
  }
  transformRow(r: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.outputDimension);
    for (let j = 0; j < this.inputDimension; j++) {
      out[j] = r[j];
      out[this.inputDimension + j] = r[j] * r[j];
    }
    return out;
  }
  transform(m: FeatureMatrix): FeatureMatrix {
    const out = zeros(m.rows, this.outputDimension);
    for (let i = 0; i < m.rows; i++) {
      out.data.set(this.transformRow(m.data.subarray(i * m.cols, (i + 1) * m.cols)), i * this.outputDimension);
    }
    return out;
  }
  toJSON() {
    return { kind: 'square', inputDimension: this.inputDimension };
  }
}

describe('LinearBradleyTerry: feature maps and serialisation', () => {
  it('with a feature map equals the plain model on mapped rows', () => {
    const map = new SquareMap(2);
    const mapped = new LinearBradleyTerry({ dimension: 2, featureMap: map });
    mapped.fit(tiny);
    const plain = new LinearBradleyTerry({ dimension: 4 });
    plain.fit(tiny.map((o) => ({ ...o, first: map.transformRow(o.first), second: map.transformRow(o.second) })));
    for (let j = 0; j < 4; j++) expect(mapped.theta[j]).toBeCloseTo(plain.theta[j], 10);
    const x = [0.3, -0.8];
    expect(mapped.predict(fromRows([x])).std[0]).toBeCloseTo(plain.predict(fromRows([map.transformRow(x)])).std[0], 10);
    expect(mapped.differenceNorm(x, [1, 1])).toBeCloseTo(
      plain.differenceNorm(map.transformRow(x), map.transformRow([1, 1])),
      10,
    );
  });

  it('round-trips through JSON with identical predictions and keeps updating', () => {
    const rng = new Rng(2);
    const data = syntheticPairs([1, 0.5], 50, rng);
    const model = new LinearBradleyTerry({ dimension: 2, featureMap: new SquareMap(2), norm: 'hessian' });
    model.fit(data.slice(0, 40));
    const json = JSON.parse(JSON.stringify(model.toJSON())) as SerializedLinearBradleyTerry;
    expect(() => LinearBradleyTerry.load(json)).toThrow(/featureMap of kind 'square'/);
    const loaded = LinearBradleyTerry.load(json, { loadFeatureMap: (j) => new SquareMap(j.inputDimension as number) });
    const probe = fromRows([
      [0.1, 0.2],
      [-1, 3],
    ]);
    const a = model.predict(probe);
    const b = loaded.predict(probe);
    expect(Array.from(b.mean)).toEqual(Array.from(a.mean));
    expect(Array.from(b.std)).toEqual(Array.from(a.std));
    expect(loaded.differenceNorm([1, 2], [0, 0])).toBe(model.differenceNorm([1, 2], [0, 0]));
    model.update(data.slice(40));
    loaded.update(data.slice(40));
    expect(Array.from(loaded.theta)).toEqual(Array.from(model.theta));
  });

  it('loads a model carrying random Fourier features without a callback', () => {
    const rff = new RandomFourierFeatures({ inputDimension: 2, features: 16, seed: 4, lengthscale: 1 });
    const model = new LinearBradleyTerry({ dimension: 2, featureMap: rff });
    expect(model.featureDimension).toBe(16);
    model.fit(tiny);
    const loaded = LinearBradleyTerry.load(JSON.parse(JSON.stringify(model.toJSON())) as SerializedLinearBradleyTerry);
    expect(loaded.featureMap).toBeInstanceOf(RandomFourierFeatures);
    const probe = fromRows([[0.3, -0.4]]);
    expect(Array.from(loaded.predict(probe).mean)).toEqual(Array.from(model.predict(probe).mean));
    expect(loaded.differenceNorm([1, 0], [0, 1])).toBe(model.differenceNorm([1, 0], [0, 1]));
  });

  it('rejects bad observations naming the offending one', () => {
    const model = new LinearBradleyTerry({ dimension: 2 });
    expect(() => model.fit([{ first: [1, 2, 3], second: [0, 0], outcome: 1 }])).toThrow(/observations\[0\]\.first/);
    expect(() => model.update([tiny[0], { first: [1, NaN], second: [0, 0], outcome: 1 }])).toThrow(
      /observations\[1\]\.first, column 1 is NaN/,
    );
    expect(() => model.update([{ first: [1, 0], second: [0, 0], outcome: 1.5 }])).toThrow(/outcome is 1.5/);
    expect(model.observationCount).toBe(0);
    expect(() => new LinearBradleyTerry({ dimension: 2, regularization: 0 })).toThrow(/regularization/);
    expect(() => model.predict(zeros(1, 3))).toThrow(/3 columns/);
  });
});
