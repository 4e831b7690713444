/**
 * Joint Gaussian draws from a posterior covariance that is positive semi-definite in exact
 * arithmetic but may be slightly indefinite after rounding (near-duplicate rows): a jitter starting
 * at 1e-10·scale is added to the diagonal and grown tenfold until the Cholesky factorisation
 * succeeds (up to `scale` itself). Shared by the exact and the preferential GP.
 */
import { NotPositiveDefiniteError, cholesky } from '@borda/numeric';
import type { Matrix, Rng } from '@borda/numeric';
import { packedDot } from './gp-cholesky';

/** `count` draws of N(mean, cov); `cov` is a square matrix (only its lower triangle is read, and it is modified). */
export function drawJointGaussian(
  mean: Float64Array,
  cov: Matrix,
  count: number,
  rng: Rng,
  scale: number,
): Float64Array[] {
  const m = mean.length;
  const C = cov.data;
  let jitter = 1e-10 * scale;
  let factor: Matrix | null = null;
  while (!factor) {
    for (let a = 0; a < m; a++) C[a * m + a] += jitter;
    try {
      factor = cholesky(cov);
    } catch (e) {
      if (!(e instanceof NotPositiveDefiniteError) || jitter > scale) throw e;
      for (let a = 0; a < m; a++) C[a * m + a] -= jitter;
      jitter *= 10;
    }
  }
  const draws: Float64Array[] = [];
  for (let s = 0; s < count; s++) {
    const eps = rng.normals(m);
    const draw = Float64Array.from(mean);
    for (let a = 0; a < m; a++) draw[a] += packedDot(factor.data, a * m, eps, a + 1);
    draws.push(draw);
  }
  return draws;
}
