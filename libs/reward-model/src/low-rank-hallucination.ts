/**
 * GP-BUCB hallucination for the low-rank model. An outcome-free observation at pool row a adds
 * φₐφₐᵀ/σₙ² to the precision, so with s = A⁻¹φₐ every pool variance drops by (φⱼᵀs)²/(σₙ² + φₐᵀs)
 * (Sherman–Morrison). s comes from two triangular solves with the session's own copy of the
 * factor, which then takes the rank-one update: O(d²) for the factor, O(m·d) for the variances.
 */
import type { FeatureMatrix } from '@borda/numeric';
import { choleskyRankOneUpdate, solveUpper, solveUpperTransposed } from './low-rank-factor';
import type { HallucinationSession } from './model';

export class LowRankHallucinationSession implements HallucinationSession {
  readonly variance: Float64Array;
  private added = 0;
  private readonly s: Float64Array;
  private readonly y: Float64Array;

  /** `features`: the mapped pool (m × d); `factor`: a private copy of U; `variance`: taken over. */
  constructor(
    private readonly features: FeatureMatrix,
    private readonly factor: Float64Array,
    private readonly noiseVariance: number,
    variance: Float64Array,
  ) {
    this.variance = variance;
    this.s = new Float64Array(features.cols);
    this.y = new Float64Array(features.cols);
  }

  get size(): number {
    return this.added;
  }

  add(poolIndex: number): void {
    const { rows: m, cols: d, data } = this.features;
    if (!(Number.isInteger(poolIndex) && poolIndex >= 0 && poolIndex < m)) {
      throw new RangeError(`hallucinate.add: poolIndex ${String(poolIndex)} is not a row of the ${m}-row pool`);
    }
    const phi = Float64Array.from(data.subarray(poolIndex * d, (poolIndex + 1) * d));
    const s = solveUpper(this.factor, d, solveUpperTransposed(this.factor, d, phi, this.y), this.s);
    let quad = 0;
    for (let k = 0; k < d; k++) quad += phi[k] * s[k];
    const inv = 1 / (this.noiseVariance + quad);
    const variance = this.variance;
    for (let j = 0; j < m; j++) {
      const o = j * d;
      let t0 = 0;
      let t1 = 0;
      let k = 0;
      for (; k + 1 < d; k += 2) {
        t0 += data[o + k] * s[k];
        t1 += data[o + k + 1] * s[k + 1];
      }
      if (k < d) t0 += data[o + k] * s[k];
      const t = t0 + t1;
      variance[j] = Math.max(0, variance[j] - t * t * inv);
    }
    const scale = 1 / Math.sqrt(this.noiseVariance);
    for (let k = 0; k < d; k++) phi[k] *= scale;
    choleskyRankOneUpdate(this.factor, d, phi);
    this.added++;
  }
}
