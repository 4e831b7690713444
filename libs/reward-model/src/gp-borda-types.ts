/**
 * The public shapes of BordaGP (borda-gp.ts): constructor options, the hyperparameter report, the
 * values `setHyperparameters` takes, and the serialised form.
 */
import type { LearnHyperparametersOptions } from './gp-hyperparameter-schedule';
import type { Hyperparameters } from './gp-hyperparameters';
import type { KernelName } from './kernels';
import type { SerializedModel } from './model';

export interface BordaGPOptions {
  /** Width of the joint feature rows. */
  readonly dimension: number;
  /** Default 'rbf'. */
  readonly kernel?: KernelName;
  /**
   * Default 0.2·sqrt(dimension): about half the median distance sqrt(d/6) between uniform points
   * of [0, 1]^d, short enough for the bumps of the synthetic grid rewards. Fit it when unsure.
   */
  readonly lengthscale?: number;
  /** ARD: one lengthscale per dimension (overrides `lengthscale`). */
  readonly lengthscales?: readonly number[];
  /** Default 0.0625 (prior std 0.25 around m₀ = 0.5: the 95% band spans the Borda range [0, 1]). */
  readonly signalVariance?: number;
  /** Default 0.25, the largest variance of a Bernoulli label. */
  readonly noiseVariance?: number;
  /** Default 0.5, the Borda score of an arm no better than a random competitor. */
  readonly priorMean?: number;
  /** Start tracking a matrix predicted twice in a row (default true). */
  readonly autoTrack?: boolean;
  /** Most doubles the tracked V may hold (default 2²⁴ ≈ 134 MB). */
  readonly trackingBudget?: number;
  /**
   * Learn the hyperparameters from the labels (default false: keep the given values). `true` uses
   * the defaults of `LearnHyperparametersOptions`: MAP-II at every `fit()` and, in `update()`, each time
   * the label count has grown ×1.25, from at least 3 labels; ARD when the dimension is 2 … 8.
   */
  readonly learnHyperparameters?: boolean | LearnHyperparametersOptions;
}

/** The hyperparameters in use and where they came from. */
export interface BordaGPHyperparameters {
  /** One per input dimension (the isotropic lengthscale repeated when not ARD). */
  readonly lengthscales: number[];
  /** The isotropic lengthscale, or the geometric mean of the ARD ones. */
  readonly lengthscale: number;
  readonly ard: boolean;
  readonly signalVariance: number;
  readonly noiseVariance: number;
  /** Observation count at the last learning (null: never learned, the values are as given). */
  readonly learnedAt: number | null;
  /** log p(y | X) on all `learnedAt` observations right after learning (null: never learned). */
  readonly logMarginalLikelihood: number | null;
  /** log p(θ) of the learned values under the hyperpriors (null: never learned or no priors). */
  readonly logHyperprior: number | null;
}

export interface HyperparameterLearningRecord {
  readonly at: number;
  readonly logMarginalLikelihood: number;
  readonly logHyperprior: number | null;
}

export interface SerializedBordaGP extends SerializedModel {
  readonly kind: 'borda-gp';
  /** 2 adds lengthscales, initial, learnHyperparameters and learned; version 1 still loads. */
  readonly version: 1 | 2;
  readonly dimension: number;
  readonly kernel: KernelName;
  /** The values in use (current, possibly learned). */
  readonly lengthscale: number;
  readonly lengthscales?: number[];
  readonly signalVariance: number;
  readonly noiseVariance: number;
  readonly priorMean: number;
  readonly autoTrack: boolean;
  readonly trackingBudget: number;
  /** The constructor's values: the hyperpriors' centres and the start of every learning. */
  readonly initial?: Hyperparameters;
  readonly learnHyperparameters?: LearnHyperparametersOptions | false;
  readonly learned?: HyperparameterLearningRecord | null;
  /** Training rows, row-major (observationCount × dimension). */
  readonly inputs: number[];
  readonly outcomes: number[];
}

/** Values for `setHyperparameters` / `logMarginalLikelihoodAt` (omitted ones keep their current value). */
export interface HyperparameterValues {
  readonly lengthscale?: number;
  readonly lengthscales?: readonly number[];
  readonly signalVariance?: number;
  readonly noiseVariance?: number;
}
