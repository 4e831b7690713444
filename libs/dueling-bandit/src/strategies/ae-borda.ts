/**
 * AE-Borda (algorithms.md §3): ask on the prompt whose optimistic and pessimistic best values
 * disagree most, show its most optimistic response first, and pit it against a uniformly random
 * other response so the label is an unbiased observation of the first response's Borda score.
 *
 * Choice (§3 step 3): the comparator is uniform over A(x) \ {first}. A self-duel carries no
 * information for a human labeler, and the Borda score defined over the other responses is still
 * monotone in the reward, so argmax is unchanged.
 */
import type { ModelKind } from '@borda/reward-model';
import { rankPromptsByGap } from '../bounds';
import type { Query, SelectionContext, SelectionStrategy } from '../types';
import { BORDA_MODEL_KINDS, checkContext, modelKindOption, numberOption, uniformOther } from './common';
import { gapBatch, resolveGapPoolOptions, type GapPoolOptions } from './gap-batch';

export interface AeBordaOptions extends GapPoolOptions {
  /** Confidence width β of UCB/LCB (default 2; the reference code used 2 to 4). */
  readonly beta?: number;
  /** The Borda model the strategy reports it runs on: 'borda-gp' (default) or 'low-rank-borda'. */
  readonly modelKind?: ModelKind;
}

export class AeBordaStrategy implements SelectionStrategy {
  readonly name = 'ae-borda' as const;
  readonly modelKind: ModelKind;
  readonly compatibleModelKinds = BORDA_MODEL_KINDS;
  readonly beta: number;
  readonly initialPoolPrompts: number | undefined;
  readonly maxPoolPrompts: number;

  constructor(options: AeBordaOptions = {}) {
    this.beta = numberOption(this.name, 'beta', options.beta, 2);
    const pool = resolveGapPoolOptions(this.name, options);
    this.initialPoolPrompts = pool.initialPoolPrompts;
    this.maxPoolPrompts = pool.maxPoolPrompts;
    this.modelKind = modelKindOption(this.name, options.modelKind, 'borda-gp', this.compatibleModelKinds);
  }

  /**
   * One query per batch slot, chosen greedily with hallucinated variances when the model can
   * hallucinate (gap-batch.ts; a prompt may then repeat, but only when it is still the most
   * uncertain after conditioning on the earlier picks). Without hallucination the batch is the top prompts by
   * gap, one query each, so it holds min(batchSize, selectable prompts) queries. Prompts with a
   * single response are never selected. Score = the (hallucinated) gap that chose the query.
   */
  select(context: SelectionContext): Query[] {
    const selectable = checkContext(this.name, this.compatibleModelKinds, context);
    const { candidates, model, batchSize, rng } = context;
    const posterior = model.predict(candidates.features);
    const ranking = rankPromptsByGap(posterior.mean, posterior.std, candidates.offsets, selectable, this.beta);
    const { picks } = gapBatch(model, candidates, posterior, ranking, {
      beta: this.beta,
      batchSize,
      initialPoolPrompts: this.initialPoolPrompts,
      maxPoolPrompts: this.maxPoolPrompts,
    });
    // Comparators are drawn after the whole batch is fixed, so the random stream does not depend
    // on how often the pool had to grow.
    return picks.map(({ prompt, arm, gap }) => {
      const responses = candidates.offsets[prompt + 1] - candidates.offsets[prompt];
      return { prompt, first: arm, second: uniformOther(rng, responses, arm), score: gap };
    });
  }
}
