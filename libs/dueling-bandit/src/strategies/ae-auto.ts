/**
 * ae-auto: the active-exploration rule of AE-Borda on any posterior (the platform's default).
 *
 * On Borda regressions (borda-gp, low-rank-borda), whose Borda scores are absolute:
 * 1. Context: the prompt with the widest gap max_a UCB − max_a LCB.
 * 2. First response: argmax_a UCB of that prompt.
 * 3. Second response: uniform (the paper's rule; their label model *is* "the first response against a
 *    uniform rival", and a chosen rival biases the regression: measured, README), or with
 *    `rival: 'informative'` the plausible rival with the largest posterior variance of u(first) − u(b).
 * On models that learn from both responses (Bradley–Terry, preferential GP) utilities are known only
 * up to a per-prompt offset, so the gap is taken on differences (relative-gap.ts): context = the prompt
 * whose greedy pick can plausibly lose most, max_a μ_a − μ_lead + β·sd(u(a) − u(lead)); first response
 * = its leader; second = the rival attaining that bound ('informative', default) or a uniform one.
 * 4. Batches: as AE-Borda (gap-batch.ts), each pick hallucinated into the posterior when the model
 *    can hallucinate. Without hallucination the batch walks down the gap ranking, distinct prompts
 *    first; a prompt repeats only once every selectable prompt is in the batch, and a repeated
 *    prompt asks a rival it has not asked yet in this batch while one remains.
 *
 * Rivals are chosen under the unconditioned posterior, after the whole batch of prompts is fixed.
 */
import type { FeatureMatrix } from '@borda/numeric';
import type { ModelKind, Posterior, PreferenceModel } from '@borda/reward-model';
import { rankPromptsByGap } from '../bounds';
import type { Query, SelectionContext, SelectionStrategy } from '../types';
import type { GreedyPick } from './ae-borda-greedy';
import {
  BORDA_MODEL_KINDS,
  POSTERIOR_MODEL_KINDS,
  checkContext,
  modelKindOption,
  numberOption,
  uniformOther,
} from './common';
import { gapBatch, resolveGapPoolOptions, type GapPoolOptions } from './gap-batch';
import { topRelativeGaps } from './relative-gap';
import { bestRival, differenceVarianceOf, varianceScore, type RivalScore } from './rival';

export type RivalRule = 'informative' | 'uniform';
export const RIVAL_RULES: readonly RivalRule[] = ['informative', 'uniform'];

export interface AeAutoOptions extends GapPoolOptions {
  /** Confidence width β of UCB/LCB, the gap and the plausible-rival test (default 2). */
  readonly beta?: number;
  /**
   * How the second response is chosen: 'informative' or the paper's 'uniform'. Default: 'uniform'
   * on Borda regression models (their observations assume it), 'informative' on every other model.
   */
  readonly rival?: RivalRule;
  /** The model family the strategy reports it runs on (default 'bt-laplace'; any but 'neural-bt'). */
  readonly modelKind?: ModelKind;
}

export class AeAutoStrategy implements SelectionStrategy {
  readonly name = 'ae-auto' as const;
  readonly modelKind: ModelKind;
  readonly compatibleModelKinds = POSTERIOR_MODEL_KINDS;
  readonly beta: number;
  /** The rival option as given (undefined: by model kind, see rivalRuleFor). */
  readonly rival: RivalRule | undefined;
  readonly initialPoolPrompts: number | undefined;
  readonly maxPoolPrompts: number;

  constructor(options: AeAutoOptions = {}) {
    this.beta = numberOption(this.name, 'beta', options.beta, 2);
    const rival = options.rival;
    if (rival !== undefined && !RIVAL_RULES.includes(rival)) {
      throw new RangeError(`${this.name}: option rival must be one of ${RIVAL_RULES.join(', ')}, got ${String(rival)}`);
    }
    this.rival = rival;
    const pool = resolveGapPoolOptions(this.name, options);
    this.initialPoolPrompts = pool.initialPoolPrompts;
    this.maxPoolPrompts = pool.maxPoolPrompts;
    this.modelKind = modelKindOption(this.name, options.modelKind, 'bt-laplace', this.compatibleModelKinds);
  }

