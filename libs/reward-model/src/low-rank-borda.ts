/**
 * Low-rank Borda regression: Bayesian linear regression f(x) = m₀ + θᵀφ(x), θ ~ N(0, s²I), on the
 * FIRST response's features (the Borda trick, model.ts) — either the rows themselves or their image
 * under a FeatureMap (e.g. random Fourier features of the joint input, which makes this an O(D²)
 * approximation of the exact GP).
 *
 * State: the upper Cholesky factor U of the precision A = I/s² + ΦᵀΦ/σₙ² (low-rank-factor.ts) and
 * b = Φᵀ(y − m₀)/σₙ². A label is one rank-one factor update, O(d²); `fit` forms A in one pass and
 * factorises it, O(n·d² + d³). Scoring uses θ̂ = A⁻¹b and R = (Uᵀ)⁻¹ (std² = ‖Rφ‖²), computed
 * lazily once per state and handed to the arm-scoring hot loop (arm-scoring.ts).
 */
import { Rng, cholesky, zeros } from '@borda/numeric';
import type { FeatureMatrix } from '@borda/numeric';
import { ArmScoringOptions, LinearGaussianScorer, scoreArms } from './arm-scoring';
import {
  assertFiniteFeatures,
  requireCount,
  requireDimension,
  requireFinite,
  requirePositive,
  validateFeatureShape,
  validateObservations,
} from './gp-validation';
import { LowRankHallucinationSession } from './low-rank-hallucination';
import {
  choleskyRankOneUpdate,
  inverseOfTransposedFactor,
  sampleGaussian,
  solveUpper,
  solveUpperTransposed,
} from './low-rank-factor';
import type {
  FeatureMap,
  HallucinatingModel,
  PairObservation,
  PosteriorConditioner,
  Posterior,
  SerializedModel,
} from './model';
import { RandomFourierFeatures, SerializedRandomFourierFeatures } from './random-fourier-features';

export interface LowRankBordaOptions {
  /** Width of the rows the model accepts (the feature map's inputDimension when one is given). */
  readonly dimension: number;
  /** Optional fixed map applied to every row first (e.g. RandomFourierFeatures). */
  readonly featureMap?: FeatureMap;
  /**
   * Prior variance s² of each weight. Default 1 with a feature map (the map's own scale, e.g. the
   * RFF signal variance, sets the prior of f, so the model approximates that GP) and 0.0625 without
   * (prior std 0.25 of f at a unit-norm row, as BordaGP's default signal variance).
   */
  readonly priorVariance?: number;
  /** Default 0.25, the largest variance of a Bernoulli label. */
  readonly noiseVariance?: number;
  /** Default 0.5. */
  readonly priorMean?: number;
  /** Passed to scoreArms (default: 'auto' path, 32k-row chunks). */
  readonly scoring?: ArmScoringOptions;
}

export interface SerializedLowRankBorda extends SerializedModel {
  readonly kind: 'low-rank-borda';
  readonly version: 1;
  readonly dimension: number;
  readonly featureDimension: number;
  readonly priorVariance: number;
  readonly noiseVariance: number;
  readonly priorMean: number;
  readonly observationCount: number;
  /** Upper triangle of U, row by row (d(d+1)/2 numbers). */
  readonly factor: number[];
  /** b = Φᵀ(y − m₀)/σₙ². */
  readonly rhs: number[];
  readonly featureMap: { readonly kind: string; readonly [key: string]: unknown } | null;
  readonly scoring?: ArmScoringOptions;
}

export class LowRankBorda implements HallucinatingModel {
  readonly kind = 'low-rank-borda' as const;
  readonly dimension: number;
  /** Width of the features the regression runs on. */
  readonly featureDimension: number;
  readonly featureMap: FeatureMap | null;
  readonly priorVariance: number;
  readonly noiseVariance: number;
  readonly priorMean: number;
  readonly scoring: ArmScoringOptions;
  private U: Float64Array;
  private rhs: Float64Array;
  private n = 0;
  private scorer: LinearGaussianScorer | null = null;
  private mean: Float64Array | null = null;

