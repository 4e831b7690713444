/**
 * Stationary kernels on joint (prompt, response) feature rows: RBF and Matérn-5/2, each with an
 * isotropic lengthscale ℓ — or, with `lengthscales`, one lengthscale per input dimension (ARD) — and
 * a signal variance σ². Both depend on the rows only through their (scaled) squared distance, which
 * is computed directly (Σ (aᵢ − bᵢ)²) rather than as ‖a‖² + ‖b‖² − 2aᵀb: the expansion cancels
 * catastrophically for near-duplicate rows, and near-duplicates are exactly what an active learner
 * queries again and again.
 *
 * ARD is evaluated as the same radial profile of s = Σ ((aᵢ − bᵢ)/ℓᵢ)²; the isotropic path is kept
 * separate (and unchanged) because it is the hot loop of every exact-GP update.
 */
import { Matrix, zeros } from '@borda/numeric';
import type { FeatureMatrix } from '@borda/numeric';

export type KernelName = 'rbf' | 'matern52';

export const KERNEL_NAMES: readonly KernelName[] = ['rbf', 'matern52'];

export interface KernelParams {
  readonly name: KernelName;
  /** Isotropic lengthscale ℓ > 0 (same units as the feature rows). */
  readonly lengthscale: number;
  /** Signal variance σ² > 0: k(x, x) = σ². */
  readonly signalVariance: number;
  /**
   * ARD: one lengthscale per input dimension. When present the kernel uses these and `lengthscale`
   * is only a scalar summary (their geometric mean, see `ardKernel`), ignored by every evaluation.
   */
  readonly lengthscales?: readonly number[];
}

/** ∂k/∂log ℓ and ∂k/∂log σ² at one squared distance (the marginal-likelihood gradient needs both). */
export interface KernelLogGradient {
  readonly value: number;
  readonly dLogLengthscale: number;
  readonly dLogSignalVariance: number;
}

const SQRT5 = Math.sqrt(5);

/** Throws naming the offending field when the parameters cannot define a kernel. */
export function validateKernelParams(params: KernelParams, what = 'kernel'): void {
  if (!KERNEL_NAMES.includes(params.name)) {
    throw new RangeError(`${what}.name must be one of ${KERNEL_NAMES.join(', ')}, got ${String(params.name)}`);
  }
  if (!(Number.isFinite(params.lengthscale) && params.lengthscale > 0)) {
    throw new RangeError(`${what}.lengthscale must be a positive finite number, got ${params.lengthscale}`);
  }
  if (!(Number.isFinite(params.signalVariance) && params.signalVariance > 0)) {
    throw new RangeError(`${what}.signalVariance must be a positive finite number, got ${params.signalVariance}`);
  }
  if (params.lengthscales !== undefined) {
    const ls = params.lengthscales;
    if (!Array.isArray(ls) || ls.length === 0 || !ls.every((l) => Number.isFinite(l) && l > 0)) {
      throw new RangeError(
        `${what}.lengthscales must be a non-empty array of positive finite numbers, got ${String(ls)}`,
      );
    }
  }
}

/** ARD kernel parameters; `lengthscale` is set to the geometric mean of the lengthscales. */
export function ardKernel(name: KernelName, lengthscales: readonly number[], signalVariance: number): KernelParams {
  let logSum = 0;
  for (const l of lengthscales) logSum += Math.log(l);
  return {
    name,
    lengthscale: Math.exp(logSum / lengthscales.length),
    signalVariance,
    lengthscales: Array.from(lengthscales),
  };
}

/** The per-dimension lengthscales of any kernel (the isotropic one repeated `dimension` times). */
export function kernelLengthscales(params: KernelParams, dimension: number): number[] {
  if (params.lengthscales) {
    checkArdDimension(params, dimension);
    return Array.from(params.lengthscales);
  }
  return new Array<number>(dimension).fill(params.lengthscale);
}

