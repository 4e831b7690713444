/** Bradley–Terry labels drawn from an environment's true reward. */
import { type Rng, sigmoid } from '@borda/numeric';
import type { Environment } from './types';

/** P(first ≻ second | prompt) = σ(r(x, first) − r(x, second)); indices are local to the prompt. */
export function preferenceProbability(env: Environment, prompt: number, first: number, second: number): number {
  const o = env.offsets[prompt];
  return sigmoid(env.reward[o + first] - env.reward[o + second]);
}

/** y ~ Bernoulli(σ(r(x, first) − r(x, second))): 1 when `first` is preferred. */
export function drawPreference(env: Environment, prompt: number, first: number, second: number, rng: Rng): 0 | 1 {
  return rng.bernoulli(preferenceProbability(env, prompt, first, second));
}
