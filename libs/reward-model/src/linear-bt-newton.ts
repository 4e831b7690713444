/**
 * The data and the solver of LinearBradleyTerry and LaplaceBradleyTerry: stored differences z with
 * their outcomes, the running scatter Σ z zᵀ, and a damped Newton ascent on the logistic
 * log-likelihood under a zero-mean Gaussian prior with a diagonal precision Λ (λI for
 * LinearBradleyTerry; one λ per feature block for LaplaceBradleyTerry).
 */
import {
  type Matrix,
  cholesky,
  dot,
  logSigmoid,
  sigmoid,
  solveLower,
  solveUpperTransposed,
  zeros,
} from '@borda/numeric';

/** Outcome of the last Newton solve. */
export interface NewtonReport {
  readonly iterations: number;
  readonly converged: boolean;
  /** Penalised log-likelihood at θ̂. */
  readonly logPosterior: number;
}

/** Copies the lower triangle onto the upper one. */
function symmetrise(m: Matrix): void {
  const n = m.rows;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) m.data[j * n + i] = m.data[i * n + j];
}

/** Pairs per block of the transposed Hessian accumulation (2048·d doubles of scratch). */
const DERIVATIVE_CHUNK = 2048;

export class DifferenceData {
  count = 0;
  private diffs: Float64Array;
  private ys: Float64Array;
  /** Σ z zᵀ (lower triangle, no λ), grown one observation at a time (when tracked). */
  private readonly scatter: Matrix;
  /** Diagonal of the prior precision Λ. */
  private prior: Float64Array;

  /**
   * `regularization`: λ (Λ = λI) or the whole diagonal of Λ. `trackScatter = false` skips the O(d²)
   * per row running Σ z zᵀ for callers that never ask for designPrecision().
   */
  constructor(
    readonly dimension: number,
    regularization: number | ArrayLike<number>,
    private readonly trackScatter = true,
  ) {
    this.diffs = new Float64Array(16 * dimension);
    this.ys = new Float64Array(16);
    this.scatter = zeros(trackScatter ? dimension : 0, trackScatter ? dimension : 0);
    this.prior = new Float64Array(dimension);
    this.setPriorPrecision(regularization);
  }

  /** Diagonal of the prior precision Λ (a copy). */
  get priorPrecision(): Float64Array {
    return this.prior.slice();
  }

  /** Replaces Λ (a scalar λ for λI, or the diagonal); the stored data stay. */
  setPriorPrecision(regularization: number | ArrayLike<number>): void {
    if (typeof regularization === 'number') {
      this.prior.fill(regularization);
    } else {
      if (regularization.length !== this.dimension) {
        throw new RangeError(`prior precision has ${regularization.length} values, expected ${this.dimension}`);
      }
      this.prior.set(regularization);
    }
    for (let j = 0; j < this.dimension; j++) {
      if (!(this.prior[j] > 0) || !Number.isFinite(this.prior[j])) {
        throw new RangeError(`prior precision ${j} is ${this.prior[j]}, expected a positive finite number`);
      }
    }
  }

  clear(): void {
    this.count = 0;
    this.scatter.data.fill(0);
  }

  /** Appends rows of z (row-major) and their outcomes; O(d²) per row for the scatter. */
  append(z: Float64Array, y: Float64Array): void {
    const d = this.dimension;
    const added = y.length;
    const needed = this.count + added;
    if (needed > this.ys.length) {
      const capacity = Math.max(needed, 2 * this.ys.length);
      const diffs = new Float64Array(capacity * d);
      diffs.set(this.diffs.subarray(0, this.count * d));
      const ys = new Float64Array(capacity);
      ys.set(this.ys.subarray(0, this.count));
      this.diffs = diffs;
      this.ys = ys;
    }
    this.diffs.set(z, this.count * d);
    this.ys.set(y, this.count);
    if (!this.trackScatter) {
      this.count = needed;
      return;
    }
    const S = this.scatter.data;
    for (let k = 0; k < added; k++) {
      const o = k * d;
      for (let i = 0; i < d; i++) {
        const zi = z[o + i];
        if (zi === 0) continue;
        const ri = i * d;
        for (let j = 0; j <= i; j++) S[ri + j] += zi * z[o + j];
      }
    }
    this.count = needed;
  }

  differences(): Matrix {
    const d = this.dimension;
    return { rows: this.count, cols: d, data: this.diffs.slice(0, this.count * d) };
  }

  outcomes(): Float64Array {
    return this.ys.slice(0, this.count);
  }

  /** V = Λ + Σ z zᵀ. */
  designPrecision(): Matrix {
    const d = this.dimension;
    if (!this.trackScatter) throw new Error('DifferenceData: the scatter Σ z zᵀ is not tracked');
    const v = zeros(d, d);
    v.data.set(this.scatter.data);
    for (let i = 0; i < d; i++) v.data[i * d + i] += this.prior[i];
    symmetrise(v);
    return v;
  }

