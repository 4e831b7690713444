import { describe, expect, it } from 'vitest';
import { Rng, cholesky, choleskyInverse, fromRows, zeros } from '@borda/numeric';
import type { FeatureMatrix } from '@borda/numeric';
import {
  BordaGP,
  FeatureMap,
  LowRankBorda,
  PairObservation,
  RandomFourierFeatures,
  activeBackend,
  initTensorflow,
  scoreArms,
  scoreArmsJs,
  scoreArmsTensor,
} from '@borda/reward-model';

const obs = (first: ArrayLike<number>, outcome: number): PairObservation => ({
  first: Array.from(first),
  second: Array.from(first),
  outcome,
});

function randomRows(rng: Rng, n: number, d: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.next()));
}

function randomObservations(rng: Rng, n: number, d: number): PairObservation[] {
  return randomRows(rng, n, d).map((x) => obs(x, rng.bernoulli(0.2 + 0.6 * x[0])));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Dense Bayesian linear regression: S = (I/s² + ΦᵀΦ/σ²)⁻¹, θ̂ = S Φᵀ(y − m₀)/σ². */
function denseBLR(train: PairObservation[], prior: number, noise: number, m0: number, test: FeatureMatrix) {
  const d = test.cols;
  const A = zeros(d, d);
  const b = new Float64Array(d);
  for (let i = 0; i < d; i++) A.data[i * d + i] = 1 / prior;
  for (const o of train) {
    for (let i = 0; i < d; i++) {
      b[i] += (o.first[i] * (o.outcome - m0)) / noise;
      for (let k = 0; k < d; k++) A.data[i * d + k] += (o.first[i] * o.first[k]) / noise;
    }
  }
  const S = choleskyInverse(cholesky(A)).data;
  const theta = new Float64Array(d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) theta[i] += S[i * d + k] * b[k];
  const mean = new Float64Array(test.rows);
  const std = new Float64Array(test.rows);
  for (let j = 0; j < test.rows; j++) {
    const x = test.data.subarray(j * d, (j + 1) * d);
    let v = 0;
    let mu = m0;
    for (let i = 0; i < d; i++) {
      mu += theta[i] * x[i];
      for (let k = 0; k < d; k++) v += x[i] * S[i * d + k] * x[k];
    }
    mean[j] = mu;
    std[j] = Math.sqrt(v);
  }
  return { mean, std, S };
}

describe('LowRankBorda posterior', () => {
  it('matches dense Bayesian linear regression, by per-row solves and by the arm-scoring loop', () => {
    const rng = new Rng(1);
    const train = randomObservations(rng, 60, 6);
    const model = new LowRankBorda({ dimension: 6, priorVariance: 0.5, noiseVariance: 0.2, priorMean: 0.4 });
    model.update(train);
    const many = fromRows(randomRows(rng, 41, 6)); // ≥ d/3 rows: the hot loop (js until tfjs starts)
    const one = fromRows(randomRows(rng, 1, 6)); // < d/3 rows: one triangular solve per row
    for (const test of [many, one]) {
      const ref = denseBLR(train, 0.5, 0.2, 0.4, test);
      const post = model.predict(test);
      expect(maxAbsDiff(post.mean, ref.mean)).toBeLessThan(1e-12);
      expect(maxAbsDiff(post.std, ref.std)).toBeLessThan(1e-12);
    }
  });

  it('with no data predicts the prior: mean m₀, std s·‖φ‖', () => {
    const model = new LowRankBorda({ dimension: 2, priorVariance: 0.09 });
    const post = model.predict(fromRows([[0.6, 0.8]]));
    expect(post.mean[0]).toBe(0.5);
    expect(post.std[0]).toBeCloseTo(0.3, 14);
  });

  it('label-by-label rank-one updates equal the batch fit (to 1e-9)', () => {
    const rng = new Rng(2);
    const train = randomObservations(rng, 400, 12);
    const test = fromRows(randomRows(rng, 30, 12));
    const incremental = new LowRankBorda({ dimension: 12 });
    for (const o of train) incremental.update([o]);
    const batch = new LowRankBorda({ dimension: 12 });
    batch.fit(train);
    const a = incremental.predict(test);
    const b = batch.predict(test);
    expect(maxAbsDiff(a.mean, b.mean)).toBeLessThan(1e-9);
    expect(maxAbsDiff(a.std, b.std)).toBeLessThan(1e-9);
    expect(maxAbsDiff(incremental.toJSON().factor, batch.toJSON().factor)).toBeLessThan(1e-9);
    expect(incremental.observationCount).toBe(400);
    expect(batch.observationCount).toBe(400);
  });

  it('approaches the exact GP as the number of random Fourier features grows', () => {
    const rng = new Rng(3);
    const train = randomRows(rng, 40, 2).map((x) => obs(x, rng.bernoulli(0.2 + 0.6 * x[0] * x[1])));
    const test = fromRows(randomRows(rng, 30, 2));
    const gp = new BordaGP({ dimension: 2, lengthscale: 0.4, signalVariance: 0.0625, noiseVariance: 0.25 });
    gp.update(train);
    const exact = gp.predict(test);
    const errors = [64, 256, 2048].map((features) => {
      let meanError = 0;
      let stdError = 0;
      for (const seed of [1, 2]) {
        const featureMap = new RandomFourierFeatures({
          inputDimension: 2,
          features,
          lengthscale: 0.4,
          signalVariance: 0.0625,
          seed,
        });
        const model = new LowRankBorda({ dimension: 2, featureMap, noiseVariance: 0.25 });
        model.update(train);
        const post = model.predict(test);
        meanError += maxAbsDiff(post.mean, exact.mean) / 2;
        stdError += maxAbsDiff(post.std, exact.std) / 2;
      }
      return { meanError, stdError };
    });
    expect(errors[1].meanError).toBeLessThan(errors[0].meanError);
    expect(errors[2].meanError).toBeLessThan(errors[1].meanError);
    expect(errors[1].stdError).toBeLessThan(errors[0].stdError);
    expect(errors[2].stdError).toBeLessThan(errors[1].stdError);
    // At D = 2048: within 0.02 of the exact mean and 0.01 of its std (prior std 0.25) everywhere.
    expect(errors[2].meanError).toBeLessThan(0.02);
    expect(errors[2].stdError).toBeLessThan(0.01);
  });
});

describe('hallucination and sampling', () => {
  const quadratic: FeatureMap = {
    inputDimension: 2,
    outputDimension: 3,
    transformRow: (r) => Float64Array.of(r[0], r[1], r[0] * r[1]),
    transform(features) {
      const out = new Float64Array(features.rows * 3);
      for (let j = 0; j < features.rows; j++)
        out.set(this.transformRow(features.data.subarray(2 * j, 2 * j + 2)), 3 * j);
      return { rows: features.rows, cols: 3, data: out };
    },
    toJSON: () => ({ kind: 'quadratic' }),
  };

  for (const featureMap of [undefined, quadratic]) {
    it(`variance after add(i) equals a model that observed row i, never increasing (${featureMap ? 'mapped' : 'raw'})`, () => {
      const rng = new Rng(4);
      const model = new LowRankBorda({ dimension: 2, featureMap, priorVariance: 1, noiseVariance: 0.1 });
      model.update(randomObservations(rng, 5, 2));
      const pool = fromRows(randomRows(rng, 40, 2));
      const twin = LowRankBorda.load(model.toJSON(), { featureMap });
      const session = model.hallucinate(pool);
      let previous = Float64Array.from(session.variance);
      for (const [t, i] of [7, 22, 7, 39].entries()) {
        session.add(i);
        twin.update([obs(pool.data.subarray(2 * i, 2 * i + 2), [1, 0, 0.5, 0.3][t])]);
        const expected = twin.predict(pool).std.map((s) => s * s);
        expect(maxAbsDiff(session.variance, expected)).toBeLessThan(1e-12);
        for (let j = 0; j < pool.rows; j++) expect(session.variance[j]).toBeLessThanOrEqual(previous[j] + 1e-15);
        previous = Float64Array.from(session.variance);
      }
      expect(session.variance[7]).toBeLessThan(0.1 / 2);
      expect(() => session.add(-1)).toThrow(/poolIndex -1/);
    });
  }

  it('draws are reproducible and have the posterior mean and covariance', () => {
    const rng = new Rng(5);
    const train = randomObservations(rng, 30, 3);
    const model = new LowRankBorda({ dimension: 3, priorVariance: 0.3 });
    model.update(train);
    const points = fromRows([
      [0.1, 0.5, 0.9],
      [0.15, 0.5, 0.85],
      [0.9, 0.1, 0.3],
    ]);
    const ref = denseBLR(train, 0.3, 0.25, 0.5, points);
    const draws = model.sample(points, 20000, new Rng(9));
    expect(model.sample(points, 3, new Rng(9))[2]).toEqual(draws[2]);
    const X = points.data;
    for (let a = 0; a < 3; a++) {
      let m = 0;
      for (const d of draws) m += d[a];
      expect(Math.abs(m / draws.length - ref.mean[a])).toBeLessThan((4 * ref.std[a]) / Math.sqrt(draws.length));
      for (let b = 0; b <= a; b++) {
        let c = 0;
        for (const d of draws) c += (d[a] - ref.mean[a]) * (d[b] - ref.mean[b]);
        let exact = 0;
        for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) exact += X[3 * a + i] * ref.S[3 * i + k] * X[3 * b + k];
        expect(Math.abs(c / draws.length - exact)).toBeLessThan(0.05 * ref.std[a] * ref.std[b] + 1e-6);
      }
    }
  });
});

