/**
 * The preferential GP's Laplace evidence as a function of the kernel hyperparameters, its gradient,
 * and MAP-II over them (lengthscales — one per dimension under ARD — and the signal variance).
 *
 * Gradient (Rasmussen & Williams §5.5.1, generalised to the non-diagonal pairwise W): with
 * α = ∇ℓ(f̂) = K⁻¹f̂, R = (K + W⁻¹)⁻¹ = W − WL A⁻¹ LᵀW and Σ = (K⁻¹ + W)⁻¹ = L A⁻¹ Lᵀ,
 *   ∂ log Z/∂θ = ½ αᵀ ∂K α − ½ tr(R ∂K) + s₂ᵀ (I + KW)⁻¹ ∂K α,
 * where the last term follows the mode as θ moves: s₂ = −½ ∂ log|A| / ∂f̂ = −½ Σᵢ wᵢ′ (dᵢᵀΣdᵢ) dᵢ and
 * (I + KW)⁻¹ = I − KR. One evaluation is O(n³ + m·n) for the mode and O(n³ + n²·p) for the gradient.
 */
import { Matrix, cholesky, solveLower } from '@borda/numeric';
import type { FeatureMatrix } from '@borda/numeric';
import { LogNormalPrior, logPriorDensity, logPriorGradient, searchLogParameters } from './gp-hyperparameter-search';
import {
  KernelName,
  KernelParams,
  ardKernel,
  inverseLengthscales,
  kernelLengthscales,
  kernelMatrix,
  kernelRadialGradient,
} from './kernels';
import {
  Comparisons,
  LaplaceMode,
  NewtonOptions,
  curvatureTimesFactor,
  findLaplaceMode,
  utilityGradient,
} from './preferential-gp-laplace';
import type { PairLikelihood } from './preferential-gp-likelihood';

/** K + jitter·σ²·I: the jitter scales with σ², so ∂K/∂log σ² = K exactly. */
export function priorCovariance(kernel: KernelParams, arms: FeatureMatrix, jitter: number): Matrix {
  const K = kernelMatrix(kernel, arms);
  const n = arms.rows;
  for (let i = 0; i < n; i++) K.data[i * n + i] += jitter * kernel.signalVariance;
  return K;
}

export interface EvidenceAt {
  readonly kernel: KernelParams;
  readonly covariance: Matrix;
  readonly laplace: LaplaceMode;
}

