import { describe, expect, it } from 'vitest';
import { Rng, cholesky, fromRows } from '@borda/numeric';
import {
  KernelParams,
  crossKernelMatrix,
  kernelFromSquaredDistance,
  kernelLogGradient,
  kernelMatrix,
  kernelValue,
  validateKernelParams,
} from '@borda/reward-model';
import {
  ardKernel,
  inverseLengthscales,
  kernelFromScaledSquaredDistance,
  kernelLengthscales,
  kernelRadialGradient,
  scaledSquaredDistance,
} from '../src/kernels';

const rbf = (lengthscale: number, signalVariance = 1): KernelParams => ({ name: 'rbf', lengthscale, signalVariance });
const matern = (lengthscale: number, signalVariance = 1): KernelParams => ({
  name: 'matern52',
  lengthscale,
  signalVariance,
});

function randomRows(rng: Rng, n: number, d: number) {
  return fromRows(Array.from({ length: n }, () => Array.from({ length: d }, () => rng.next())));
}

describe('kernel values', () => {
  it('RBF matches σ² exp(−r²/2ℓ²) at reference points', () => {
    // exp(−0.5·r²/ℓ²) evaluated independently (Python, double precision).
    expect(kernelValue(rbf(1), [0], [0.5])).toBeCloseTo(0.8824969025845955, 14);
    expect(kernelValue(rbf(1), [0], [1])).toBeCloseTo(0.6065306597126334, 14);
    expect(kernelValue(rbf(0.5), [0, 0], [0.6, 0.8])).toBeCloseTo(0.1353352832366127, 14);
    expect(kernelValue(rbf(2, 2.5), [1, 1, 1], [1.3, 1, 1])).toBeCloseTo(2.5 * 0.9888130446112331, 14);
  });

  it('Matérn-5/2 matches σ²(1 + u + u²/3)e^{−u}, u = √5 r/ℓ, at reference points', () => {
    // Reference values computed independently (Python, double precision).
    expect(kernelValue(matern(1), [0], [0.5])).toBeCloseTo(0.8286491424181255, 14);
    expect(kernelValue(matern(1), [0], [1])).toBeCloseTo(0.5239941088318203, 14);
    expect(kernelValue(matern(1), [0], [2])).toBeCloseTo(0.13866021913850426, 14);
    expect(kernelValue(matern(0.5), [0, 0], [0.6, 0.8])).toBeCloseTo(0.13866021913850426, 14);
    expect(kernelValue(matern(2, 3), [0.2], [0.5])).toBeCloseTo(3 * 0.9816921833655661, 14);
  });

  it('equals the signal variance at distance zero and decays monotonically', () => {
    for (const p of [rbf(0.7, 1.3), matern(0.7, 1.3)]) {
      expect(kernelFromSquaredDistance(p, 0)).toBe(1.3);
      let previous = Infinity;
      for (let r = 0; r < 5; r += 0.25) {
        const k = kernelFromSquaredDistance(p, r * r);
        expect(k).toBeLessThan(previous);
        expect(k).toBeGreaterThan(0);
        previous = k;
      }
    }
  });

  it('Matérn-5/2 has heavier tails than RBF at the same lengthscale', () => {
    expect(kernelFromSquaredDistance(matern(1), 9)).toBeGreaterThan(kernelFromSquaredDistance(rbf(1), 9));
  });
});

describe('kernel matrices', () => {
  for (const params of [rbf(0.4, 0.8), matern(0.4, 0.8)]) {
    it(`${params.name}: K(X, X) is symmetric positive semi-definite and matches k entry by entry`, () => {
      const rng = new Rng(3);
      const x = randomRows(rng, 30, 3);
      const K = kernelMatrix(params, x);
      for (let i = 0; i < 30; i++) {
        for (let j = 0; j < 30; j++) {
          expect(K.data[i * 30 + j]).toBe(K.data[j * 30 + i]);
          expect(K.data[i * 30 + j]).toBeCloseTo(
            kernelValue(params, x.data.subarray(i * 3, i * 3 + 3), x.data.subarray(j * 3, j * 3 + 3)),
            15,
          );
        }
      }
      // PSD: quadratic forms are non-negative and a tiny jitter makes the factorisation succeed.
      for (let t = 0; t < 20; t++) {
        const v = rng.normals(30);
        let q = 0;
        for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) q += v[i] * K.data[i * 30 + j] * v[j];
        expect(q).toBeGreaterThan(-1e-10);
      }
      for (let i = 0; i < 30; i++) K.data[i * 31] += 1e-9;
      expect(() => cholesky(K)).not.toThrow();
    });
  }

  it('cross-kernel matrices are K(A, B) = K(B, A)ᵀ and refuse mismatched widths', () => {
    const rng = new Rng(4);
    const a = randomRows(rng, 5, 2);
    const b = randomRows(rng, 7, 2);
    const ab = crossKernelMatrix(matern(0.3), a, b);
    const ba = crossKernelMatrix(matern(0.3), b, a);
    expect(ab.rows).toBe(5);
    expect(ab.cols).toBe(7);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 7; j++) expect(ab.data[i * 7 + j]).toBe(ba.data[j * 5 + i]);
    expect(() => crossKernelMatrix(rbf(1), a, randomRows(rng, 2, 3))).toThrow(/dimension mismatch/);
  });
});

