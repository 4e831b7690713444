/** Options, serialised form and pair storage of NeuralBradleyTerry. */
import type { FeatureMatrix } from '@borda/numeric';
import type { PairObservation, SerializedModel } from './model';
import type { PairData, Standardisation } from './neural-training';

export type NeuralUncertainty = 'ensemble' | 'mc-dropout';

export interface NeuralBradleyTerryOptions {
  /** Width of the joint feature rows. */
  readonly dimension: number;
  /**
   * 'ensemble' (default): members 5, dropout 0, bootstrap on. 'mc-dropout': members 1, dropout
   * 0.05, passes 5. Both knobs can be combined by setting members/dropout/passes explicitly.
   */
  readonly uncertainty?: NeuralUncertainty;
  /** Networks trained from different seeds (default 5 for 'ensemble', 1 for 'mc-dropout'). */
  readonly members?: number;
  /** Hidden ReLU layer widths (default [64, 64]). */
  readonly hiddenUnits?: readonly number[];
  /** Dropout rate of every hidden layer, in training and in the predict/sample passes. */
  readonly dropout?: number;
  /** Dropout passes per member in predict() (default 5 with dropout; must be 1 without). */
  readonly passes?: number;
  /** Train each member on a bootstrap resample of the training pairs (default: on for 'ensemble' with members > 1). */
  readonly bootstrap?: boolean;
  /** Adam step size (default 0.003). */
  readonly learningRate?: number;
  /** Maximum epochs of fit() (default 100). */
  readonly epochs?: number;
  /** Pairs per mini-batch (default 64). */
  readonly batchSize?: number;
  /** Share of pairs held out for early stopping in fit() (default 0.2; 0 trains all epochs). */
  readonly validationFraction?: number;
  /** Epochs without a better validation loss before a member stops (default 10). */
  readonly patience?: number;
  /** L2 penalty on kernel weights added to the summed per-member mean loss (default 1e-4). */
  readonly weightDecay?: number;
  /** Epochs of an update() warm start over all pairs (default 5). */
  readonly updateEpochs?: number;
  /** Standardise every feature with the mean/std of the fit() arms (default true). */
  readonly standardize?: boolean;
  /** Seed of every initializer, split, bootstrap, shuffle and dropout mask (default 0). */
  readonly seed?: number;
}

export interface ResolvedNeuralOptions {
  readonly dimension: number;
  readonly uncertainty: NeuralUncertainty;
  readonly members: number;
  readonly hiddenUnits: readonly number[];
  readonly dropout: number;
  readonly passes: number;
  readonly bootstrap: boolean;
  readonly learningRate: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly validationFraction: number;
  readonly patience: number;
  readonly weightDecay: number;
  readonly updateEpochs: number;
  readonly standardize: boolean;
  readonly seed: number;
}

export interface SerializedNeuralBradleyTerry extends SerializedModel {
  readonly kind: 'neural-bt';
  readonly version: 1;
  readonly options: ResolvedNeuralOptions & { readonly hiddenUnits: number[] };
  /** Stacked member weights as plain numbers (see StackedWeights for the layout). */
  readonly weights: { readonly sizes: number[]; readonly kernels: number[][]; readonly biases: number[][] };
  readonly standardisation: { readonly mean: number[]; readonly scale: number[] };
  readonly offsets: number[];
  readonly updates: number;
  /** The stored pairs, so update() keeps working after load; rows as little-endian float32 in base64. */
  readonly data: {
    readonly count: number;
    readonly first: string;
    readonly second: string;
    readonly outcome: number[];
  };
}

export interface NeuralTrainingReport {
  readonly mode: 'none' | 'fit' | 'update';
  /** tfjs backend the training ran on. */
  readonly backend: string;
  readonly epochsRun: number;
  readonly maxEpochs: number;
  readonly stoppedEarly: boolean;
  /** Per member: epoch whose weights were kept (0 without a validation split). */
  readonly bestEpoch: readonly number[];
  /** Mean over members of each member's best validation BT loss (NaN without a validation split). */
  readonly bestValidationLoss: number;
  /** Validation pair accuracy of the restored members' mean logit (ties left out). */
  readonly bestValidationAccuracy: number;
  readonly memberBestValidationLoss: readonly number[];
  readonly memberLastValidationLoss: readonly number[];
  /** Validation loss of the weights actually kept (equals memberBestValidationLoss when restored). */
  readonly memberRestoredValidationLoss: readonly number[];
  readonly trainingPairs: number;
  readonly validationPairs: number;
  readonly seconds: number;
}

