/**
 * Preferential GP (kind 'preferential-gp'): a latent utility f over joint (prompt, response) rows
 * with a GP prior (RBF or Matérn-5/2, ARD when the dimension is small) and a Bradley–Terry (or probit)
 * likelihood on f(first) − f(second), approximated by Laplace (preferential-gp-laplace.ts). Unlike
 * the Borda GP it uses both responses of every comparison, and its posterior is joint over arms, so
 * `differenceVariance` includes the covariance of the two utilities.
 *
 * State: the distinct arm rows seen in comparisons (exact duplicates share one latent value), the
 * comparisons as arm indices, the Cholesky factor L of the arms' prior covariance K and the Laplace
 * mode. Predictive at any row x, with k = K(arms, x), u = L⁻¹k, A = I + LᵀWL = L_A L_Aᵀ:
 *   mean k ᵀ K⁻¹ f̂,  variance k(x, x) − ‖u‖² + ‖L_A⁻¹u‖²  (O(n²) per row).
 * `update()` refits the mode by Newton warm-started at the previous utilities (new arms start at their
 * predictive mean): O(n³) per call, meant for campaigns of up to a few thousand comparisons over at
 * most `maxArms` distinct arms (default 1000; above it update/fit throw a RangeError).
 * Hyperparameters are learned by MAP-II on the Laplace evidence (preferential-gp-evidence.ts) at
 * `fit()` and whenever the comparison count has grown ×1.25 — always from the initial values, so what
 * is learned depends only on the data.
 */
import { type FeatureMatrix, type Rng, cholesky } from '@borda/numeric';
import { isRelearnDue, resolveLearnOptions } from './gp-hyperparameter-schedule';
import { drawJointGaussian } from './gp-sampling';
import {
  assertFiniteFeatures,
  requireCount,
  requireDimension,
  requirePositive,
  validateFeatureShape,
  validateObservations,
} from './gp-validation';
import { KERNEL_NAMES, KernelParams, ardKernel, kernelLengthscales, validateKernelParams } from './kernels';
import type { PairObservation, PairwiseVarianceModel, Posterior } from './model';
import {
  subsetComparisons,
  laplaceFit,
  learnPreferentialHyperparameters,
  priorCovariance,
} from './preferential-gp-evidence';
import { Comparisons, NewtonOptions, findLaplaceMode } from './preferential-gp-laplace';
import {
  PredictiveFit,
  jointUtility,
  predictUtility,
  predictiveFit,
  utilityDifferenceVariance,
} from './preferential-gp-predictive';
import { PAIR_LIKELIHOODS, PairLikelihood } from './preferential-gp-likelihood';
import type {
  PreferentialGPHyperparameters,
  PreferentialGPOptions,
  PreferentialLearnOptions,
  SerializedPreferentialGP,
} from './preferential-gp-types';

export type {
  PreferentialGPHyperparameters,
  PreferentialGPOptions,
  PreferentialLearnOptions,
  SerializedPreferentialGP,
} from './preferential-gp-types';
export type { PairLikelihood } from './preferential-gp-likelihood';

export class PreferentialGP implements PairwiseVarianceModel {
  readonly kind = 'preferential-gp' as const;
  readonly dimension: number;
  readonly likelihood: PairLikelihood;
  readonly jitter: number;
  readonly maxArms: number;
  readonly learning: PreferentialLearnOptions | false;
  private readonly initialKernel: KernelParams;
  private readonly newton: NewtonOptions;
  private arms: number[][] = [];
  private readonly armIndex = new Map<string, number>();
  private first: number[] = [];
  private second: number[] = [];
  private outcomes: number[] = [];
  private fitted: PredictiveFit | null = null;
  private kernelParams: KernelParams;
  private learned: { at: number; logHyperprior: number | null } | null = null;

