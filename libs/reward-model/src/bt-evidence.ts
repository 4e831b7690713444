/**
 * Laplace evidence of a Bradley–Terry model r = θᵀφ with prior θ ~ N(0, Λ⁻¹), Λ diagonal and
 * constant per feature block, and its maximisation over the hyperparameters (block precisions and,
 * for random Fourier features, the lengthscale ℓ):
 *
 *   log p(y | Λ, ℓ) ≈ Σ log-lik(θ̂) − ½ θ̂ᵀΛθ̂ + ½ log|Λ| − ½ log|H|,   H = Λ + Σ σ'(θ̂ᵀz) z zᵀ.
 *
 * Hyperpriors keep a handful of labels from driving a precision to 0 or ∞ or ℓ to the edge of the
 * search: λ_b ~ Gamma(shape a, rate (a − 1)/λ₀) (mode at the starting value λ₀) and
 * log ℓ ~ N(log ℓ₀, s²) around the median heuristic ℓ₀.
 *
 * Precisions: for fixed ℓ, setting ∂/∂λ_b of (evidence + log Gamma) to zero with H's data term held
 * fixed (MacKay's evidence approximation) gives the fixed point
 *   λ_b = (γ_b + 2(a − 1)) / (‖θ̂_b‖² + 2(a − 1)/λ₀),   γ_b = d_b − λ_b tr_b(H⁻¹),
 * which is iterated with a Newton refit of θ̂ between steps. ℓ: the profile objective (evidence +
 * hyperpriors at the fitted precisions) is scanned on a ×2 grid and refined by golden-section search
 * in log ℓ; the map at every ℓ uses the same seeded frequencies W₀/ℓ, so the objective is smooth.
 * Everything is deterministic: no random restarts, subsamples taken at even strides.
 */
import { type Matrix, cholesky, invertLower, solveLower, solveUpperTransposed } from '@borda/numeric';
import type { BtFeatures } from './bt-feature-maps';
import { DifferenceData, dampedNewtonStep } from './linear-bt-newton';

export interface EvidenceHyperprior {
  /** Gamma shape a > 1 of each block precision (default 1.5: a mode at λ₀ worth one pseudo-coefficient). */
  readonly precisionShape?: number;
  /** Standard deviation of log ℓ around log ℓ₀ (default 1.5: a factor e^1.5 ≈ 4.5 per sd). */
  readonly lengthscaleLogSd?: number;
}

export interface LaplaceFit {
  readonly theta: Float64Array;
  /** Lower Cholesky factor of H. */
  readonly factor: Matrix;
  readonly logEvidence: number;
  readonly newtonIterations: number;
}

/** log|Λ|/2 − θᵀΛθ/2 + Σ log-lik − log|L| for H = LLᵀ: the Laplace evidence at θ. */
export function laplaceLogEvidence(data: DifferenceData, theta: ArrayLike<number>, factor: Matrix): number {
  const prior = data.priorPrecision;
  let value = data.logPosterior(theta);
  const p = data.dimension;
  for (let j = 0; j < p; j++) value += 0.5 * Math.log(prior[j]) - Math.log(factor.data[j * p + j]);
  return value;
}

/**
 * Damped Newton to θ̂ from `start`, then H's factor and the evidence there. Convergence is tested on
 * the Newton step H⁻¹g before taking it, so the last Hessian is already the one at θ̂: no extra
 * O(n p²) pass for the factor.
 */
export function laplaceFit(
  data: DifferenceData,
  start: Float64Array,
  maxIterations = 50,
  tolerance = 1e-9,
): LaplaceFit {
  const p = data.dimension;
  let theta = start;
  let value = data.logPosterior(theta);
  let iterations = 0;
  let stalled = false;
  for (;;) {
    const { gradient, hessian } = data.derivatives(theta);
    const factor = cholesky(hessian);
    const step = solveUpperTransposed(factor, solveLower(factor, gradient));
    let largestStep = 0;
    let largestTheta = 1;
    for (let j = 0; j < p; j++) {
      largestStep = Math.max(largestStep, Math.abs(step[j]));
      largestTheta = Math.max(largestTheta, Math.abs(theta[j]));
    }
    if (largestStep < tolerance * largestTheta || iterations >= maxIterations || stalled) {
      return { theta, factor, logEvidence: laplaceLogEvidence(data, theta, factor), newtonIterations: iterations };
    }
    iterations++;
    const next = dampedNewtonStep(data, theta, value, gradient, factor);
    // No step passed the line search: the remaining gain is below the rounding of the log posterior.
    stalled = next.relativeStep === 0;
    theta = next.theta;
    value = next.value;
  }
}

