/**
 * AE-Borda (algorithms.md §3): ask on the prompt whose optimistic and pessimistic best values
 * disagree most, show its most optimistic response first, and pit it against a uniformly random
 * other response so the label is an unbiased observation of the first response's Borda score.
 *
 * Choice (§3 step 3): the comparator is uniform over A(x) \ {first}. A self-duel carries no
 * information for a human labeler, and the Borda score defined over the other responses is still
 * monotone in the reward, so argmax is unchanged.
 */
import { canHallucinate, type ModelKind } from '@borda/reward-model';
import { rankPromptsByGap } from '../bounds';
import type { Query, SelectionContext, SelectionStrategy } from '../types';
import { hallucinatedGreedy, type GreedyPick } from './ae-borda-greedy';
import { lazyHallucinatedGreedy } from './ae-borda-lazy-greedy';
import { BORDA_MODEL_KINDS, checkContext, integerOption, modelKindOption, numberOption, uniformOther } from './common';

export interface AeBordaOptions {
  /** Confidence width β of UCB/LCB (default 2; the reference code used 2 to 4). */
  readonly beta?: number;
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
    this.initialPoolPrompts =
      options.initialPoolPrompts === undefined
        ? undefined
        : integerOption(this.name, 'initialPoolPrompts', options.initialPoolPrompts, 32);
    this.maxPoolPrompts =
      options.maxPoolPrompts === undefined || options.maxPoolPrompts === Infinity
        ? Infinity
        : integerOption(this.name, 'maxPoolPrompts', options.maxPoolPrompts, Infinity);
    this.modelKind = modelKindOption(this.name, options.modelKind, 'borda-gp', this.compatibleModelKinds);
  }

  /**
   * One query per batch slot, chosen greedily with hallucinated variances when the model can
   * hallucinate (lazily, through a priority queue, when it can condition on demand; otherwise over
   * a growing pool of the top prompts) (a prompt may then repeat, but only when it is still the most uncertain after
   * conditioning on the earlier picks). Without hallucination the batch is the top prompts by
   * gap, one query each, so it holds min(batchSize, selectable prompts) queries. Prompts with a
   * single response are never selected. Score = the (hallucinated) gap that chose the query.
   */
  select(context: SelectionContext): Query[] {
    const selectable = checkContext(this.name, this.compatibleModelKinds, context);
    const { candidates, model, batchSize, rng } = context;
    const posterior = model.predict(candidates.features);
    const ranking = rankPromptsByGap(posterior.mean, posterior.std, candidates.offsets, selectable, this.beta);
    let picks: GreedyPick[];
    if (batchSize > 1 && canHallucinate(model) && model.conditioner) {
      picks = lazyHallucinatedGreedy(model.conditioner(), candidates, posterior, ranking, {
        beta: this.beta,
        batchSize,
      }).picks;
    } else if (batchSize > 1 && canHallucinate(model)) {
      const initial = this.initialPoolPrompts ?? Math.max(2 * batchSize, 32);
      picks = hallucinatedGreedy(model, candidates, posterior, ranking, {
        beta: this.beta,
        batchSize,
        initialPoolPrompts: initial,
        maxPoolPrompts: this.maxPoolPrompts,
      }).picks;
    } else {
      const count = Math.min(batchSize, ranking.order.length);
      picks = Array.from({ length: count }, (_, k) => ({
        prompt: ranking.order[k],
        arm: ranking.ucbArm[k],
        gap: ranking.gap[k],
      }));
    }
    // Comparators are drawn after the whole batch is fixed, so the random stream does not depend
    // on how often the pool had to grow.
    return picks.map(({ prompt, arm, gap }) => {
      const responses = candidates.offsets[prompt + 1] - candidates.offsets[prompt];
      return { prompt, first: arm, second: uniformOther(rng, responses, arm), score: gap };
    });
  }
}
