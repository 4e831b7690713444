/**
 * Type-II maximum a posteriori (MAP-II) hyperparameters for the exact Borda GP: the lengthscales
 * (one per input dimension with ARD, else one), signal variance and noise variance that maximise
 *   log p(y | X, θ) + log p(θ),  log p(y | X) = −½ rᵀK⁻¹r − ½ log|K| − (n/2) log 2π,  r = y − m₀,
 * with weak log-normal priors p(θ) centred on the starting values (the median heuristic for ℓ and
 * the prior's σ², σₙ²), so a few labels cannot drag ℓ to a box edge. The gradient is
 *   ∂/∂θ log p(y | X) = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ),  α = K⁻¹r,
 * and the search is gp-hyperparameter-search.ts (a ×2 scan of ℓ, then iRprop− on the gradient,
 * accepting only improvements). Each evaluation is O(n³) (plus O(n²d) for the ARD gradient); above
 * `maxPoints` observations an evenly spaced subset is used.
 */
import { PackedCholesky } from './gp-cholesky';
import { LogNormalPrior, logPriorDensity, logPriorGradient, searchLogParameters } from './gp-hyperparameter-search';
import {
  KernelParams,
  ardKernel,
  inverseLengthscales,
  kernelColumn,
  kernelLengthscales,
  kernelRadialGradient,
} from './kernels';

/** Weak log-normal hyperpriors: log θ ~ N(log centre, logStd²). Centres default to the start values. */
export interface HyperpriorOptions {
  /** Centre of every lengthscale's prior (default: the starting lengthscale, i.e. the heuristic). */
  readonly lengthscale?: number;
  /** Default 1: the 95 % band spans ×/÷ 7.4 around the centre. */
  readonly lengthscaleLogStd?: number;
  readonly signalVariance?: number;
  /** Default 1.5 (×/÷ 20). */
  readonly signalVarianceLogStd?: number;
  readonly noiseVariance?: number;
  /** Default 1.5 (×/÷ 20). */
  readonly noiseVarianceLogStd?: number;
}

export interface HyperparameterFitOptions {
  /** iRprop− iterations after the coarse scan (default 50). */
  readonly maxIterations?: number;
  /** Observations the evidence is evaluated on; an evenly spaced subset above it (default 256). */
  readonly maxPoints?: number;
  /** Fit the noise variance too (default true). */
  readonly fitNoise?: boolean;
  /** Fit the signal variance too (default true). */
  readonly fitSignalVariance?: boolean;
  /** Scan ℓ·2^k, k = −3..3, before the gradient steps (default true). */
  readonly coarseScan?: boolean;
  /** One lengthscale per input dimension (default: when the dimension is 2 … 8). */
  readonly ard?: boolean;
  /** Hyperpriors (default: the weak priors of `HyperpriorOptions`); false for plain type-II ML. */
  readonly priors?: HyperpriorOptions | false;
  /** Allowed ranges (defaults: ℓ ∈ [1e-3, 1e3], σ² ∈ [1e-4, 10], σₙ² ∈ [1e-4, 1]). */
  readonly lengthscaleRange?: readonly [number, number];
  readonly signalVarianceRange?: readonly [number, number];
  readonly noiseVarianceRange?: readonly [number, number];
}

export interface Hyperparameters {
  /** The isotropic lengthscale, or the geometric mean of `lengthscales` under ARD. */
  readonly lengthscale: number;
  /** ARD lengthscales, one per input dimension (absent: isotropic). */
  readonly lengthscales?: readonly number[];
  readonly signalVariance: number;
  readonly noiseVariance: number;
}

