/**
 * Exact GP regression of the Borda score: the outcome of each pair (in [0, 1]) is regressed on the
 * FIRST response's joint features (model.ts: under a uniformly random competitor the outcome is an
 * unbiased observation of f(x, a)).
 *
 * State (gp-posterior.ts): the packed Cholesky factor L of K + σₙ²I and z = L⁻¹(y − m₀). A label
 * appends one factor row, O(n²) — never a refit; `fit` rebuilds by the same appends (O(n³)), so
 * batch and incremental models hold bit-identical factors and a reloaded model predicts exactly as
 * the original.
 *
 * Tracked candidates (gp-tracked.ts): predicting the same FeatureMatrix after every label would cost
 * O(n²·m) each time. `track(features)` — or predicting the same matrix object twice in a row while
 * `autoTrack` is on — keeps V = L⁻¹K(X, C) up to date with one row per label (O(n·m)), and predict
 * on that object is then O(m). The tracked matrix is held by reference and must not be mutated in
 * place (call `track` again if it is). V takes n·m doubles; past `trackingBudget` the cache is
 * dropped and predict falls back to solves.
 *
 * Hyperparameters (gp-hyperparameter-schedule.ts): with `learnHyperparameters`, `fit()` learns them
 * by MAP-II (ARD lengthscales when the dimension is small, weak priors centred on the constructor's
 * values) and `update()` re-learns them whenever the label count has grown ×1.25 (or by `every`),
 * then refactorises; in between, labels are O(n²) appends as before.
 */
import type { FeatureMatrix, Rng } from '@borda/numeric';
import { GpHallucinationSession } from './gp-hallucination';
import {
  LearnHyperparametersOptions,
  isRelearnDue,
  learnGpHyperparameters,
  packGpData,
  resolveLearnOptions,
} from './gp-hyperparameter-schedule';
import {
  HyperparameterFitOptions,
  HyperparameterFitResult,
  Hyperparameters,
  logMarginalLikelihood as dataLogMarginalLikelihood,
} from './gp-hyperparameters';
import { GpPosterior } from './gp-posterior';
import { drawJointGaussian } from './gp-sampling';
import {
  assertFiniteFeatures,
  requireCount,
  requireDimension,
  requireFinite,
  requirePositive,
  validateFeatureShape,
  validateObservations,
} from './gp-validation';
import { KERNEL_NAMES, KernelParams, ardKernel, kernelLengthscales, validateKernelParams } from './kernels';
import type {
  BordaGPHyperparameters,
  BordaGPOptions,
  HyperparameterLearningRecord,
  HyperparameterValues,
  SerializedBordaGP,
} from './gp-borda-types';
import type { HallucinatingModel, PairObservation, Posterior } from './model';

export type {
  BordaGPHyperparameters,
  BordaGPOptions,
  HyperparameterLearningRecord,
  HyperparameterValues,
  SerializedBordaGP,
} from './gp-borda-types';
export type { LearnHyperparametersOptions } from './gp-hyperparameter-schedule';

export class BordaGP implements HallucinatingModel {
  readonly kind = 'borda-gp' as const;
  readonly dimension: number;
  readonly priorMean: number;
  readonly autoTrack: boolean;
  readonly trackingBudget: number;
  /** The resolved learning options (false: hyperparameters stay as set). */
  readonly learning: LearnHyperparametersOptions | false;
  /** The constructor's values: where every learning starts and the hyperpriors' centres. */
  private readonly initialKernel: KernelParams;
  private readonly initialNoise: number;
  private learned: HyperparameterLearningRecord | null = null;
  private state: GpPosterior;
  private lastPredicted: WeakRef<FeatureMatrix> | null = null;

  constructor(options: BordaGPOptions) {
    const d = requireDimension(options.dimension, 'BordaGP.dimension');
    this.dimension = d;
    const name = options.kernel ?? 'rbf';
    const signalVariance = options.signalVariance ?? 0.0625;
    const params: KernelParams = options.lengthscales
      ? ardKernel(name, options.lengthscales, signalVariance)
      : { name, lengthscale: options.lengthscale ?? 0.2 * Math.sqrt(d), signalVariance };
    validateKernelParams(params, 'BordaGP');
    if (params.lengthscales && params.lengthscales.length !== d) {
      throw new RangeError(`BordaGP.lengthscales has ${params.lengthscales.length} entries, expected dimension ${d}`);
    }
    const noise = requirePositive(options.noiseVariance ?? 0.25, 'BordaGP.noiseVariance');
    this.learning = resolveLearnOptions(options.learnHyperparameters, 'BordaGP');
    this.initialKernel = params;
    this.initialNoise = noise;
    this.priorMean = requireFinite(options.priorMean ?? 0.5, 'BordaGP.priorMean');
    this.autoTrack = options.autoTrack ?? true;
    this.trackingBudget = requireCount(options.trackingBudget ?? 2 ** 24, 'BordaGP.trackingBudget');
    this.state = new GpPosterior(d, params, noise, this.priorMean, this.trackingBudget);
  }

