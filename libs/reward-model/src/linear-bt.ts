/**
 * Linear Bradley–Terry reward r(x, a) = θᵀφ(x, a) with a Laplace (Gaussian) posterior.
 *
 * θ̂ is the L2-regularised logistic MLE on differences z = φ(first) − φ(second), found by Newton's
 * method (warm-started from the previous θ̂ on update()). Outcomes may be soft (ties = 0.5): the
 * logistic likelihood y·log σ(θᵀz) + (1 − y)·log σ(−θᵀz) is concave for any y ∈ [0, 1].
 *
 * Two precision matrices are kept, each with its Cholesky factor cached:
 * - the Laplace posterior precision (the negative Hessian at θ̂) H = λI + Σ σ'(θ̂ᵀz) z zᵀ, used by
 *   predict() and sample();
 * - the design matrix V = λI + Σ z zᵀ, which APO and MaxInP (algorithms.md §4) are defined with.
 * differenceNorm() uses the one chosen by the `norm` option (default 'design', as in §4).
 */
import {
  type FeatureMatrix,
  type Matrix,
  type Rng,
  NotPositiveDefiniteError,
  cholesky,
  dot,
  solveLower,
  solveUpperTransposed,
  zeros,
} from '@borda/numeric';
import { DifferenceData, type NewtonReport, newtonSolve } from './linear-bt-newton';
import type { FeatureMap, LinearPreferenceModel, PairObservation, Posterior, SerializedModel } from './model';
import { RandomFourierFeatures, type SerializedRandomFourierFeatures } from './random-fourier-features';

export type { NewtonReport } from './linear-bt-newton';

export type DifferenceNormKind = 'hessian' | 'design';

export interface LinearBradleyTerryOptions {
  /** Width of the raw joint feature rows the model accepts (the feature map's input width). */
  readonly dimension: number;
  /** λ of the L2 penalty (λ/2)‖θ‖², i.e. a N(0, λ⁻¹I) prior (default 1). */
  readonly regularization?: number;
  /** Applied to every raw row before the linear model (default: none, φ = the raw row). */
  readonly featureMap?: FeatureMap;
  /** Cap on Newton iterations per fit/update (default 50). */
  readonly maxNewtonIterations?: number;
  /** Newton stops once the largest step entry is below tolerance·max(1, ‖θ‖∞) (default 1e-9). */
  readonly tolerance?: number;
  /** Precision used by differenceNorm (and whiten): 'design' (default, algorithms.md §4) or 'hessian'. */
  readonly norm?: DifferenceNormKind;
}

export interface LinearBradleyTerryLoadOptions {
  /** Use this map instead of rebuilding one from the JSON (it must match the serialised one). */
  readonly featureMap?: FeatureMap;
  /**
   * Rebuilds a serialised feature map; called only when the JSON carries one. Without it,
   * 'random-fourier-features' maps are rebuilt by RandomFourierFeatures.load; other kinds throw.
   */
  readonly loadFeatureMap?: (json: { readonly kind: string; readonly [key: string]: unknown }) => FeatureMap;
}

