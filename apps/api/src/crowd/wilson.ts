import type { RateInterval } from '@borda/api-contract';

/** z of a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/**
 * Wilson score 95 % interval of a binomial rate: keeps its coverage for small counts and rates near
 * 0 or 1, where the Wald interval collapses to a point. (The same formula as @borda/reward-model's
 * crowd `wilsonInterval`, which that package does not export from its entry point yet.)
 */
export function wilson(successes: number, trials: number): RateInterval {
  if (trials === 0) return { successes, trials, rate: null, low: 0, high: 1 };
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (Z95 / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { successes, trials, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