  get observationCount(): number {
    return this.state.size;
  }

  get kernel(): KernelParams {
    return this.state.params;
  }

  get noiseVariance(): number {
    return this.state.noiseVariance;
  }

  get hyperparameters(): BordaGPHyperparameters {
    const { params, noiseVariance } = this.state;
    return {
      lengthscales: kernelLengthscales(params, this.dimension),
      lengthscale: params.lengthscale,
      ard: params.lengthscales !== undefined,
      signalVariance: params.signalVariance,
      noiseVariance,
      learnedAt: this.learned?.at ?? null,
      logMarginalLikelihood: this.learned?.logMarginalLikelihood ?? null,
      logHyperprior: this.learned?.logHyperprior ?? null,
    };
  }

  /**
   * Appends the observations (O(n²) each). With `learnHyperparameters`, when the new count makes a
   * re-learning due, the hyperparameters are learned on all observations and the model is rebuilt
   * once at them (O(n³)) instead.
   */
  update(observations: readonly PairObservation[]): void {
    validateObservations(observations, this.dimension, 'BordaGP.update');
    const firsts = observations.map((o) => o.first);
    const outcomes = observations.map((o) => o.outcome);
    const count = this.state.size + observations.length;
    if (this.learning && observations.length > 0 && isRelearnDue(this.learning, this.learned?.at ?? null, count)) {
      const { inputs, outcomes: old, count: n } = this.state.data;
      const d = this.dimension;
      const rows = Array.from({ length: n }, (_, i): ArrayLike<number> => inputs.subarray(i * d, (i + 1) * d));
      this.learnAndRebuild([...rows, ...firsts], [...old, ...outcomes]);
      return;
    }
    this.state.absorb(firsts, outcomes);
  }

  /** Refits on exactly these observations; with `learnHyperparameters`, learns them first. */
  fit(observations: readonly PairObservation[]): void {
    validateObservations(observations, this.dimension, 'BordaGP.fit');
    const firsts = observations.map((o) => o.first);
    const outcomes = observations.map((o) => o.outcome);
    if (this.learning) {
      this.learnAndRebuild(firsts, outcomes);
      return;
    }
    const { params, noiseVariance } = this.state;
    this.rebuild(params, noiseVariance, firsts, outcomes);
  }

  /** Starts (or restarts) the O(n·m)-per-label cache for this matrix. False when over the budget. */
  track(features: FeatureMatrix): boolean {
    validateFeatureShape(features, this.dimension, 'BordaGP.track');
    assertFiniteFeatures(features, 'BordaGP.track');
    return this.state.track(features);
  }

  untrack(): void {
    this.state.untrack();
  }

  /** The matrix whose posterior is cached, if any. */
  get trackedFeatures(): FeatureMatrix | null {
    return this.state.trackedFeatures;
  }

  predict(features: FeatureMatrix): Posterior {
    validateFeatureShape(features, this.dimension, 'BordaGP.predict');
    const cached = this.state.trackedPosterior(features);
    if (cached) return cached;
    if (this.autoTrack && this.lastPredicted?.deref() === features && this.track(features)) {
      return this.state.trackedPosterior(features)!;
    }
    assertFiniteFeatures(features, 'BordaGP.predict');
    this.lastPredicted = new WeakRef(features);
    return this.state.predict(features);
  }

  /**
   * Joint posterior draws over the rows: Cholesky of K(C, C) − VᵀV plus a jitter that starts at
   * 1e-10·σ² and grows tenfold until the factorisation succeeds (O(n·m² + m³)).
   */
  sample(features: FeatureMatrix, count: number, rng: Rng): Float64Array[] {
    requireCount(count, 'BordaGP.sample count');
    const V = this.projection(features, 'BordaGP.sample');
    const m = features.rows;
    const { mean } = this.state.posteriorFromProjection(V, m);
    return drawJointGaussian(mean, this.state.posteriorCovariance(features, V), count, rng, this.kernel.signalVariance);
  }