/** The Laplace fit at these hyperparameters, Newton started at utilities `start` (null: 0). */
export function laplaceFit(
  kernel: KernelParams,
  arms: FeatureMatrix,
  pairs: Comparisons,
  kind: PairLikelihood,
  jitter: number,
  start: Float64Array | null,
  newton: NewtonOptions,
): EvidenceAt {
  const covariance = priorCovariance(kernel, arms, jitter);
  const L = cholesky(covariance);
  const whitenedStart = start ? solveLower(L, start) : null;
  return { kernel, covariance, laplace: findLaplaceMode(L, pairs, kind, whitenedStart, newton) };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** ∂ log Z / ∂[log ℓ (or log ℓ₁ … log ℓ_d), log σ²] at the fit. */
export function laplaceEvidenceGradient(fit: EvidenceAt, arms: FeatureMatrix, pairs: Comparisons): number[] {
  const { kernel, covariance: K, laplace } = fit;
  const n = arms.rows;
  const d = arms.cols;
  const L = laplace.priorFactor;
  const LA = laplace.hessianFactor;
  const alpha = utilityGradient(pairs, laplace.slopes, n);
  // Columns of Y = LA⁻¹(WL)ᵀ and of U = LA⁻¹Lᵀ, one per arm: R = W − YᵀY, Σ = UᵀU.
  const WL = curvatureTimesFactor(L, pairs, laplace.curvatures).data;
  const Y: Float64Array[] = [];
  const U: Float64Array[] = [];
  for (let p = 0; p < n; p++) {
    Y.push(solveLower(LA, WL.subarray(p * n, (p + 1) * n)));
    U.push(solveLower(LA, L.data.subarray(p * n, (p + 1) * n)));
  }
  const R = new Float64Array(n * n);
  for (let i = 0; i < pairs.count; i++) {
    const [a, b, w] = [pairs.first[i], pairs.second[i], laplace.curvatures[i]];
    R[a * n + a] += w;
    R[b * n + b] += w;
    R[a * n + b] -= w;
    R[b * n + a] -= w;
  }
  for (let p = 0; p < n; p++) {
    for (let q = 0; q <= p; q++) {
      const v = R[p * n + q] - dot(Y[p], Y[q]);
      R[p * n + q] = v;
      R[q * n + p] = v;
    }
  }
  // s₂ = −½ Σᵢ wᵢ′ (dᵢᵀΣdᵢ) dᵢ, then r = s₂ − R K s₂ (so the implicit term is rᵀ ∂K α).
  const s2 = new Float64Array(n);
  for (let i = 0; i < pairs.count; i++) {
    const ua = U[pairs.first[i]];
    const ub = U[pairs.second[i]];
    let variance = 0;
    for (let k = 0; k < n; k++) variance += (ua[k] - ub[k]) ** 2;
    const c = -0.5 * laplace.curvatureSlopes[i] * variance;
    s2[pairs.first[i]] += c;
    s2[pairs.second[i]] -= c;
  }
  const Ks2 = new Float64Array(n);
  for (let p = 0; p < n; p++) Ks2[p] = dot(K.data.subarray(p * n, (p + 1) * n), s2);
  const r = Float64Array.from(s2, (s, p) => s - dot(R.subarray(p * n, (p + 1) * n), Ks2));

  const inverse = inverseLengthscales(kernel, d) ?? new Float64Array(d).fill(1 / kernel.lengthscale);
  const lengthTerms = new Float64Array(d);
  let signalTerm = 0;
  const scaled = new Float64Array(d);
  const x = arms.data;
  for (let p = 0; p < n; p++) {
    // ∂K/∂log σ² = K (diagonal included); ∂K/∂log ℓ vanishes on the diagonal.
    signalTerm += K.data[p * n + p] * (0.5 * alpha[p] * alpha[p] - 0.5 * R[p * n + p] + r[p] * alpha[p]);
    for (let q = 0; q < p; q++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = (x[p * d + k] - x[q * d + k]) * inverse[k];
        scaled[k] = t * t;
        s += scaled[k];
      }
      const g = kernelRadialGradient(kernel.name, kernel.signalVariance, s);
      // Off-diagonal (p, q) and (q, p) together: ½·2αpαq − ½·2Rpq + (rp αq + rq αp).
      const weight = alpha[p] * alpha[q] - R[p * n + q] + r[p] * alpha[q] + r[q] * alpha[p];
      signalTerm += K.data[p * n + q] * weight;
      const radial = g.radial * weight;
      for (let k = 0; k < d; k++) lengthTerms[k] += radial * scaled[k];
    }
  }
  const lengths = kernel.lengthscales ? Array.from(lengthTerms) : [lengthTerms.reduce((a, b) => a + b, 0)];
  return [...lengths, signalTerm];
}

/** At most `maxPoints` evenly spaced comparisons and the arms they involve, re-indexed (all when fewer). */
export function subsetComparisons(
  arms: FeatureMatrix,
  pairs: Comparisons,
  maxPoints: number,
): { arms: FeatureMatrix; pairs: Comparisons } {
  if (pairs.count <= maxPoints) return { arms, pairs };
  const reindex = new Map<number, number>();
  const local = (arm: number) => reindex.get(arm) ?? reindex.set(arm, reindex.size).get(arm)!;
  const picks = Array.from({ length: maxPoints }, (_, k) => Math.floor((k * pairs.count) / maxPoints));
  const subset = {
    first: Int32Array.from(picks, (i) => local(pairs.first[i])),
    second: Int32Array.from(picks, (i) => local(pairs.second[i])),
    outcomes: Float64Array.from(picks, (i) => pairs.outcomes[i]),
    count: maxPoints,
  };
  const d = arms.cols;
  const data = new Float64Array(reindex.size * d);
  for (const [arm, i] of reindex) data.set(arms.data.subarray(arm * d, (arm + 1) * d), i * d);
  return { arms: { rows: reindex.size, cols: d, data }, pairs: subset };
}

/** Kernel from log-parameters [log ℓ…, log σ²]. */
export function kernelFromLogParameters(theta: readonly number[], name: KernelName): KernelParams {
  const count = theta.length - 1;
  const signalVariance = Math.exp(theta[count]);
  return count === 1
    ? { name, lengthscale: Math.exp(theta[0]), signalVariance }
    : ardKernel(name, theta.slice(0, count).map(Math.exp), signalVariance);
}

export interface PreferentialHyperpriors {
  /** Centre of every lengthscale's log-normal prior (default: the initial lengthscale). */
  readonly lengthscale?: number;
  /** Default 1 (×/÷ 7.4 at 95 %). */
  readonly lengthscaleLogStd?: number;
  /** Centre of the signal variance's prior (default: the initial signal variance). */
  readonly signalVariance?: number;
  /** Default 1.5. */
  readonly signalVarianceLogStd?: number;
}