  constructor(options: PreferentialGPOptions) {
    const d = requireDimension(options.dimension, 'PreferentialGP.dimension');
    this.dimension = d;
    const name = options.kernel ?? 'rbf';
    const signalVariance = options.signalVariance ?? 1;
    const params = options.lengthscales
      ? ardKernel(name, options.lengthscales, signalVariance)
      : { name, lengthscale: options.lengthscale ?? 0.2 * Math.sqrt(d), signalVariance };
    validateKernelParams(params, 'PreferentialGP');
    if (params.lengthscales && params.lengthscales.length !== d) {
      throw new RangeError(`PreferentialGP.lengthscales has ${params.lengthscales.length} entries, expected ${d}`);
    }
    this.initialKernel = params;
    this.kernelParams = params;
    this.likelihood = options.likelihood ?? 'logistic';
    if (!PAIR_LIKELIHOODS.includes(this.likelihood)) {
      throw new RangeError(
        `PreferentialGP.likelihood must be one of ${PAIR_LIKELIHOODS.join(', ')}, got ${String(this.likelihood)}`,
      );
    }
    this.jitter = requirePositive(options.jitter ?? 1e-6, 'PreferentialGP.jitter');
    this.maxArms = requireCount(options.maxArms ?? 1000, 'PreferentialGP.maxArms');
    this.newton = {
      maxIterations: requireCount(options.maxNewtonIterations ?? 50, 'PreferentialGP.maxNewtonIterations'),
      tolerance: requirePositive(options.tolerance ?? 1e-12, 'PreferentialGP.tolerance'),
    };
    this.learning = resolveLearnOptions(options.learnHyperparameters ?? true, 'PreferentialGP');
  }

  get observationCount(): number {
    return this.outcomes.length;
  }

  /** Distinct arm rows seen in comparisons. */
  get armCount(): number {
    return this.arms.length;
  }

  get kernel(): KernelParams {
    return this.kernelParams;
  }

  get hyperparameters(): PreferentialGPHyperparameters {
    const k = this.kernelParams;
    return {
      lengthscales: kernelLengthscales(k, this.dimension),
      lengthscale: k.lengthscale,
      ard: k.lengthscales !== undefined,
      signalVariance: k.signalVariance,
      learnedAt: this.learned?.at ?? null,
      logEvidence: this.fitted?.laplace.logEvidence ?? 0,
      logHyperprior: this.learned?.logHyperprior ?? null,
    };
  }

  /** The posterior mode f̂ at the distinct arms (in the order first seen). */
  get mode(): Float64Array {
    return Float64Array.from(this.fitted?.laplace.mode ?? []);
  }

  /** Laplace log evidence of the comparisons at the current hyperparameters (0 with none). */
  logEvidence(): number {
    return this.fitted?.laplace.logEvidence ?? 0;
  }

  /** Adds the comparisons and refits the mode from the current one (re-learning when due). */
  update(observations: readonly PairObservation[]): void {
    this.validate(observations, 'PreferentialGP.update');
    if (observations.length === 0) return;
    const previous = this.fitted;
    const oldArms = this.arms.length;
    this.absorb(observations);
    const count = this.outcomes.length;
    if (this.learning && isRelearnDue(this.learning, this.learned?.at ?? null, count)) {
      this.learn();
      return;
    }
    // Warm start: the old mode, and the predictive mean for arms new in this batch.
    const start = new Float64Array(this.arms.length);
    if (previous) {
      start.set(previous.laplace.mode);
      if (this.arms.length > oldArms) {
        const fresh = this.rows(oldArms, this.arms.length);
        start.set(predictUtility(previous, previous.kernel, this.rows(0, oldArms), fresh).mean, oldArms);
      }
    }
    this.refit(this.kernelParams, start);
  }

  /** Discards the comparisons and fits these: hyperparameters re-learned from the initial values. */
  fit(observations: readonly PairObservation[]): void {
    this.validate(observations, 'PreferentialGP.fit');
    this.clear();
    this.absorb(observations);
    if (this.learning && isRelearnDue(this.learning, null, this.outcomes.length)) this.learn();
    else this.refit(this.initialKernel, null);
  }

  predict(features: FeatureMatrix): Posterior {
    validateFeatureShape(features, this.dimension, 'PreferentialGP.predict');
    assertFiniteFeatures(features, 'PreferentialGP.predict');
    return predictUtility(this.fitted, this.kernelParams, this.rows(0, this.arms.length), features);
  }