  /**
   * A GP-BUCB session over the pool (gp-hallucination.ts): O(n²·m) to start unless the pool is the
   * tracked matrix, then O(m·(d + n + k)) per add. A snapshot: later labels do not reach it.
   */
  hallucinate(pool: FeatureMatrix): GpHallucinationSession {
    const V = this.projection(pool, 'BordaGP.hallucinate');
    const { std } = this.state.posteriorFromProjection(V, pool.rows);
    const variance = new Float64Array(std.length);
    for (let j = 0; j < std.length; j++) variance[j] = std[j] * std[j];
    const { params, noiseVariance, size } = this.state;
    return new GpHallucinationSession(pool, params, noiseVariance, V, size, variance);
  }

  /** log p(y | X) at the current hyperparameters, from the factor: O(n). */
  logMarginalLikelihood(): number {
    return this.state.logMarginalLikelihood();
  }

  /**
   * MAP-II of lengthscale(s), signal and noise variance (gp-hyperparameters.ts) from the current
   * values, with the hyperpriors centred on the constructor's values unless `options.priors` says
   * otherwise (`priors: false`: plain type-II ML), then one O(n³) refactorisation at the result. The
   * tracked cache, if any, is rebuilt.
   */
  fitHyperparameters(options: HyperparameterFitOptions = {}): HyperparameterFitResult {
    if (this.state.size < 2) throw new RangeError('BordaGP.fitHyperparameters needs at least 2 observations');
    const { params, noiseVariance, data } = this.state;
    const learned = learnGpHyperparameters(data, params.name, { ...params, noiseVariance }, this.initial, options);
    this.setHyperparameters({ ...learned.kernel, noiseVariance: learned.noiseVariance });
    this.recordLearning(options.priors === false ? null : learned.result.logHyperprior);
    return learned.result;
  }

  /** Replaces the hyperparameters and refactorises (O(n³)). */
  setHyperparameters(values: HyperparameterValues): void {
    this.learned = null;
    const params = this.paramsWith(values);
    const noise = requirePositive(values.noiseVariance ?? this.state.noiseVariance, 'BordaGP.noiseVariance');
    const { inputs, outcomes, count } = this.state.data;
    const d = this.dimension;
    this.rebuild(
      params,
      noise,
      Array.from({ length: count }, (_, i) => inputs.subarray(i * d, (i + 1) * d)),
      outcomes,
    );
  }

  /** Log marginal likelihood of the current data at other hyperparameters (O(n³), no state change). */
  logMarginalLikelihoodAt(values: HyperparameterValues): number {
    const noise = requirePositive(values.noiseVariance ?? this.state.noiseVariance, 'BordaGP.noiseVariance');
    return dataLogMarginalLikelihood(this.state.data, this.paramsWith(values), noise);
  }

  toJSON(): SerializedBordaGP {
    const { params, noiseVariance, data } = this.state;
    const initial = this.initial;
    return {
      kind: 'borda-gp',
      version: 2,
      dimension: this.dimension,
      kernel: params.name,
      lengthscale: params.lengthscale,
      ...(params.lengthscales ? { lengthscales: Array.from(params.lengthscales) } : {}),
      signalVariance: params.signalVariance,
      noiseVariance,
      priorMean: this.priorMean,
      autoTrack: this.autoTrack,
      trackingBudget: this.trackingBudget,
      initial: {
        lengthscale: initial.lengthscale,
        ...(initial.lengthscales ? { lengthscales: Array.from(initial.lengthscales) } : {}),
        signalVariance: initial.signalVariance,
        noiseVariance: initial.noiseVariance,
      },
      learnHyperparameters: this.learning,
      learned: this.learned,
      inputs: Array.from(data.inputs),
      outcomes: Array.from(data.outcomes),
    };
  }

