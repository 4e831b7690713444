/** The public shapes of PreferentialGP (preferential-gp.ts): options, hyperparameter report, JSON. */
import type { KernelName } from './kernels';
import type { SerializedModel } from './model';
import type { PreferentialSearchOptions } from './preferential-gp-evidence';
import type { PairLikelihood } from './preferential-gp-likelihood';

export interface PreferentialLearnOptions extends PreferentialSearchOptions {
  /** Re-learn in `update()` once the comparison count has grown by this factor (default 1.25). */
  readonly growth?: number;
  /** Re-learn after this many new comparisons instead (overrides `growth`). */
  readonly every?: number;
  /** Fewest comparisons to learn from (default 3); below it the initial values are used. */
  readonly minObservations?: number;
}

export interface PreferentialGPOptions {
  /** Width of the joint feature rows. */
  readonly dimension: number;
  /** Default 'rbf'. */
  readonly kernel?: KernelName;
  /** Initial lengthscale and the centre of its hyperprior (default 0.2·sqrt(dimension); pass the median heuristic). */
  readonly lengthscale?: number;
  /** ARD: initial per-dimension lengthscales (overrides `lengthscale`). */
  readonly lengthscales?: readonly number[];
  /** Initial prior variance of the utility, on the logit scale (default 1: utility differences of ±2 are plausible). */
  readonly signalVariance?: number;
  /** 'logistic' (Bradley–Terry, default) or 'probit' (Thurstone: P = Φ(f_a − f_b)). */
  readonly likelihood?: PairLikelihood;
  /** Diagonal jitter, relative to σ², added to the arms' prior covariance (default 1e-6). */
  readonly jitter?: number;
  /** Most distinct arms (O(n²) memory, O(n³) per refit); above it update/fit throw a RangeError (default 1000). */
  readonly maxArms?: number;
  /** Newton iterations per mode search (default 50) and the decrement tolerance (default 1e-12). */
  readonly maxNewtonIterations?: number;
  readonly tolerance?: number;
  /**
   * MAP-II of the lengthscale(s) and signal variance by the Laplace evidence (default true): at every
   * `fit()` and, in `update()`, when the comparison count has grown ×1.25 (see `PreferentialLearnOptions`).
   */
  readonly learnHyperparameters?: boolean | PreferentialLearnOptions;
}

export interface PreferentialGPHyperparameters {
  /** One per input dimension (the isotropic lengthscale repeated when not ARD). */
  readonly lengthscales: number[];
  /** The isotropic lengthscale, or the geometric mean of the ARD ones. */
  readonly lengthscale: number;
  readonly ard: boolean;
  readonly signalVariance: number;
  /** Comparison count at the last learning (null: the values are the initial ones). */
  readonly learnedAt: number | null;
  /** Laplace log evidence at the current fit. */
  readonly logEvidence: number;
  /** log p(θ) of the learned values (null: never learned or no priors). */
  readonly logHyperprior: number | null;
}

export interface SerializedPreferentialGP extends SerializedModel {
  readonly kind: 'preferential-gp';
  readonly version: 1;
  readonly dimension: number;
  readonly kernel: KernelName;
  /** The values in use. */
  readonly lengthscale: number;
  readonly lengthscales?: number[];
  readonly signalVariance: number;
  /** The constructor's values (learning starts and hyperprior centres). */
  readonly initial: { readonly lengthscale: number; readonly lengthscales?: number[]; readonly signalVariance: number };
  readonly likelihood: PairLikelihood;
  readonly jitter: number;
  readonly maxArms: number;
  readonly maxNewtonIterations: number;
  readonly tolerance: number;
  readonly learnHyperparameters: PreferentialLearnOptions | false;
  readonly learned: { readonly at: number; readonly logHyperprior: number | null } | null;
  /** Distinct arm rows, row-major (arms × dimension). */
  readonly arms: number[];
  readonly first: number[];
  readonly second: number[];
  readonly outcomes: number[];
  /** The whitened mode v̂ (f̂ = Lv̂): restoring it, not f̂, makes `load` bit-identical. */
  readonly whitenedMode: number[];
}
