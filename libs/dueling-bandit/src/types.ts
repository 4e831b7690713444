/**
 * The selection interface: given the candidates, the model and a batch size, a strategy returns
 * queries (prompt, response, response′) with the score that chose each.
 */
import type { FeatureMatrix, Rng } from '@borda/numeric';
import type { ModelKind, PreferenceModel } from '@borda/reward-model';

/**
 * Every (prompt, response) arm of a campaign. Prompt p owns feature rows
 * offsets[p] .. offsets[p + 1] − 1; response indices in a Query are local to the prompt.
 */
export interface CandidateSet {
  readonly features: FeatureMatrix;
  /** Length prompts + 1, non-decreasing, offsets[0] = 0, offsets[prompts] = features.rows. */
  readonly offsets: Int32Array;
}

export interface Query {
  /** Prompt index in the candidate set. */
  readonly prompt: number;
  /** Response index within the prompt, shown first (the arm a Borda model learns about). */
  readonly first: number;
  /** Response index within the prompt, the competitor. */
  readonly second: number;
  /** The acquisition value that chose this query (strategy-specific, larger = more wanted). */
  readonly score: number;
}

export interface SelectionContext {
  readonly candidates: CandidateSet;
  readonly model: PreferenceModel;
  readonly batchSize: number;
  readonly rng: Rng;
}

export type StrategyName =
  'ae-auto' | 'ae-borda' | 'uniform' | 'uniform-borda' | 'apo' | 'maxinp' | 'dts' | 'bald' | 'ae-neural';

export interface SelectionStrategy {
  readonly name: StrategyName;
  /** The model family this strategy is defined on (algorithms.md §4). */
  readonly modelKind: ModelKind;
  select(context: SelectionContext): Query[];
}

export interface StrategyOptions {
  /** Confidence width β of UCB/LCB (default 2). */
  readonly beta?: number;
  /** Posterior draws for sampling strategies (dts, bald; default 32). */
  readonly posteriorSamples?: number;
  /** Candidate-pool size as a multiple of the batch (ae-neural, bald; default 3). */
  readonly poolFactor?: number;
}
