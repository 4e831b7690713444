/**
 * The exact GP's posterior state at fixed hyperparameters: training inputs and outcomes, the packed
 * Cholesky factor L of K + σₙ²I (gp-cholesky.ts), z = L⁻¹(y − m₀), and the optional tracked
 * candidate cache (gp-tracked.ts). Posterior at x: mean m₀ + vᵀz, variance k(x, x) − vᵀv with
 * v = L⁻¹k(X, x). Changing a hyperparameter means building a new state (an O(n³) refit).
 *
 * Inputs are assumed validated (BordaGP does it); every buffer grows by doubling.
 */
import { NotPositiveDefiniteError, zeros } from '@borda/numeric';
import type { FeatureMatrix, Matrix } from '@borda/numeric';
import { PackedCholesky, packedDot } from './gp-cholesky';
import type { GpData } from './gp-hyperparameters';
import { TrackedCandidates } from './gp-tracked';
import { KernelParams, kernelColumn } from './kernels';
import type { Posterior } from './model';

export class GpPosterior {
  private inputs: Float64Array;
  private outcomes: Float64Array;
  private z: Float64Array;
  private n = 0;
  private readonly factor: PackedCholesky;
  private tracked: TrackedCandidates | null = null;

  /** `expected`: observations about to be absorbed (room is reserved for them plus headroom). */
  constructor(
    readonly dimension: number,
    readonly params: KernelParams,
    readonly noiseVariance: number,
    readonly priorMean: number,
    readonly trackingBudget: number,
    expected = 0,
  ) {
    // Headroom, so the labels that follow a refit do not pay for a reallocation right away.
    const rows = expected + Math.max(16, Math.ceil(expected / 8));
    this.factor = new PackedCholesky(rows);
    this.inputs = new Float64Array(rows * dimension);
    this.outcomes = new Float64Array(rows);
    this.z = new Float64Array(rows);
  }

  get size(): number {
    return this.n;
  }

  /** The first `size` training rows (row-major) and outcomes, as views. */
  get data(): GpData {
    return {
      inputs: this.inputs.subarray(0, this.n * this.dimension),
      outcomes: this.outcomes.subarray(0, this.n),
      count: this.n,
      dimension: this.dimension,
      priorMean: this.priorMean,
    };
  }

  get trackedFeatures(): FeatureMatrix | null {
    return this.tracked?.features ?? null;
  }

  /** Appends observations in pairs (appendTwoRows: the same numbers as one by one). */
  absorb(firsts: readonly ArrayLike<number>[], outcomes: ArrayLike<number>): void {
    let i = 0;
    for (; i + 1 < firsts.length; i += 2) this.absorbTwo(firsts[i], outcomes[i], firsts[i + 1], outcomes[i + 1]);
    if (i < firsts.length) this.absorbOne(firsts[i], outcomes[i]);
  }

  /** Builds the cache for `features` (O(n²·m)); false, and no cache, when V would exceed the budget. */
  track(features: FeatureMatrix): boolean {
    this.tracked = null;
    if (features.rows > 0 && this.n * features.rows > this.trackingBudget) return false;
    const cache = new TrackedCandidates(features, this.trackingBudget, this.n + 1);
    const L = this.factor.data;
    for (let i = 0; i < this.n; i++) {
      const offset = (i * (i + 1)) / 2;
      const w = L.subarray(offset, offset + i);
      cache.append(this.params, this.inputs, i * this.dimension, w, L[offset + i], this.z[i]);
    }
    this.tracked = cache;
    return true;
  }

  untrack(): void {
    this.tracked = null;
  }

  /** The cached posterior when `features` is the tracked matrix (O(m)), else null. */
  trackedPosterior(features: FeatureMatrix): Posterior | null {
    if (this.tracked?.features !== features) return null;
    return this.tracked.posterior(this.priorMean, this.params.signalVariance);
  }

  /** One forward solve per row: O(n²) each, O(n) memory. */
  predict(features: FeatureMatrix): Posterior {
    const m = features.rows;
    const n = this.n;
    const mean = new Float64Array(m);
    const std = new Float64Array(m);
    const column = new Float64Array(n);
    const v = new Float64Array(n);
    for (let j = 0; j < m; j++) {
      kernelColumn(this.params, this.inputs, n, this.dimension, features.data, j * features.cols, column);
      this.factor.solveLower(column, n, v);
      mean[j] = this.priorMean + packedDot(v, 0, this.z, n);
      std[j] = Math.sqrt(Math.max(0, this.params.signalVariance - packedDot(v, 0, v, n)));
    }
    return { mean, std };
  }

  /** V = L⁻¹K(X, C), row-major n × m: the tracked buffer when C is tracked, else solved afresh. */
  projection(features: FeatureMatrix): Float64Array {
    if (this.tracked?.features === features) return this.tracked.projection;
    const n = this.n;
    const m = features.rows;
    const V = new Float64Array(n * m);
    const column = new Float64Array(n);
    const v = new Float64Array(n);
    for (let j = 0; j < m; j++) {
      kernelColumn(this.params, this.inputs, n, this.dimension, features.data, j * features.cols, column);
      this.factor.solveLower(column, n, v);
      for (let i = 0; i < n; i++) V[i * m + j] = v[i];
    }
    return V;
  }

