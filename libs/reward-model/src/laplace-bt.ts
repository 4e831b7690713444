/**
 * Bradley–Terry reward r(x, a) = θᵀφ(x, a) with a Laplace posterior, on a feature map chosen among
 * standardised raw features, random Fourier features, or both (bt-feature-maps.ts), whose prior
 * precisions and RFF lengthscale are learned by Laplace evidence (bt-evidence.ts).
 *
 * Cost. A label is an online Laplace (assumed-density) step at O(p²): the current Gaussian
 * N(θ̂, H⁻¹) is the prior for the new pair, whose exact MAP lies on θ̂ + t·H⁻¹z (a 1-D concave
 * problem in s = θᵀz, solved by safeguarded Newton), and H takes the rank-one σ'(ŝ) z zᵀ through a
 * rotation update of its upper factor U (H = UᵀU). Older pairs keep the curvature they had when
 * they arrived, so every `refitGrowth`× more labels (or `refitEvery` labels) a full Newton refit
 * re-evaluates all of them — geometric spacing keeps the total refit work O(n p²) — and every
 * `relearnGrowth`× more labels the refit first relearns the hyperparameters. fit() always refits
 * and relearns.
 */
import { type FeatureMatrix, type Rng, dot, logSigmoid } from '@borda/numeric';
import { scoreArms, type LinearGaussianScorer } from './arm-scoring';
import { blockDiagonal, laplaceFit, learnHyperparameters } from './bt-evidence';
import { BtFeatures, medianHeuristic, standardisationOf } from './bt-feature-maps';
import { BtHallucinationSession, type PairConditioner, pendingDirection, variancesBySolve } from './bt-hallucination';
import { checkRow, grow, onlineLaplaceStep } from './bt-online-laplace';
import { requireCount, validateFeatureShape, validateObservations } from './gp-validation';
import {
  type LaplaceBradleyTerryHyperparameters,
  type LaplaceBradleyTerryOptions,
  type LaplaceBradleyTerrySettings,
  type SerializedLaplaceBradleyTerry,
  decodeFloat64,
  encodeFloat64,
  resolveSettings,
} from './laplace-bt-options';
import { DifferenceData } from './linear-bt-newton';
import {
  choleskyRankOneUpdate,
  inverseOfTransposedFactor,
  sampleGaussian,
  solveUpperTransposed,
} from './low-rank-factor';
import type {
  HallucinatingModel,
  LinearPreferenceModel,
  PairObservation,
  PairwiseVarianceModel,
  Posterior,
} from './model';

export type { LaplaceBradleyTerryHyperparameters, LaplaceBradleyTerryOptions, SerializedLaplaceBradleyTerry };
export type { PairConditioner } from './bt-hallucination';
export { solvePairMode } from './bt-online-laplace';

/** Newton steps of a periodic refit (from the online θ̂). */
const REFIT_NEWTON_STEPS = 1;

export class LaplaceBradleyTerry implements LinearPreferenceModel, PairwiseVarianceModel, HallucinatingModel {
  readonly kind = 'bt-laplace' as const;
  /** The pairwise likelihood: model choice compares evidences only between models that share it. */
  readonly pairwiseLikelihood = 'logistic' as const;
  readonly dimension: number;
  private readonly settings: LaplaceBradleyTerrySettings;
  private readonly scoring: LaplaceBradleyTerryOptions['scoring'];
  private featureSpace: BtFeatures;
  private statisticsFixed: boolean;
  private centre: number;
  private precisions: Float64Array;
  private thetaHat: Float64Array;
  private U: Float64Array;
  private comparator: Float64Array;
  private first: Float64Array = new Float64Array(0);
  private second: Float64Array = new Float64Array(0);
  private ys: Float64Array = new Float64Array(0);
  private count = 0;
  private lastRefitCount = 0;
  private lastLearnCount = 0;
  private learned = false;
  private evidencePoints = 0;
  private scorer: LinearGaussianScorer | undefined;

  constructor(options: LaplaceBradleyTerryOptions) {
    this.settings = resolveSettings(options);
    const d = this.settings.dimension;
    this.dimension = d;
    const priorPrecision = this.settings.priorPrecision;
    this.scoring = options.scoring;
    this.statisticsFixed = options.reference !== undefined;
    const reference = options.reference;
    if (reference) validateFeatureShape(reference, d, 'LaplaceBradleyTerry reference');
    const standardisation = reference
      ? standardisationOf(reference.data, d)
      : { mean: new Float64Array(d), scale: new Float64Array(d).fill(1) };
    this.centre = reference ? medianHeuristic(reference.data, d) : Math.sqrt(d);
    this.featureSpace = this.buildFeatures(standardisation, options.lengthscale ?? this.centre);
    this.precisions = Float64Array.from(priorPrecision);
    const p = this.featureSpace.outputDimension;
    this.thetaHat = new Float64Array(p);
    this.U = new Float64Array(p * p);
    this.resetFactorToPrior();
    this.comparator = new Float64Array(p);
  }