function checkArdDimension(params: KernelParams, dimension: number): void {
  if (params.lengthscales!.length !== dimension) {
    throw new RangeError(
      `kernel has ${params.lengthscales!.length} ARD lengthscales but the rows have ${dimension} columns`,
    );
  }
}

/** 1/ℓᵢ per dimension for an ARD kernel (checked against the row width), null when isotropic. */
export function inverseLengthscales(params: KernelParams, dimension: number): Float64Array | null {
  if (!params.lengthscales) return null;
  checkArdDimension(params, dimension);
  return Float64Array.from(params.lengthscales, (l) => 1 / l);
}

/** s = Σ ((aᵢ − bᵢ)·invᵢ)²: the squared distance in lengthscale units. */
export function scaledSquaredDistance(
  a: ArrayLike<number>,
  aOffset: number,
  b: ArrayLike<number>,
  bOffset: number,
  inverse: Float64Array,
): number {
  let s = 0;
  for (let k = 0; k < inverse.length; k++) {
    const t = (a[aOffset + k] - b[bOffset + k]) * inverse[k];
    s += t * t;
  }
  return s;
}

/** The radial profile at unit lengthscale: k as a function of s = r²/ℓ². */
export function kernelFromScaledSquaredDistance(name: KernelName, signalVariance: number, scaled: number): number {
  if (name === 'rbf') return signalVariance * Math.exp(-0.5 * scaled);
  const u = SQRT5 * Math.sqrt(scaled);
  return signalVariance * (1 + u + (u * u) / 3) * Math.exp(-u);
}

/**
 * k and its radial factor ρ at scaled squared distance s = Σ (δᵢ/ℓᵢ)²: ∂k/∂log ℓᵢ = ρ·(δᵢ/ℓᵢ)² (and
 * ∂k/∂log ℓ = ρ·s for the isotropic kernel). RBF: ρ = k. Matérn-5/2 with u = √5·√s:
 * dk/du = −σ²u(1 + u)e^{−u}/3 and ∂u/∂log ℓᵢ = −(5/u)(δᵢ/ℓᵢ)², so ρ = 5σ²(1 + u)e^{−u}/3.
 */
export function kernelRadialGradient(
  name: KernelName,
  signalVariance: number,
  scaled: number,
): { value: number; radial: number } {
  if (name === 'rbf') {
    const value = signalVariance * Math.exp(-0.5 * scaled);
    return { value, radial: value };
  }
  const u = SQRT5 * Math.sqrt(scaled);
  const e = Math.exp(-u);
  return { value: signalVariance * (1 + u + (u * u) / 3) * e, radial: (5 * signalVariance * (1 + u) * e) / 3 };
}

/** k as a function of the squared distance r² between two rows. */
export function kernelFromSquaredDistance(params: KernelParams, squaredDistance: number): number {
  const { lengthscale, signalVariance } = params;
  if (params.name === 'rbf') return signalVariance * Math.exp((-0.5 * squaredDistance) / (lengthscale * lengthscale));
  const u = (SQRT5 * Math.sqrt(squaredDistance)) / lengthscale;
  return signalVariance * (1 + u + (u * u) / 3) * Math.exp(-u);
}

/** k and its derivatives with respect to log ℓ and log σ² at squared distance r². */
export function kernelLogGradient(params: KernelParams, squaredDistance: number): KernelLogGradient {
  const { lengthscale, signalVariance } = params;
  if (params.name === 'rbf') {
    const scaled = squaredDistance / (lengthscale * lengthscale);
    const value = signalVariance * Math.exp(-0.5 * scaled);
    return { value, dLogLengthscale: value * scaled, dLogSignalVariance: value };
  }
  // With u = √5 r / ℓ: k = σ²(1 + u + u²/3)e^{−u}, dk/du = −σ² u(1 + u) e^{−u} / 3, du/dlog ℓ = −u.
  const u = (SQRT5 * Math.sqrt(squaredDistance)) / lengthscale;
  const e = Math.exp(-u);
  const value = signalVariance * (1 + u + (u * u) / 3) * e;
  return { value, dLogLengthscale: (signalVariance * u * u * (1 + u) * e) / 3, dLogSignalVariance: value };
}

