/**
 * The one interface every preference model implements. Strategies in `@borda/dueling-bandit`
 * and the simulator talk to models only through these types.
 *
 * Observations are pairwise judgments. Borda models (exact GP, low-rank) regress the outcome on
 * the *first* response only: under AE-Borda's uniformly random second response the outcome is an
 * unbiased observation of the Borda score f(x, a) (algorithms.md §2). Bradley–Terry models use
 * the difference of both responses' features.
 */
import type { FeatureMatrix, NumericArray, Rng } from '@borda/numeric';

export interface PairObservation {
  /** Joint (prompt, response) feature row of the response shown first. */
  readonly first: ArrayLike<number>;
  /** Joint feature row of the competitor. */
  readonly second: ArrayLike<number>;
  /** 1 when `first` was preferred, 0 when `second` was, 0.5 for a tie. */
  readonly outcome: number;
}

export interface Posterior {
  /** Posterior mean of the utility (Borda score or reward) per row. */
  readonly mean: Float64Array;
  /** Posterior standard deviation per row. */
  readonly std: Float64Array;
}

/**
 * Every model family. 'bt-laplace' is the Bradley–Terry model with a Laplace posterior over a learned
 * feature map (raw, random Fourier, or both); 'preferential-gp' the Laplace preferential GP.
 */
export type ModelKind = 'borda-gp' | 'low-rank-borda' | 'linear-bt' | 'neural-bt' | 'bt-laplace' | 'preferential-gp';

/** What `toJSON` returns: plain JSON, loadable by `loadModel`. */
export interface SerializedModel {
  readonly kind: ModelKind;
  readonly version: number;
  readonly [key: string]: unknown;
}

export interface PreferenceModel {
  readonly kind: ModelKind;
  /** Width of the feature rows the model accepts. */
  readonly dimension: number;
  /** Observations absorbed so far. */
  readonly observationCount: number;
  /** Absorbs new observations incrementally (no refit from scratch). */
  update(observations: readonly PairObservation[]): void;
  /** Discards the current state and fits on all the given observations. */
  fit(observations: readonly PairObservation[]): void;
  /** Posterior of the utility at each feature row. */
  predict(features: FeatureMatrix): Posterior;
  /**
   * `count` joint posterior draws of the utility at the rows (each a Float64Array of length
   * rows). Deterministic given the Rng.
   */
  sample(features: FeatureMatrix, count: number, rng: Rng): Float64Array[];
  toJSON(): SerializedModel;
}

/**
 * Conditions a model's posterior on pending, not yet labeled queries. Gaussian posterior variances
 * do not depend on outcomes, so a batch selector can "hallucinate" each pick (GP-BUCB) and see how
 * the uncertainty of the remaining candidates shrinks before choosing the next one.
 */
export interface HallucinationSession {
  /** Current posterior variance of every pool row, counting the rows added so far. */
  readonly variance: Float64Array;
  /** Conditions on one more observation at pool row `poolIndex` (outcome-free). */
  add(poolIndex: number): void;
}

/**
 * Hallucination evaluated on demand: instead of tracking a fixed pool, answer the posterior
 * variance of any rows under the observations added so far. A lazy greedy batch selector only asks
 * about the few prompts that reach the top of its queue, which is what keeps a batch of 256 over
 * 10⁶ arms cheap when the model's per-row cost does not depend on the number of labels.
 */
export interface PosteriorConditioner {
  /** Posterior variance at each row (raw feature rows, as `predict` takes them). */
  varianceAt(rows: FeatureMatrix): Float64Array;
  /** Conditions on one more outcome-free observation at this raw feature row. */
  addRow(row: ArrayLike<number>): void;
}

export interface HallucinatingModel extends PreferenceModel {
  hallucinate(pool: FeatureMatrix): HallucinationSession;
  /** Optional: on-demand conditioning (see PosteriorConditioner). */
  conditioner?(): PosteriorConditioner;
}

export function canHallucinate(model: PreferenceModel): model is HallucinatingModel {
  return typeof (model as Partial<HallucinatingModel>).hallucinate === 'function';
}

/**
 * A linear Bradley–Terry model r(x, a) = θᵀφ(x, a) with a Gaussian (Laplace) posterior; exposes
 * the quantities APO and MaxInP are defined by.
 */
export interface LinearPreferenceModel extends PreferenceModel {
  /** Posterior mode θ̂ (in the model's feature space). */
  readonly theta: Float64Array;
  /** ‖z‖_{V⁻¹} = sqrt(zᵀ V⁻¹ z) for z = φ(first) − φ(second), V the posterior precision. */
  differenceNorm(first: ArrayLike<number>, second: ArrayLike<number>): number;
  /**
   * Optional: rows u = L⁻¹φ with V = LLᵀ, so that ‖z‖_{V⁻¹} = ‖u(first) − u(second)‖ and cross terms
   * z′ᵀV⁻¹z are plain dot products — what a batch selector needs to hallucinate picks into V.
   */
  whiten?(features: FeatureMatrix): FeatureMatrix;
}

export function isLinearPreferenceModel(model: PreferenceModel): model is LinearPreferenceModel {
  return typeof (model as Partial<LinearPreferenceModel>).differenceNorm === 'function';
}

/**
 * A fixed map from raw joint inputs to model features (e.g. random Fourier features), so a linear
 * model can stand on a nonlinear reward. Serialisable so a model can carry its map.
 */
export interface FeatureMap {
  readonly inputDimension: number;
  readonly outputDimension: number;
  transform(features: FeatureMatrix): FeatureMatrix;
  transformRow(row: ArrayLike<number>): Float64Array;
  toJSON(): { readonly kind: string; readonly [key: string]: unknown };
}

/**
 * Optional capability: the posterior variance of the utility difference u(first) − u(second), on the
 * model's own scale. Under a joint posterior this is Var u(a) + Var u(b) − 2 Cov(u(a), u(b)), which is what
 * makes a rival informative (a rival whose difference with the leader is still uncertain); models without
 * it are treated as if arms were independent (Var u(a) + Var u(b)).
 */
export interface PairwiseVarianceModel extends PreferenceModel {
  differenceVariance(first: ArrayLike<number>, second: ArrayLike<number>): number;
}

export function hasDifferenceVariance(model: PreferenceModel): model is PairwiseVarianceModel {
  return typeof (model as Partial<PairwiseVarianceModel>).differenceVariance === 'function';
}

export type { FeatureMatrix, NumericArray };