  get observationCount(): number {
    return this.count;
  }

  /** Width of φ. */
  get featureDimension(): number {
    return this.featureSpace.outputDimension;
  }

  get features(): BtFeatures {
    return this.featureSpace;
  }

  /** θ̂ (a copy). */
  get theta(): Float64Array {
    return this.thetaHat.slice();
  }

  /** Hyperparameters learned by evidence: one precision per block, plus ℓ with an RFF block. */
  get fittedHyperparameterCount(): number {
    if (!this.settings.learnHyperparameters) return 0;
    return this.featureSpace.blockSizes.length + (this.featureSpace.hasLengthscale ? 1 : 0);
  }

  get hyperparameters(): LaplaceBradleyTerryHyperparameters {
    const f = this.featureSpace;
    const hasLinear = f.kind !== 'rff';
    return {
      featureMap: f.kind,
      lengthscale: f.hasLengthscale ? f.lengthscale : null,
      medianHeuristic: f.hasLengthscale ? this.centre : null,
      linearPrecision: hasLinear ? this.precisions[0] : null,
      rffPrecision: f.hasLengthscale ? this.precisions[hasLinear ? 1 : 0] : null,
      logEvidence: this.logEvidence(),
      learned: this.learned,
      learnedAtLabels: this.lastLearnCount,
      evidencePoints: this.evidencePoints,
      rffFeatures: f.hasLengthscale ? this.settings.rffFeatures : null,
      kernel: f.hasLengthscale ? this.settings.kernel : null,
      seed: this.settings.seed,
    };
  }

  /**
   * Laplace log evidence of all labels at the current θ̂ and factor: Σ log-lik(θ̂) − ½θ̂ᵀΛθ̂ + ½log|Λ| −
   * ½log|H|. Exact Laplace right after a refit; between refits H carries the online curvatures. O(n·p).
   */
  logEvidence(): number {
    const p = this.featureDimension;
    const prior = blockDiagonal(this.featureSpace.blockSizes, this.precisions);
    const z = new Float64Array(p);
    const other = new Float64Array(p);
    const d = this.dimension;
    let value = 0;
    for (let i = 0; i < this.count; i++) {
      this.featureSpace.transformInto(this.first, i * d, z, 0);
      this.featureSpace.transformInto(this.second, i * d, other, 0);
      let s = 0;
      for (let k = 0; k < p; k++) s += (z[k] - other[k]) * this.thetaHat[k];
      value += this.ys[i] * logSigmoid(s) + (1 - this.ys[i]) * logSigmoid(-s);
    }
    for (let j = 0; j < p; j++) {
      value += -0.5 * prior[j] * this.thetaHat[j] ** 2 + 0.5 * Math.log(prior[j]) - Math.log(this.U[j * p + j]);
    }
    return value;
  }

  fit(observations: readonly PairObservation[]): void {
    validateObservations(observations, this.dimension, 'LaplaceBradleyTerry.fit');
    this.count = 0;
    this.append(observations);
    this.lastLearnCount = 0;
    this.learned = false;
    this.refit(true, true);
  }

  update(observations: readonly PairObservation[]): void {
    validateObservations(observations, this.dimension, 'LaplaceBradleyTerry.update');
    if (observations.length === 0) return;
    const before = this.count;
    this.append(observations);
    const dueByGrowth = this.count >= this.lastRefitCount * this.settings.refitGrowth;
    const dueByCount =
      this.settings.refitEvery !== null && this.count - this.lastRefitCount >= this.settings.refitEvery;
    if (dueByGrowth || dueByCount) {
      this.refit(this.count >= this.lastLearnCount * this.settings.relearnGrowth, false);
      return;
    }
    const d = this.dimension;
    const z = new Float64Array(this.featureDimension);
    for (let i = before; i < this.count; i++) {
      this.differenceInto(this.first.subarray(i * d, (i + 1) * d), this.second.subarray(i * d, (i + 1) * d), z);
      onlineLaplaceStep(this.U, this.thetaHat, z, this.ys[i]);
    }
    this.scorer = undefined;
  }

