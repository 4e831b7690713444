/**
 * Type-II maximum likelihood for the exact Borda GP: the lengthscale, signal variance and noise
 * variance that maximise log p(y | X) = −½ rᵀK⁻¹r − ½ log|K| − (n/2) log 2π, r = y − m₀.
 *
 * Search, on log-parameters: a coarse scan of the lengthscale over ×2 steps around the start (the
 * likelihood is often multi-modal in ℓ and a gradient method stays in the basin it starts in),
 * then sign-based adaptive steps (Rprop) on the analytic gradient
 *   ∂/∂θ log p = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ),  α = K⁻¹r,
 * accepting a step only if the likelihood rises, so the result is never worse than the start.
 * Each evaluation is O(n³); above `maxPoints` observations an evenly spaced subset is used.
 */
import { PackedCholesky } from './gp-cholesky';
import { KernelParams, kernelColumn, kernelLogGradient, squaredDistance } from './kernels';

export interface HyperparameterFitOptions {
  /** Rprop iterations after the coarse scan (default 40). */
  readonly maxIterations?: number;
  /** Observations the likelihood is evaluated on; an evenly spaced subset above it (default 400). */
  readonly maxPoints?: number;
  /** Fit the noise variance too (default true). */
  readonly fitNoise?: boolean;
  /** Fit the signal variance too (default true). */
  readonly fitSignalVariance?: boolean;
  /** Scan ℓ·2^k, k = −3..3, before the gradient steps (default true). */
  readonly coarseScan?: boolean;
  /** Allowed ranges (defaults: ℓ ∈ [1e-3, 1e3], σ² ∈ [1e-4, 10], σₙ² ∈ [1e-4, 1]). */
  readonly lengthscaleRange?: readonly [number, number];
  readonly signalVarianceRange?: readonly [number, number];
  readonly noiseVarianceRange?: readonly [number, number];
}

export interface Hyperparameters {
  readonly lengthscale: number;
  readonly signalVariance: number;
  readonly noiseVariance: number;
}

export interface HyperparameterFitResult extends Hyperparameters {
  /** Log marginal likelihood at the start and at the result, on the points used. */
  readonly initialLogMarginalLikelihood: number;
  readonly logMarginalLikelihood: number;
  readonly pointsUsed: number;
  readonly evaluations: number;
}

