/**
 * The exact GP's cache for one candidate matrix C (m rows) that is predicted again after every
 * label — the simulator's arm grid, a selector's candidate set.
 *
 * It keeps V = L⁻¹ K(X_train, C) (n × m, one row per training point) plus the running sums
 * Σᵢ Vᵢⱼ zᵢ and Σᵢ Vᵢⱼ² (z = L⁻¹(y − m₀)). A new label appends one factor row [w, δ], and the matching
 * row of V is (K(x_new, C) − wᵀV) / δ: O(n·m + m·d) per label instead of the O(n²·m) solves a fresh
 * predict costs, and a predict on the cache is O(m).
 *
 * Rows of V are never overwritten once written (growth copies into a new buffer), so a
 * hallucination session may keep reading the first n rows while the model moves on.
 */
import type { FeatureMatrix } from '@borda/numeric';
import { KernelParams, kernelColumn } from './kernels';
import type { Posterior } from './model';

export class TrackedCandidates {
  readonly rows: number;
  private buffer: Float64Array;
  private count = 0;
  private readonly meanSum: Float64Array;
  private readonly varianceSum: Float64Array;

  /** `budget`: the most doubles V may occupy; `initialRows`: rows to reserve up front. */
  constructor(
    readonly features: FeatureMatrix,
    private readonly budget: number,
    initialRows: number,
  ) {
    this.rows = features.rows;
    const capacity = Math.min(Math.max(initialRows, 8), this.maxRows());
    this.buffer = new Float64Array(capacity * this.rows);
    this.meanSum = new Float64Array(this.rows);
    this.varianceSum = new Float64Array(this.rows);
  }

  /** Training rows V can hold within the budget. */
  maxRows(): number {
    return this.rows === 0 ? Number.MAX_SAFE_INTEGER : Math.floor(this.budget / this.rows);
  }

  /** Training points absorbed (rows of V). */
  get size(): number {
    return this.count;
  }

  /** V, row-major (size × rows valid entries). */
  get projection(): Float64Array {
    return this.buffer;
  }

  /**
   * Appends the row of V for a new training point `x` whose factor row is `w` (length size) with
   * diagonal `diagonal`, and whose whitened residual is `zValue`. Returns false, leaving the cache
   * unusable, when V would outgrow the budget.
   */
  append(
    params: KernelParams,
    x: ArrayLike<number>,
    xOffset: number,
    w: Float64Array,
    diagonal: number,
    zValue: number,
  ): boolean {
    const m = this.rows;
    const n = this.count;
    if ((n + 1) * m > this.buffer.length) {
      const maxRows = this.maxRows();
      if (n + 1 > maxRows) return false;
      const grown = new Float64Array(Math.min(Math.max(n + 1, 2 * (this.buffer.length / Math.max(m, 1))), maxRows) * m);
      grown.set(this.buffer.subarray(0, n * m));
      this.buffer = grown;
    }
    const V = this.buffer;
    const row = V.subarray(n * m, (n + 1) * m);
    kernelColumn(params, this.features.data, m, this.features.cols, x, xOffset, row);
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const offset = i * m;
      for (let j = 0; j < m; j++) row[j] -= wi * V[offset + j];
    }
    const inv = 1 / diagonal;
    const meanSum = this.meanSum;
    const varianceSum = this.varianceSum;
    for (let j = 0; j < m; j++) {
      const v = row[j] * inv;
      row[j] = v;
      meanSum[j] += v * zValue;
      varianceSum[j] += v * v;
    }
    this.count = n + 1;
    return true;
  }

  posterior(priorMean: number, signalVariance: number): Posterior {
    const m = this.rows;
    const mean = new Float64Array(m);
    const std = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      mean[j] = priorMean + this.meanSum[j];
      std[j] = Math.sqrt(Math.max(0, signalVariance - this.varianceSum[j]));
    }
    return { mean, std };
  }
}