  predict(features: FeatureMatrix): Posterior {
    validateFeatureShape(features, this.dimension, 'LaplaceBradleyTerry.predict');
    const { mean, std } = scoreArms(this.featureSpace.transform(features), this.getScorer(), this.scoring);
    return { mean, std };
  }

  /** Joint draws: θ ~ N(θ̂, H⁻¹) (θ̂ + U⁻¹ε), r = φθ. */
  sample(features: FeatureMatrix, count: number, rng: Rng): Float64Array[] {
    requireCount(count, 'LaplaceBradleyTerry.sample count');
    validateFeatureShape(features, this.dimension, 'LaplaceBradleyTerry.sample');
    const phi = this.featureSpace.transform(features);
    const p = this.featureDimension;
    const out: Float64Array[] = [];
    for (let k = 0; k < count; k++) {
      const theta = sampleGaussian(this.U, p, this.thetaHat, rng);
      const values = new Float64Array(phi.rows);
      for (let i = 0; i < phi.rows; i++) values[i] = dot(phi.data.subarray(i * p, (i + 1) * p), theta, p);
      out.push(values);
    }
    return out;
  }

  /** Posterior variance of r(first) − r(second): zᵀH⁻¹z. O(p²). */
  differenceVariance(first: ArrayLike<number>, second: ArrayLike<number>): number {
    checkRow(first, this.dimension, 'differenceVariance: first');
    checkRow(second, this.dimension, 'differenceVariance: second');
    const z = new Float64Array(this.featureDimension);
    this.differenceInto(first, second, z);
    const u = solveUpperTransposed(this.U, this.featureDimension, z);
    return dot(u, u);
  }

  /** ‖z‖_{H⁻¹}: the Laplace posterior precision plays the role of V (algorithms.md §4). */
  differenceNorm(first: ArrayLike<number>, second: ArrayLike<number>): number {
    return Math.sqrt(this.differenceVariance(first, second));
  }

  /** Rows u = U⁻ᵀφ (H = UᵀU), so ‖φ_a − φ_b‖_{H⁻¹} = ‖u_a − u_b‖. */
  whiten(features: FeatureMatrix): FeatureMatrix {
    validateFeatureShape(features, this.dimension, 'LaplaceBradleyTerry.whiten');
    const phi = this.featureSpace.transform(features);
    const p = this.featureDimension;
    const out = new Float64Array(phi.rows * p);
    for (let i = 0; i < phi.rows; i++) {
      solveUpperTransposed(this.U, p, phi.data.subarray(i * p, (i + 1) * p), out.subarray(i * p, (i + 1) * p));
    }
    return { rows: phi.rows, cols: p, data: out };
  }

  hallucinate(pool: FeatureMatrix): BtHallucinationSession {
    validateFeatureShape(pool, this.dimension, 'LaplaceBradleyTerry.hallucinate');
    const phi = this.featureSpace.transform(pool);
    return new BtHallucinationSession(phi, this.U.slice(), this.comparator, variancesBySolve(this.U, phi));
  }

  /** On-demand conditioning on a private copy of U (see bt-hallucination.ts); O(p²) per row. */
  conditioner(): PairConditioner {
    const p = this.featureDimension;
    const factor = this.U.slice();
    return {
      varianceAt: (rows: FeatureMatrix): Float64Array => {
        validateFeatureShape(rows, this.dimension, 'LaplaceBradleyTerry.conditioner.varianceAt');
        return variancesBySolve(factor, this.featureSpace.transform(rows));
      },
      addRow: (row: ArrayLike<number>): void => {
        checkRow(row, this.dimension, 'conditioner.addRow');
        choleskyRankOneUpdate(factor, p, pendingDirection(this.featureSpace.transformRow(row), this.comparator));
      },
      addPair: (first: ArrayLike<number>, second: ArrayLike<number>): void => {
        checkRow(first, this.dimension, 'conditioner.addPair: first');
        checkRow(second, this.dimension, 'conditioner.addPair: second');
        const z = new Float64Array(p);
        this.differenceInto(first, second, z);
        choleskyRankOneUpdate(factor, p, pendingDirection(z, new Float64Array(p)));
      },
    };
  }