  /** Joint draws of f at the rows from the Laplace posterior (O(n²m + nm² + m³)). */
  sample(features: FeatureMatrix, count: number, rng: Rng): Float64Array[] {
    requireCount(count, 'PreferentialGP.sample count');
    validateFeatureShape(features, this.dimension, 'PreferentialGP.sample');
    assertFiniteFeatures(features, 'PreferentialGP.sample');
    const { mean, covariance } = jointUtility(this.fitted, this.kernelParams, this.rows(0, this.arms.length), features);
    return drawJointGaussian(mean, covariance, count, rng, this.kernelParams.signalVariance);
  }

  /** Var f(first) + Var f(second) − 2 Cov: the posterior variance of the utility difference (O(n²)). */
  differenceVariance(first: ArrayLike<number>, second: ArrayLike<number>): number {
    for (const row of [first, second]) {
      if (row?.length !== this.dimension) {
        throw new RangeError(`PreferentialGP.differenceVariance: rows must have ${this.dimension} values`);
      }
    }
    return utilityDifferenceVariance(this.fitted, this.kernelParams, this.rows(0, this.arms.length), first, second);
  }

  toJSON(): SerializedPreferentialGP {
    const k = this.kernelParams;
    const init = this.initialKernel;
    return {
      kind: 'preferential-gp',
      version: 1,
      dimension: this.dimension,
      kernel: k.name,
      lengthscale: k.lengthscale,
      ...(k.lengthscales ? { lengthscales: Array.from(k.lengthscales) } : {}),
      signalVariance: k.signalVariance,
      initial: {
        lengthscale: init.lengthscale,
        ...(init.lengthscales ? { lengthscales: Array.from(init.lengthscales) } : {}),
        signalVariance: init.signalVariance,
      },
      likelihood: this.likelihood,
      jitter: this.jitter,
      maxArms: this.maxArms,
      maxNewtonIterations: this.newton.maxIterations,
      tolerance: this.newton.tolerance,
      learnHyperparameters: this.learning,
      learned: this.learned,
      arms: this.arms.flat(),
      first: this.first.slice(),
      second: this.second.slice(),
      outcomes: this.outcomes.slice(),
      whitenedMode: Array.from(this.fitted?.laplace.whitened ?? []),
    };
  }

  /** Restores the comparisons and the mode without Newton steps or learning: predicts bit-identically. */
  static load(json: SerializedPreferentialGP): PreferentialGP {
    if (json?.kind !== 'preferential-gp') {
      throw new RangeError(`PreferentialGP.load: kind is ${String(json?.kind)}, expected preferential-gp`);
    }
    if (json.version !== 1) throw new RangeError(`PreferentialGP.load: unsupported version ${String(json.version)}`);
    if (!KERNEL_NAMES.includes(json.kernel))
      throw new RangeError(`PreferentialGP.load: unknown kernel ${String(json.kernel)}`);
    const model = new PreferentialGP({
      dimension: json.dimension,
      kernel: json.kernel,
      ...json.initial,
      likelihood: json.likelihood,
      jitter: json.jitter,
      maxArms: json.maxArms,
      maxNewtonIterations: json.maxNewtonIterations,
      tolerance: json.tolerance,
      learnHyperparameters: json.learnHyperparameters,
    });
    const d = model.dimension;
    const m = json.outcomes?.length;
    const n = json.arms?.length / d;
    if (
      !Number.isInteger(n) ||
      json.first?.length !== m ||
      json.second?.length !== m ||
      json.whitenedMode?.length !== (m > 0 ? n : 0)
    ) {
      throw new RangeError('PreferentialGP.load: arms, first, second, outcomes and whitenedMode do not fit together');
    }
    model.absorb(
      json.outcomes.map((outcome, i) => ({
        first: json.arms.slice(json.first[i] * d, (json.first[i] + 1) * d),
        second: json.arms.slice(json.second[i] * d, (json.second[i] + 1) * d),
        outcome,
      })),
    );
    if (model.arms.length !== n) throw new RangeError('PreferentialGP.load: arms are not distinct or not all compared');
    const kernel = json.lengthscales
      ? ardKernel(json.kernel, json.lengthscales, json.signalVariance)
      : { name: json.kernel, lengthscale: json.lengthscale, signalVariance: json.signalVariance };
    validateKernelParams(kernel, 'PreferentialGP.load');
    model.kernelParams = kernel;
    model.learned = json.learned ?? null;
    if (m > 0) {
      const arms = model.rows(0, n);
      const covariance = priorCovariance(kernel, arms, model.jitter);
      const laplace = findLaplaceMode(
        cholesky(covariance),
        model.comparisons(),
        model.likelihood,
        Float64Array.from(json.whitenedMode),
        {
          maxIterations: 0,
          tolerance: 0,
        },
      );
      model.fitted = predictiveFit({ kernel, covariance, laplace });
    }
    return model;
  }

