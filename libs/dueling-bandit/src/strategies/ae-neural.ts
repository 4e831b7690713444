/**
 * AE-Borda's neural variant (algorithms.md §3.1): score a uniformly sampled pool of prompts by
 * max_a (r̂ + βσ) − max_a (r̂ − βσ) under a reward network's ensemble / dropout uncertainty, keep
 * the top of the pool, and pair as AE-Borda (argmax UCB first, uniform other comparator).
 *
 * No hallucination: a neural posterior has no cheap conditioning, which is why the pool is sampled
 * (diversity) rather than taken over the whole campaign. Batch = top min(batchSize, pool) prompts,
 * distinct, so it is shorter than batchSize only when fewer prompts are selectable.
 */
import type { ModelKind } from '@borda/reward-model';
import { rankPromptsByGap } from '../bounds';
import { candidateSubset } from '../candidates';
import type { Query, SelectionContext, SelectionStrategy } from '../types';
import { candidatePool } from './candidate-pool';
import { BT_MODEL_KINDS, checkContext, modelKindOption, numberOption, uniformOther } from './common';

export interface AeNeuralOptions {
  /** Confidence width β (γ in §3.1; default 2). */
  readonly beta?: number;
  /** Prompts in the candidate pool as a multiple of the batch size (default 3, at least 1). */
  readonly poolFactor?: number;
  /** 'neural-bt' (default) or 'linear-bt'. */
  readonly modelKind?: ModelKind;
}

export class AeNeuralStrategy implements SelectionStrategy {
  readonly name = 'ae-neural' as const;
  readonly modelKind: ModelKind;
  readonly compatibleModelKinds = BT_MODEL_KINDS;
  readonly beta: number;
  readonly poolFactor: number;

  constructor(options: AeNeuralOptions = {}) {
    this.beta = numberOption(this.name, 'beta', options.beta, 2);
    this.poolFactor = numberOption(this.name, 'poolFactor', options.poolFactor, 3, 1);
    this.modelKind = modelKindOption(this.name, options.modelKind, 'neural-bt', this.compatibleModelKinds);
  }

  /** Score = the prompt's acquisition value (its gap). */
  select(context: SelectionContext): Query[] {
    const selectable = checkContext(this.name, this.compatibleModelKinds, context);
    const { candidates, model, batchSize, rng } = context;
    const pool = candidatePool(selectable, batchSize, this.poolFactor, rng);
    const sub = candidateSubset(candidates, pool);
    const { mean, std } = model.predict(sub.features);
    const slots = Int32Array.from(pool, (_, s) => s);
    // Rank pool slots; ties go to the lower slot, i.e. the earlier-drawn prompt.
    const ranking = rankPromptsByGap(mean, std, sub.offsets, slots, this.beta);
    const count = Math.min(batchSize, pool.length);
    return Array.from({ length: count }, (_, k) => {
      const s = ranking.order[k];
      const responses = sub.offsets[s + 1] - sub.offsets[s];
      const first = ranking.ucbArm[k];
      return { prompt: pool[s], first, second: uniformOther(rng, responses, first), score: ranking.gap[k] };
    });
  }
}
