/**
 * Linear environment (algorithms.md §5): every arm has a random unit feature vector φ ∈ R^d and
 * r = s·θ*ᵀφ + c with θ* a random unit vector; s, c map the rewards onto [−3, 3] (an affine map
 * keeps the reward linear in φ, and c cancels in every Bradley–Terry comparison).
 */
import { Rng, matVec } from '@borda/numeric';
import type { Environment, EnvironmentOptions } from '../types';
import { buildRows, requireInteger, rescale, uniformOffsets } from './build';
import { REWARD_LIMIT } from './grid';

export interface LinearEnvironmentOptions extends EnvironmentOptions {
  /** Prompts (default 30). */
  readonly prompts?: number;
  /** Responses per prompt (default 8). */
  readonly responses?: number;
  /** Feature dimension d (default 6). */
  readonly dimension?: number;
}

export function randomUnitVector(
  d: number,
  rng: Rng,
  out: Float64Array<ArrayBufferLike> = new Float64Array(d),
): Float64Array<ArrayBufferLike> {
  let norm = 0;
  do {
    norm = 0;
    for (let k = 0; k < d; k++) {
      out[k] = rng.normal();
      norm += out[k] * out[k];
    }
  } while (norm === 0);
  norm = Math.sqrt(norm);
  for (let k = 0; k < d; k++) out[k] /= norm;
  return out;
}

export function linearEnvironment(options: LinearEnvironmentOptions = {}): Environment {
  const prompts = requireInteger(options.prompts ?? 30, 'prompts', 1, 100_000);
  const responses = requireInteger(options.responses ?? 8, 'responses', 2, 10_000);
  const d = requireInteger(options.dimension ?? 6, 'dimension', 1, 10_000);
  const rng = new Rng(options.seed ?? 1);
  const theta = randomUnitVector(d, rng.fork(0));
  const armRng = rng.fork(1);
  const features = buildRows(prompts * responses, d, (_, out) => randomUnitVector(d, armRng, out));
  const raw = matVec(features, theta);
  return {
    name: 'linear',
    offsets: uniformOffsets(prompts, responses),
    features,
    reward: rescale(raw, -REWARD_LIMIT, REWARD_LIMIT),
    // Unit vectors lie at distance ≤ 2 from each other; a lengthscale of that order makes the RBF
    // kernel nearly linear over the sphere, which suits a linear reward.
    lengthscale: 1,
    description: `linear reward on ${prompts} prompts × ${responses} random unit features in R^${d}, rescaled to [−3, 3]`,
  };
}