  /**
   * A full batch of `batchSize` queries. Score = the (hallucinated) gap of the prompt that chose
   * the query. Every arm is scored once (one `predict` over the candidates); the informative rival
   * costs one difference variance per plausible rival of each query.
   */
  select(context: SelectionContext): Query[] {
    const selectable = checkContext(this.name, this.compatibleModelKinds, context);
    const { candidates, model, batchSize, rng } = context;
    const posterior = model.predict(candidates.features);
    if (!BORDA_MODEL_KINDS.includes(model.kind)) return this.selectOnDifferences(context, selectable, posterior);
    const ranking = rankPromptsByGap(posterior.mean, posterior.std, candidates.offsets, selectable, this.beta);
    const batch = gapBatch(model, candidates, posterior, ranking, {
      beta: this.beta,
      batchSize,
      initialPoolPrompts: this.initialPoolPrompts,
      maxPoolPrompts: this.maxPoolPrompts,
    });
    const picks = batch.hallucinated ? batch.picks : inPasses(batch.picks, batchSize);
    const { offsets } = candidates;
    if (this.rivalRuleFor(model.kind) === 'uniform') {
      return picks.map(({ prompt, arm, gap }) => ({
        prompt,
        first: arm,
        second: uniformOther(rng, offsets[prompt + 1] - offsets[prompt], arm),
        score: gap,
      }));
    }
    const score = this.rivalScore(model, candidates.features, posterior);
    // Rivals already asked against each first row in this batch.
    const asked = new Map<number, Set<number>>();
    return picks.map(({ prompt, arm, gap }) => {
      const start = offsets[prompt];
      const first = start + arm;
      let used = asked.get(first);
      if (!used) asked.set(first, (used = new Set()));
      const second = bestRival(posterior, score, start, offsets[prompt + 1], first, this.beta, rng, used);
      return { prompt, first: arm, second: second - start, score: gap };
    });
  }

  /**
   * The relative-gap rule of pairwise models: the batch's prompts by decreasing relative gap (each
   * once, then further passes), the leader first, the rival that attains the gap second. A prompt
   * asked again in the batch asks its most uncertain plausible rival not yet asked.
   */
  private selectOnDifferences(context: SelectionContext, selectable: Int32Array, posterior: Posterior): Query[] {
    const { candidates, model, batchSize, rng } = context;
    const { offsets, features } = candidates;
    const variance = differenceVarianceOf(model, features, posterior.std);
    const top = topRelativeGaps(
      posterior,
      variance,
      offsets,
      selectable,
      this.beta,
      Math.min(batchSize, selectable.length),
    );
    const uniform = this.rivalRuleFor(model.kind) === 'uniform';
    const score = varianceScore(variance);
    const asked = new Map<number, Set<number>>();
    return Array.from({ length: batchSize }, (_, k): Query => {
      const pick = top[k % top.length];
      const start = offsets[pick.prompt];
      const size = offsets[pick.prompt + 1] - start;
      const lead = pick.leadRow - start;
      if (uniform) return { prompt: pick.prompt, first: lead, second: uniformOther(rng, size, lead), score: pick.gap };
      let used = asked.get(pick.leadRow);
      if (!used) asked.set(pick.leadRow, (used = new Set()));
      const second =
        used.size === 0
          ? pick.rivalRow
          : bestRival(posterior, score, start, start + size, pick.leadRow, this.beta, rng, used);
      used.add(second);
      return { prompt: pick.prompt, first: lead, second: second - start, score: pick.gap };
    });
  }

  /** The rival rule used on a model of this kind: the `rival` option, else by kind (see AeAutoOptions.rival). */
  rivalRuleFor(kind: ModelKind): RivalRule {
    return this.rival ?? (BORDA_MODEL_KINDS.includes(kind) ? 'uniform' : 'informative');
  }

  /**
   * The informative rival's score of (first row, rival row): the posterior variance of the
   * difference. A separate method so an experiment can compare other scores on the same rule.
   */
  protected rivalScore(model: PreferenceModel, features: FeatureMatrix, posterior: Posterior): RivalScore {
    return varianceScore(differenceVarianceOf(model, features, posterior.std));
  }
}

/**
 * Fills a batch from the distinct top prompts (`picks`, best first) by further passes down the same
 * ranking, so that a prompt repeats only once every selectable prompt has been asked.
 */
function inPasses(picks: GreedyPick[], batchSize: number): GreedyPick[] {
  return Array.from({ length: batchSize }, (_, k) => picks[k % picks.length]);
}
