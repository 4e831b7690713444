/**
 * The data and the solver of LinearBradleyTerry: stored differences z with their outcomes, the
 * running scatter Σ z zᵀ, and a damped Newton ascent on the L2-penalised logistic log-likelihood.
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

export class DifferenceData {
  count = 0;
  private diffs: Float64Array;
  private ys: Float64Array;
  /** Σ z zᵀ (lower triangle, no λ), grown one observation at a time. */
  private readonly scatter: Matrix;

  constructor(
    readonly dimension: number,
    readonly regularization: number,
  ) {
    this.diffs = new Float64Array(16 * dimension);
    this.ys = new Float64Array(16);
    this.scatter = zeros(dimension, dimension);
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

  /** V = λI + Σ z zᵀ. */
  designPrecision(): Matrix {
    const d = this.dimension;
    const v = zeros(d, d);
    v.data.set(this.scatter.data);
    for (let i = 0; i < d; i++) v.data[i * d + i] += this.regularization;
    symmetrise(v);
    return v;
  }

  /** Σ [y log σ(s) + (1 − y) log σ(−s)] − (λ/2)‖θ‖², s = θᵀz. */
  logPosterior(theta: ArrayLike<number>): number {
    const d = this.dimension;
    let total = -0.5 * this.regularization * dot(theta, theta, d);
    for (let k = 0; k < this.count; k++) {
      const s = dot(this.diffs.subarray(k * d, (k + 1) * d), theta, d);
      const y = this.ys[k];
      total += y * logSigmoid(s) + (1 - y) * logSigmoid(-s);
    }
    return total;
  }

  /** Gradient of logPosterior and its negated Hessian H = λI + Σ σ(s)(1 − σ(s)) z zᵀ at θ. */
  derivatives(theta: ArrayLike<number>): { gradient: Float64Array; hessian: Matrix } {
    const d = this.dimension;
    const gradient = new Float64Array(d);
    for (let j = 0; j < d; j++) gradient[j] = -this.regularization * theta[j];
    const h = zeros(d, d);
    const H = h.data;
    for (let k = 0; k < this.count; k++) {
      const o = k * d;
      const z = this.diffs.subarray(o, o + d);
      const p = sigmoid(dot(z, theta, d));
      const residual = this.ys[k] - p;
      const w = p * (1 - p);
      for (let i = 0; i < d; i++) {
        const zi = z[i];
        if (zi === 0) continue;
        gradient[i] += residual * zi;
        const wzi = w * zi;
        const ri = i * d;
        for (let j = 0; j <= i; j++) H[ri + j] += wzi * z[j];
      }
    }
    for (let i = 0; i < d; i++) H[i * d + i] += this.regularization;
    symmetrise(h);
    return { gradient, hessian: h };
  }
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
  const d = data.dimension;
  let theta = start;
  let value = data.logPosterior(theta);
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    const { gradient, hessian } = data.derivatives(theta);
    const factor = cholesky(hessian);
    const step = solveUpperTransposed(factor, solveLower(factor, gradient));
    const slope = dot(gradient, step, d);
    // Backtracking keeps every step an ascent step: a full Newton step can overshoot when labels
    // are nearly separable and σ' is tiny.
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
    theta = next;
    value = nextValue;
    if (largestStep < tolerance * largestTheta) {
      converged = true;
      break;
    }
  }
  return { theta, report: { iterations, converged, logPosterior: value } };
}