describe('the arm-scoring hot loop', () => {
  function trainedScorer(d: number, labels: number) {
    const rng = new Rng(d);
    const model = new LowRankBorda({ dimension: d, priorVariance: 1 / d });
    model.fit(randomObservations(rng, labels, d));
    return model.getScorer();
  }

  function features32(rows: number, d: number, seed: number): FeatureMatrix {
    const rng = new Rng(seed);
    const data = new Float32Array(rows * d);
    for (let i = 0; i < data.length; i++) data[i] = rng.next();
    return { rows, cols: d, data };
  }

  it('the js kernel equals plain dense float64 arithmetic (odd d, odd rows)', () => {
    const scorer = trainedScorer(37, 300);
    const x = features32(101, 37, 1);
    const js = scoreArmsJs(x, scorer);
    const R = scorer.inverseFactor;
    for (let j = 0; j < 101; j++) {
      let mean = scorer.offset;
      let v = 0;
      for (let i = 0; i < 37; i++) {
        mean += scorer.weights[i] * x.data[j * 37 + i];
        let s = 0;
        for (let k = 0; k <= i; k++) s += R[i * 37 + k] * x.data[j * 37 + k];
        v += s * s;
      }
      expect(js.mean[j]).toBeCloseTo(mean, 12);
      expect(js.std[j]).toBeCloseTo(Math.sqrt(v), 12);
    }
  });

  it('the tfjs wasm path and the js path agree to float32 tolerance, deterministically', async () => {
    const report = await initTensorflow();
    expect(report.backend).toBe(activeBackend());
    for (const [d, rows] of [
      [128, 3001],
      [37, 500],
    ]) {
      const scorer = trainedScorer(d, 2000);
      const x = features32(rows, d, 2);
      const js = scoreArmsJs(x, scorer);
      const tensor = scoreArmsTensor(x, scorer, 1024); // several chunks and a ragged last one
      expect(tensor.path).toBe('tensor');
      let meanScale = 0;
      for (let i = 0; i < d; i++) meanScale += Math.abs(scorer.weights[i]);
      expect(maxAbsDiff(tensor.mean, js.mean)).toBeLessThan(1e-6 * (1 + meanScale));
      for (let j = 0; j < rows; j++) expect(Math.abs(tensor.std[j] / js.std[j] - 1)).toBeLessThan(1e-4);
      expect(scoreArmsTensor(x, scorer, 1024)).toEqual(tensor);
      // Float64 input goes through the float32 conversion and gives the same numbers.
      const x64 = { rows, cols: d, data: Float64Array.from(x.data) };
      expect(scoreArmsTensor(x64, scorer, 1024)).toEqual(tensor);
    }
    // With wasm active, 'auto' takes the tensor path for large inputs and the js path for small ones.
    const scorer = trainedScorer(16, 100);
    expect(scoreArms(features32(300, 16, 3), scorer).path).toBe(report.backend === 'cpu' ? 'js' : 'tensor');
    expect(scoreArms(features32(10, 16, 3), scorer).path).toBe('js');
  });

  it('names the row and column of a non-finite feature on both paths', () => {
    const scorer = trainedScorer(8, 50);
    const x = features32(400, 8, 4);
    x.data[123 * 8 + 5] = NaN;
    for (const path of ['js', 'tensor'] as const) {
      expect(() => scoreArms(x, scorer, { path })).toThrow(/row 123, column 5 is NaN/);
    }
    const y = { rows: 300, cols: 8, data: new Float64Array(300 * 8) };
    y.data[17] = 1e300; // finite in float64, infinite in float32
    expect(() => scoreArms(y, scorer, { path: 'tensor' })).toThrow(/row 2, column 1 is 1e\+300/);
  });
});