/** Expands one precision per block into the diagonal of Λ. */
export function blockDiagonal(blockSizes: readonly number[], precisions: ArrayLike<number>): Float64Array {
  const total = blockSizes.reduce((a, b) => a + b, 0);
  const out = new Float64Array(total);
  let offset = 0;
  blockSizes.forEach((size, b) => {
    out.fill(precisions[b], offset, offset + size);
    offset += size;
  });
  return out;
}

export interface HyperparameterProblem {
  /** Raw rows of the first / second response of each pair, row-major, `count` pairs. */
  readonly first: Float64Array;
  readonly second: Float64Array;
  readonly outcomes: Float64Array;
  readonly count: number;
  /** The map at the starting lengthscale (its blocks define the precisions). */
  readonly features: BtFeatures;
  /** Starting precision per block, also the hyperprior mode. */
  readonly initialPrecisions: ArrayLike<number>;
  /** Centre of the log-normal lengthscale hyperprior (the median heuristic). */
  readonly lengthscaleCentre: number;
  /** Learn ℓ (only when the map has an RFF block). */
  readonly learnLengthscale: boolean;
  /** Scan ℓ over ×2^k, k = −6..2 around the start (true) or only ×2^{−1,0,1} (a warm relearn). */
  readonly wideSearch: boolean;
  readonly hyperprior?: EvidenceHyperprior;
  /** Pairs used for learning; more are thinned at even strides (default 1000). */
  readonly maxPoints?: number;
}

export interface HyperparameterResult {
  readonly features: BtFeatures;
  readonly precisions: Float64Array;
  /** Laplace evidence on the pairs used for learning, at the result. */
  readonly logEvidence: number;
  /** Evidence plus log hyperprior densities: the maximised objective. */
  readonly objective: number;
  /** Profile evaluations (one per lengthscale tried). */
  readonly evaluations: number;
}

