/**
 * Direct Preference Optimisation (DPO) over finite candidate sets.
 *
 * The policy over a prompt's candidates a ∈ A(x) is an exponential tilt of the reference policy by
 * a learned log-ratio g_θ(x, a) on the joint (prompt, response) feature row:
 *
 *   π_θ(a|x) = π_ref(a|x) · exp(g_θ(x, a)) / Z_θ(x),   Z_θ(x) = Σ_{a′ ∈ A(x)} π_ref(a′|x) · exp(g_θ(x, a′)),
 *
 * so log π_θ(a|x)/π_ref(a|x) = g_θ(x, a) − log Z_θ(x). For a preference pair (y_w ≻ y_l) on one
 * prompt the DPO margin is
 *
 *   log π_θ(y_w|x)/π_ref(y_w|x) − log π_θ(y_l|x)/π_ref(y_l|x) = g_θ(x, y_w) − g_θ(x, y_l)
 *
 * (the normaliser Z_θ(x) cancels), and the DPO objective minimised by `fit` is
 *
 *   L(θ) = −(1/n) Σ_i log σ(β · (g_θ(x_i, y_w,i) − g_θ(x_i, y_l,i))) + l2 · ‖θ‖².
 *
 * π_ref does not enter the loss — it only enters `probabilities` — so one fitted g serves any
 * reference. At θ = 0 (g ≡ 0, π_θ = π_ref) the loss is log 2. With Bradley–Terry data
 * P(a ≻ b | x) = σ(r(x, a) − r(x, b)) and a g rich enough to represent r (e.g. tabular one-hot
 * features), the population optimum (l2 → 0) has β·g(x, a) = r(x, a) + c(x) for each prompt,
 * i.e. π* ∝ π_ref · exp(r/β): exactly the KL-regularised optimum argmax_π E_π[r] − β·KL(π ‖ π_ref),
 * the same closed form the soft policy of @borda/dueling-bandit computes from a reward model. With
 * finite data β·g is the maximum-likelihood BT reward (up to the L2 shrinkage; note the penalty is on
 * θ = r/β-scale parameters, so a fixed l2 shrinks harder for small β).
 *
 * g_θ is linear (g = vᵀx, `hiddenUnits: []`) or an MLP with tanh hidden layers and no output bias
 * (a constant in g is unidentifiable and cancels everywhere); see dpo-training.ts. Training is
 * full-batch (or seeded mini-batch) Adam in float64 JavaScript with hand-written gradients, from
 * v = 0 (so g ≡ 0 initially), stopping early when the objective plateaus and keeping the best θ seen.
 * Same seed + same pairs → identical parameters; `load(toJSON())` predicts identically.
 */
import { type FeatureMatrix, Rng } from '@borda/numeric';
import {
  type NetworkLayout,
  type PairData,
  evaluate,
  initialParameters,
  networkLayout,
  objective,
  trainAdam,
} from './dpo-training';

export interface DpoPolicyOptions {
  /** Width of a joint (prompt, response) feature row. */
  readonly dimension: number;
  /** DPO KL coefficient β > 0 (default 0.1). */
  readonly beta?: number;
  /** Hidden layer widths; [] = linear g_θ (default []), e.g. [32]. */
  readonly hiddenUnits?: readonly number[];
  /** Maximum Adam epochs (default 200); training stops earlier on a loss plateau. */
  readonly epochs?: number;
  /** Adam step size (default 0.05). */
  readonly learningRate?: number;
  /** L2 coefficient on θ: the objective adds l2·‖θ‖² (default 1e-3). */
  readonly l2?: number;
  /** Seed of the initial hidden weights and the mini-batch order (default 0). */
  readonly seed?: number;
  /** Pairs per Adam step (default: all pairs, i.e. full batch). */
  readonly batchSize?: number;
  /** Plateau test: an epoch improves when the objective drops by > tolerance·max(1, |best|) (default 1e-7). */
  readonly tolerance?: number;
  /** Stop after this many epochs without improvement (default 20). */
  readonly patience?: number;
}

export interface ResolvedDpoPolicyOptions {
  readonly dimension: number;
  readonly beta: number;
  readonly hiddenUnits: readonly number[];
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly seed: number;
  /** null = full batch. */
  readonly batchSize: number | null;
  readonly tolerance: number;
  readonly patience: number;
}

export interface DpoPair {
  /** Joint feature row of the preferred response y_w. */
  readonly chosen: ArrayLike<number>;
  /** Joint feature row of the dispreferred response y_l (same prompt). */
  readonly rejected: ArrayLike<number>;
}