export interface HyperparameterFitResult extends Hyperparameters {
  /** Log marginal likelihood at the start and at the result, on the points used. */
  readonly initialLogMarginalLikelihood: number;
  readonly logMarginalLikelihood: number;
  /** log p(θ) at the result (0 without priors); the search maximised the sum of the two. */
  readonly logHyperprior: number;
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

/** Dimensions up to which `ard` defaults to true. */
export const ARD_MAX_DIMENSION = 8;

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

function logMarginalLikelihoodFromFactor(data: GpData, factor: PackedCholesky): number {
  const z = factor.solveLower(residuals(data));
  let zz = 0;
  for (let i = 0; i < z.length; i++) zz += z[i] * z[i];
  return -0.5 * zz - 0.5 * factor.logDeterminant() - 0.5 * data.count * LOG_2PI;
}

export function logMarginalLikelihood(data: GpData, kernel: KernelParams, noiseVariance: number): number {
  const factor = factorise(data, kernel, noiseVariance);
  return factor ? logMarginalLikelihoodFromFactor(data, factor) : -Infinity;
}

/**
 * Gradient of the log marginal likelihood w.r.t. [log ℓ (or log ℓ₁ … log ℓ_d under ARD), log σ²,
 * log σₙ²]. O(n³) for K⁻¹, O(n²d) for the kernel derivatives. `factor`: the factor of K + σₙ²I at
 * these values, when the caller already has it.
 */
export function logMarginalLikelihoodGradient(
  data: GpData,
  kernel: KernelParams,
  noiseVariance: number,
  factor: PackedCholesky | null = factorise(data, kernel, noiseVariance),
): number[] {
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
  // Isotropic kernels go through the same per-dimension sums with ℓᵢ = ℓ, then add up.
  const inv = inverseLengthscales(kernel, d) ?? new Float64Array(d).fill(1 / kernel.lengthscale);
  const gLengths = new Float64Array(d);
  const scaled = new Float64Array(d);
  const x = data.inputs;
  let gSignal = 0;
  let gNoise = 0;
  for (let a = 0; a < n; a++) {
    const waa = alpha[a] * alpha[a] - inverse[a * n + a];
    gSignal += waa * kernel.signalVariance;
    gNoise += waa * noiseVariance;
    for (let b = 0; b < a; b++) {
      // Off-diagonal pairs count twice in the trace.
      const wab = 2 * (alpha[a] * alpha[b] - inverse[a * n + b]);
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = (x[a * d + k] - x[b * d + k]) * inv[k];
        scaled[k] = t * t;
        s += scaled[k];
      }
      const g = kernelRadialGradient(kernel.name, kernel.signalVariance, s);
      gSignal += wab * g.value;
      const w = wab * g.radial;
      for (let k = 0; k < d; k++) gLengths[k] += w * scaled[k];
    }
  }
  const lengthGradient = kernel.lengthscales ? Array.from(gLengths, (g) => 0.5 * g) : [0.5 * sum(gLengths)];
  return [...lengthGradient, 0.5 * gSignal, 0.5 * gNoise];
}

function sum(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
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

function checkLogStd(value: number, field: string): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`fitHyperparameters: priors.${field} must be a positive finite number, got ${value}`);
  }
  return value;
}

/** The hyperpriors as one log-normal per log-parameter [ℓ…, σ², σₙ²] (nulls without priors). */
export function gpHyperpriors(
  options: HyperpriorOptions | false,
  start: Hyperparameters,
  lengthscaleCount: number,
): (LogNormalPrior | null)[] {
  if (options === false) return new Array<null>(lengthscaleCount + 2).fill(null);
  const lengthscale: LogNormalPrior = {
    centre: options.lengthscale ?? start.lengthscale,
    logStd: checkLogStd(options.lengthscaleLogStd ?? 1, 'lengthscaleLogStd'),
  };
  return [
    ...new Array<LogNormalPrior>(lengthscaleCount).fill(lengthscale),
    {
      centre: options.signalVariance ?? start.signalVariance,
      logStd: checkLogStd(options.signalVarianceLogStd ?? 1.5, 'signalVarianceLogStd'),
    },
    {
      centre: options.noiseVariance ?? start.noiseVariance,
      logStd: checkLogStd(options.noiseVarianceLogStd ?? 1.5, 'noiseVarianceLogStd'),
    },
  ];
}