export interface SerializedLinearBradleyTerry extends SerializedModel {
  readonly kind: 'linear-bt';
  readonly version: 1;
  readonly dimension: number;
  readonly regularization: number;
  readonly maxNewtonIterations: number;
  readonly tolerance: number;
  readonly norm: DifferenceNormKind;
  readonly featureMap: { readonly kind: string; readonly [key: string]: unknown } | null;
  readonly theta: number[];
  /** Observed differences z in feature space, row-major (observationCount × theta.length). */
  readonly differences: number[];
  readonly outcomes: number[];
  readonly newtonIterations: number;
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${field} must be a positive integer, got ${value}`);
  return value;
}

function checkRow(row: ArrayLike<number>, width: number, what: string): void {
  if (row.length !== width) throw new RangeError(`${what} has ${row.length} values, expected ${width}`);
  for (let j = 0; j < width; j++) {
    if (!Number.isFinite(row[j])) throw new RangeError(`${what}, column ${j} is ${row[j]}, not a finite number`);
  }
}

export class LinearBradleyTerry implements LinearPreferenceModel {
  readonly kind = 'linear-bt' as const;
  readonly dimension: number;
  /** Width of φ, the space θ lives in. */
  readonly featureDimension: number;
  readonly regularization: number;
  readonly featureMap: FeatureMap | undefined;
  readonly maxNewtonIterations: number;
  readonly tolerance: number;
  readonly norm: DifferenceNormKind;

  private thetaHat: Float64Array;
  private readonly data: DifferenceData;
  private hessianFactor: Matrix;
  private designFactor: Matrix;
  private report: NewtonReport = { iterations: 0, converged: true, logPosterior: 0 };

  constructor(options: LinearBradleyTerryOptions) {
    this.dimension = positiveInteger(options.dimension, 'dimension');
    this.regularization = options.regularization ?? 1;
    if (!(this.regularization > 0) || !Number.isFinite(this.regularization)) {
      throw new RangeError(`regularization must be a positive finite number, got ${this.regularization}`);
    }
    this.featureMap = options.featureMap;
    if (this.featureMap && this.featureMap.inputDimension !== this.dimension) {
      throw new RangeError(
        `featureMap.inputDimension is ${this.featureMap.inputDimension}, expected dimension ${this.dimension}`,
      );
    }
    this.featureDimension = this.featureMap ? this.featureMap.outputDimension : this.dimension;
    this.maxNewtonIterations = positiveInteger(options.maxNewtonIterations ?? 50, 'maxNewtonIterations');
    this.tolerance = options.tolerance ?? 1e-9;
    if (!(this.tolerance > 0)) throw new RangeError(`tolerance must be positive, got ${this.tolerance}`);
    this.norm = options.norm ?? 'design';
    if (this.norm !== 'design' && this.norm !== 'hessian') {
      throw new RangeError(`norm must be 'design' or 'hessian', got ${String(this.norm)}`);
    }
    const d = this.featureDimension;
    this.thetaHat = new Float64Array(d);
    this.data = new DifferenceData(d, this.regularization);
    this.hessianFactor = this.priorFactor();
    this.designFactor = this.priorFactor();
  }

  get observationCount(): number {
    return this.data.count;
  }

  /** θ̂ (a copy), in feature space. */
  get theta(): Float64Array {
    return Float64Array.from(this.thetaHat);
  }

  get newtonReport(): NewtonReport {
    return this.report;
  }

  /** The Laplace posterior precision H = λI + Σ σ'(θ̂ᵀz) z zᵀ (a copy). */
  posteriorPrecision(): Matrix {
    return this.data.derivatives(this.thetaHat).hessian;
  }

  /** The design matrix V = λI + Σ z zᵀ (a copy). */
  designPrecision(): Matrix {
    return this.data.designPrecision();
  }

  /** The differences z = φ(first) − φ(second) observed so far (feature space, a copy). */
  differences(): Matrix {
    return this.data.differences();
  }

  outcomes(): Float64Array {
    return this.data.outcomes();
  }

  /** Penalised log-likelihood Σ [y log σ(θᵀz) + (1 − y) log σ(−θᵀz)] − (λ/2)‖θ‖² (default θ = θ̂). */
  logPosterior(theta: ArrayLike<number> = this.thetaHat): number {
    return this.data.logPosterior(theta);
  }

  /** φ of one raw row (the row itself, copied, without a feature map). */
  featuresOf(row: ArrayLike<number>): Float64Array {
    return this.featureMap ? this.featureMap.transformRow(row) : Float64Array.from(row);
  }

  fit(observations: readonly PairObservation[]): void {
    const prepared = this.prepare(observations);
    this.data.clear();
    this.thetaHat = new Float64Array(this.featureDimension);
    this.absorb(prepared);
  }

  update(observations: readonly PairObservation[]): void {
    this.absorb(this.prepare(observations));
  }

  predict(features: FeatureMatrix): Posterior {
    const phi = this.mapped(features);
    const d = this.featureDimension;
    const mean = new Float64Array(phi.rows);
    const std = new Float64Array(phi.rows);
    for (let i = 0; i < phi.rows; i++) {
      const r = phi.data.subarray(i * d, (i + 1) * d);
      mean[i] = dot(r, this.thetaHat, d);
      std[i] = this.normWith(this.hessianFactor, r);
    }
    return { mean, std };
  }

  /** Posterior mean θ̂ᵀφ only (no O(d²) variance work). */
  predictMean(features: FeatureMatrix): Float64Array {
    const phi = this.mapped(features);
    const d = this.featureDimension;
    const mean = new Float64Array(phi.rows);
    for (let i = 0; i < phi.rows; i++) mean[i] = dot(phi.data.subarray(i * d, (i + 1) * d), this.thetaHat, d);
    return mean;
  }

  /** Draws θ ~ N(θ̂, H⁻¹) and returns θᵀφ at every row, one array per draw. */
  sample(features: FeatureMatrix, count: number, rng: Rng): Float64Array[] {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`count must be a non-negative integer, got ${count}`);
    const phi = this.mapped(features);
    const d = this.featureDimension;
    const out: Float64Array[] = [];
    for (let k = 0; k < count; k++) {
      // H = L Lᵀ, so θ̂ + L⁻ᵀ ε has covariance L⁻ᵀ L⁻¹ = H⁻¹.
      const shift = solveUpperTransposed(this.hessianFactor, rng.normals(d));
      const theta = new Float64Array(d);
      for (let j = 0; j < d; j++) theta[j] = this.thetaHat[j] + shift[j];
      const values = new Float64Array(phi.rows);
      for (let i = 0; i < phi.rows; i++) values[i] = dot(phi.data.subarray(i * d, (i + 1) * d), theta, d);
      out.push(values);
    }
    return out;
  }

  /** ‖z‖_{V⁻¹} = sqrt(zᵀ V⁻¹ z), z = φ(first) − φ(second), V chosen by the `norm` option. O(d²). */
  differenceNorm(first: ArrayLike<number>, second: ArrayLike<number>): number {
    checkRow(first, this.dimension, 'differenceNorm: first');
    checkRow(second, this.dimension, 'differenceNorm: second');
    const a = this.featuresOf(first);
    const b = this.featuresOf(second);
    for (let j = 0; j < a.length; j++) a[j] -= b[j];
    return this.normWith(this.normFactor(), a);
  }

  /**
   * Rows u = L⁻¹φ with V = L Lᵀ (V chosen by `norm`): then ‖φ_a − φ_b‖_{V⁻¹} = ‖u_a − u_b‖, so
   * scoring all pairs of a prompt costs O(d²) per arm plus O(d) per pair instead of O(d²) per pair.
   */
  whiten(features: FeatureMatrix, norm: DifferenceNormKind = this.norm): Matrix {
    const phi = this.mapped(features);
    const d = this.featureDimension;
    const factor = norm === 'hessian' ? this.hessianFactor : this.designFactor;
    const out = zeros(phi.rows, d);
    for (let i = 0; i < phi.rows; i++) {
      out.data.set(solveLower(factor, phi.data.subarray(i * d, (i + 1) * d)), i * d);
    }
    return out;
  }

  toJSON(): SerializedLinearBradleyTerry {
    return {
      kind: 'linear-bt',
      version: 1,
      dimension: this.dimension,
      regularization: this.regularization,
      maxNewtonIterations: this.maxNewtonIterations,
      tolerance: this.tolerance,
      norm: this.norm,
      featureMap: this.featureMap ? this.featureMap.toJSON() : null,
      theta: Array.from(this.thetaHat),
      differences: Array.from(this.data.differences().data),
      outcomes: Array.from(this.data.outcomes()),
      newtonIterations: this.report.iterations,
    };
  }

  /**
   * Restores a model without refitting: θ̂ is taken as stored and both precisions are rebuilt from
   * the stored differences, so predictions match the saved model exactly.
   */
  static load(json: SerializedLinearBradleyTerry, options: LinearBradleyTerryLoadOptions = {}): LinearBradleyTerry {
    if (json.kind !== 'linear-bt') throw new RangeError(`kind must be 'linear-bt', got ${String(json.kind)}`);
    if (json.version !== 1) throw new RangeError(`unsupported linear-bt version ${String(json.version)}`);
    let featureMap: FeatureMap | undefined;
    if (json.featureMap) {
      featureMap = options.featureMap ?? options.loadFeatureMap?.(json.featureMap);
      if (!featureMap && json.featureMap.kind === 'random-fourier-features') {
        featureMap = RandomFourierFeatures.load(json.featureMap as SerializedRandomFourierFeatures);
      }
      if (!featureMap) {
        throw new RangeError(
          `featureMap of kind '${json.featureMap.kind}' needs options.featureMap or options.loadFeatureMap to load`,
        );
      }
    }
    const model = new LinearBradleyTerry({
      dimension: json.dimension,
      regularization: json.regularization,
      featureMap,
      maxNewtonIterations: json.maxNewtonIterations,
      tolerance: json.tolerance,
      norm: json.norm,
    });
    const d = model.featureDimension;
    const n = json.outcomes.length;
    if (json.theta.length !== d) throw new RangeError(`theta has ${json.theta.length} values, expected ${d}`);
    if (json.differences.length !== n * d) {
      throw new RangeError(`differences has ${json.differences.length} values, expected ${n}×${d}`);
    }
    const z = Float64Array.from(json.differences);
    const y = Float64Array.from(json.outcomes);
    for (let i = 0; i < n; i++) {
      checkRow(z.subarray(i * d, (i + 1) * d), d, `differences row ${i}`);
      if (!(y[i] >= 0 && y[i] <= 1)) throw new RangeError(`outcomes[${i}] is ${y[i]}, expected a value in [0, 1]`);
    }
    model.data.append(z, y);
    model.thetaHat = Float64Array.from(json.theta);
    model.refreshFactors();
    model.report = {
      iterations: json.newtonIterations,
      converged: true,
      logPosterior: model.logPosterior(model.thetaHat),
    };
    return model;
  }

  private priorFactor(): Matrix {
    const d = this.featureDimension;
    const l = zeros(d, d);
    const s = Math.sqrt(this.regularization);
    for (let i = 0; i < d; i++) l.data[i * d + i] = s;
    return l;
  }

  private normFactor(): Matrix {
    return this.norm === 'hessian' ? this.hessianFactor : this.designFactor;
  }

  /** sqrt(vᵀ (L Lᵀ)⁻¹ v) = ‖L⁻¹ v‖. */
  private normWith(l: Matrix, v: ArrayLike<number>): number {
    const u = solveLower(l, v);
    return Math.sqrt(dot(u, u));
  }

  private mapped(features: FeatureMatrix): FeatureMatrix {
    if (features.cols !== this.dimension) {
      throw new RangeError(`features have ${features.cols} columns, expected dimension ${this.dimension}`);
    }
    if (!this.featureMap) return features;
    const phi = this.featureMap.transform(features);
    if (phi.cols !== this.featureDimension || phi.rows !== features.rows) {
      throw new RangeError(
        `featureMap returned ${phi.rows}×${phi.cols}, expected ${features.rows}×${this.featureDimension}`,
      );
    }
    return phi;
  }

  /** Validates observations and maps them to (z, y) before touching any state. */
  private prepare(observations: readonly PairObservation[]): { z: Float64Array; y: Float64Array } {
    const d = this.featureDimension;
    const z = new Float64Array(observations.length * d);
    const y = new Float64Array(observations.length);
    observations.forEach((o, i) => {
      checkRow(o.first, this.dimension, `observations[${i}].first`);
      checkRow(o.second, this.dimension, `observations[${i}].second`);
      if (!(o.outcome >= 0 && o.outcome <= 1)) {
        throw new RangeError(`observations[${i}].outcome is ${o.outcome}, expected a value in [0, 1]`);
      }
      const a = this.featuresOf(o.first);
      const b = this.featuresOf(o.second);
      for (let j = 0; j < d; j++) z[i * d + j] = a[j] - b[j];
      y[i] = o.outcome;
    });
    return { z, y };
  }

  private absorb({ z, y }: { z: Float64Array; y: Float64Array }): void {
    this.data.append(z, y);
    const { theta, report } = newtonSolve(this.data, this.thetaHat, this.maxNewtonIterations, this.tolerance);
    this.thetaHat = theta;
    this.report = report;
    this.refreshFactors();
  }

  private refreshFactors(): void {
    this.hessianFactor = cholesky(this.data.derivatives(this.thetaHat).hessian);
    try {
      this.designFactor = cholesky(this.designPrecision());
    } catch (e) {
      // λ > 0 makes V positive definite in exact arithmetic; say so if rounding broke it.
      if (e instanceof NotPositiveDefiniteError) {
        throw new RangeError(`design matrix lost positive definiteness (λ = ${this.regularization} too small?)`);
      }
      throw e;
    }
  }
}