export interface DpoFitReport {
  /** DPO loss −mean log σ(β·margin) at the returned θ (log 2 when there are no pairs: g ≡ 0). */
  readonly finalLoss: number;
  /** Epochs run (≤ options.epochs; fewer after an early stop, 0 without pairs). */
  readonly epochs: number;
  /** DPO loss at the initial θ (log 2, since training starts from g ≡ 0). */
  readonly initialLoss: number;
  /** l2·‖θ‖² at the returned θ. */
  readonly penalty: number;
  /** Objective (loss + penalty) after each epoch. */
  readonly history: readonly number[];
  readonly pairs: number;
}

export interface SerializedDpoPolicy {
  readonly kind: 'dpo-policy';
  readonly version: 1;
  readonly options: Omit<ResolvedDpoPolicyOptions, 'hiddenUnits'> & { readonly hiddenUnits: number[] };
  /** θ in the layout of dpo-training.ts (hidden W_k, b_k per layer, then v). */
  readonly parameters: number[];
  readonly report: DpoFitReport | null;
}

/** Where a candidate set comes from: prompt p owns rows offsets[p] .. offsets[p + 1] − 1. */
export interface DpoCandidates {
  readonly features: FeatureMatrix;
  readonly offsets: ArrayLike<number>;
}

const STREAM = { init: 1, batches: 2 } as const;

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`DpoPolicy: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function positiveFinite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw new RangeError(`DpoPolicy: ${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

function nonNegativeFinite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`DpoPolicy: ${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

export function resolveDpoPolicyOptions(options: DpoPolicyOptions): ResolvedDpoPolicyOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`DpoPolicy: options must be an object, got ${String(options)}`);
  }
  const hidden = options.hiddenUnits ?? [];
  if (!Array.isArray(hidden)) throw new RangeError('DpoPolicy: hiddenUnits must be an array of positive integers');
  const hiddenUnits = hidden.map((h, k) => positiveInteger(h, `hiddenUnits[${k}]`));
  const epochs = options.epochs ?? 200;
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new RangeError(`DpoPolicy: epochs must be an integer ≥ 0, got ${String(epochs)}`);
  }
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new RangeError(`DpoPolicy: seed must be a finite number, got ${String(seed)}`);
  }
  return {
    dimension: positiveInteger(options.dimension, 'dimension'),
    beta: positiveFinite(options.beta ?? 0.1, 'beta'),
    hiddenUnits,
    epochs,
    learningRate: positiveFinite(options.learningRate ?? 0.05, 'learningRate'),
    l2: nonNegativeFinite(options.l2 ?? 1e-3, 'l2'),
    seed,
    batchSize: options.batchSize === undefined ? null : positiveInteger(options.batchSize, 'batchSize'),
    tolerance: nonNegativeFinite(options.tolerance ?? 1e-7, 'tolerance'),
    patience: positiveInteger(options.patience ?? 20, 'patience'),
  };
}

function copyRow(row: ArrayLike<number>, into: Float64Array, offset: number, dimension: number, what: string): void {
  if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
    throw new RangeError(`DpoPolicy: ${what} must be an array of ${dimension} numbers`);
  }
  if (row.length !== dimension) {
    throw new RangeError(`DpoPolicy: ${what} has ${row.length} values, expected dimension ${dimension}`);
  }
  for (let j = 0; j < dimension; j++) {
    const v = row[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`DpoPolicy: ${what}[${j}] is ${String(v)}, not a finite number`);
    }
    into[offset + j] = v;
  }
}

function validateFeatures(features: FeatureMatrix, dimension: number, what: string): void {
  if (features === null || typeof features !== 'object' || !features.data) {
    throw new TypeError(`DpoPolicy: ${what} must be a FeatureMatrix ({ rows, cols, data })`);
  }
  const { rows, cols, data } = features;
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`DpoPolicy: ${what}.rows is ${rows}`);
  if (cols !== dimension) {
    throw new RangeError(`DpoPolicy: ${what} has ${cols} columns, expected dimension ${dimension}`);
  }
  if (data.length !== rows * cols) {
    throw new RangeError(`DpoPolicy: ${what}.data has ${data.length} values, expected rows × cols = ${rows * cols}`);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const r = Math.floor(i / cols);
      throw new RangeError(`DpoPolicy: ${what} row ${r}, column ${i - r * cols} is ${data[i]}, not a finite number`);
    }
  }
}

export class DpoPolicy {
  readonly kind = 'dpo-policy' as const;
  readonly dimension: number;
  readonly options: ResolvedDpoPolicyOptions;
  private readonly layout: NetworkLayout;
  private theta: Float64Array;
  private report: DpoFitReport | null = null;

  constructor(options: DpoPolicyOptions) {
    this.options = resolveDpoPolicyOptions(options);
    this.dimension = this.options.dimension;
    this.layout = networkLayout(this.dimension, this.options.hiddenUnits);
    this.theta = this.initialTheta();
  }

  /** The report of the last fit (null before any fit). */
  get fitReport(): DpoFitReport | null {
    return this.report;
  }

  /** A copy of θ. */
  get parameters(): Float64Array {
    return Float64Array.from(this.theta);
  }

  /** Number of entries of θ. */
  get parameterCount(): number {
    return this.layout.size;
  }

  /**
   * Refits θ from its seeded initial value on all `pairs` (previous fits are forgotten). With no
   * pairs θ is reset, so g ≡ 0 and π_θ = π_ref. Rejects (RangeError) on a malformed pair before
   * changing anything.
   */
  async fit(pairs: readonly DpoPair[]): Promise<DpoFitReport> {
    return this.fitSync(pairs);
  }

  /** `fit`, synchronously. */
  fitSync(pairs: readonly DpoPair[]): DpoFitReport {
    const data = this.pairData(pairs);
    const start = this.initialTheta();
    const { beta, l2, epochs, learningRate, batchSize, tolerance, patience, seed } = this.options;
    if (data.count === 0) {
      this.theta = start;
      // finalLoss: the data term of g ≡ 0 on any pair (there is none to average over).
      const { penalty } = objective(this.layout, start, data, beta, l2);
      this.report = { finalLoss: Math.LN2, epochs: 0, initialLoss: Math.LN2, penalty, history: [], pairs: 0 };
      return this.report;
    }
    const result = trainAdam(
      this.layout,
      start,
      data,
      beta,
      l2,
      { learningRate, epochs, batchSize: batchSize ?? data.count, tolerance, patience },
      new Rng(seed).fork(STREAM.batches),
    );
    this.theta = result.theta;
    this.report = {
      finalLoss: result.best.loss,
      epochs: result.epochs,
      initialLoss: objective(this.layout, start, data, beta, l2).loss,
      penalty: result.best.penalty,
      history: result.history,
      pairs: data.count,
    };
    return this.report;
  }

  /** The DPO loss −mean log σ(β(g(chosen) − g(rejected))) of the current θ on `pairs` (no penalty). */
  loss(pairs: readonly DpoPair[]): number {
    const data = this.pairData(pairs);
    if (data.count === 0) return Math.LN2;
    return objective(this.layout, this.theta, data, this.options.beta, 0).loss;
  }

  /** g_θ(x, a) per feature row: the learned log π_θ/π_ref up to a per-prompt constant. */
  logRatio(features: FeatureMatrix): Float64Array {
    validateFeatures(features, this.dimension, 'features');
    return evaluate(this.layout, this.theta, features.data, features.rows);
  }

  /**
   * π_θ(a|x) per candidate row: a softmax over each prompt's rows of log π_ref(a|x) + g_θ(x, a).
   * `referenceLogprobs` has one entry per row; they may be unnormalised (each prompt's are
   * normalised by the softmax, so adding a constant to one prompt's entries changes nothing) and may
   * be −Infinity (π_ref(a|x) = 0), but not for every response of a prompt, nor NaN or +Infinity.
   * Each prompt's probabilities sum to 1; prompts without rows contribute nothing.
   */
  probabilities(candidates: DpoCandidates, referenceLogprobs: ArrayLike<number>): Float64Array {
    if (candidates === null || typeof candidates !== 'object') {
      throw new TypeError('DpoPolicy.probabilities: candidates must be { features, offsets }');
    }
    const { features, offsets } = candidates;
    validateFeatures(features, this.dimension, 'candidates.features');
    const rows = features.rows;
    if (!offsets || typeof offsets.length !== 'number' || offsets.length < 1 || offsets[0] !== 0) {
      throw new RangeError('DpoPolicy: candidates.offsets must hold prompts + 1 entries starting at 0');
    }
    const prompts = offsets.length - 1;
    for (let p = 0; p < prompts; p++) {
      const end = offsets[p + 1];
      if (!Number.isInteger(end) || end < offsets[p] || end > rows) {
        throw new RangeError(
          `DpoPolicy: candidates.offsets[${p + 1}] (end of prompt ${p}) is ${end}; offsets must be non-decreasing integers ≤ ${rows}`,
        );
      }
    }
    if (offsets[prompts] !== rows) {
      throw new RangeError(
        `DpoPolicy: candidates.offsets[${prompts}] is ${offsets[prompts]}, expected the row count ${rows}`,
      );
    }
    if (!referenceLogprobs || typeof referenceLogprobs.length !== 'number' || referenceLogprobs.length !== rows) {
      throw new RangeError(
        `DpoPolicy: referenceLogprobs has ${referenceLogprobs?.length} values, expected one per candidate row (${rows})`,
      );
    }
    const g = evaluate(this.layout, this.theta, features.data, rows);
    const out = new Float64Array(rows);
    for (let p = 0; p < prompts; p++) {
      const start = offsets[p];
      const end = offsets[p + 1];
      if (end === start) continue;
      let max = -Infinity;
      for (let r = start; r < end; r++) {
        const ref = referenceLogprobs[r];
        if (typeof ref !== 'number' || Number.isNaN(ref) || ref === Infinity) {
          throw new RangeError(
            `DpoPolicy: referenceLogprobs of prompt ${p}, response ${r - start} (row ${r}) is ${String(ref)}; expected a finite log-probability or -Infinity`,
          );
        }
        out[r] = ref + g[r];
        if (out[r] > max) max = out[r];
      }
      if (max === -Infinity) {
        throw new RangeError(`DpoPolicy: referenceLogprobs of prompt ${p} are -Infinity for every response`);
      }
      let sum = 0;
      for (let r = start; r < end; r++) {
        out[r] = Math.exp(out[r] - max);
        sum += out[r];
      }
      for (let r = start; r < end; r++) out[r] /= sum;
    }
    return out;
  }

  toJSON(): SerializedDpoPolicy {
    const o = this.options;
    return {
      kind: 'dpo-policy',
      version: 1,
      options: {
        dimension: o.dimension,
        beta: o.beta,
        hiddenUnits: [...o.hiddenUnits],
        epochs: o.epochs,
        learningRate: o.learningRate,
        l2: o.l2,
        seed: o.seed,
        batchSize: o.batchSize,
        tolerance: o.tolerance,
        patience: o.patience,
      },
      parameters: Array.from(this.theta),
      report: this.report ? { ...this.report, history: [...this.report.history] } : null,
    };
  }

  static load(json: SerializedDpoPolicy): DpoPolicy {
    if (json === null || typeof json !== 'object' || json.kind !== 'dpo-policy') {
      throw new RangeError(`DpoPolicy.load: expected kind 'dpo-policy', got ${String(json?.kind)}`);
    }
    if (json.version !== 1) throw new RangeError(`DpoPolicy.load: unsupported version ${String(json.version)}`);
    const o = json.options;
    const policy = new DpoPolicy({ ...o, batchSize: o.batchSize ?? undefined });
    const params = json.parameters;
    if (!Array.isArray(params) || params.length !== policy.layout.size) {
      throw new RangeError(
        `DpoPolicy.load: parameters has ${Array.isArray(params) ? params.length : 'no'} values, expected ${policy.layout.size}`,
      );
    }
    const theta = new Float64Array(params.length);
    for (let i = 0; i < params.length; i++) {
      const v = params[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new RangeError(`DpoPolicy.load: parameters[${i}] is ${String(v)}, not a finite number`);
      }
      theta[i] = v;
    }
    policy.theta = theta;
    policy.report = json.report ?? null;
    return policy;
  }

  private initialTheta(): Float64Array {
    return initialParameters(this.layout, new Rng(this.options.seed).fork(STREAM.init));
  }

  private pairData(pairs: readonly DpoPair[]): PairData {
    if (!Array.isArray(pairs)) throw new TypeError('DpoPolicy: pairs must be an array of { chosen, rejected }');
    const d = this.dimension;
    const n = pairs.length;
    const chosen = new Float64Array(n * d);
    const rejected = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const pair = pairs[i];
      if (pair === null || typeof pair !== 'object') {
        throw new RangeError(`DpoPolicy: pairs[${i}] must be { chosen, rejected }, got ${String(pair)}`);
      }
      copyRow(pair.chosen, chosen, i * d, d, `pairs[${i}].chosen`);
      copyRow(pair.rejected, rejected, i * d, d, `pairs[${i}].rejected`);
    }
    return { count: n, chosen, rejected };
  }
}