  posteriorFromProjection(V: Float64Array, m: number): Posterior {
    const mean = new Float64Array(m).fill(this.priorMean);
    const variance = new Float64Array(m).fill(this.params.signalVariance);
    for (let i = 0; i < this.n; i++) {
      const offset = i * m;
      const zi = this.z[i];
      for (let j = 0; j < m; j++) {
        const v = V[offset + j];
        mean[j] += v * zi;
        variance[j] -= v * v;
      }
    }
    for (let j = 0; j < m; j++) variance[j] = Math.sqrt(Math.max(0, variance[j]));
    return { mean, std: variance };
  }

  /** Posterior covariance K(C, C) − VᵀV over the rows (lower triangle filled), from V = `projection(C)`. */
  posteriorCovariance(features: FeatureMatrix, V: Float64Array): Matrix {
    const m = features.rows;
    const cov = zeros(m, m);
    const C = cov.data;
    const { cols, data } = features;
    for (let a = 0; a < m; a++) kernelColumn(this.params, data, a + 1, cols, data, a * cols, C.subarray(a * m));
    for (let i = 0; i < this.n; i++) {
      const offset = i * m;
      for (let a = 0; a < m; a++) {
        const via = V[offset + a];
        if (via === 0) continue;
        const ra = a * m;
        for (let b = 0; b <= a; b++) C[ra + b] -= via * V[offset + b];
      }
    }
    return cov;
  }

  /** log p(y | X) = −½‖z‖² − Σ log Lᵢᵢ − (n/2) log 2π: O(n). */
  logMarginalLikelihood(): number {
    let zz = 0;
    for (let i = 0; i < this.n; i++) zz += this.z[i] * this.z[i];
    return -0.5 * zz - 0.5 * this.factor.logDeterminant() - 0.5 * this.n * Math.log(2 * Math.PI);
  }

  private ensureCapacity(rows: number): void {
    if (rows <= this.outcomes.length) return;
    const capacity = Math.max(rows, 2 * this.outcomes.length);
    const grow = (old: Float64Array, width: number) => {
      const next = new Float64Array(capacity * width);
      next.set(old.subarray(0, this.n * width));
      return next;
    };
    this.inputs = grow(this.inputs, this.dimension);
    this.outcomes = grow(this.outcomes, 1);
    this.z = grow(this.z, 1);
  }

  private storeInput(row: number, values: ArrayLike<number>): Float64Array {
    const d = this.dimension;
    const x = this.inputs.subarray(row * d, (row + 1) * d);
    for (let k = 0; k < d; k++) x[k] = values[k];
    return x;
  }

  private absorbOne(first: ArrayLike<number>, outcome: number): void {
    const n = this.n;
    this.ensureCapacity(n + 1);
    const x = this.storeInput(n, first);
    const column = kernelColumn(this.params, this.inputs, n, this.dimension, x);
    this.extendFactor(() => this.factor.appendRow(column, this.params.signalVariance + this.noiseVariance), [outcome]);
  }

  private absorbTwo(first: ArrayLike<number>, outcomeX: number, second: ArrayLike<number>, outcomeY: number): void {
    const n = this.n;
    const d = this.dimension;
    this.ensureCapacity(n + 2);
    const x = this.storeInput(n, first);
    const y = this.storeInput(n + 1, second);
    const columnX = kernelColumn(this.params, this.inputs, n, d, x);
    const columnY = kernelColumn(this.params, this.inputs, n + 1, d, y);
    const diagonal = this.params.signalVariance + this.noiseVariance;
    this.extendFactor(() => this.factor.appendTwoRows(columnX, diagonal, columnY, diagonal), [outcomeX, outcomeY]);
  }

  /** Runs the factor append, then completes z, the outcomes and the tracked cache for each new row. */
  private extendFactor(append: () => void, outcomes: readonly number[]): void {
    const base = this.n;
    let failure: unknown = null;
    try {
      append();
    } catch (e) {
      failure = e;
    }
    // Rows the factor accepted before a failure are kept, so the state stays consistent.
    while (this.n < this.factor.size) this.completeRow(outcomes[this.n - base]);
    if (failure instanceof NotPositiveDefiniteError) {
      throw new RangeError(
        `BordaGP: observation ${this.n} made K + σₙ²I numerically singular (pivot ${failure.pivot}); raise noiseVariance`,
      );
    }
    if (failure) throw failure;
  }

  private completeRow(outcome: number): void {
    const i = this.n;
    const offset = (i * (i + 1)) / 2;
    const L = this.factor.data;
    const w = L.subarray(offset, offset + i);
    const diagonal = L[offset + i];
    const zi = (outcome - this.priorMean - packedDot(w, 0, this.z, i)) / diagonal;
    this.z[i] = zi;
    this.outcomes[i] = outcome;
    this.n = i + 1;
    if (this.tracked && !this.tracked.append(this.params, this.inputs, i * this.dimension, w, diagonal, zi)) {
      this.tracked = null;
    }
  }
}
