import { describe, expect, it } from 'vitest';
import { Rng, fromRows } from '@borda/numeric';
import { RandomFourierFeatures, initTensorflow, kernelValue } from '@borda/reward-model';
import type { KernelName } from '@borda/reward-model';

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Mean |φ(x)ᵀφ(y) − k(x, y)| over random pairs in [0, 1]³, averaged over feature-map seeds. */
function approximationError(kernel: KernelName, features: number, seeds: number[]): number {
  const rng = new Rng(99);
  const pairs = Array.from({ length: 150 }, () => [
    [rng.next(), rng.next(), rng.next()],
    [rng.next(), rng.next(), rng.next()],
  ]);
  let total = 0;
  for (const seed of seeds) {
    const map = new RandomFourierFeatures({
      inputDimension: 3,
      features,
      kernel,
      lengthscale: 0.5,
      signalVariance: 1,
      seed,
    });
    for (const [x, y] of pairs) {
      const exact = kernelValue({ name: kernel, lengthscale: 0.5, signalVariance: 1 }, x, y);
      total += Math.abs(dot(map.transformRow(x), map.transformRow(y)) - exact);
    }
  }
  return total / (pairs.length * seeds.length);
}

describe('RandomFourierFeatures approximates the kernel', () => {
  for (const kernel of ['rbf', 'matern52'] as const) {
    it(`${kernel}: φ(x)ᵀφ(y) → k(x, y), error shrinking roughly like 1/sqrt(D)`, () => {
      const sizes = [64, 256, 1024, 4096];
      const errors = sizes.map((D) => approximationError(kernel, D, [1, 2, 3]));
      for (let i = 1; i < sizes.length; i++) expect(errors[i]).toBeLessThan(errors[i - 1]);
      // 64× more features: 1/sqrt(D) predicts an 8× smaller error.
      const ratio = errors[0] / errors[3];
      expect(ratio).toBeGreaterThan(5);
      expect(ratio).toBeLessThan(13);
      expect(errors[3]).toBeLessThan(0.02);
    });
  }

  it('φ(x)ᵀφ(x) is close to the signal variance, and the scale follows it', () => {
    const map = new RandomFourierFeatures({ inputDimension: 2, features: 4096, signalVariance: 0.3, seed: 5 });
    const phi = map.transformRow([0.4, 0.9]);
    expect(dot(phi, phi)).toBeCloseTo(0.3, 1);
    for (const v of phi) expect(Math.abs(v)).toBeLessThanOrEqual(Math.sqrt((2 * 0.3) / 4096) + 1e-15);
  });
});

describe('RandomFourierFeatures mechanics', () => {
  it('is deterministic under a seed; other seeds give other maps', () => {
    const a = new RandomFourierFeatures({ inputDimension: 4, features: 32, seed: 7 });
    const b = new RandomFourierFeatures({ inputDimension: 4, features: 32, seed: 7 });
    const c = new RandomFourierFeatures({ inputDimension: 4, features: 32, seed: 8 });
    const x = [0.1, 0.2, 0.3, 0.4];
    expect(b.transformRow(x)).toEqual(a.transformRow(x));
    expect(c.transformRow(x)).not.toEqual(a.transformRow(x));
    expect(a.outputDimension).toBe(32);
  });

  it('transform equals transformRow row by row and keeps the element type', () => {
    const map = new RandomFourierFeatures({ inputDimension: 3, features: 20, kernel: 'matern52', seed: 1 });
    const x = fromRows([
      [0, 0.5, 1],
      [0.2, 0.2, 0.9],
      [1, 1, 0],
    ]);
    const out = map.transform(x);
    expect(out.rows).toBe(3);
    expect(out.cols).toBe(20);
    expect(out.data).toBeInstanceOf(Float64Array);
    for (let j = 0; j < 3; j++) {
      expect(Array.from(out.data.subarray(j * 20, (j + 1) * 20))).toEqual(
        Array.from(map.transformRow(x.data.subarray(j * 3, j * 3 + 3))),
      );
    }
    const f32 = map.transform({ rows: 3, cols: 3, data: Float32Array.from(x.data) });
    expect(f32.data).toBeInstanceOf(Float32Array);
  });

  it('the tfjs path agrees with the float64 path to float32 rounding', async () => {
    await initTensorflow();
    const rng = new Rng(4);
    const data = new Float32Array(500 * 8);
    for (let i = 0; i < data.length; i++) data[i] = rng.next();
    const features = { rows: 500, cols: 8, data };
    const js = new RandomFourierFeatures({ inputDimension: 8, features: 64, seed: 2, path: 'js' }).transform(features);
    const tensor = new RandomFourierFeatures({ inputDimension: 8, features: 64, seed: 2, path: 'tensor' }).transform(
      features,
    );
    const scale = Math.sqrt((2 * 0.0625) / 64);
    let worst = 0;
    for (let k = 0; k < js.data.length; k++) worst = Math.max(worst, Math.abs(js.data[k] - tensor.data[k]));
    expect(worst).toBeLessThan(1e-4 * scale);
  });

  it('toJSON / load round-trips and refuses a map whose regenerated frequencies differ', () => {
    const map = new RandomFourierFeatures({ inputDimension: 3, features: 16, lengthscale: 0.7, seed: 3 });
    const json = JSON.parse(JSON.stringify(map.toJSON()));
    const loaded = RandomFourierFeatures.load(json);
    expect(loaded.transformRow([0.3, 0.1, 0.5])).toEqual(map.transformRow([0.3, 0.1, 0.5]));
    expect(loaded.lengthscale).toBe(0.7);
    expect(() => RandomFourierFeatures.load({ ...json, checksum: json.checksum + 1 })).toThrow(/checksum/);
    expect(() => RandomFourierFeatures.load({ ...json, kind: 'nystrom' })).toThrow(/kind/);
  });

  it('rejects bad input naming the problem', () => {
    const map = new RandomFourierFeatures({ inputDimension: 2, features: 8 });
    expect(() => map.transformRow([1, 2, 3])).toThrow(/3 values, expected 2/);
    expect(() => map.transformRow([1, NaN])).toThrow(/row\[1\] is NaN/);
    expect(() => map.transform(fromRows([[1, 2, 3]]))).toThrow(/3 columns, expected dimension 2/);
    expect(() => map.transform({ rows: 1, cols: 2, data: Float64Array.of(0, NaN) })).toThrow(/row 0, column 1 is NaN/);
    expect(() => new RandomFourierFeatures({ inputDimension: 2, features: 0 })).toThrow(/features/);
    expect(() => new RandomFourierFeatures({ inputDimension: 2, lengthscale: 0 })).toThrow(/lengthscale/);
  });
});