export function squaredDistance(
  a: ArrayLike<number>,
  aOffset: number,
  b: ArrayLike<number>,
  bOffset: number,
  dimension: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let k = 0;
  for (; k + 1 < dimension; k += 2) {
    const d0 = a[aOffset + k] - b[bOffset + k];
    const d1 = a[aOffset + k + 1] - b[bOffset + k + 1];
    s0 += d0 * d0;
    s1 += d1 * d1;
  }
  if (k < dimension) {
    const d0 = a[aOffset + k] - b[bOffset + k];
    s0 += d0 * d0;
  }
  return s0 + s1;
}

/** k(a, b) for two rows of equal length. */
export function kernelValue(params: KernelParams, a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`kernelValue: rows have ${a.length} and ${b.length} values`);
  const inverse = inverseLengthscales(params, a.length);
  if (inverse) {
    return kernelFromScaledSquaredDistance(
      params.name,
      params.signalVariance,
      scaledSquaredDistance(a, 0, b, 0, inverse),
    );
  }
  return kernelFromSquaredDistance(params, squaredDistance(a, 0, b, 0, a.length));
}

/**
 * k(x_i, point) for the first `count` rows of a row-major buffer with `dimension` columns, written
 * into `out` (the kernel column the exact GP appends per label).
 */
export function kernelColumn(
  params: KernelParams,
  rows: ArrayLike<number>,
  count: number,
  dimension: number,
  point: ArrayLike<number>,
  pointOffset = 0,
  out: Float64Array = new Float64Array(count),
): Float64Array {
  const inverse = inverseLengthscales(params, dimension);
  if (inverse) {
    const { name, signalVariance } = params;
    for (let i = 0; i < count; i++) {
      const s = scaledSquaredDistance(rows, i * dimension, point, pointOffset, inverse);
      out[i] = kernelFromScaledSquaredDistance(name, signalVariance, s);
    }
    return out;
  }
  for (let i = 0; i < count; i++) {
    out[i] = kernelFromSquaredDistance(params, squaredDistance(rows, i * dimension, point, pointOffset, dimension));
  }
  return out;
}

/** The n×n kernel matrix of the rows (symmetric; computed once per pair). */
export function kernelMatrix(params: KernelParams, x: FeatureMatrix): Matrix {
  const n = x.rows;
  const d = x.cols;
  const out = zeros(n, n);
  const K = out.data;
  const inverse = inverseLengthscales(params, d);
  for (let i = 0; i < n; i++) {
    K[i * n + i] = params.signalVariance;
    for (let j = 0; j < i; j++) {
      const v = inverse
        ? kernelFromScaledSquaredDistance(
            params.name,
            params.signalVariance,
            scaledSquaredDistance(x.data, i * d, x.data, j * d, inverse),
          )
        : kernelFromSquaredDistance(params, squaredDistance(x.data, i * d, x.data, j * d, d));
      K[i * n + j] = v;
      K[j * n + i] = v;
    }
  }
  return out;
}

/** The a.rows × b.rows matrix K(a, b). */
export function crossKernelMatrix(params: KernelParams, a: FeatureMatrix, b: FeatureMatrix): Matrix {
  if (a.cols !== b.cols) {
    throw new RangeError(`crossKernelMatrix: rows have ${a.cols} and ${b.cols} columns (dimension mismatch)`);
  }
  const d = a.cols;
  const out = zeros(a.rows, b.rows);
  for (let i = 0; i < a.rows; i++) {
    kernelColumn(params, b.data, b.rows, d, a.data, i * d, out.data.subarray(i * b.rows, (i + 1) * b.rows));
  }
  return out;
}