interface ProfilePoint {
  readonly logLengthscale: number;
  readonly features: BtFeatures;
  readonly precisions: Float64Array;
  readonly theta: Float64Array;
  readonly logEvidence: number;
  readonly objective: number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Learns block precisions (and ℓ) by maximising evidence + log hyperpriors. */
export function learnHyperparameters(problem: HyperparameterProblem): HyperparameterResult {
  const shape = problem.hyperprior?.precisionShape ?? 1.5;
  const logSd = problem.hyperprior?.lengthscaleLogSd ?? 1.5;
  if (!(shape > 1)) throw new RangeError(`precisionShape must be > 1, got ${shape}`);
  if (!(logSd > 0)) throw new RangeError(`lengthscaleLogSd must be positive, got ${logSd}`);
  const sample = thin(problem, problem.maxPoints ?? 1000);
  const modes = Float64Array.from(problem.initialPrecisions);
  const logCentre = Math.log(problem.lengthscaleCentre);

  let warm: ProfilePoint | undefined;
  let evaluations = 0;
  const profile = (logLengthscale: number): ProfilePoint => {
    evaluations++;
    const features = problem.features.withLengthscale(Math.exp(logLengthscale));
    const point = fitPrecisions(sample, features, warm?.precisions ?? modes, modes, shape, warm?.theta);
    const lengthscalePrior = features.hasLengthscale ? -0.5 * ((logLengthscale - logCentre) / logSd) ** 2 : 0;
    const result = { ...point, logLengthscale, features, objective: point.objective + lengthscalePrior };
    warm = result;
    return result;
  };

  const start = Math.log(problem.features.lengthscale);
  if (!(problem.learnLengthscale && problem.features.hasLengthscale) || sample.count === 0) {
    const only = profile(start);
    return finish(only, evaluations);
  }
  const steps = problem.wideSearch ? [-6, -5, -4, -3, -2, -1, 0, 1, 2] : [-1, 0, 1];
  const grid = steps.map((k) => profile(start + k * Math.LN2));
  let bestIndex = 0;
  grid.forEach((g, i) => {
    if (g.objective > grid[bestIndex].objective) bestIndex = i;
  });
  let best = grid[bestIndex];
  // Golden-section search on [best/2, best·2]: the grid brackets the maximum to one ×2 step.
  let lo = best.logLengthscale - Math.LN2;
  let hi = best.logLengthscale + Math.LN2;
  let x1 = hi - GOLDEN * (hi - lo);
  let x2 = lo + GOLDEN * (hi - lo);
  let f1 = profile(x1);
  let f2 = profile(x2);
  for (let iteration = 0; iteration < 5; iteration++) {
    if (f1.objective >= f2.objective) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - GOLDEN * (hi - lo);
      f1 = profile(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + GOLDEN * (hi - lo);
      f2 = profile(x2);
    }
  }
  for (const candidate of [f1, f2]) if (candidate.objective > best.objective) best = candidate;
  return finish(best, evaluations);
}

function finish(point: ProfilePoint, evaluations: number): HyperparameterResult {
  return {
    features: point.features,
    precisions: point.precisions,
    logEvidence: point.logEvidence,
    objective: point.objective,
    evaluations,
  };
}

interface Sample {
  readonly first: Float64Array;
  readonly second: Float64Array;
  readonly outcomes: Float64Array;
  readonly count: number;
}

function thin(problem: HyperparameterProblem, maxPoints: number): Sample {
  if (problem.count <= maxPoints) return problem;
  const d = problem.features.inputDimension;
  const first = new Float64Array(maxPoints * d);
  const second = new Float64Array(maxPoints * d);
  const outcomes = new Float64Array(maxPoints);
  for (let k = 0; k < maxPoints; k++) {
    const i = Math.floor((k * problem.count) / maxPoints);
    first.set(problem.first.subarray(i * d, (i + 1) * d), k * d);
    second.set(problem.second.subarray(i * d, (i + 1) * d), k * d);
    outcomes[k] = problem.outcomes[i];
  }
  return { first, second, outcomes, count: maxPoints };
}

/**
 * MacKay fixed point for the block precisions at one feature map. Returns the evidence, the
 * objective (evidence + log Gamma hyperpriors) and θ̂ at the final precisions.
 */
function fitPrecisions(
  sample: Sample,
  features: BtFeatures,
  start: Float64Array,
  modes: Float64Array,
  shape: number,
  thetaStart: Float64Array | undefined,
): { precisions: Float64Array; theta: Float64Array; logEvidence: number; objective: number } {
  const sizes = features.blockSizes;
  const p = features.outputDimension;
  const data = new DifferenceData(p, blockDiagonal(sizes, start), false);
  data.append(features.differences(sample.first, sample.second, sample.count), sample.outcomes);
  const precisions = Float64Array.from(start);
  let theta: Float64Array = thetaStart && thetaStart.length === p ? Float64Array.from(thetaStart) : new Float64Array(p);
  // One Newton step on θ per precision update: both move together, and each round costs one Hessian.
  let value = data.logPosterior(theta);
  for (let iteration = 0; iteration < 100; iteration++) {
    const { gradient, hessian } = data.derivatives(theta);
    const factor = cholesky(hessian);
    const step = dampedNewtonStep(data, theta, value, gradient, factor);
    theta = step.theta;
    const inverse = invertLower(factor).data;
    let largestChange = 0;
    let offset = 0;
    sizes.forEach((size, b) => {
      let traceInverse = 0;
      let norm = 0;
      for (let j = offset; j < offset + size; j++) {
        // (H⁻¹)_jj = ‖column j of L⁻¹‖².
        for (let i = j; i < p; i++) traceInverse += inverse[i * p + j] * inverse[i * p + j];
        norm += theta[j] * theta[j];
      }
      const gamma = Math.max(0, size - precisions[b] * traceInverse);
      const rate = (shape - 1) / modes[b];
      const next = Math.min(1e8, Math.max(1e-8, (gamma + 2 * (shape - 1)) / (norm + 2 * rate)));
      largestChange = Math.max(largestChange, Math.abs(Math.log(next / precisions[b])));
      precisions[b] = next;
      offset += size;
    });
    data.setPriorPrecision(blockDiagonal(sizes, precisions));
    value = data.logPosterior(theta);
    if (largestChange < 1e-2 && step.relativeStep < 1e-4) break;
  }
  const fit = laplaceFit(data, theta);
  let logPrior = 0;
  sizes.forEach((_, b) => {
    logPrior += (shape - 1) * Math.log(precisions[b]) - ((shape - 1) / modes[b]) * precisions[b];
  });
  return { precisions, theta: fit.theta, logEvidence: fit.logEvidence, objective: fit.logEvidence + logPrior };
}
