/**
 * The batch step of AE-Borda: greedy selection with hallucinated variances (GP-BUCB), run on a
 * pool of the top prompts by gap instead of the whole campaign.
 *
 * Why the pool is exact, not a heuristic. Hallucinating an observation conditions a Gaussian
 * posterior, which can only shrink variances, and the means do not move (the outcome is unknown).
 * With σ shrinking, every UCB μ + βσ falls and every LCB μ − βσ rises, so each prompt's gap
 * max_a UCB − max_a LCB can only shrink as the batch grows. A prompt outside the pool therefore
 * has a hallucinated gap ≤ its original gap ≤ t, the largest original gap outside the pool (the
 * gap of the first prompt past the pool in the ranking). If the best hallucinated gap inside the
 * pool is ≥ t, no outside prompt can beat it, and the greedy choice over the pool is the greedy
 * choice over all prompts. Otherwise the pool doubles and the picks made so far are replayed into
 * a fresh session over the bigger pool (they were exact choices, so they stay).
 *
 * Ties are broken by the original ranking (larger original gap first, then lower prompt index).
 * That makes the equivalence exact even on ties: every outside prompt ranks after every pool
 * prompt, so a tie at t goes to the pool. The hallucinated σ is clamped to the original σ so that
 * round-off in a model's session cannot make a gap grow and void the argument.
 *
 * Cost: the session over the pool is the model's (O(pool rows) per add for the GP and low-rank
 * sessions). When a batch shrinks variances everywhere (a low-rank model with fewer features than
 * the batch) the exact pool can approach the whole campaign; `maxPoolPrompts` trades exactness
 * for a bounded pool.
 */
import type { FeatureMatrix } from '@borda/numeric';
import type { HallucinatingModel, Posterior } from '@borda/reward-model';
import type { GapRanking } from '../bounds';
import { candidateSubset } from '../candidates';
import type { CandidateSet } from '../types';

export interface GreedyPick {
  readonly prompt: number;
  /** Local index of the first arm: argmax hallucinated UCB of the prompt when it was picked. */
  readonly arm: number;
  /** Hallucinated gap of the prompt when it was picked. */
  readonly gap: number;
}

export interface GreedyResult {
  readonly picks: GreedyPick[];
  /** Prompts in the final pool. */
  readonly poolPrompts: number;
  /** How many times the pool had to grow. */
  readonly rebuilds: number;
  /** False when maxPoolPrompts stopped the pool from growing where the exact greedy needed it. */
  readonly exact: boolean;
}

/**
 * Greedy hallucinated batch over the ranked prompts. `posterior` covers all rows of `candidates`;
 * `ranking` lists the selectable prompts by original gap.
 */
export interface GreedyOptions {
  readonly beta: number;
  readonly batchSize: number;
  /** Prompts in the first pool. */
  readonly initialPoolPrompts: number;
  /** Cap on the pool (default Infinity = exact); past it the pool's best is taken, see GreedyResult.exact. */
  readonly maxPoolPrompts?: number;
}

export function hallucinatedGreedy(
  model: HallucinatingModel,
  candidates: CandidateSet,
  posterior: Posterior,
  ranking: GapRanking,
  options: GreedyOptions,
): GreedyResult {
  const { beta, batchSize } = options;
  const n = ranking.order.length;
  const cap = Math.min(n, Math.max(1, options.maxPoolPrompts ?? Infinity));
  let size = Math.min(cap, Math.max(1, options.initialPoolPrompts));
  let exact = true;
  let rebuilds = 0;
  const picks: { rank: number; prompt: number; arm: number; gap: number }[] = [];
  for (;;) {
    const pool = candidateSubset(candidates, ranking.order.subarray(0, size));
    const { mean, std } = poolPosterior(candidates, posterior, ranking.order, size, pool.features);
    const session = model.hallucinate(pool.features);
    for (const pick of picks) session.add(pool.offsets[pick.rank] + pick.arm);
    const threshold = size < n ? ranking.gap[size] : -Infinity;
    let grown = false;
    while (picks.length < batchSize) {
      const variance = session.variance;
      let bestRank = -1;
      let bestGap = -Infinity;
      let bestArm = -1;
      for (let k = 0; k < size; k++) {
        let maxUcb = -Infinity;
        let maxLcb = -Infinity;
        let ucbArm = -1;
        for (let r = pool.offsets[k]; r < pool.offsets[k + 1]; r++) {
          const s = Math.min(Math.sqrt(Math.max(variance[r], 0)), std[r]);
          const ucb = mean[r] + beta * s;
          const lcb = mean[r] - beta * s;
          if (ucbArm < 0 || ucb > maxUcb) {
            maxUcb = ucb;
            ucbArm = r - pool.offsets[k];
          }
          if (lcb > maxLcb) maxLcb = lcb;
        }
        const gap = maxUcb - maxLcb;
        // Strict: on ties the earlier rank (already visited) keeps the pick.
        if (bestRank < 0 || gap > bestGap) {
          bestRank = k;
          bestGap = gap;
          bestArm = ucbArm;
        }
      }
      if (bestGap < threshold) {
        if (size < cap) {
          // Every prompt whose original gap reaches bestGap may beat the pool's best; take them
          // all at once (at least a doubling) to save replays.
          size = Math.min(cap, Math.max(2 * size, countAtLeast(ranking.gap, bestGap)));
          rebuilds++;
          grown = true;
          break;
        }
        exact = false;
      }
      picks.push({ rank: bestRank, prompt: ranking.order[bestRank], arm: bestArm, gap: bestGap });
      // The last pick needs no conditioning: nothing is chosen after it.
      if (picks.length < batchSize) session.add(pool.offsets[bestRank] + bestArm);
    }
    if (!grown) break;
  }
  return {
    picks: picks.map(({ prompt, arm, gap }) => ({ prompt, arm, gap })),
    poolPrompts: size,
    rebuilds,
    exact,
  };
}

/** How many entries of a non-increasing array are ≥ value (binary search). */
function countAtLeast(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] >= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Mean and std of the pool rows, copied out of the full posterior in pool order. */
function poolPosterior(
  candidates: CandidateSet,
  posterior: Posterior,
  order: Int32Array,
  size: number,
  poolFeatures: FeatureMatrix,
): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(poolFeatures.rows);
  const std = new Float64Array(poolFeatures.rows);
  let i = 0;
  for (let k = 0; k < size; k++) {
    const p = order[k];
    for (let r = candidates.offsets[p]; r < candidates.offsets[p + 1]; r++, i++) {
      mean[i] = posterior.mean[r];
      std[i] = posterior.std[r];
    }
  }
  return { mean, std };
}