  constructor(options: LowRankBordaOptions) {
    this.dimension = requireDimension(options.dimension, 'LowRankBorda.dimension');
    this.featureMap = options.featureMap ?? null;
    if (this.featureMap && this.featureMap.inputDimension !== this.dimension) {
      throw new RangeError(
        `LowRankBorda: featureMap.inputDimension is ${this.featureMap.inputDimension}, expected dimension ${this.dimension}`,
      );
    }
    this.featureDimension = this.featureMap ? this.featureMap.outputDimension : this.dimension;
    this.priorVariance = requirePositive(
      options.priorVariance ?? (this.featureMap ? 1 : 0.0625),
      'LowRankBorda.priorVariance',
    );
    this.noiseVariance = requirePositive(options.noiseVariance ?? 0.25, 'LowRankBorda.noiseVariance');
    this.priorMean = requireFinite(options.priorMean ?? 0.5, 'LowRankBorda.priorMean');
    this.scoring = options.scoring ?? {};
    const p = this.featureDimension;
    this.U = new Float64Array(p * p);
    this.rhs = new Float64Array(p);
    this.resetPrior();
  }

  get observationCount(): number {
    return this.n;
  }

  update(observations: readonly PairObservation[]): void {
    validateObservations(observations, this.dimension, 'LowRankBorda.update');
    const p = this.featureDimension;
    const scale = 1 / Math.sqrt(this.noiseVariance);
    const x = new Float64Array(p);
    for (const o of observations) {
      const phi = this.mapRow(o.first);
      for (let k = 0; k < p; k++) x[k] = phi[k] * scale;
      choleskyRankOneUpdate(this.U, p, x);
      this.accumulate(phi, o.outcome);
    }
    this.invalidate();
  }

  fit(observations: readonly PairObservation[]): void {
    validateObservations(observations, this.dimension, 'LowRankBorda.fit');
    const p = this.featureDimension;
    const A = zeros(p, p);
    const a = A.data;
    for (let k = 0; k < p; k++) a[k * p + k] = 1 / this.priorVariance;
    this.rhs.fill(0);
    this.n = 0;
    const inv = 1 / this.noiseVariance;
    for (const o of observations) {
      const phi = this.mapRow(o.first);
      // Lower triangle only: numeric's cholesky reads no more.
      for (let i = 0; i < p; i++) {
        const v = phi[i] * inv;
        if (v === 0) continue;
        const ri = i * p;
        for (let k = 0; k <= i; k++) a[ri + k] += v * phi[k];
      }
      this.accumulate(phi, o.outcome);
    }
    const L = cholesky(A).data;
    this.U.fill(0);
    for (let i = 0; i < p; i++) for (let k = 0; k <= i; k++) this.U[k * p + i] = L[i * p + k];
    this.invalidate();
  }

  /**
   * Mean and std of f at every row. Few rows (under a third of the feature width): one triangular
   * solve per row, float64. Otherwise the arm-scoring hot loop (tfjs float32 chunks when a fast
   * backend is active, float64 JS loops if not).
   */
  predict(features: FeatureMatrix): Posterior {
    const phi = this.mapFeatures(features, 'LowRankBorda.predict');
    const p = this.featureDimension;
    if (phi.rows * 3 < p) {
      assertFiniteFeatures(phi, 'LowRankBorda.predict');
      const theta = this.posteriorMean();
      const mean = new Float64Array(phi.rows);
      const std = variancesBySolve(this.U, phi);
      for (let j = 0; j < phi.rows; j++) {
        let mu = this.priorMean;
        for (let k = 0, o = j * p; k < p; k++) mu += theta[k] * phi.data[o + k];
        mean[j] = mu;
        std[j] = Math.sqrt(std[j]);
      }
      return { mean, std };
    }
    const { mean, std } = scoreArms(phi, this.getScorer(), this.scoring);
    return { mean, std };
  }

