/**
 * GP-BUCB hallucination for the exact GP. Conditioning on a noisy observation at pool row a changes
 * the pool covariance by the rank one Σ' = Σ − Σ₍:,a₎Σ₍a,:₎ / (Σₐₐ + σₙ²), whatever the outcome.
 * With V = L⁻¹K(X, P) the current column is
 *   Σ₍:,a₎ = K(P, pₐ) − Vᵀ V₍:,a₎ − Σₕ uₕ uₕ[a],
 * where uₕ = Σ₍:,aₕ₎ / sqrt(Σₐₕₐₕ + σₙ²) are the earlier hallucinated picks. Each add therefore
 * costs O(m·(d + n + k)) for the k-th pick and stores one m-vector; nothing m × m is ever formed.
 */
import type { FeatureMatrix } from '@borda/numeric';
import { KernelParams, kernelColumn } from './kernels';
import type { HallucinationSession } from './model';

export class GpHallucinationSession implements HallucinationSession {
  readonly variance: Float64Array;
  private readonly picks: Float64Array[] = [];

  /**
   * `projection`: V, row-major with `trainingRows` rows of `pool.rows` values (only read).
   * `variance`: the current posterior variance of every pool row (taken over, then updated in place).
   */
  constructor(
    private readonly pool: FeatureMatrix,
    private readonly params: KernelParams,
    private readonly noiseVariance: number,
    private readonly projection: Float64Array,
    private readonly trainingRows: number,
    variance: Float64Array,
  ) {
    this.variance = variance;
  }

  /** Pool rows added so far. */
  get size(): number {
    return this.picks.length;
  }

  add(poolIndex: number): void {
    const m = this.pool.rows;
    if (!(Number.isInteger(poolIndex) && poolIndex >= 0 && poolIndex < m)) {
      throw new RangeError(`hallucinate.add: poolIndex ${String(poolIndex)} is not a row of the ${m}-row pool`);
    }
    const a = poolIndex;
    const column = kernelColumn(this.params, this.pool.data, m, this.pool.cols, this.pool.data, a * this.pool.cols);
    const V = this.projection;
    for (let i = 0; i < this.trainingRows; i++) {
      const offset = i * m;
      const via = V[offset + a];
      if (via === 0) continue;
      for (let j = 0; j < m; j++) column[j] -= via * V[offset + j];
    }
    for (const u of this.picks) {
      const ua = u[a];
      if (ua === 0) continue;
      for (let j = 0; j < m; j++) column[j] -= ua * u[j];
    }
    const scale = 1 / Math.sqrt(Math.max(column[a], 0) + this.noiseVariance);
    const variance = this.variance;
    for (let j = 0; j < m; j++) {
      const u = column[j] * scale;
      column[j] = u;
      // A variance can only shrink; the clamp keeps rounding from taking it below zero.
      variance[j] = Math.max(0, variance[j] - u * u);
    }
    this.picks.push(column);
  }
}
