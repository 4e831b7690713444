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
 */
import { NotPositiveDefiniteError, Rng, cholesky, zeros } from '@borda/numeric';
import type { FeatureMatrix } from '@borda/numeric';
import { packedDot } from './gp-cholesky';
import { GpHallucinationSession } from './gp-hallucination';
import {
  HyperparameterFitOptions,
  HyperparameterFitResult,
  fitGpHyperparameters,
  logMarginalLikelihood as dataLogMarginalLikelihood,
} from './gp-hyperparameters';
import { GpPosterior } from './gp-posterior';
import {
  assertFiniteFeatures,
  requireCount,
  requireDimension,
  requireFinite,
  requirePositive,
  validateFeatureShape,
  validateObservations,
} from './gp-validation';
import { KERNEL_NAMES, KernelName, KernelParams, kernelColumn, validateKernelParams } from './kernels';
import type { HallucinatingModel, PairObservation, Posterior, SerializedModel } from './model';

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
}

export interface SerializedBordaGP extends SerializedModel {
  readonly kind: 'borda-gp';
  readonly version: 1;
  readonly dimension: number;
  readonly kernel: KernelName;
  readonly lengthscale: number;
  readonly signalVariance: number;
  readonly noiseVariance: number;
  readonly priorMean: number;
  readonly autoTrack: boolean;
  readonly trackingBudget: number;
  /** Training rows, row-major (observationCount × dimension). */
  readonly inputs: number[];
  readonly outcomes: number[];
}

export class BordaGP implements HallucinatingModel {
  readonly kind = 'borda-gp' as const;
  readonly dimension: number;
  readonly priorMean: number;
  readonly autoTrack: boolean;
  readonly trackingBudget: number;
  private state: GpPosterior;
  private lastPredicted: WeakRef<FeatureMatrix> | null = null;

  constructor(options: BordaGPOptions) {
    const d = requireDimension(options.dimension, 'BordaGP.dimension');
    this.dimension = d;
    const params: KernelParams = {
      name: options.kernel ?? 'rbf',
      lengthscale: options.lengthscale ?? 0.2 * Math.sqrt(d),
      signalVariance: options.signalVariance ?? 0.0625,
    };
    validateKernelParams(params, 'BordaGP');
    const noise = requirePositive(options.noiseVariance ?? 0.25, 'BordaGP.noiseVariance');
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

  update(observations: readonly PairObservation[]): void {
    validateObservations(observations, this.dimension, 'BordaGP.update');
    this.state.absorb(
      observations.map((o) => o.first),
      observations.map((o) => o.outcome),
    );
  }

  fit(observations: readonly PairObservation[]): void {
    validateObservations(observations, this.dimension, 'BordaGP.fit');
    const { params, noiseVariance } = this.state;
    this.rebuild(
      params,
      noiseVariance,
      observations.map((o) => o.first),
      observations.map((o) => o.outcome),
    );
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
    const params = this.state.params;
    const cov = zeros(m, m);
    const C = cov.data;
    const { cols, data } = features;
    for (let a = 0; a < m; a++) kernelColumn(params, data, a + 1, cols, data, a * cols, C.subarray(a * m));
    for (let i = 0; i < this.state.size; i++) {
      const offset = i * m;
      for (let a = 0; a < m; a++) {
        const via = V[offset + a];
        if (via === 0) continue;
        const ra = a * m;
        for (let b = 0; b <= a; b++) C[ra + b] -= via * V[offset + b];
      }
    }
    let jitter = 1e-10 * params.signalVariance;
    let factor = null;
    while (!factor) {
      for (let a = 0; a < m; a++) C[a * m + a] += jitter;
      try {
        factor = cholesky(cov);
      } catch (e) {
        if (!(e instanceof NotPositiveDefiniteError) || jitter > params.signalVariance) throw e;
        for (let a = 0; a < m; a++) C[a * m + a] -= jitter;
        jitter *= 10;
      }
    }
    const draws: Float64Array[] = [];
    for (let s = 0; s < count; s++) {
      const eps = rng.normals(m);
      const draw = Float64Array.from(mean);
      for (let a = 0; a < m; a++) draw[a] += packedDot(factor.data, a * m, eps, a + 1);
      draws.push(draw);
    }
    return draws;
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
   * Type-II maximum likelihood of lengthscale, signal and noise variance (gp-hyperparameters.ts),
   * then one O(n³) refactorisation at the result. The tracked cache, if any, is rebuilt.
   */
  fitHyperparameters(options: HyperparameterFitOptions = {}): HyperparameterFitResult {
    if (this.state.size < 2) throw new RangeError('BordaGP.fitHyperparameters needs at least 2 observations');
    const { params, noiseVariance } = this.state;
    const result = fitGpHyperparameters(this.state.data, params.name, { ...params, noiseVariance }, options);
    this.setHyperparameters(result);
    return result;
  }

  /** Replaces the hyperparameters and refactorises (O(n³)). */
  setHyperparameters(values: { lengthscale?: number; signalVariance?: number; noiseVariance?: number }): void {
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
  logMarginalLikelihoodAt(values: { lengthscale?: number; signalVariance?: number; noiseVariance?: number }): number {
    const noise = requirePositive(values.noiseVariance ?? this.state.noiseVariance, 'BordaGP.noiseVariance');
    return dataLogMarginalLikelihood(this.state.data, this.paramsWith(values), noise);
  }

  toJSON(): SerializedBordaGP {
    const { params, noiseVariance, data } = this.state;
    return {
      kind: 'borda-gp',
      version: 1,
      dimension: this.dimension,
      kernel: params.name,
      lengthscale: params.lengthscale,
      signalVariance: params.signalVariance,
      noiseVariance,
      priorMean: this.priorMean,
      autoTrack: this.autoTrack,
      trackingBudget: this.trackingBudget,
      inputs: Array.from(data.inputs),
      outcomes: Array.from(data.outcomes),
    };
  }

  /** Rebuilds the factor by the same appends, so the loaded model predicts bit-identically. */
  static load(json: SerializedBordaGP): BordaGP {
    if (json?.kind !== 'borda-gp') {
      throw new RangeError(`BordaGP.load: kind is ${String(json?.kind)}, expected borda-gp`);
    }
    if (json.version !== 1) throw new RangeError(`BordaGP.load: unsupported version ${String(json.version)}`);
    if (!KERNEL_NAMES.includes(json.kernel)) {
      throw new RangeError(`BordaGP.load: unknown kernel ${String(json.kernel)}`);
    }
    const model = new BordaGP(json);
    const d = model.dimension;
    const { inputs, outcomes } = json;
    if (!Array.isArray(inputs) || !Array.isArray(outcomes) || inputs.length !== outcomes.length * d) {
      throw new RangeError(`BordaGP.load: inputs must hold outcomes.length × ${d} numbers`);
    }
    model.fit(outcomes.map((outcome, i) => ({ first: inputs.slice(i * d, (i + 1) * d), second: [], outcome })));
    return model;
  }

  private paramsWith(values: { lengthscale?: number; signalVariance?: number }): KernelParams {
    const params = {
      name: this.state.params.name,
      lengthscale: values.lengthscale ?? this.state.params.lengthscale,
      signalVariance: values.signalVariance ?? this.state.params.signalVariance,
    };
    validateKernelParams(params, 'BordaGP');
    return params;
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