  /** The scorer the hot loop uses (θ̂, m₀, R = (Uᵀ)⁻¹), cached until the next label. */
  getScorer(): LinearGaussianScorer {
    this.scorer ??= {
      weights: this.posteriorMean(),
      offset: this.priorMean,
      inverseFactor: inverseOfTransposedFactor(this.U, this.featureDimension),
    };
    return this.scorer;
  }

  /** Exact joint draws: θ ~ N(θ̂, A⁻¹) (θ̂ + U⁻¹ε), f = m₀ + Φθ. O(d² + m·d) per draw. */
  sample(features: FeatureMatrix, count: number, rng: Rng): Float64Array[] {
    requireCount(count, 'LowRankBorda.sample count');
    const phi = this.mapFeatures(features, 'LowRankBorda.sample');
    assertFiniteFeatures(phi, 'LowRankBorda.sample');
    const p = this.featureDimension;
    const theta = this.posteriorMean();
    const draws: Float64Array[] = [];
    for (let s = 0; s < count; s++) {
      const w = sampleGaussian(this.U, p, theta, rng);
      const f = new Float64Array(phi.rows);
      for (let j = 0; j < phi.rows; j++) {
        let v = this.priorMean;
        const o = j * p;
        for (let k = 0; k < p; k++) v += w[k] * phi.data[o + k];
        f[j] = v;
      }
      draws.push(f);
    }
    return draws;
  }

  /** GP-BUCB session (low-rank-hallucination.ts): O(d² + m·d) per add. */
  hallucinate(pool: FeatureMatrix): LowRankHallucinationSession {
    const phi = this.mapFeatures(pool, 'LowRankBorda.hallucinate');
    const { std } = scoreArms(phi, this.getScorer(), this.scoring);
    const variance = new Float64Array(std.length);
    for (let j = 0; j < std.length; j++) variance[j] = std[j] * std[j];
    return new LowRankHallucinationSession(phi, this.U.slice(), this.noiseVariance, variance);
  }

  /**
   * On-demand hallucination: a private copy of the factor that takes one rank-one update per added
   * row; variances of any rows cost one triangular solve each (O(d²)), independent of the labels.
   */
  conditioner(): PosteriorConditioner {
    const p = this.featureDimension;
    const factor = this.U.slice();
    const scale = 1 / Math.sqrt(this.noiseVariance);
    return {
      varianceAt: (rows: FeatureMatrix): Float64Array =>
        variancesBySolve(factor, this.mapFeatures(rows, 'LowRankBorda.conditioner.varianceAt')),
      addRow: (row: ArrayLike<number>): void => {
        if (row.length !== this.dimension) {
          throw new RangeError(
            `LowRankBorda.conditioner.addRow: row has ${row.length} values, expected ${this.dimension}`,
          );
        }
        const phi = this.mapRow(row);
        const x = new Float64Array(p);
        for (let k = 0; k < p; k++) x[k] = phi[k] * scale;
        choleskyRankOneUpdate(factor, p, x);
      },
    };
  }

  /** θ̂ = A⁻¹b (two triangular solves), cached until the next label. */
  posteriorMean(): Float64Array {
    if (!this.mean) {
      const p = this.featureDimension;
      this.mean = solveUpper(this.U, p, solveUpperTransposed(this.U, p, this.rhs));
    }
    return this.mean;
  }

  toJSON(): SerializedLowRankBorda {
    const p = this.featureDimension;
    const factor: number[] = [];
    for (let i = 0; i < p; i++) for (let k = i; k < p; k++) factor.push(this.U[i * p + k]);
    return {
      kind: 'low-rank-borda',
      version: 1,
      dimension: this.dimension,
      featureDimension: p,
      priorVariance: this.priorVariance,
      noiseVariance: this.noiseVariance,
      priorMean: this.priorMean,
      observationCount: this.n,
      factor,
      rhs: Array.from(this.rhs),
      featureMap: this.featureMap ? this.featureMap.toJSON() : null,
      scoring: this.scoring,
    };
  }

