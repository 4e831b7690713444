/**
 * Upper-triangular Cholesky factor U of a d × d precision matrix A = UᵀU (row-major), with the
 * rank-one update the low-rank Borda model applies per label.
 *
 * Why a factor and not Sherman–Morrison on the covariance: each label only ever adds a PSD rank one
 * xxᵀ to A, and the rotation-based update of U (LINPACK dchud) is backward stable, so U stays an
 * exact factor of a symmetric positive-definite matrix — there is no covariance drifting away from
 * symmetry to re-symmetrise, and no cancellation in A⁻¹ − A⁻¹xxᵀA⁻¹/(1 + xᵀA⁻¹x). Rows of U are
 * contiguous, which is the order the update walks them.
 */
import type { Rng } from '@borda/numeric';

/** U ← factor of UᵀU + xxᵀ. O(d²). `x` is overwritten. */
export function choleskyRankOneUpdate(U: Float64Array, d: number, x: Float64Array): void {
  for (let k = 0; k < d; k++) {
    const xk = x[k];
    if (xk === 0) continue;
    const rk = k * d;
    const ukk = U[rk + k];
    const r = Math.hypot(ukk, xk);
    const c = r / ukk;
    const s = xk / ukk;
    U[rk + k] = r;
    for (let i = k + 1; i < d; i++) {
      const u = (U[rk + i] + s * x[i]) / c;
      U[rk + i] = u;
      x[i] = c * x[i] - s * u;
    }
  }
}

/** y = U⁻ᵀ b (forward substitution with Uᵀ, walking rows of U). */
export function solveUpperTransposed(
  U: Float64Array,
  d: number,
  b: ArrayLike<number>,
  out?: Float64Array,
): Float64Array {
  const y = out ?? new Float64Array(d);
  for (let i = 0; i < d; i++) y[i] = b[i];
  for (let k = 0; k < d; k++) {
    const rk = k * d;
    const yk = y[k] / U[rk + k];
    y[k] = yk;
    if (yk === 0) continue;
    for (let i = k + 1; i < d; i++) y[i] -= U[rk + i] * yk;
  }
  return y;
}

/** x = U⁻¹ y (backward substitution). */
export function solveUpper(U: Float64Array, d: number, y: ArrayLike<number>, out?: Float64Array): Float64Array {
  const x = out ?? new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    const ri = i * d;
    let s = y[i];
    for (let k = i + 1; k < d; k++) s -= U[ri + k] * x[k];
    x[i] = s / U[ri + i];
  }
  return x;
}

/**
 * R = (Uᵀ)⁻¹ = L⁻¹, lower-triangular row-major: the matrix the arm-scoring kernel multiplies by.
 * Built column by column of R (each a forward solve with a unit vector), O(d³/3).
 */
export function inverseOfTransposedFactor(U: Float64Array, d: number): Float64Array {
  const R = new Float64Array(d * d);
  const column = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    column.fill(0);
    column[j] = 1;
    for (let k = j; k < d; k++) {
      const rk = k * d;
      const yk = column[k] / U[rk + k];
      column[k] = yk;
      if (yk === 0) continue;
      for (let i = k + 1; i < d; i++) column[i] -= U[rk + i] * yk;
    }
    for (let i = j; i < d; i++) R[i * d + j] = column[i];
  }
  return R;
}

/** A draw of θ ~ N(mean, A⁻¹): mean + U⁻¹ε, since cov(U⁻¹ε) = U⁻¹U⁻ᵀ = A⁻¹. */
export function sampleGaussian(U: Float64Array, d: number, mean: Float64Array, rng: Rng): Float64Array {
  const draw = solveUpper(U, d, rng.normals(d));
  for (let i = 0; i < d; i++) draw[i] += mean[i];
  return draw;
}
