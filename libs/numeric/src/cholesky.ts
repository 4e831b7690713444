/**
 * Cholesky factorisation A = L Lᵀ (L lower-triangular, row-major n×n) and the solves built on it,
 * including the O(n²) bordering step that grows a square factor by one row. (The exact GP applies
 * the same step to a packed, growable factor of its own — reward-model's gp-cholesky.ts — to keep
 * n²/2 doubles instead of a square buffer.)
 */
import { Matrix, zeros } from './matrix';

export class NotPositiveDefiniteError extends RangeError {
  constructor(
    readonly pivotIndex: number,
    readonly pivot: number,
  ) {
    super(`matrix is not positive definite (pivot ${pivotIndex} is ${pivot})`);
    this.name = 'NotPositiveDefiniteError';
  }
}

/** Lower Cholesky factor of a symmetric positive-definite matrix (only its lower triangle is read). */
export function cholesky(a: Matrix): Matrix {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError(`cholesky needs a square matrix, got ${a.rows}×${a.cols}`);
  const l = zeros(n, n);
  const L = l.data;
  const A = a.data;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = A[ri + j];
      for (let k = 0; k < j; k++) s -= L[ri + k] * L[rj + k];
      if (i === j) {
        if (!(s > 0)) throw new NotPositiveDefiniteError(i, s);
        L[ri + i] = Math.sqrt(s);
      } else {
        L[ri + j] = s / L[rj + j];
      }
    }
  }
  return l;
}

/** Solves L x = b in place of a copy (forward substitution). `n` limits to the leading n×n block. */
export function solveLower(l: Matrix, b: ArrayLike<number>, n = l.rows, stride = l.cols): Float64Array {
  const x = new Float64Array(n);
  const L = l.data;
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const ri = i * stride;
    for (let k = 0; k < i; k++) s -= L[ri + k] * x[k];
    x[i] = s / L[ri + i];
  }
  return x;
}

/** Solves Lᵀ x = b (backward substitution). */
export function solveUpperTransposed(l: Matrix, b: ArrayLike<number>, n = l.rows, stride = l.cols): Float64Array {
  const x = Float64Array.from({ length: n }, (_, i) => b[i]);
  const L = l.data;
  for (let i = n - 1; i >= 0; i--) {
    x[i] /= L[i * stride + i];
    const xi = x[i];
    for (let k = 0; k < i; k++) x[k] -= L[i * stride + k] * xi;
  }
  return x;
}

/** Solves (L Lᵀ) x = b. */
export function choleskySolve(l: Matrix, b: ArrayLike<number>, n = l.rows, stride = l.cols): Float64Array {
  return solveUpperTransposed(l, solveLower(l, b, n, stride), n, stride);
}

/**
 * Given the factor of the leading n×n block, returns the new last row of the factor of the
 * (n+1)×(n+1) matrix [[A, c], [cᵀ, d]]: [wᵀ, sqrt(d − wᵀw)] with w = L⁻¹ c. O(n²).
 */
export function choleskyAppendRow(
  l: Matrix,
  n: number,
  stride: number,
  c: ArrayLike<number>,
  d: number,
): { w: Float64Array; diagonal: number } {
  const w = solveLower(l, c, n, stride);
  let ww = 0;
  for (let k = 0; k < n; k++) ww += w[k] * w[k];
  const rest = d - ww;
  if (!(rest > 0)) throw new NotPositiveDefiniteError(n, rest);
  return { w, diagonal: Math.sqrt(rest) };
}

/** Inverse of a lower-triangular matrix (lower-triangular). */
export function invertLower(l: Matrix): Matrix {
  const n = l.rows;
  const inv = zeros(n, n);
  const L = l.data;
  const R = inv.data;
  for (let j = 0; j < n; j++) {
    R[j * n + j] = 1 / L[j * n + j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * n + k] * R[k * n + j];
      R[i * n + j] = s / L[i * n + i];
    }
  }
  return inv;
}

/** Inverse of a symmetric positive-definite matrix from its Cholesky factor. */
export function choleskyInverse(l: Matrix): Matrix {
  const n = l.rows;
  const r = invertLower(l);
  const out = zeros(n, n);
  // A⁻¹ = L⁻ᵀ L⁻¹ = Rᵀ R
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += r.data[k * n + i] * r.data[k * n + j];
      out.data[i * n + j] = s;
      out.data[j * n + i] = s;
    }
  }
  return out;
}