  /**
   * Rebuilds the factor by the same appends at the stored (possibly learned) values, without
   * re-learning, so the loaded model predicts bit-identically and re-learns on the same schedule.
   */
  static load(json: SerializedBordaGP): BordaGP {
    if (json?.kind !== 'borda-gp') {
      throw new RangeError(`BordaGP.load: kind is ${String(json?.kind)}, expected borda-gp`);
    }
    if (json.version !== 1 && json.version !== 2) {
      throw new RangeError(`BordaGP.load: unsupported version ${String(json.version)}`);
    }
    if (!KERNEL_NAMES.includes(json.kernel)) {
      throw new RangeError(`BordaGP.load: unknown kernel ${String(json.kernel)}`);
    }
    // Version 1 had no learning: its stored values are the initial ones.
    const initial = json.initial ?? json;
    const model = new BordaGP({
      dimension: json.dimension,
      kernel: json.kernel,
      lengthscale: initial.lengthscale,
      lengthscales: initial.lengthscales,
      signalVariance: initial.signalVariance,
      noiseVariance: initial.noiseVariance,
      priorMean: json.priorMean,
      autoTrack: json.autoTrack,
      trackingBudget: json.trackingBudget,
      learnHyperparameters: json.learnHyperparameters ?? false,
    });
    const d = model.dimension;
    const { inputs, outcomes } = json;
    if (!Array.isArray(inputs) || !Array.isArray(outcomes) || inputs.length !== outcomes.length * d) {
      throw new RangeError(`BordaGP.load: inputs must hold outcomes.length × ${d} numbers`);
    }
    const rows = outcomes.map((_, i) => inputs.slice(i * d, (i + 1) * d));
    const noise = requirePositive(json.noiseVariance, 'BordaGP.load noiseVariance');
    model.rebuild(model.paramsWith(json), noise, rows, outcomes);
    const learned = json.learned ?? null;
    if (learned !== null && !(Number.isInteger(learned.at) && learned.at >= 0 && learned.at <= outcomes.length)) {
      throw new RangeError(`BordaGP.load: learned.at must be an observation count ≤ ${outcomes.length}`);
    }
    model.learned = learned;
    return model;
  }

  /** `lengthscales` gives an ARD kernel, `lengthscale` an isotropic one; neither keeps the current. */
  private paramsWith(values: HyperparameterValues): KernelParams {
    const current = this.state.params;
    const name = current.name;
    const signalVariance = values.signalVariance ?? current.signalVariance;
    let params: KernelParams;
    if (values.lengthscales) params = ardKernel(name, values.lengthscales, signalVariance);
    else if (values.lengthscale !== undefined) params = { name, lengthscale: values.lengthscale, signalVariance };
    else params = { ...current, signalVariance };
    validateKernelParams(params, 'BordaGP');
    if (params.lengthscales && params.lengthscales.length !== this.dimension) {
      throw new RangeError(`BordaGP: ${params.lengthscales.length} lengthscales for dimension ${this.dimension}`);
    }
    return params;
  }

  /** The constructor's values: where every learning starts and the hyperpriors' centres. */
  private get initial(): Hyperparameters {
    return { ...this.initialKernel, noiseVariance: this.initialNoise };
  }

  /** MAP-II on these observations from the initial values (when enough), then one rebuild. */
  private learnAndRebuild(firsts: ArrayLike<number>[], outcomes: ArrayLike<number>): void {
    const learning = this.learning as LearnHyperparametersOptions;
    if (!isRelearnDue(learning, null, firsts.length)) {
      this.rebuild(this.initialKernel, this.initialNoise, firsts, outcomes);
      this.learned = null;
      return;
    }
    const data = packGpData(firsts, outcomes, this.dimension, this.priorMean);
    const { initial } = this;
    const learned = learnGpHyperparameters(data, this.initialKernel.name, initial, initial, learning);
    this.rebuild(learned.kernel, learned.noiseVariance, firsts, outcomes);
    this.recordLearning(learning.priors === false ? null : learned.result.logHyperprior);
  }

  private recordLearning(logHyperprior: number | null): void {
    this.learned = { at: this.state.size, logMarginalLikelihood: this.state.logMarginalLikelihood(), logHyperprior };
  }

  /** A fresh state on these rows (O(n³)); a tracked matrix stays tracked. */
  private rebuild(params: KernelParams, noise: number, firsts: ArrayLike<number>[], outcomes: ArrayLike<number>): void {
    const tracked = this.state.trackedFeatures;
    const state = new GpPosterior(this.dimension, params, noise, this.priorMean, this.trackingBudget, firsts.length);
    if (tracked) state.track(tracked);
    state.absorb(firsts, outcomes);
    this.state = state;
  }

  private projection(features: FeatureMatrix, where: string): Float64Array {
    validateFeatureShape(features, this.dimension, where);
    if (this.state.trackedFeatures !== features) assertFiniteFeatures(features, where);
    return this.state.projection(features);
  }
}
