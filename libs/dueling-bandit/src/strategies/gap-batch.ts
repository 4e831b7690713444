/**
 * The batch step of the gap rules (ae-borda, ae-auto): which prompts a batch asks, and the first
 * response of each, greedy on the gap max_a UCB − max_a LCB with every pick hallucinated into the
 * posterior (GP-BUCB) when the model can hallucinate.
 *
 * - A model that conditions on demand (`conditioner()`): the lazy greedy over a priority queue
 *   (ae-borda-lazy-greedy.ts).
 * - A model with `hallucinate()` only: the greedy over a growing pool of the top prompts
 *   (ae-borda-greedy.ts).
 * - Otherwise (or for a batch of one): the top prompts by gap, one query each.
 * All three pick exactly the brute-force greedy's first element; the first two are the brute-force
 * greedy (tested), so the batch does not depend on which path ran.
 */
import { canHallucinate, type Posterior, type PreferenceModel } from '@borda/reward-model';
import type { GapRanking } from '../bounds';
import type { CandidateSet } from '../types';
import { hallucinatedGreedy, type GreedyPick } from './ae-borda-greedy';
import { lazyHallucinatedGreedy } from './ae-borda-lazy-greedy';
import { integerOption } from './common';

/** The hallucination-pool knobs a gap strategy accepts (both only matter for `hallucinate()` models). */
export interface GapPoolOptions {
  /**
   * Prompts in the first hallucination pool (default max(2 × batch, 32)). Only a speed knob: the
   * pool doubles whenever it could change the answer, so the batch is the same for any value.
   */
  readonly initialPoolPrompts?: number;
  /**
   * Cap on the hallucination pool (default Infinity: the exact greedy). With a cap the batch is
   * greedy over the top `maxPoolPrompts` prompts by gap only.
   */
  readonly maxPoolPrompts?: number;
}

/** Validated pool options (initialPoolPrompts stays undefined for its batch-dependent default). */
export interface ResolvedGapPoolOptions {
  readonly initialPoolPrompts: number | undefined;
  readonly maxPoolPrompts: number;
}

export function resolveGapPoolOptions(name: string, options: GapPoolOptions): ResolvedGapPoolOptions {
  return {
    initialPoolPrompts:
      options.initialPoolPrompts === undefined
        ? undefined
        : integerOption(name, 'initialPoolPrompts', options.initialPoolPrompts, 32),
    maxPoolPrompts:
      options.maxPoolPrompts === undefined || options.maxPoolPrompts === Infinity
        ? Infinity
        : integerOption(name, 'maxPoolPrompts', options.maxPoolPrompts, Infinity),
  };
}

export interface GapBatch {
  readonly picks: GreedyPick[];
  /**
   * True when the picks were conditioned on each other (the model hallucinates and the batch has
   * more than one slot); the batch is then full and a prompt repeats only when it is still the
   * widest after the earlier picks. False: the top min(batchSize, prompts) prompts, distinct.
   */
  readonly hallucinated: boolean;
}

/**
 * The batch's prompts and first responses. `posterior` covers every row of `candidates`; `ranking`
 * ranks the selectable prompts under it (rankPromptsByGap).
 */
export function gapBatch(
  model: PreferenceModel,
  candidates: CandidateSet,
  posterior: Posterior,
  ranking: GapRanking,
  options: ResolvedGapPoolOptions & { readonly beta: number; readonly batchSize: number },
): GapBatch {
  const { beta, batchSize } = options;
  if (batchSize > 1 && canHallucinate(model) && model.conditioner) {
    const { picks } = lazyHallucinatedGreedy(model.conditioner(), candidates, posterior, ranking, { beta, batchSize });
    return { picks, hallucinated: true };
  }
  if (batchSize > 1 && canHallucinate(model)) {
    const { picks } = hallucinatedGreedy(model, candidates, posterior, ranking, {
      beta,
      batchSize,
      initialPoolPrompts: options.initialPoolPrompts ?? Math.max(2 * batchSize, 32),
      maxPoolPrompts: options.maxPoolPrompts,
    });
    return { picks, hallucinated: true };
  }
  const count = Math.min(batchSize, ranking.order.length);
  const picks = Array.from({ length: count }, (_, k) => ({
    prompt: ranking.order[k],
    arm: ranking.ucbArm[k],
    gap: ranking.gap[k],
  }));
  return { picks, hallucinated: false };
}