describe('serialisation and validation', () => {
  it('round-trips through JSON text with no map, with random Fourier features and with a custom map', () => {
    const rng = new Rng(6);
    const rff = new RandomFourierFeatures({ inputDimension: 3, features: 40, seed: 4 });
    const test = fromRows(randomRows(rng, 50, 3));
    for (const featureMap of [undefined, rff]) {
      const model = new LowRankBorda({ dimension: 3, featureMap });
      model.update(randomObservations(rng, 25, 3));
      const loaded = LowRankBorda.load(JSON.parse(JSON.stringify(model.toJSON())));
      expect(loaded.predict(test)).toEqual(model.predict(test));
      expect(loaded.observationCount).toBe(25);
      expect(loaded.featureDimension).toBe(featureMap ? 40 : 3);
    }
    const custom: FeatureMap = {
      inputDimension: 3,
      outputDimension: 40,
      transform: (features) => rff.transform(features),
      transformRow: (row) => rff.transformRow(row),
      toJSON: () => ({ kind: 'mine' }),
    };
    const json = new LowRankBorda({ dimension: 3, featureMap: custom }).toJSON();
    expect(() => LowRankBorda.load(json)).toThrow(/kind mine cannot be rebuilt here; pass options.featureMap/);
    expect(() => LowRankBorda.load({ ...json, factor: [1] }, { featureMap: custom })).toThrow(/factor must hold/);
    const withCustom = new LowRankBorda({ dimension: 3, featureMap: custom });
    withCustom.update(randomObservations(rng, 5, 3));
    const reloaded = LowRankBorda.load(JSON.parse(JSON.stringify(withCustom.toJSON())), { featureMap: custom });
    expect(reloaded.predict(test)).toEqual(withCustom.predict(test));
  });

  it('rejects bad input with a message naming the problem', () => {
    const model = new LowRankBorda({ dimension: 2 });
    expect(() => model.update([obs([0.1], 1)])).toThrow(/observation 0: first has 1 values, expected dimension 2/);
    expect(() => model.update([obs([0.1, 0.2], 0), obs([NaN, 0], 1)])).toThrow(/observation 1: first\[0\] is NaN/);
    expect(() => model.fit([obs([0.1, 0.2], 2)])).toThrow(/outcome is 2, must be a number in \[0, 1\]/);
    expect(model.observationCount).toBe(0);
    expect(() => model.predict(fromRows([[1, 2, 3]]))).toThrow(/3 columns, expected dimension 2/);
    expect(() => model.predict({ rows: 1, cols: 2, data: Float64Array.of(NaN, 0) })).toThrow(/row 0, column 0 is NaN/);
    const rff = new RandomFourierFeatures({ inputDimension: 3, features: 8 });
    expect(() => new LowRankBorda({ dimension: 2, featureMap: rff })).toThrow(/featureMap.inputDimension is 3/);
    expect(() => new LowRankBorda({ dimension: 2, priorVariance: 0 })).toThrow(/priorVariance/);
  });
});