  /**
   * Restores the exact factor and right-hand side. A RandomFourierFeatures map is rebuilt from its
   * JSON; any other map must be passed in `options.featureMap`.
   */
  static load(json: SerializedLowRankBorda, options: { featureMap?: FeatureMap } = {}): LowRankBorda {
    if (json?.kind !== 'low-rank-borda') {
      throw new RangeError(`LowRankBorda.load: kind is ${String(json?.kind)}, expected low-rank-borda`);
    }
    if (json.version !== 1) throw new RangeError(`LowRankBorda.load: unsupported version ${String(json.version)}`);
    let featureMap = options.featureMap;
    if (!featureMap && json.featureMap) {
      if (json.featureMap.kind !== 'random-fourier-features') {
        throw new RangeError(
          `LowRankBorda.load: feature map of kind ${json.featureMap.kind} cannot be rebuilt here; pass options.featureMap`,
        );
      }
      featureMap = RandomFourierFeatures.load(json.featureMap as unknown as SerializedRandomFourierFeatures);
    }
    const model = new LowRankBorda({ ...json, featureMap });
    const p = model.featureDimension;
    if (json.featureDimension !== p) {
      throw new RangeError(`LowRankBorda.load: featureDimension is ${json.featureDimension}, the map gives ${p}`);
    }
    if (!Array.isArray(json.factor) || json.factor.length !== (p * (p + 1)) / 2) {
      throw new RangeError(`LowRankBorda.load: factor must hold ${(p * (p + 1)) / 2} numbers`);
    }
    if (!Array.isArray(json.rhs) || json.rhs.length !== p) {
      throw new RangeError(`LowRankBorda.load: rhs must hold ${p} numbers`);
    }
    let t = 0;
    for (let i = 0; i < p; i++) for (let k = i; k < p; k++) model.U[i * p + k] = json.factor[t++];
    for (let i = 0; i < p; i++) {
      if (!(model.U[i * p + i] > 0)) throw new RangeError(`LowRankBorda.load: factor diagonal ${i} is not positive`);
    }
    model.rhs.set(json.rhs);
    model.n = requireCount(json.observationCount, 'LowRankBorda.load observationCount');
    return model;
  }

  private resetPrior(): void {
    const p = this.featureDimension;
    this.U.fill(0);
    const diagonal = 1 / Math.sqrt(this.priorVariance);
    for (let k = 0; k < p; k++) this.U[k * p + k] = diagonal;
    this.rhs.fill(0);
    this.n = 0;
    this.invalidate();
  }

  private invalidate(): void {
    this.scorer = null;
    this.mean = null;
  }

  private accumulate(phi: ArrayLike<number>, outcome: number): void {
    const w = (outcome - this.priorMean) / this.noiseVariance;
    for (let k = 0; k < this.featureDimension; k++) this.rhs[k] += phi[k] * w;
    this.n++;
  }

  private mapRow(row: ArrayLike<number>): ArrayLike<number> {
    return this.featureMap ? this.featureMap.transformRow(row) : row;
  }

  private mapFeatures(features: FeatureMatrix, where: string): FeatureMatrix {
    validateFeatureShape(features, this.dimension, where);
    if (!this.featureMap) return features;
    assertFiniteFeatures(features, where);
    return this.featureMap.transform(features);
  }
}

/** φᵀA⁻¹φ = ‖U⁻ᵀφ‖² per row of the (mapped) features, one O(d²) triangular solve each. */
function variancesBySolve(U: Float64Array, phi: FeatureMatrix): Float64Array {
  const p = phi.cols;
  const y = new Float64Array(p);
  const variance = new Float64Array(phi.rows);
  for (let j = 0; j < phi.rows; j++) {
    solveUpperTransposed(U, p, phi.data.subarray(j * p, (j + 1) * p), y);
    let v = 0;
    for (let k = 0; k < p; k++) v += y[k] * y[k];
    variance[j] = v;
  }
  return variance;
}