  /**
   * MAP-II on at most `maxPoints` evenly spaced comparisons (and the arms they involve), then the
   * mode on all comparisons at the result, from zero: what is learned depends only on the data.
   */
  private learn(): void {
    const learning = this.learning as PreferentialLearnOptions;
    const all = this.comparisons();
    const maxPoints = learning.maxPoints ?? 200;
    if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) {
      throw new RangeError(`PreferentialGP.learnHyperparameters.maxPoints must be an integer ≥ 2, got ${maxPoints}`);
    }
    const { arms, pairs } = subsetComparisons(this.rows(0, this.arms.length), all, maxPoints);
    const result = learnPreferentialHyperparameters(
      arms,
      pairs,
      this.likelihood,
      this.jitter,
      this.initialKernel,
      learning,
      this.newton,
    );
    if (pairs === all) {
      this.kernelParams = result.fit.kernel;
      this.fitted = predictiveFit(result.fit);
    } else {
      this.refit(result.fit.kernel, null);
    }
    this.learned = { at: this.outcomes.length, logHyperprior: result.logHyperprior };
  }

  private refit(kernel: KernelParams, start: Float64Array | null): void {
    this.kernelParams = kernel;
    if (this.outcomes.length === 0) {
      this.fitted = null;
      return;
    }
    const fit = laplaceFit(
      kernel,
      this.rows(0, this.arms.length),
      this.comparisons(),
      this.likelihood,
      this.jitter,
      start,
      this.newton,
    );
    this.fitted = predictiveFit(fit);
  }

  private validate(observations: readonly PairObservation[], where: string): void {
    validateObservations(observations, this.dimension, where);
    // The Borda validation checks `first` only; check `second` the same way by swapping.
    validateObservations(
      observations.map((o) => ({ first: o.second, second: o.first, outcome: o.outcome })),
      this.dimension,
      `${where} (second response)`,
    );
    const keys = new Set(this.armIndex.keys());
    for (const o of observations) {
      keys.add(armKey(o.first));
      keys.add(armKey(o.second));
    }
    if (keys.size > this.maxArms) {
      throw new RangeError(
        `${where}: ${keys.size} distinct arms exceed maxArms = ${this.maxArms} (the preferential GP refits in O(arms³)); raise maxArms or use a Bradley–Terry model on features`,
      );
    }
  }

  private absorb(observations: readonly PairObservation[]): void {
    for (const o of observations) {
      this.first.push(this.arm(o.first));
      this.second.push(this.arm(o.second));
      this.outcomes.push(o.outcome);
    }
  }

  private arm(row: ArrayLike<number>): number {
    const key = armKey(row);
    let index = this.armIndex.get(key);
    if (index === undefined) {
      index = this.arms.length;
      this.arms.push(Array.from(row));
      this.armIndex.set(key, index);
    }
    return index;
  }

  private clear(): void {
    this.arms = [];
    this.armIndex.clear();
    this.first = [];
    this.second = [];
    this.outcomes = [];
    this.fitted = null;
    this.learned = null;
  }

  private rows(from: number, to: number): FeatureMatrix {
    const d = this.dimension;
    const data = new Float64Array((to - from) * d);
    for (let i = from; i < to; i++) data.set(this.arms[i], (i - from) * d);
    return { rows: to - from, cols: d, data };
  }

  private comparisons(): Comparisons {
    return {
      first: Int32Array.from(this.first),
      second: Int32Array.from(this.second),
      outcomes: Float64Array.from(this.outcomes),
      count: this.outcomes.length,
    };
  }
}

function armKey(row: ArrayLike<number>): string {
  return Array.prototype.join.call(row, ',');
}
