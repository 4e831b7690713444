/**
 * The passive baseline: a uniformly random prompt and a uniformly random ordered pair of distinct
 * responses. Any model can learn from its labels, so the model kind is only what it reports.
 */
import type { ModelKind } from '@borda/reward-model';
import type { Query, SelectionContext, SelectionStrategy } from '../types';
import { ALL_MODEL_KINDS, checkContext, modelKindOption, uniformOther, uniformPrompts } from './common';

export interface UniformOptions {
  /** The model trained on its labels (default 'borda-gp', so a comparison with AE-Borda isolates selection). */
  readonly modelKind?: ModelKind;
}

export class UniformStrategy implements SelectionStrategy {
  readonly name = 'uniform' as const;
  readonly modelKind: ModelKind;
  readonly compatibleModelKinds = ALL_MODEL_KINDS;

  constructor(options: UniformOptions = {}) {
    this.modelKind = modelKindOption(this.name, options.modelKind, 'borda-gp', this.compatibleModelKinds);
  }

  /**
   * Prompts are distinct within a batch while the batch fits in the selectable prompts (then a new
   * random pass starts); each query's pair is uniform over ordered pairs of distinct responses.
   * Score 0: nothing was acquired. The model is not queried.
   */
  select(context: SelectionContext): Query[] {
    const selectable = checkContext(this.name, this.compatibleModelKinds, context);
    const { candidates, batchSize, rng } = context;
    const prompts = uniformPrompts(selectable, batchSize, rng);
    return Array.from(prompts, (prompt) => {
      const responses = candidates.offsets[prompt + 1] - candidates.offsets[prompt];
      const first = rng.int(responses);
      return { prompt, first, second: uniformOther(rng, responses, first), score: 0 };
    });
  }
}
