/**
 * Outcome-free conditioning for LaplaceBradleyTerry (H = UᵀU the Laplace posterior precision).
 *
 * A pending comparison (a, b) will add σ'(θ̂ᵀz) z zᵀ to H with z = φ(a) − φ(b), whatever its outcome;
 * before it is answered we take the largest weight σ'(0) = ¼ (pairs are chosen where the model is
 * unsure). A batch selector that only names the first response (AE-Borda draws the competitor
 * uniformly) gets z = φ(a) − φ̄ with φ̄ the mean feature vector of the observed responses — the
 * expected competitor. Variances then drop by Sherman–Morrison: with s = H⁻¹u (u = √¼·z),
 * var(φⱼ) ← var(φⱼ) − (φⱼᵀs)² / (1 + uᵀs).
 */
import type { FeatureMatrix } from '@borda/numeric';
import { choleskyRankOneUpdate, solveUpper, solveUpperTransposed } from './low-rank-factor';
import type { HallucinationSession, PosteriorConditioner } from './model';

/** σ'(0): the logistic likelihood's largest curvature, used for pairs whose outcome is unknown. */
export const PENDING_PAIR_WEIGHT = 0.25;

/** A conditioner that can also take exact pairs. */
export interface PairConditioner extends PosteriorConditioner {
  /** Conditions on one outcome-free comparison of these two raw rows. */
  addPair(first: ArrayLike<number>, second: ArrayLike<number>): void;
}

/** u = √w·(φ(a) − φ̄) into a fresh array. */
export function pendingDirection(phi: ArrayLike<number>, comparator: Float64Array): Float64Array {
  const scale = Math.sqrt(PENDING_PAIR_WEIGHT);
  const u = new Float64Array(comparator.length);
  for (let k = 0; k < u.length; k++) u[k] = scale * (phi[k] - comparator[k]);
  return u;
}

/** φᵀH⁻¹φ = ‖U⁻ᵀφ‖² for every row of the mapped features. */
export function variancesBySolve(U: Float64Array, phi: FeatureMatrix): Float64Array {
  const p = phi.cols;
  const y = new Float64Array(p);
  const variance = new Float64Array(phi.rows);
  for (let j = 0; j < phi.rows; j++) {
    solveUpperTransposed(U, p, phi.data.subarray(j * p, (j + 1) * p), y);
    let v = 0;
    for (let k = 0; k < p; k++) v += y[k] * y[k];
    variance[j] = v;
  }
  return variance;
}

export class BtHallucinationSession implements HallucinationSession {
  readonly variance: Float64Array;

  /** `pool`: mapped pool rows (m × p); `factor`: a private copy of U; `variance`: taken over. */
  constructor(
    private readonly pool: FeatureMatrix,
    private readonly factor: Float64Array,
    private readonly comparator: Float64Array,
    variance: Float64Array,
  ) {
    this.variance = variance;
  }

  add(poolIndex: number): void {
    const { rows: m, cols: p, data } = this.pool;
    if (!(Number.isInteger(poolIndex) && poolIndex >= 0 && poolIndex < m)) {
      throw new RangeError(`hallucinate.add: poolIndex ${String(poolIndex)} is not a row of the ${m}-row pool`);
    }
    const u = pendingDirection(data.subarray(poolIndex * p, (poolIndex + 1) * p), this.comparator);
    const s = solveUpper(this.factor, p, solveUpperTransposed(this.factor, p, u));
    let quad = 0;
    for (let k = 0; k < p; k++) quad += u[k] * s[k];
    const inv = 1 / (1 + quad);
    for (let j = 0; j < m; j++) {
      let t = 0;
      for (let k = 0; k < p; k++) t += data[j * p + k] * s[k];
      this.variance[j] = Math.max(0, this.variance[j] - t * t * inv);
    }
    choleskyRankOneUpdate(this.factor, p, u);
  }
}
