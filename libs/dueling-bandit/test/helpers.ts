/**
 * Hand-built models with known posteriors, so a test can state exactly which prompt and pair a
 * strategy must choose.
 *
 * `FixedPosteriorModel` and `FixedLinearModel` read the arm's identity from feature column 0 (the
 * global row index written by `idCandidates`), so they answer correctly when a strategy predicts
 * on a subset of the rows. `BayesLinearModel` is a real (small) Gaussian model whose variances
 * shrink under hallucination, for the batch tests.
 */
import { Rng, cholesky, type FeatureMatrix } from '@borda/numeric';
import type {
  HallucinatingModel,
  HallucinationSession,
  LinearPreferenceModel,
  ModelKind,
  PairObservation,
  Posterior,
  PreferenceModel,
  SerializedModel,
} from '@borda/reward-model';
import { candidateSetFromRows, type CandidateSet } from '@borda/dueling-bandit';

/** A candidate set whose row r has features [r, ...extra(p, k)]; responsesPerPrompt[p] responses in prompt p. */
export function idCandidates(
  responsesPerPrompt: readonly number[],
  extra: (prompt: number, response: number) => number[] = () => [],
): CandidateSet {
  let id = 0;
  return candidateSetFromRows(
    responsesPerPrompt.map((m, p) => Array.from({ length: m }, (_, k) => [id++, ...extra(p, k)])),
  );
}

abstract class FakeBase implements PreferenceModel {
  readonly observationCount = 0;
  constructor(
    readonly kind: ModelKind,
    readonly dimension: number,
  ) {}
  update(_observations: readonly PairObservation[]): void {}
  fit(_observations: readonly PairObservation[]): void {}
  abstract predict(features: FeatureMatrix): Posterior;
  abstract sample(features: FeatureMatrix, count: number, rng: Rng): Float64Array[];
  toJSON(): SerializedModel {
    return { kind: this.kind, version: 0 };
  }
}

export interface FixedPosterior {
  readonly mean: ArrayLike<number>;
  readonly std: ArrayLike<number>;
  /** Draw k is samples[k % samples.length] (per arm id); Gaussian draws from mean/std when absent. */
  readonly samples?: readonly ArrayLike<number>[];
}

export class FixedPosteriorModel extends FakeBase {
  predictCalls = 0;
  constructor(
    readonly posterior: FixedPosterior,
    kind: ModelKind = 'borda-gp',
    dimension = 1,
  ) {
    super(kind, dimension);
  }

  protected ids(features: FeatureMatrix): number[] {
    return Array.from({ length: features.rows }, (_, i) => Math.round(features.data[i * features.cols]));
  }

  predict(features: FeatureMatrix): Posterior {
    this.predictCalls++;
    const ids = this.ids(features);
    return {
      mean: Float64Array.from(ids, (id) => this.posterior.mean[id]),
      std: Float64Array.from(ids, (id) => this.posterior.std[id]),
    };
  }

  sample(features: FeatureMatrix, count: number, rng: Rng): Float64Array[] {
    const ids = this.ids(features);
    const table = this.posterior.samples;
    return Array.from({ length: count }, (_, k) =>
      table
        ? Float64Array.from(ids, (id) => table[k % table.length][id])
        : Float64Array.from(ids, (id) => this.posterior.mean[id] + this.posterior.std[id] * rng.normal()),
    );
  }
}

/** A FixedPosteriorModel that also answers ‖z‖_{V⁻¹} = sqrt(zᵀ M z) on feature columns 1.. (M given). */
export class FixedLinearModel extends FixedPosteriorModel implements LinearPreferenceModel {
  readonly theta: Float64Array;
  constructor(
    posterior: FixedPosterior,
    readonly metric: number[][],
    dimension: number,
  ) {
    super(posterior, 'linear-bt', dimension);
    this.theta = new Float64Array(dimension - 1);
  }

  differenceNorm(first: ArrayLike<number>, second: ArrayLike<number>): number {
    const d = this.metric.length;
    const z = Array.from({ length: d }, (_, j) => first[j + 1] - second[j + 1]);
    let s = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s += z[i] * this.metric[i][j] * z[j];
    return Math.sqrt(s);
  }
}

/**
 * Bayesian linear regression u(x) = wᵀx on all feature columns: prior w ~ N(0, I), noise σn²;
 * mean weights fixed (`meanWeights`), covariance Σ from the prior and `observed` rows. Its
 * hallucination session is the exact rank-one update of Σ, so variances shrink across rows
 * that share directions.
 */
export class BayesLinearModel extends FakeBase implements HallucinatingModel {
  readonly covariance: Float64Array;
  sessions = 0;