describe('log-hyperparameter gradients', () => {
  for (const name of ['rbf', 'matern52'] as const) {
    it(`${name}: ∂k/∂log ℓ and ∂k/∂log σ² match central differences`, () => {
      const h = 1e-6;
      for (const r2 of [0.01, 0.3, 1.7, 6]) {
        const base = { name, lengthscale: 0.8, signalVariance: 1.4 };
        const g = kernelLogGradient(base, r2);
        expect(g.value).toBeCloseTo(kernelFromSquaredDistance(base, r2), 14);
        const at = (logL: number, logS: number) =>
          kernelFromSquaredDistance({ name, lengthscale: Math.exp(logL), signalVariance: Math.exp(logS) }, r2);
        const l = Math.log(0.8);
        const s = Math.log(1.4);
        expect(g.dLogLengthscale).toBeCloseTo((at(l + h, s) - at(l - h, s)) / (2 * h), 7);
        expect(g.dLogSignalVariance).toBeCloseTo((at(l, s + h) - at(l, s - h)) / (2 * h), 7);
      }
    });
  }
});

describe('validation', () => {
  it('names the offending field', () => {
    expect(() => validateKernelParams({ name: 'rbf', lengthscale: 0, signalVariance: 1 })).toThrow(/lengthscale/);
    expect(() => validateKernelParams({ name: 'rbf', lengthscale: 1, signalVariance: NaN })).toThrow(/signalVariance/);
    expect(() =>
      validateKernelParams({ name: 'cubic' as unknown as 'rbf', lengthscale: 1, signalVariance: 1 }),
    ).toThrow(/name/);
    expect(() => kernelValue(rbf(1), [0, 1], [0])).toThrow(/2 and 1/);
  });
});

describe('ARD kernels', () => {
  it('evaluate σ² exp(−½ Σ (δᵢ/ℓᵢ)²) and equal the isotropic kernel at equal lengthscales', () => {
    const ard = ardKernel('rbf', [0.5, 2], 1.5);
    expect(ard.lengthscale).toBeCloseTo(1, 15); // geometric mean
    expect(kernelValue(ard, [0, 0], [0.3, 1])).toBeCloseTo(1.5 * Math.exp(-0.5 * (0.36 + 0.25)), 14);
    const rng = new Rng(5);
    const x = randomRows(rng, 12, 3);
    for (const name of ['rbf', 'matern52'] as const) {
      const iso = kernelMatrix({ name, lengthscale: 0.4, signalVariance: 0.7 }, x);
      const same = kernelMatrix(ardKernel(name, [0.4, 0.4, 0.4], 0.7), x);
      for (let k = 0; k < iso.data.length; k++) expect(same.data[k]).toBeCloseTo(iso.data[k], 14);
      // Stretching one input by c is the same as dividing its lengthscale by c.
      const stretched = { rows: x.rows, cols: 3, data: x.data.map((v, k) => (k % 3 === 1 ? 3 * v : v)) };
      const a = crossKernelMatrix(ardKernel(name, [0.4, 0.4 / 3, 0.4], 0.7), x, x);
      const b = crossKernelMatrix({ name, lengthscale: 0.4, signalVariance: 0.7 }, stretched, stretched);
      for (let k = 0; k < a.data.length; k++) expect(a.data[k]).toBeCloseTo(b.data[k], 14);
    }
    expect(kernelLengthscales({ name: 'rbf', lengthscale: 0.3, signalVariance: 1 }, 2)).toEqual([0.3, 0.3]);
    expect(() => kernelValue(ard, [0, 0, 0], [1, 1, 1])).toThrow(/2 ARD lengthscales but the rows have 3 columns/);
    expect(() =>
      validateKernelParams({ name: 'rbf', lengthscale: 1, signalVariance: 1, lengthscales: [1, -1] }),
    ).toThrow(/lengthscales/);
  });

  for (const name of ['rbf', 'matern52'] as const) {
    it(`${name}: the radial factor gives ∂k/∂log ℓᵢ = ρ·(δᵢ/ℓᵢ)² (central differences)`, () => {
      const a = [0.1, 0.5, 0.9];
      const b = [0.4, 0.45, 0.2];
      const ls = [0.3, 0.7, 1.1];
      const inverse = inverseLengthscales(ardKernel(name, ls, 1.3), 3)!;
      const s = scaledSquaredDistance(a, 0, b, 0, inverse);
      const { value, radial } = kernelRadialGradient(name, 1.3, s);
      expect(value).toBeCloseTo(kernelFromScaledSquaredDistance(name, 1.3, s), 15);
      for (let i = 0; i < 3; i++) {
        const at = (h: number) =>
          kernelValue(
            ardKernel(
              name,
              ls.map((l, j) => (j === i ? l * Math.exp(h) : l)),
              1.3,
            ),
            a,
            b,
          );
        const numeric = (at(1e-6) - at(-1e-6)) / 2e-6;
        expect(radial * ((a[i] - b[i]) / ls[i]) ** 2).toBeCloseTo(numeric, 7);
      }
    });
  }
});
