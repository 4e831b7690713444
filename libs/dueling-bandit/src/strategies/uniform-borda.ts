/**
 * Uniform-Borda: AE-Borda's pair rule (most optimistic response first, uniform comparator) on a
 * uniformly random prompt. Isolates what AE-Borda's choice of context buys.
 */
import type { ModelKind } from '@borda/reward-model';
import { promptBound } from '../bounds';
import { candidateSubset } from '../candidates';
import type { Query, SelectionContext, SelectionStrategy } from '../types';
import {
  BORDA_MODEL_KINDS,
  checkContext,
  distinctPrompts,
  modelKindOption,
  numberOption,
  uniformOther,
  uniformPrompts,
} from './common';

export interface UniformBordaOptions {
  /** Confidence width β of the UCB that picks the first response (default 2). */
  readonly beta?: number;
  /** 'borda-gp' (default) or 'low-rank-borda'. */
  readonly modelKind?: ModelKind;
}

export class UniformBordaStrategy implements SelectionStrategy {
  readonly name = 'uniform-borda' as const;
  readonly modelKind: ModelKind;
  readonly compatibleModelKinds = BORDA_MODEL_KINDS;
  readonly beta: number;

  constructor(options: UniformBordaOptions = {}) {
    this.beta = numberOption(this.name, 'beta', options.beta, 2);
    this.modelKind = modelKindOption(this.name, options.modelKind, 'borda-gp', this.compatibleModelKinds);
  }

  /**
   * Prompts as in `uniform` (distinct within a batch while possible); only the sampled prompts are
   * scored. No hallucination: a prompt repeats only once all have been used. Score = the
   * prompt's gap (reported for inspection, it did not choose the prompt).
   */
  select(context: SelectionContext): Query[] {
    const selectable = checkContext(this.name, this.compatibleModelKinds, context);
    const { candidates, model, batchSize, rng } = context;
    const prompts = uniformPrompts(selectable, batchSize, rng);
    const { unique, slot } = distinctPrompts(prompts);
    const sub = candidateSubset(candidates, unique);
    const { mean, std } = model.predict(sub.features);
    return Array.from(prompts, (prompt, k) => {
      const s = slot[k];
      const bound = promptBound(mean, std, sub.offsets[s], sub.offsets[s + 1], this.beta);
      const responses = sub.offsets[s + 1] - sub.offsets[s];
      return { prompt, first: bound.ucbArm, second: uniformOther(rng, responses, bound.ucbArm), score: bound.gap };
    });
  }
}