export interface PreferentialSearchOptions {
  /** iRprop− iterations after the ℓ scan (default 30). */
  readonly maxIterations?: number;
  /**
   * Comparisons the evidence is evaluated on: an evenly spaced subset above it, and the arms it
   * involves (default 200; each evaluation is O(arms³)). Used by PreferentialGP; the mode is then
   * refitted on all comparisons.
   */
  readonly maxPoints?: number;
  /** One lengthscale per dimension (default: when the dimension is 2 … 8). */
  readonly ard?: boolean;
  /** Default: the weak priors of `PreferentialHyperpriors`; false for plain type-II ML. */
  readonly priors?: PreferentialHyperpriors | false;
  /** Defaults: ℓ ∈ [1e-3, 1e3], σ² ∈ [1e-3, 100]. */
  readonly lengthscaleRange?: readonly [number, number];
  readonly signalVarianceRange?: readonly [number, number];
}

export interface PreferentialLearning {
  readonly fit: EvidenceAt;
  readonly logEvidence: number;
  readonly logHyperprior: number | null;
  readonly evaluations: number;
}

function logRange(range: readonly [number, number], field: string): readonly [number, number] {
  if (!(range.length === 2 && range[0] > 0 && range[1] >= range[0] && Number.isFinite(range[1]))) {
    throw new RangeError(`PreferentialGP: ${field} must be [min, max] with 0 < min ≤ max, got [${range}]`);
  }
  return [Math.log(range[0]), Math.log(range[1])];
}

/** MAP-II from `initial` (also the priors' default centres); Newton warm-starts across evaluations. */
export function learnPreferentialHyperparameters(
  arms: FeatureMatrix,
  pairs: Comparisons,
  kind: PairLikelihood,
  jitter: number,
  initial: KernelParams,
  options: PreferentialSearchOptions,
  newton: NewtonOptions,
): PreferentialLearning {
  const d = arms.cols;
  const count = (options.ard ?? (d > 1 && d <= 8)) ? d : 1;
  const lengthRange = logRange(options.lengthscaleRange ?? [1e-3, 1e3], 'lengthscaleRange');
  const bounds = [
    ...new Array(count).fill(lengthRange),
    logRange(options.signalVarianceRange ?? [1e-3, 100], 'signalVarianceRange'),
  ];
  const p = options.priors;
  const priors: (LogNormalPrior | null)[] =
    p === false
      ? new Array(count + 1).fill(null)
      : [
          ...new Array(count).fill({
            centre: p?.lengthscale ?? initial.lengthscale,
            logStd: p?.lengthscaleLogStd ?? 1,
          }),
          { centre: p?.signalVariance ?? initial.signalVariance, logStd: p?.signalVarianceLogStd ?? 1.5 },
        ];
  let warm: Float64Array | null = null;
  const cache: { last: { theta: readonly number[]; fit: EvidenceAt } | null } = { last: null };
  const fitAt = (theta: readonly number[]): EvidenceAt | null => {
    if (cache.last?.theta === theta) return cache.last.fit;
    try {
      const fit = laplaceFit(kernelFromLogParameters(theta, initial.name), arms, pairs, kind, jitter, warm, newton);
      warm = fit.laplace.mode;
      cache.last = { theta, fit };
      return fit;
    } catch {
      return null;
    }
  };
  const objective = {
    value: (theta: readonly number[]) => {
      const fit = fitAt(theta);
      return fit ? fit.laplace.logEvidence + logPriorDensity(theta, priors) : -Infinity;
    },
    gradient: (theta: readonly number[]) => {
      const prior = logPriorGradient(theta, priors);
      return laplaceEvidenceGradient(fitAt(theta)!, arms, pairs).map((g, j) => g + prior[j]);
    },
  };
  const lengthscales = count === 1 ? [initial.lengthscale] : kernelLengthscales(initial, d);
  const start = [...lengthscales, initial.signalVariance].map(Math.log);
  const search = searchLogParameters(objective, start, {
    bounds,
    free: new Array(count + 1).fill(true),
    scanGroup: Array.from({ length: count }, (_, j) => j),
    maxIterations: options.maxIterations ?? 30,
  });
  // The final θ may not be the last one evaluated: fit it again from the warm start.
  const fit = fitAt(search.theta)!;
  return {
    fit,
    logEvidence: fit.laplace.logEvidence,
    logHyperprior: p === false ? null : logPriorDensity(search.theta, priors),
    evaluations: search.evaluations,
  };
}