  toJSON(): SerializedLaplaceBradleyTerry {
    const p = this.featureDimension;
    const factor: number[] = [];
    for (let i = 0; i < p; i++) for (let k = i; k < p; k++) factor.push(this.U[i * p + k]);
    const d = this.dimension;
    return {
      kind: 'bt-laplace',
      version: 1,
      options: {
        ...this.settings,
        priorPrecision: [...this.settings.priorPrecision],
        hyperprior: { ...this.settings.hyperprior },
      },
      features: this.featureSpace.toJSON(),
      ...(this.scoring ? { scoring: { ...this.scoring } } : {}),
      statisticsFixed: this.statisticsFixed,
      medianHeuristic: this.centre,
      precisions: Array.from(this.precisions),
      theta: Array.from(this.thetaHat),
      factor,
      comparatorMean: Array.from(this.comparator),
      count: this.count,
      lastRefitCount: this.lastRefitCount,
      lastLearnCount: this.lastLearnCount,
      learned: this.learned,
      evidencePoints: this.evidencePoints,
      first: encodeFloat64(this.first.subarray(0, this.count * d)),
      second: encodeFloat64(this.second.subarray(0, this.count * d)),
      outcomes: encodeFloat64(this.ys.subarray(0, this.count)),
    };
  }

  /** Restores the exact state (θ̂, U, hyperparameters, pairs): predictions are bit-identical. */
  static load(json: SerializedLaplaceBradleyTerry): LaplaceBradleyTerry {
    if (json?.kind !== 'bt-laplace') throw new RangeError(`kind must be 'bt-laplace', got ${String(json?.kind)}`);
    if (json.version !== 1) throw new RangeError(`unsupported bt-laplace version ${String(json.version)}`);
    const model = new LaplaceBradleyTerry({
      ...json.options,
      lengthscale: json.options.initialLengthscale ?? undefined,
      refitEvery: json.options.refitEvery ?? undefined,
      scoring: json.scoring,
    });
    const features = BtFeatures.load(json.features);
    const p = features.outputDimension;
    if (
      features.kind !== json.options.featureMap ||
      json.theta.length !== p ||
      json.factor.length !== (p * (p + 1)) / 2
    ) {
      throw new RangeError('LaplaceBradleyTerry.load: features, theta and factor sizes disagree');
    }
    model.featureSpace = features;
    model.statisticsFixed = json.statisticsFixed;
    model.centre = json.medianHeuristic;
    model.precisions = Float64Array.from(json.precisions);
    model.thetaHat = Float64Array.from(json.theta);
    model.U = new Float64Array(p * p);
    let at = 0;
    for (let i = 0; i < p; i++) for (let k = i; k < p; k++) model.U[i * p + k] = json.factor[at++];
    model.comparator = Float64Array.from(json.comparatorMean);
    const d = model.dimension;
    model.count = json.count;
    model.ys = decodeFloat64(json.outcomes, model.count, 'outcomes');
    model.first = decodeFloat64(json.first, model.count * d, 'first');
    model.second = decodeFloat64(json.second, model.count * d, 'second');
    model.lastRefitCount = json.lastRefitCount;
    model.lastLearnCount = json.lastLearnCount;
    model.learned = json.learned;
    model.evidencePoints = json.evidencePoints;
    return model;
  }

  /** φ(first) − φ(second) into z. */
  private differenceInto(first: ArrayLike<number>, second: ArrayLike<number>, z: Float64Array): void {
    const other = new Float64Array(z.length);
    this.featureSpace.transformInto(first, 0, z, 0);
    this.featureSpace.transformInto(second, 0, other, 0);
    for (let k = 0; k < z.length; k++) z[k] -= other[k];
  }

