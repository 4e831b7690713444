/**
 * Double Thompson sampling (arXiv 1604.07101), adapted to contexts and to utility posteriors.
 *
 * On a uniformly random prompt: the first response is the best of one posterior draw among the
 * optimistic candidates (UCB ≥ max LCB, the arms that may still be best); the second is the best
 * of a fresh draw among the other responses not confidently beaten by the first
 * (UCB_j ≥ LCB_first). Choice: the first response never duels itself (the paper allows it); if no
 * other response survives, the comparator is uniform over the others.
 */
import type { ModelKind } from '@borda/reward-model';
import { argmaxRange } from '../bounds';
import { candidateSubset } from '../candidates';
import type { Query, SelectionContext, SelectionStrategy } from '../types';
import {
  ALL_MODEL_KINDS,
  checkContext,
  distinctPrompts,
  modelKindOption,
  numberOption,
  uniformOther,
  uniformPrompts,
} from './common';

export interface DtsOptions {
  /** Confidence width β of the candidate sets (default 2). */
  readonly beta?: number;
  /**
   * The model trained on its labels (default 'linear-bt': DTS picks both responses, so the
   * comparator is not uniform and a Borda regression on the first response would be biased).
   */
  readonly modelKind?: ModelKind;
}

export class DtsStrategy implements SelectionStrategy {
  readonly name = 'dts' as const;
  readonly modelKind: ModelKind;
  readonly compatibleModelKinds = ALL_MODEL_KINDS;
  readonly beta: number;

  constructor(options: DtsOptions = {}) {
    this.beta = numberOption(this.name, 'beta', options.beta, 2);
    this.modelKind = modelKindOption(this.name, options.modelKind, 'linear-bt', this.compatibleModelKinds);
  }

  /**
   * Prompts as in `uniform`. Two joint posterior draws per query (two more for each repeat of a
   * prompt in the batch). Score = the first draw's value at the first response.
   */
  select(context: SelectionContext): Query[] {
    const selectable = checkContext(this.name, this.compatibleModelKinds, context);
    const { candidates, model, batchSize, rng } = context;
    const prompts = uniformPrompts(selectable, batchSize, rng);
    const { unique, slot, occurrence } = distinctPrompts(prompts);
    const sub = candidateSubset(candidates, unique);
    const { mean, std } = model.predict(sub.features);
    let draws = 0;
    for (let k = 0; k < occurrence.length; k++) draws = Math.max(draws, 2 * (occurrence[k] + 1));
    const samples = model.sample(sub.features, draws, rng);
    const beta = this.beta;
    return Array.from(prompts, (prompt, k) => {
      const start = sub.offsets[slot[k]];
      const end = sub.offsets[slot[k] + 1];
      const firstDraw = samples[2 * occurrence[k]];
      const secondDraw = samples[2 * occurrence[k] + 1];
      let maxLcb = -Infinity;
      for (let r = start; r < end; r++) maxLcb = Math.max(maxLcb, mean[r] - beta * std[r]);
      let first = -1;
      for (let r = start; r < end; r++) {
        const optimistic = mean[r] + beta * std[r] >= maxLcb;
        if (optimistic && (first < 0 || firstDraw[r] > firstDraw[start + first])) first = r - start;
      }
      // Only a NaN posterior leaves no optimistic arm; fall back to the plain Thompson choice.
      if (first < 0) first = argmaxRange(firstDraw, start, end) - start;
      const firstLcb = mean[start + first] - beta * std[start + first];
      let second = -1;
      for (let r = start; r < end; r++) {
        if (r - start === first || mean[r] + beta * std[r] < firstLcb) continue;
        if (second < 0 || secondDraw[r] > secondDraw[start + second]) second = r - start;
      }
      if (second < 0) second = uniformOther(rng, end - start, first);
      return { prompt, first, second, score: firstDraw[start + first] };
    });
  }
}