function integerAtLeast(value: number, min: number, field: string): number {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${field} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

function inRange(value: number, lo: number, hi: number, field: string): number {
  if (!(value >= lo && value < hi)) throw new RangeError(`${field} must be in [${lo}, ${hi}), got ${value}`);
  return value;
}

export function resolveNeuralOptions(o: NeuralBradleyTerryOptions): ResolvedNeuralOptions {
  const uncertainty = o.uncertainty ?? 'ensemble';
  if (uncertainty !== 'ensemble' && uncertainty !== 'mc-dropout') {
    throw new RangeError(`uncertainty must be 'ensemble' or 'mc-dropout', got ${String(uncertainty)}`);
  }
  const dropoutMode = uncertainty === 'mc-dropout';
  const members = integerAtLeast(o.members ?? (dropoutMode ? 1 : 5), 1, 'members');
  const hiddenUnits = [...(o.hiddenUnits ?? [64, 64])];
  hiddenUnits.forEach((u, l) => integerAtLeast(u, 1, `hiddenUnits[${l}]`));
  const dropout = inRange(o.dropout ?? (dropoutMode ? 0.05 : 0), 0, 1, 'dropout');
  if (dropout > 0 && hiddenUnits.length === 0) throw new RangeError('dropout needs at least one hidden layer');
  const passes = integerAtLeast(o.passes ?? (dropout > 0 ? 5 : 1), 1, 'passes');
  if (dropout === 0 && passes > 1)
    throw new RangeError(`passes is ${passes} but dropout is 0: every pass would be the same`);
  if (dropoutMode && dropout === 0) throw new RangeError("uncertainty 'mc-dropout' needs dropout > 0");
  const seed = o.seed ?? 0;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const positive = (value: number, field: string) => {
    if (!(value > 0) || !Number.isFinite(value))
      throw new RangeError(`${field} must be a positive number, got ${value}`);
    return value;
  };
  const weightDecay = o.weightDecay ?? 1e-4;
  if (!(weightDecay >= 0)) throw new RangeError(`weightDecay must be ≥ 0, got ${weightDecay}`);
  return {
    dimension: integerAtLeast(o.dimension, 1, 'dimension'),
    uncertainty,
    members,
    hiddenUnits,
    dropout,
    passes,
    bootstrap: o.bootstrap ?? !dropoutMode,
    learningRate: positive(o.learningRate ?? 3e-3, 'learningRate'),
    epochs: integerAtLeast(o.epochs ?? 100, 1, 'epochs'),
    batchSize: integerAtLeast(o.batchSize ?? 64, 1, 'batchSize'),
    validationFraction: inRange(o.validationFraction ?? 0.2, 0, 1, 'validationFraction'),
    patience: integerAtLeast(o.patience ?? 10, 1, 'patience'),
    weightDecay,
    updateEpochs: integerAtLeast(o.updateEpochs ?? 5, 1, 'updateEpochs'),
    standardize: o.standardize ?? true,
    seed,
  };
}

export function encodeFloats(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function decodeFloats(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Pairs seen so far, as float32 rows (the precision training uses). */
export class PairStore {
  private first = new Float32Array(0);
  private second = new Float32Array(0);
  private outcome = new Float32Array(0);
  count = 0;

  constructor(readonly dimension: number) {}

  clear(): void {
    this.count = 0;
  }

  /** Validates every observation before storing any. */
  append(observations: readonly PairObservation[]): void {
    this.validate(observations);
    const d = this.dimension;
    this.reserve(this.count + observations.length);
    observations.forEach((o, k) => {
      const i = this.count + k;
      this.first.set(Float32Array.from(o.first), i * d);
      this.second.set(Float32Array.from(o.second), i * d);
      this.outcome[i] = o.outcome;
    });
    this.count += observations.length;
  }

  /** Throws naming the first bad observation (wrong width, non-finite value, outcome outside [0, 1]). */
  validate(observations: readonly PairObservation[]): void {
    const d = this.dimension;
    observations.forEach((o, i) => {
      for (const side of ['first', 'second'] as const) {
        const r = o[side];
        if (!r || r.length !== d)
          throw new RangeError(`observations[${i}].${side} has ${r?.length} values, expected ${d}`);
        for (let j = 0; j < d; j++) {
          if (!Number.isFinite(r[j]))
            throw new RangeError(`observations[${i}].${side}, column ${j} is ${r[j]}, not a finite number`);
        }
      }
      if (!(o.outcome >= 0 && o.outcome <= 1))
        throw new RangeError(`observations[${i}].outcome is ${o.outcome}, expected a value in [0, 1]`);
    });
  }

  restore(count: number, first: Float32Array, second: Float32Array, outcome: Float32Array): void {
    const d = this.dimension;
    if (first.length !== count * d || second.length !== count * d || outcome.length !== count) {
      throw new RangeError(
        `data: expected ${count} pairs of width ${d}, got ${first.length / d}, ${second.length / d} rows and ${outcome.length} outcomes`,
      );
    }
    this.first = first.slice();
    this.second = second.slice();
    this.outcome = outcome.slice();
    this.count = count;
  }

  data(): PairData {
    return {
      dimension: this.dimension,
      count: this.count,
      first: this.firstRows(),
      second: this.secondRows(),
      outcome: this.outcomes(),
    };
  }

  firstRows(): Float32Array {
    return this.first.subarray(0, this.count * this.dimension);
  }

  secondRows(): Float32Array {
    return this.second.subarray(0, this.count * this.dimension);
  }

  outcomes(): Float32Array {
    return this.outcome.subarray(0, this.count);
  }

  /** Both arms of the first `maxPairs` pairs: the rows every draw is centred on. */
  anchors(maxPairs: number): FeatureMatrix {
    const a = Math.min(maxPairs, this.count);
    const d = this.dimension;
    const data = new Float32Array(2 * a * d);
    data.set(this.first.subarray(0, a * d));
    data.set(this.second.subarray(0, a * d), a * d);
    return { rows: 2 * a, cols: d, data };
  }

  private reserve(pairs: number): void {
    if (pairs <= this.outcome.length) return;
    const capacity = Math.max(pairs, 2 * this.outcome.length, 64);
    const d = this.dimension;
    const grow = (old: Float32Array, size: number) => {
      const next = new Float32Array(size);
      next.set(old);
      return next;
    };
    this.first = grow(this.first, capacity * d);
    this.second = grow(this.second, capacity * d);
    this.outcome = grow(this.outcome, capacity);
  }
}

/** Per-feature mean and standard deviation over both arms of every stored pair (scale 1 for constant features). */
export function standardisationOf(store: PairStore): Standardisation {
  const d = store.dimension;
  const n = store.count;
  const total = 2 * n;
  const mu = new Float32Array(d);
  const scale = new Float32Array(d).fill(1);
  if (total === 0) return { mean: mu, scale };
  const sides = [store.firstRows(), store.secondRows()];
  const mean = new Float64Array(d);
  for (const rows of sides) for (let k = 0; k < n * d; k++) mean[k % d] += rows[k];
  for (let j = 0; j < d; j++) mean[j] /= total;
  // Two passes: E[x²] − E[x]² cancels badly for features with a large mean.
  const ss = new Float64Array(d);
  for (const rows of sides) for (let k = 0; k < n * d; k++) ss[k % d] += (rows[k] - mean[k % d]) ** 2;
  for (let j = 0; j < d; j++) {
    mu[j] = mean[j];
    const variance = ss[j] / total;
    if (variance > 1e-12) scale[j] = Math.sqrt(variance);
  }
  return { mean: mu, scale };
}
