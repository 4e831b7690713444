/**
 * Feature maps keep φ of an immutable matrix (markImmutable) and serve its rows from it: the values
 * must be exactly what mapping afresh gives, a mutable matrix must never be served from a cache, and
 * a model's predictions must not depend on whether its candidates were marked.
 */
import { describe, expect, it } from 'vitest';
import { type FeatureMatrix, Rng, immutableRowIndex, isImmutable, markImmutable, row } from '@borda/numeric';
import { BtFeatures, LaplaceBradleyTerry, type PairObservation, standardisationOf } from '@borda/reward-model';

function matrix(rows: number, cols: number, seed: number, float32 = false): FeatureMatrix {
  const values = new Rng(seed).normals(rows * cols);
  return { rows, cols, data: float32 ? Float32Array.from(values) : Float64Array.from(values) };
}

function map(features: FeatureMatrix, lengthscale = 1.3): BtFeatures {
  return new BtFeatures({
    kind: 'linear+rff',
    inputDimension: features.cols,
    standardisation: standardisationOf(features.data, features.cols),
    rffFeatures: 24,
    kernel: 'rbf',
    lengthscale,
    seed: 5,
  });
}

describe('immutable matrices', () => {
  it('finds the row a subarray view is, and nothing else', () => {
    const m = matrix(6, 4, 1, true);
    expect(immutableRowIndex(m, row(m, 2))).toBe(-1); // not marked
    markImmutable(m);
    expect(isImmutable(m)).toBe(true);
    expect(immutableRowIndex(m, row(m, 2))).toBe(2);
    expect(immutableRowIndex(m, row(m, 5))).toBe(5);
    expect(immutableRowIndex(m, m.data.subarray(1, 5))).toBe(-1); // not row-aligned
    expect(immutableRowIndex(m, m.data.subarray(4, 7))).toBe(-1); // too short
    expect(immutableRowIndex(m, Float32Array.from(row(m, 2)))).toBe(-1); // a copy
    expect(immutableRowIndex(m, [...row(m, 2)])).toBe(-1);
  });
});

describe('BtFeatures on an immutable matrix', () => {
  it('serves φ of the whole matrix and of its rows exactly as mapping afresh does', () => {
    const fresh = matrix(300, 6, 2, true);
    const marked = markImmutable({ ...fresh, data: fresh.data.slice() });
    const expected = map(fresh).transform(fresh);
    const first = map(marked).transform(marked);
    expect(Array.from(first.data)).toEqual(Array.from(expected.data));
    // A second map with the same parameters (a model loaded afresh) gets the kept result.
    const second = map(marked);
    expect(second.transform(marked)).toBe(first);
    // Rows of the kept matrix are copied from it, bit for bit what transformRow computes.
    for (const r of [0, 17, 299]) {
      expect(Array.from(second.transformRow(row(marked, r)))).toEqual(
        Array.from(map(fresh).transformRow(row(fresh, r))),
      );
    }
    // Another lengthscale is another map.
    expect(map(marked, 0.7).transform(marked)).not.toBe(first);
  });

  it('never caches a mutable matrix: a changed buffer gives changed features', () => {
    const m = matrix(50, 6, 3);
    const features = map(m);
    const before = Array.from(features.transform(m).data);
    m.data[0] += 1;
    expect(Array.from(features.transform(m).data)).not.toEqual(before);
  });

  it('gives a Laplace Bradley–Terry model the same posterior either way', () => {
    const d = 6;
    const rng = new Rng(9);
    const w = rng.normals(d);
    const pairs: PairObservation[] = Array.from({ length: 120 }, () => {
      const first = rng.normals(d);
      const second = rng.normals(d);
      const u = first.reduce((s, x, j) => s + x * w[j], 0) - second.reduce((s, x, j) => s + x * w[j], 0);
      return { first, second, outcome: rng.next() < 1 / (1 + Math.exp(-u)) ? 1 : 0 };
    });
    const fresh = matrix(400, d, 4, true);
    const marked = markImmutable({ ...fresh, data: fresh.data.slice() });
    const posterior = (features: FeatureMatrix) => {
      const model = new LaplaceBradleyTerry({ dimension: d, featureMap: 'linear+rff', rffFeatures: 16 });
      model.fit(pairs);
      const { mean, std } = model.predict(features);
      const variance = model.differenceVariance(row(features, 3), row(features, 250));
      return { mean: Array.from(mean), std: Array.from(std), variance };
    };
    expect(posterior(marked)).toEqual(posterior(fresh));
    expect(posterior(marked)).toEqual(posterior(fresh)); // and again, now served from the kept φ
  });
});