  constructor(
    dimension: number,
    readonly meanWeights: ArrayLike<number>,
    readonly noise = 0.25,
    observed: readonly ArrayLike<number>[] = [],
    kind: ModelKind = 'low-rank-borda',
  ) {
    super(kind, dimension);
    this.covariance = new Float64Array(dimension * dimension);
    for (let i = 0; i < dimension; i++) this.covariance[i * dimension + i] = 1;
    for (const x of observed) rankOneDowndate(this.covariance, dimension, x, noise);
  }

  predict(features: FeatureMatrix): Posterior {
    const mean = new Float64Array(features.rows);
    const std = new Float64Array(features.rows);
    for (let i = 0; i < features.rows; i++) {
      const x = features.data.subarray(i * features.cols, (i + 1) * features.cols);
      for (let j = 0; j < this.dimension; j++) mean[i] += this.meanWeights[j] * x[j];
      std[i] = Math.sqrt(quadratic(this.covariance, this.dimension, x));
    }
    return { mean, std };
  }

  sample(features: FeatureMatrix, count: number, rng: Rng): Float64Array[] {
    const d = this.dimension;
    const l = cholesky({ rows: d, cols: d, data: this.covariance });
    const { mean } = this.predict(features);
    return Array.from({ length: count }, () => {
      const e = rng.normals(d);
      const w = new Float64Array(d);
      for (let i = 0; i < d; i++) for (let k = 0; k <= i; k++) w[i] += l.data[i * d + k] * e[k];
      return Float64Array.from(mean, (m, i) => {
        let s = m;
        for (let j = 0; j < d; j++) s += w[j] * features.data[i * features.cols + j];
        return s;
      });
    });
  }

  hallucinate(pool: FeatureMatrix): HallucinationSession {
    this.sessions++;
    const d = this.dimension;
    const sigma = Float64Array.from(this.covariance);
    const row = (i: number) => pool.data.subarray(i * pool.cols, (i + 1) * pool.cols);
    const variance = Float64Array.from({ length: pool.rows }, (_, i) => quadratic(sigma, d, row(i)));
    const noise = this.noise;
    return {
      variance,
      add(poolIndex: number) {
        rankOneDowndate(sigma, d, row(poolIndex), noise);
        for (let i = 0; i < pool.rows; i++) variance[i] = quadratic(sigma, d, row(i));
      },
    };
  }
}

function quadratic(sigma: Float64Array, d: number, x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s += x[i] * sigma[i * d + j] * x[j];
  return s;
}

/** Σ ← Σ − Σx xᵀΣ / (σn² + xᵀΣx): conditioning on one noisy observation at x. */
function rankOneDowndate(sigma: Float64Array, d: number, x: ArrayLike<number>, noise: number): void {
  const sx = new Float64Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) sx[i] += sigma[i * d + j] * x[j];
  let denom = noise;
  for (let i = 0; i < d; i++) denom += x[i] * sx[i];
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) sigma[i * d + j] -= (sx[i] * sx[j]) / denom;
}

/** Random candidate set: `prompts` prompts with `responses` responses (or a per-prompt list), Gaussian features. */
export function randomCandidates(
  prompts: number,
  responses: number | ((p: number) => number),
  dimension: number,
  seed: number,
): CandidateSet {
  const rng = new Rng(seed);
  return candidateSetFromRows(
    Array.from({ length: prompts }, (_, p) =>
      Array.from({ length: typeof responses === 'number' ? responses : responses(p) }, () =>
        Array.from(rng.normals(dimension)),
      ),
    ),
  );
}

/**
 * A FixedPosteriorModel with a full joint covariance over the arm ids (row-major, n × n): predict's
 * std is the square root of its diagonal and `differenceVariance` is S_aa + S_bb − 2·S_ab, so
 * correlated arms have a smaller difference variance than their marginal variances suggest.
 */
export class JointGaussianModel extends FixedPosteriorModel {
  differenceVarianceCalls = 0;
  constructor(
    mean: ArrayLike<number>,
    readonly covariance: ArrayLike<number>,
    kind: ModelKind = 'bt-laplace',
    dimension = 1,
  ) {
    const n = mean.length;
    super({ mean, std: Array.from({ length: n }, (_, i) => Math.sqrt(covariance[i * n + i])) }, kind, dimension);
  }

  differenceVariance(first: ArrayLike<number>, second: ArrayLike<number>): number {
    this.differenceVarianceCalls++;
    const n = this.posterior.mean.length;
    const a = Math.round(first[0]);
    const b = Math.round(second[0]);
    const s = this.covariance;
    return s[a * n + a] + s[b * n + b] - 2 * s[a * n + b];
  }
}

/** A random covariance A Aᵀ / k + jitter·I over n arms (k = rank). */
export function randomCovariance(n: number, rank: number, rng: Rng, jitter = 1e-3): Float64Array {
  const a = Array.from({ length: n }, () => rng.normals(rank));
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let k = 0; k < rank; k++) v += a[i][k] * a[j][k];
      s[i * n + j] = v / rank + (i === j ? jitter : 0);
    }
  }
  return s;
}
