/**
 * The preferential GP's predictive distribution at new rows, from a Laplace fit over the arms X
 * (L: factor of K(X, X), L_A: factor of A = I + LᵀWL, weights K⁻¹f̂). With k = K(X, x), u = L⁻¹k and
 * s = L_A⁻¹u, the posterior covariance of f(x), f(y) is
 *   k(x, y) − u_xᵀu_y + s_xᵀs_y
 * (the prior minus what the arms explain, plus back what the comparisons leave uncertain:
 * K*ᵀK⁻¹ΣK⁻¹K* with Σ = (K⁻¹ + W)⁻¹ = L A⁻¹ Lᵀ), and the mean is kᵀK⁻¹f̂.
 */
import { type FeatureMatrix, type Matrix, solveLower, zeros } from '@borda/numeric';
import { KernelParams, kernelColumn, kernelValue } from './kernels';
import type { Posterior } from './model';
import type { EvidenceAt } from './preferential-gp-evidence';

export interface PredictiveFit extends EvidenceAt {
  /** K⁻¹f̂ = L⁻ᵀv̂. */
  readonly weights: Float64Array;
}

/** Adds K⁻¹f̂ = L⁻ᵀv̂ (backward substitution) to a fit. */
export function predictiveFit(fit: EvidenceAt): PredictiveFit {
  const L = fit.laplace.priorFactor;
  const n = L.rows;
  const weights = Float64Array.from(fit.laplace.whitened);
  for (let i = n - 1; i >= 0; i--) {
    weights[i] /= L.data[i * n + i];
    for (let k = 0; k < i; k++) weights[k] -= L.data[i * n + k] * weights[i];
  }
  return { ...fit, weights };
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

interface Projections {
  readonly mean: Float64Array;
  readonly u: Float64Array[];
  readonly s: Float64Array[];
}

/** Per row: the mean, u = L⁻¹k and s = L_A⁻¹u (O(n²) each). */
function project(fit: PredictiveFit, arms: FeatureMatrix, features: FeatureMatrix): Projections {
  const n = arms.rows;
  const mean = new Float64Array(features.rows);
  const u: Float64Array[] = [];
  const s: Float64Array[] = [];
  const column = new Float64Array(n);
  for (let j = 0; j < features.rows; j++) {
    kernelColumn(fit.kernel, arms.data, n, arms.cols, features.data, j * features.cols, column);
    mean[j] = dot(column, fit.weights);
    const uj = solveLower(fit.laplace.priorFactor, column);
    u.push(uj);
    s.push(solveLower(fit.laplace.hessianFactor, uj));
  }
  return { mean, u, s };
}

/** Mean and std of f at the rows; the prior (0, σ) without a fit. */
export function predictUtility(
  fit: PredictiveFit | null,
  kernel: KernelParams,
  arms: FeatureMatrix,
  features: FeatureMatrix,
): Posterior {
  if (!fit) {
    const std = new Float64Array(features.rows).fill(Math.sqrt(kernel.signalVariance));
    return { mean: new Float64Array(features.rows), std };
  }
  const { mean, u, s } = project(fit, arms, features);
  const std = new Float64Array(features.rows);
  const c = features.cols;
  for (let j = 0; j < features.rows; j++) {
    const row = features.data.subarray(j * c, (j + 1) * c);
    std[j] = Math.sqrt(Math.max(0, kernelValue(kernel, row, row) - dot(u[j], u[j]) + dot(s[j], s[j])));
  }
  return { mean, std };
}

/** Joint mean and covariance (lower triangle filled) of f at the rows. */
export function jointUtility(
  fit: PredictiveFit | null,
  kernel: KernelParams,
  arms: FeatureMatrix,
  features: FeatureMatrix,
): { mean: Float64Array; covariance: Matrix } {
  const m = features.rows;
  const covariance = zeros(m, m);
  const C = covariance.data;
  const { cols, data } = features;
  for (let a = 0; a < m; a++) kernelColumn(kernel, data, a + 1, cols, data, a * cols, C.subarray(a * m));
  if (!fit) return { mean: new Float64Array(m), covariance };
  const { mean, u, s } = project(fit, arms, features);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) C[a * m + b] += dot(s[a], s[b]) - dot(u[a], u[b]);
  }
  return { mean, covariance };
}

/** Var f(first) + Var f(second) − 2 Cov, by one projection of k(X, first) − k(X, second): O(n²). */
export function utilityDifferenceVariance(
  fit: PredictiveFit | null,
  kernel: KernelParams,
  arms: FeatureMatrix,
  first: ArrayLike<number>,
  second: ArrayLike<number>,
): number {
  const prior =
    kernelValue(kernel, first, first) + kernelValue(kernel, second, second) - 2 * kernelValue(kernel, first, second);
  if (!fit) return Math.max(0, prior);
  const n = arms.rows;
  const column = kernelColumn(kernel, arms.data, n, arms.cols, first);
  const other = kernelColumn(kernel, arms.data, n, arms.cols, second);
  for (let i = 0; i < n; i++) column[i] -= other[i];
  const u = solveLower(fit.laplace.priorFactor, column);
  const s = solveLower(fit.laplace.hessianFactor, u);
  return Math.max(0, prior - dot(u, u) + dot(s, s));
}