/** Kernel and noise variance from log-parameters [log ℓ…, log σ², log σₙ²]. */
function unpack(theta: readonly number[], kernelName: KernelParams['name']): [KernelParams, number] {
  const count = theta.length - 2;
  const signalVariance = Math.exp(theta[count]);
  const kernel =
    count === 1
      ? { name: kernelName, lengthscale: Math.exp(theta[0]), signalVariance }
      : ardKernel(kernelName, theta.slice(0, count).map(Math.exp), signalVariance);
  return [kernel, Math.exp(theta[count + 1])];
}

export function fitGpHyperparameters(
  fullData: GpData,
  kernelName: KernelParams['name'],
  start: Hyperparameters,
  options: HyperparameterFitOptions = {},
): HyperparameterFitResult {
  const maxIterations = options.maxIterations ?? 50;
  const maxPoints = options.maxPoints ?? 256;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0)) {
    throw new RangeError(`fitHyperparameters: maxIterations must be a non-negative integer, got ${maxIterations}`);
  }
  if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) {
    throw new RangeError(`fitHyperparameters: maxPoints must be an integer ≥ 2, got ${maxPoints}`);
  }
  const d = fullData.dimension;
  const ard = options.ard ?? (d > 1 && d <= ARD_MAX_DIMENSION);
  const count = ard ? d : 1;
  const lengthRange = checkRange(options.lengthscaleRange ?? [1e-3, 1e3], 'lengthscaleRange');
  const ranges = [
    ...new Array<readonly [number, number]>(count).fill(lengthRange),
    checkRange(options.signalVarianceRange ?? [1e-4, 10], 'signalVarianceRange'),
    checkRange(options.noiseVarianceRange ?? [1e-4, 1], 'noiseVarianceRange'),
  ].map(([lo, hi]) => [Math.log(lo), Math.log(hi)] as const);
  const free = [...new Array<boolean>(count).fill(true), options.fitSignalVariance ?? true, options.fitNoise ?? true];
  const priors = gpHyperpriors(options.priors ?? {}, start, count);
  const data = subset(fullData, maxPoints);

  // The gradient is asked for at the θ whose value was just computed: keep that factor.
  let cached: { theta: readonly number[]; factor: PackedCholesky } | null = null;
  const objective = {
    value(theta: readonly number[]): number {
      const [kernel, noise] = unpack(theta, kernelName);
      const factor = factorise(data, kernel, noise);
      cached = factor ? { theta, factor } : null;
      return factor ? logMarginalLikelihoodFromFactor(data, factor) + logPriorDensity(theta, priors) : -Infinity;
    },
    gradient(theta: readonly number[]): number[] {
      const [kernel, noise] = unpack(theta, kernelName);
      const factor = cached?.theta === theta ? cached.factor : factorise(data, kernel, noise);
      const prior = logPriorGradient(theta, priors);
      return logMarginalLikelihoodGradient(data, kernel, noise, factor).map((g, j) => g + prior[j]);
    },
  };
  const startLengthscales = ard ? kernelLengthscales({ name: kernelName, ...start }, d) : [start.lengthscale];
  const startTheta = [...startLengthscales, start.signalVariance, start.noiseVariance].map(Math.log);
  const search = searchLogParameters(objective, startTheta, {
    bounds: ranges,
    free,
    scanGroup: options.coarseScan === false ? [] : Array.from({ length: count }, (_, j) => j),
    maxIterations,
  });
  const [kernel, noiseVariance] = unpack(search.theta, kernelName);
  const logHyperprior = logPriorDensity(search.theta, priors);
  return {
    lengthscale: kernel.lengthscale,
    ...(kernel.lengthscales ? { lengthscales: kernel.lengthscales } : {}),
    signalVariance: kernel.signalVariance,
    noiseVariance,
    initialLogMarginalLikelihood: search.initialValue - logPriorDensity(startTheta, priors),
    logMarginalLikelihood: search.value - logHyperprior,
    logHyperprior,
    pointsUsed: data.count,
    evaluations: search.evaluations,
  };
}
