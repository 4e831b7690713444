/**
 * GP-sample environment (algorithms.md §5): the reward is one draw from a zero-mean GP prior with
 * an RBF kernel over the (context, action) unit square, sampled on a grid and rescaled to [−3, 3].
 * Learning it is exactly the well-specified case of the Borda GP (up to the σ link).
 */
import { NotPositiveDefiniteError, Rng, cholesky, matVec, zeros } from '@borda/numeric';
import type { Environment, EnvironmentOptions } from '../types';
import { buildRows, linspace, requireInteger, requirePositive, rescale, uniformOffsets } from './build';
import { DEFAULT_GRID_SIZE, REWARD_LIMIT } from './grid';

export interface GpSampleEnvironmentOptions extends EnvironmentOptions {
  /** RBF lengthscale of the prior in unit-square coordinates (default 0.2). */
  readonly lengthscale?: number;
}

export function gpSampleEnvironment(options: GpSampleEnvironmentOptions = {}): Environment {
  const n = requireInteger(options.gridSize ?? DEFAULT_GRID_SIZE, 'gridSize', 2, 60);
  const lengthscale = requirePositive(options.lengthscale ?? 0.2, 'lengthscale');
  const unit = linspace(0, 1, n);
  const features = buildRows(n * n, 2, (k, out) => {
    out[0] = unit[Math.floor(k / n)];
    out[1] = unit[k % n];
  });
  const m = n * n;
  const gram = zeros(m, m);
  const inv2l2 = 1 / (2 * lengthscale * lengthscale);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      const d0 = features.data[2 * i] - features.data[2 * j];
      const d1 = features.data[2 * i + 1] - features.data[2 * j + 1];
      gram.data[i * m + j] = Math.exp(-(d0 * d0 + d1 * d1) * inv2l2);
    }
  }
  // A dense RBF Gram matrix is numerically singular; grow the jitter until the factor exists.
  let factor = null;
  for (let jitter = 1e-8; factor === null; jitter *= 10) {
    for (let i = 0; i < m; i++) gram.data[i * m + i] = 1 + jitter;
    try {
      factor = cholesky(gram);
    } catch (e) {
      if (!(e instanceof NotPositiveDefiniteError) || jitter > 1e-2) throw e;
    }
  }
  const z = new Rng(options.seed ?? 1).normals(m);
  // L z with L the (square, zero above the diagonal) Cholesky factor: a draw from N(0, K).
  const raw = matVec(factor, z);
  return {
    name: 'gp-sample',
    offsets: uniformOffsets(n, n),
    features,
    reward: rescale(raw, -REWARD_LIMIT, REWARD_LIMIT),
    lengthscale,
    description: `draw from an RBF GP prior (lengthscale ${lengthscale}) on a ${n}×${n} grid, rescaled to [−3, 3]`,
  };
}