  /** Full refit on every stored pair, optionally relearning the hyperparameters first. */
  private refit(relearn: boolean, complete: boolean): void {
    const d = this.dimension;
    if (!this.statisticsFixed && this.count > 0) {
      const rows = new Float64Array(2 * this.count * d);
      rows.set(this.first.subarray(0, this.count * d));
      rows.set(this.second.subarray(0, this.count * d), this.count * d);
      // Each statistic only where a block uses it: the median heuristic is O(400²·d).
      const standardisation =
        this.settings.featureMap === 'rff' ? this.featureSpace.standardisation : standardisationOf(rows, d);
      if (this.settings.featureMap !== 'linear') this.centre = medianHeuristic(rows, d);
      // Until ℓ has been learned the search starts from the given ℓ or the (new) median heuristic.
      const lengthscale = this.learned
        ? this.featureSpace.lengthscale
        : (this.settings.initialLengthscale ?? this.centre);
      // Keep the warm start's rewards: a standardised coefficient scales with its column's sd.
      const oldScale = this.featureSpace.standardisation.scale;
      for (let j = 0; j < (this.settings.featureMap === 'rff' ? 0 : d); j++) {
        this.thetaHat[j] *= standardisation.scale[j] / oldScale[j];
      }
      this.featureSpace = this.buildFeatures(standardisation, lengthscale);
    }
    if (relearn && this.settings.learnHyperparameters && this.count > 0) {
      const result = learnHyperparameters({
        first: this.first,
        second: this.second,
        outcomes: this.ys,
        count: this.count,
        features: this.featureSpace,
        initialPrecisions: this.settings.priorPrecision,
        lengthscaleCentre: this.centre,
        learnLengthscale: true,
        wideSearch: !this.learned,
        hyperprior: this.settings.hyperprior,
        maxPoints: this.settings.maxEvidencePoints,
      });
      this.precisions = result.precisions;
      this.learned = true;
      this.lastLearnCount = this.count;
      this.evidencePoints = Math.min(this.count, this.settings.maxEvidencePoints);
      // A new lengthscale is a new RFF basis: the online θ̂ is no longer a warm start.
      if (result.features.lengthscale !== this.featureSpace.lengthscale) complete = true;
      this.featureSpace = result.features;
    }
    const p = this.featureDimension;
    const data = new DifferenceData(p, blockDiagonal(this.featureSpace.blockSizes, this.precisions), false);
    data.append(this.featureSpace.differences(this.first, this.second, this.count), this.ys.subarray(0, this.count));
    const start = this.thetaHat.length === p ? this.thetaHat : new Float64Array(p);
    // A periodic refit starts from the online θ̂, already close: REFIT_NEWTON_STEPS step (quadratic
    // convergence) is enough, and each costs an O(n p²) pass. fit() and relearned maps converge fully.
    const steps = complete
      ? this.settings.maxNewtonIterations
      : Math.min(REFIT_NEWTON_STEPS, this.settings.maxNewtonIterations);
    const fit = laplaceFit(data, start, steps, this.settings.tolerance);
    this.thetaHat = fit.theta;
    this.U = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let k = 0; k <= i; k++) this.U[k * p + i] = fit.factor.data[i * p + k];
    this.comparator = this.meanFeature();
    this.lastRefitCount = this.count;
    this.scorer = undefined;
  }

  /** φ̄ over the stored responses (at most 2000 pairs, even strides): the expected competitor. */
  private meanFeature(): Float64Array {
    const p = this.featureDimension;
    const d = this.dimension;
    const mean = new Float64Array(p);
    const take = Math.min(this.count, 2000);
    const phi = new Float64Array(p);
    for (let k = 0; k < take; k++) {
      const i = Math.floor((k * this.count) / take);
      for (const rows of [this.first, this.second]) {
        this.featureSpace.transformInto(rows, i * d, phi, 0);
        for (let j = 0; j < p; j++) mean[j] += phi[j] / (2 * take);
      }
    }
    return mean;
  }

  private append(observations: readonly PairObservation[]): void {
    const d = this.dimension;
    const needed = this.count + observations.length;
    if (needed > this.ys.length) {
      const capacity = Math.max(needed, 2 * this.ys.length, 16);
      this.first = grow(this.first, capacity * d, this.count * d);
      this.second = grow(this.second, capacity * d, this.count * d);
      this.ys = grow(this.ys, capacity, this.count);
    }
    observations.forEach((o, k) => {
      const i = this.count + k;
      for (let j = 0; j < d; j++) {
        this.first[i * d + j] = o.first[j];
        this.second[i * d + j] = o.second[j];
      }
      this.ys[i] = o.outcome;
    });
    this.count = needed;
  }

  private buildFeatures(standardisation: { mean: Float64Array; scale: Float64Array }, lengthscale: number): BtFeatures {
    const s = this.settings;
    return new BtFeatures({
      kind: s.featureMap,
      inputDimension: s.dimension,
      standardisation,
      rffFeatures: s.rffFeatures,
      kernel: s.kernel,
      lengthscale,
      seed: s.seed,
    });
  }

  private resetFactorToPrior(): void {
    const p = this.featureDimension;
    const prior = blockDiagonal(this.featureSpace.blockSizes, this.precisions);
    this.U.fill(0);
    for (let j = 0; j < p; j++) this.U[j * p + j] = Math.sqrt(prior[j]);
  }

  private getScorer(): LinearGaussianScorer {
    this.scorer ??= {
      weights: this.thetaHat.slice(),
      offset: 0,
      inverseFactor: inverseOfTransposedFactor(this.U, this.featureDimension),
    };
    return this.scorer;
  }
}