  /** Σ [y log σ(s) + (1 − y) log σ(−s)] − ½ θᵀΛθ, s = θᵀz. */
  logPosterior(theta: ArrayLike<number>): number {
    let total = 0;
    for (let j = 0; j < this.dimension; j++) total -= 0.5 * this.prior[j] * theta[j] * theta[j];
    return total + this.logLikelihood(theta);
  }

  /** Σ [y log σ(s) + (1 − y) log σ(−s)], s = θᵀz. */
  logLikelihood(theta: ArrayLike<number>): number {
    const d = this.dimension;
    let total = 0;
    for (let k = 0; k < this.count; k++) {
      const s = dot(this.diffs.subarray(k * d, (k + 1) * d), theta, d);
      const y = this.ys[k];
      total += y * logSigmoid(s) + (1 - y) * logSigmoid(-s);
    }
    return total;
  }

  /**
   * Gradient of logPosterior and its negated Hessian H = Λ + Σ σ(s)(1 − σ(s)) z zᵀ at θ. The data
   * term is formed as GᵀG, G = rows √w·z, from column blocks of G transposed (CHUNK rows at a time):
   * each entry is then a dot product over contiguous memory rather than a load-add-store per pair.
   */
  derivatives(theta: ArrayLike<number>): { gradient: Float64Array; hessian: Matrix } {
    const d = this.dimension;
    const gradient = new Float64Array(d);
    for (let j = 0; j < d; j++) gradient[j] = -this.prior[j] * theta[j];
    const h = zeros(d, d);
    const H = h.data;
    const chunk = Math.min(this.count, DERIVATIVE_CHUNK);
    const columns = new Float64Array(d * chunk);
    for (let start = 0; start < this.count; start += chunk) {
      const rows = Math.min(chunk, this.count - start);
      for (let r = 0; r < rows; r++) {
        const o = (start + r) * d;
        const z = this.diffs.subarray(o, o + d);
        const p = sigmoid(dot(z, theta, d));
        const residual = this.ys[start + r] - p;
        const root = Math.sqrt(p * (1 - p));
        for (let i = 0; i < d; i++) {
          gradient[i] += residual * z[i];
          columns[i * chunk + r] = root * z[i];
        }
      }
      for (let i = 0; i < d; i++) {
        const ci = i * chunk;
        const ri = i * d;
        for (let j = 0; j <= i; j++) {
          const cj = j * chunk;
          let s0 = 0;
          let s1 = 0;
          let r = 0;
          for (; r + 1 < rows; r += 2) {
            s0 += columns[ci + r] * columns[cj + r];
            s1 += columns[ci + r + 1] * columns[cj + r + 1];
          }
          if (r < rows) s0 += columns[ci + r] * columns[cj + r];
          H[ri + j] += s0 + s1;
        }
      }
    }
    for (let i = 0; i < d; i++) H[i * d + i] += this.prior[i];
    symmetrise(h);
    return { gradient, hessian: h };
  }
}

/**
 * One damped Newton step from θ (log posterior `value` there) along H⁻¹g, H = LLᵀ: backtracking keeps
 * every step an ascent step — a full Newton step can overshoot when labels are nearly separable and
 * σ' is tiny. Returns the new point, its value and max |Δθ| / max(1, ‖θ_new‖∞).
 */
export function dampedNewtonStep(
  data: DifferenceData,
  theta: Float64Array,
  value: number,
  gradient: Float64Array,
  factor: Matrix,
): { theta: Float64Array; value: number; relativeStep: number } {
  const d = data.dimension;
  const step = solveUpperTransposed(factor, solveLower(factor, gradient));
  const slope = dot(gradient, step, d);
  let t = 1;
  let next = theta;
  let nextValue = value;
  for (let halvings = 0; halvings < 40; halvings++) {
    const candidate = new Float64Array(d);
    for (let j = 0; j < d; j++) candidate[j] = theta[j] + t * step[j];
    const candidateValue = data.logPosterior(candidate);
    if (candidateValue >= value + 1e-4 * t * slope) {
      next = candidate;
      nextValue = candidateValue;
      break;
    }
    t /= 2;
  }
  let largestStep = 0;
  let largestTheta = 1;
  for (let j = 0; j < d; j++) {
    largestStep = Math.max(largestStep, Math.abs(next[j] - theta[j]));
    largestTheta = Math.max(largestTheta, Math.abs(next[j]));
  }
  return { theta: next, value: nextValue, relativeStep: largestStep / largestTheta };
}

/**
 * Damped Newton ascent on the strictly concave log posterior from `start`; stops once the largest
 * step entry is below tolerance·max(1, ‖θ‖∞).
 */
export function newtonSolve(
  data: DifferenceData,
  start: Float64Array,
  maxIterations: number,
  tolerance: number,
): { theta: Float64Array; report: NewtonReport } {
  let theta = start;
  let value = data.logPosterior(theta);
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    const { gradient, hessian } = data.derivatives(theta);
    const next = dampedNewtonStep(data, theta, value, gradient, cholesky(hessian));
    theta = next.theta;
    value = next.value;
    if (next.relativeStep < tolerance) {
      converged = true;
      break;
    }
  }
  return { theta, report: { iterations, converged, logPosterior: value } };
}