/** The training data the likelihood is evaluated on (row-major inputs). */
export interface GpData {
  readonly inputs: Float64Array;
  readonly outcomes: Float64Array;
  readonly count: number;
  readonly dimension: number;
  readonly priorMean: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

function factorise(data: GpData, kernel: KernelParams, noiseVariance: number): PackedCholesky | null {
  const { inputs, count, dimension } = data;
  const factor = new PackedCholesky(count);
  const column = new Float64Array(count);
  try {
    for (let i = 0; i < count; i++) {
      kernelColumn(kernel, inputs, i, dimension, inputs, i * dimension, column);
      factor.appendRow(column, kernel.signalVariance + noiseVariance);
    }
  } catch {
    return null;
  }
  return factor;
}

function residuals(data: GpData): Float64Array {
  const r = new Float64Array(data.count);
  for (let i = 0; i < data.count; i++) r[i] = data.outcomes[i] - data.priorMean;
  return r;
}

export function logMarginalLikelihood(data: GpData, kernel: KernelParams, noiseVariance: number): number {
  const factor = factorise(data, kernel, noiseVariance);
  if (!factor) return -Infinity;
  const z = factor.solveLower(residuals(data));
  let zz = 0;
  for (let i = 0; i < z.length; i++) zz += z[i] * z[i];
  return -0.5 * zz - 0.5 * factor.logDeterminant() - 0.5 * data.count * LOG_2PI;
}

/** Gradient of the log marginal likelihood w.r.t. [log ℓ, log σ², log σₙ²]. O(n³). */
export function logMarginalLikelihoodGradient(data: GpData, kernel: KernelParams, noiseVariance: number): number[] {
  const factor = factorise(data, kernel, noiseVariance);
  if (!factor) throw new RangeError('kernel matrix is not positive definite at these hyperparameters');
  const n = data.count;
  const d = data.dimension;
  // α = L⁻ᵀ L⁻¹ r by backward substitution on the packed rows.
  const alpha = factor.solveLower(residuals(data));
  const L = factor.data;
  for (let i = n - 1; i >= 0; i--) {
    const offset = (i * (i + 1)) / 2;
    alpha[i] /= L[offset + i];
    const ai = alpha[i];
    for (let k = 0; k < i; k++) alpha[k] -= L[offset + k] * ai;
  }
  const inverse = factor.inverse();
  let gLength = 0;
  let gSignal = 0;
  let gNoise = 0;
  for (let a = 0; a < n; a++) {
    const waa = alpha[a] * alpha[a] - inverse[a * n + a];
    gSignal += waa * kernel.signalVariance;
    gNoise += waa * noiseVariance;
    for (let b = 0; b < a; b++) {
      const wab = alpha[a] * alpha[b] - inverse[a * n + b];
      const g = kernelLogGradient(kernel, squaredDistance(data.inputs, a * d, data.inputs, b * d, d));
      // Off-diagonal pairs count twice in the trace.
      gLength += 2 * wab * g.dLogLengthscale;
      gSignal += 2 * wab * g.dLogSignalVariance;
    }
  }
  return [0.5 * gLength, 0.5 * gSignal, 0.5 * gNoise];
}

function subset(data: GpData, maxPoints: number): GpData {
  if (data.count <= maxPoints) return data;
  const d = data.dimension;
  const inputs = new Float64Array(maxPoints * d);
  const outcomes = new Float64Array(maxPoints);
  for (let k = 0; k < maxPoints; k++) {
    const i = Math.floor((k * data.count) / maxPoints);
    inputs.set(data.inputs.subarray(i * d, (i + 1) * d), k * d);
    outcomes[k] = data.outcomes[i];
  }
  return { inputs, outcomes, count: maxPoints, dimension: d, priorMean: data.priorMean };
}

function checkRange(range: readonly [number, number], field: string): readonly [number, number] {
  if (!(range.length === 2 && range[0] > 0 && range[1] >= range[0] && Number.isFinite(range[1]))) {
    throw new RangeError(`fitHyperparameters: ${field} must be [min, max] with 0 < min ≤ max, got [${range}]`);
  }
  return range;
}

export function fitGpHyperparameters(
  fullData: GpData,
  kernelName: KernelParams['name'],
  start: Hyperparameters,
  options: HyperparameterFitOptions = {},
): HyperparameterFitResult {
  const maxIterations = options.maxIterations ?? 40;
  const maxPoints = options.maxPoints ?? 400;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0)) {
    throw new RangeError(`fitHyperparameters: maxIterations must be a non-negative integer, got ${maxIterations}`);
  }
  if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) {
    throw new RangeError(`fitHyperparameters: maxPoints must be an integer ≥ 2, got ${maxPoints}`);
  }
  const ranges = [
    checkRange(options.lengthscaleRange ?? [1e-3, 1e3], 'lengthscaleRange'),
    checkRange(options.signalVarianceRange ?? [1e-4, 10], 'signalVarianceRange'),
    checkRange(options.noiseVarianceRange ?? [1e-4, 1], 'noiseVarianceRange'),
  ].map(([lo, hi]) => [Math.log(lo), Math.log(hi)] as const);
  const free = [true, options.fitSignalVariance ?? true, options.fitNoise ?? true];
  const data = subset(fullData, maxPoints);

  const clamp = (theta: number[]): number[] =>
    theta.map((t, j) => (free[j] ? Math.min(ranges[j][1], Math.max(ranges[j][0], t)) : t));
  const params = (theta: number[]): KernelParams => ({
    name: kernelName,
    lengthscale: Math.exp(theta[0]),
    signalVariance: Math.exp(theta[1]),
  });
  let evaluations = 0;
  const evaluate = (theta: number[]): number => {
    evaluations++;
    return logMarginalLikelihood(data, params(theta), Math.exp(theta[2]));
  };

  const initialTheta = [Math.log(start.lengthscale), Math.log(start.signalVariance), Math.log(start.noiseVariance)];
  const initial = evaluate(initialTheta);
  let theta = initialTheta;
  let best = initial;

  if (options.coarseScan ?? true) {
    for (let k = -3; k <= 3; k++) {
      if (k === 0) continue;
      const candidate = clamp([initialTheta[0] + k * Math.LN2, initialTheta[1], initialTheta[2]]);
      const value = evaluate(candidate);
      if (value > best) {
        best = value;
        theta = candidate;
      }
    }
  }

  const steps = [0.5, 0.5, 0.5];
  let previous = [0, 0, 0];
  let gradient = Number.isFinite(best) ? logMarginalLikelihoodGradient(data, params(theta), Math.exp(theta[2])) : null;
  for (let it = 0; it < maxIterations && gradient; it++) {
    for (let j = 0; j < 3; j++) {
      const product = gradient[j] * previous[j];
      if (product > 0) steps[j] = Math.min(steps[j] * 1.2, 2);
      else if (product < 0) steps[j] *= 0.5;
    }
    const candidate = clamp(theta.map((t, j) => (free[j] ? t + Math.sign(gradient![j]) * steps[j] : t)));
    const value = evaluate(candidate);
    if (value > best) {
      best = value;
      theta = candidate;
      previous = gradient;
      gradient = logMarginalLikelihoodGradient(data, params(theta), Math.exp(theta[2]));
    } else {
      // Overshot: shrink every step and retry from the same point with the same gradient.
      for (let j = 0; j < 3; j++) steps[j] *= 0.5;
      previous = [0, 0, 0];
    }
    if (Math.max(...steps.filter((_, j) => free[j])) < 1e-3) break;
  }

  return {
    lengthscale: Math.exp(theta[0]),
    signalVariance: Math.exp(theta[1]),
    noiseVariance: Math.exp(theta[2]),
    initialLogMarginalLikelihood: initial,
    logMarginalLikelihood: best,
    pointsUsed: data.count,
    evaluations,
  };
}
