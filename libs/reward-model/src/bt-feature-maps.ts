/**
 * The feature maps LaplaceBradleyTerry chooses among, each made of blocks that get their own prior
 * precision:
 * - 'linear': the raw joint row standardised, (x − μ)/s per column. With unit-variance columns a
 *   single N(0, λ⁻¹I) prior treats every column alike, whatever units the featuriser used; μ only
 *   centres the reward (it cancels in every difference φ(a) − φ(b)).
 * - 'rff': random Fourier features of the raw row, W = W₀/ℓ with W₀ drawn once from the seed, so the
 *   map (and any evidence computed through it) is a smooth, deterministic function of ℓ.
 * - 'linear+rff': both, concatenated (linear block first).
 * μ, s and the median-heuristic lengthscale are statistics of a set of rows fixed when the map is built.
 */
import { type FeatureMatrix, immutableRowIndex, isImmutable } from '@borda/numeric';
import type { KernelName } from './kernels';
import { RandomFourierFeatures } from './random-fourier-features';

export type BtFeatureMapKind = 'linear' | 'rff' | 'linear+rff';
export const BT_FEATURE_MAP_KINDS: readonly BtFeatureMapKind[] = ['linear', 'rff', 'linear+rff'];

export interface Standardisation {
  readonly mean: Float64Array;
  /** Column standard deviation, 1 for a constant column (its differences are 0 anyway). */
  readonly scale: Float64Array;
}

export interface SerializedBtFeatures {
  readonly kind: BtFeatureMapKind;
  readonly inputDimension: number;
  readonly mean: number[];
  readonly scale: number[];
  readonly rffFeatures: number;
  readonly kernel: KernelName;
  readonly lengthscale: number;
  readonly seed: number;
}

/** Column means and standard deviations of the rows (row-major, `width` columns). */
export function standardisationOf(rows: ArrayLike<number>, width: number): Standardisation {
  const n = Math.floor(rows.length / width);
  const mean = new Float64Array(width);
  const scale = new Float64Array(width).fill(1);
  if (n === 0) return { mean, scale };
  for (let i = 0; i < n; i++) for (let j = 0; j < width; j++) mean[j] += rows[i * width + j];
  for (let j = 0; j < width; j++) mean[j] /= n;
  const sumSquares = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width; j++) {
      const c = rows[i * width + j] - mean[j];
      sumSquares[j] += c * c;
    }
  }
  for (let j = 0; j < width; j++) {
    const sd = Math.sqrt(sumSquares[j] / n);
    // Relative threshold: a column that only carries rounding noise is treated as constant.
    if (sd > 1e-12 * Math.max(1, Math.abs(mean[j]))) scale[j] = sd;
  }
  return { mean, scale };
}

/**
 * Median pairwise Euclidean distance among at most `maxRows` rows taken at even strides (so it is
 * deterministic and O(maxRows²·width)); 1 when fewer than two distinct rows exist.
 */
export function medianHeuristic(rows: ArrayLike<number>, width: number, maxRows = 400): number {
  const n = Math.floor(rows.length / width);
  const take = Math.min(n, maxRows);
  const picked: number[] = [];
  for (let k = 0; k < take; k++) picked.push(Math.floor((k * n) / take));
  const distances: number[] = [];
  for (let a = 0; a < picked.length; a++) {
    for (let b = a + 1; b < picked.length; b++) {
      let s = 0;
      for (let j = 0; j < width; j++) {
        const diff = rows[picked[a] * width + j] - rows[picked[b] * width + j];
        s += diff * diff;
      }
      if (s > 0) distances.push(Math.sqrt(s));
    }
  }
  if (distances.length === 0) return 1;
  distances.sort((x, y) => x - y);
  const mid = distances.length >> 1;
  return distances.length % 2 === 1 ? distances[mid] : 0.5 * (distances[mid - 1] + distances[mid]);
}

export interface BtFeaturesOptions {
  readonly kind: BtFeatureMapKind;
  readonly inputDimension: number;
  readonly standardisation: Standardisation;
  /** Number of random Fourier features (ignored by 'linear'). */
  readonly rffFeatures: number;
  readonly kernel: KernelName;
  readonly lengthscale: number;
  readonly seed: number;
}

/** φ of immutable matrices, per map signature; dropped with the matrix (WeakMap). */
const TRANSFORMS = new WeakMap<FeatureMatrix, Map<string, FeatureMatrix>>();
/** Maps kept per matrix: the model in use and the one before it (a refit's new lengthscale). */
const MAPS_KEPT_PER_MATRIX = 2;

/** φ(x) for one of the three maps; blocks name the column ranges that share a prior precision. */

export class BtFeatures {
  readonly kind: BtFeatureMapKind;
  readonly inputDimension: number;
  readonly outputDimension: number;
  /** Widths of the blocks, in order ('linear' then 'rff'). */
  readonly blockSizes: readonly number[];
  readonly lengthscale: number;
  private readonly options: BtFeaturesOptions;
  private readonly rff: RandomFourierFeatures | undefined;
  private readonly linearWidth: number;
  /** The immutable matrix this map last transformed, and its φ (rows of it are then copied, not mapped). */
  private cached: { source: FeatureMatrix; phi: FeatureMatrix } | undefined;
  private key: string | undefined;

  constructor(options: BtFeaturesOptions) {
    this.options = options;
    this.kind = options.kind;
    this.inputDimension = options.inputDimension;
    this.lengthscale = options.lengthscale;
    const hasLinear = options.kind !== 'rff';
    this.linearWidth = hasLinear ? options.inputDimension : 0;
    // signalVariance 1: the amplitude of the RFF block is carried by its prior precision.
    this.rff =
      options.kind === 'linear'
        ? undefined
        : new RandomFourierFeatures({
            inputDimension: options.inputDimension,
            features: options.rffFeatures,
            kernel: options.kernel,
            lengthscale: options.lengthscale,
            signalVariance: 1,
            seed: options.seed,
            path: 'js',
          });
    const sizes: number[] = [];
    if (hasLinear) sizes.push(this.linearWidth);
    if (this.rff) sizes.push(this.rff.outputDimension);
    this.blockSizes = sizes;
    this.outputDimension = sizes.reduce((a, b) => a + b, 0);
  }

  get hasLengthscale(): boolean {
    return this.rff !== undefined;
  }

  get standardisation(): Standardisation {
    return this.options.standardisation;
  }

  /** The same map at another lengthscale (same seed, so the same W₀). */
  withLengthscale(lengthscale: number): BtFeatures {
    return new BtFeatures({ ...this.options, lengthscale });
  }

  /** Writes φ(row at `offset` of `source`) into `out` at `outOffset`. */
  transformInto(source: ArrayLike<number>, offset: number, out: Float64Array, outOffset: number): void {
    if (offset === 0 && this.cached) {
      // A row of the immutable matrix this map last transformed (the rival scans of a selection): copy it.
      const r = immutableRowIndex(this.cached.source, source);
      if (r >= 0) {
        const p = this.outputDimension;
        out.set(this.cached.phi.data.subarray(r * p, (r + 1) * p), outOffset);
        return;
      }
    }
    const { mean, scale } = this.options.standardisation;
    for (let j = 0; j < this.linearWidth; j++) out[outOffset + j] = (source[offset + j] - mean[j]) / scale[j];
    if (this.rff) {
      const end = offset + this.inputDimension;
      const row = ArrayBuffer.isView(source)
        ? (source as Float64Array).subarray(offset, end)
        : (Array.prototype.slice.call(source, offset, end) as number[]);
      out.set(this.rff.transformRow(row), outOffset + this.linearWidth);
    }
  }

  transformRow(row: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.outputDimension);
    this.transformInto(row, 0, out, 0);
    return out;
  }

  /**
   * φ of every row (float64). For an immutable matrix (markImmutable: a campaign's candidates, an
   * environment's arms) the result is kept while the matrix lives and served to every map with the same
   * parameters: a selection job loads its model afresh, and without this it recomputed 80,000 random
   * Fourier rows per job. The values are the same either way; callers must not write into the result.
   */
  transform(features: FeatureMatrix): FeatureMatrix {
    if (!isImmutable(features)) return this.computeTransform(features);
    let byMap = TRANSFORMS.get(features);
    if (!byMap) TRANSFORMS.set(features, (byMap = new Map()));
    const key = this.signature();
    let phi = byMap.get(key);
    if (!phi) {
      phi = this.computeTransform(features);
      byMap.set(key, phi);
      while (byMap.size > MAPS_KEPT_PER_MATRIX) byMap.delete(byMap.keys().next().value as string);
    }
    this.cached = { source: features, phi };
    return phi;
  }

  /** What makes two maps equal: kind, widths, kernel, lengthscale, seed and standardisation. */
  private signature(): string {
    const o = this.options;
    this.key ??= JSON.stringify([
      o.kind,
      o.inputDimension,
      o.rffFeatures,
      o.kernel,
      o.lengthscale,
      o.seed,
      Array.from(o.standardisation.mean),
      Array.from(o.standardisation.scale),
    ]);
    return this.key;
  }

  private computeTransform(features: FeatureMatrix): FeatureMatrix {
    const p = this.outputDimension;
    const data = new Float64Array(features.rows * p);
    if (this.rff) {
      const mapped = this.rff.transform({ rows: features.rows, cols: features.cols, data: toFloat64(features.data) });
      const D = this.rff.outputDimension;
      for (let i = 0; i < features.rows; i++) {
        data.set(mapped.data.subarray(i * D, (i + 1) * D), i * p + this.linearWidth);
      }
    }
    if (this.linearWidth > 0) {
      const { mean, scale } = this.options.standardisation;
      const d = this.inputDimension;
      for (let i = 0; i < features.rows; i++) {
        for (let j = 0; j < d; j++) data[i * p + j] = (features.data[i * d + j] - mean[j]) / scale[j];
      }
    }
    return { rows: features.rows, cols: p, data };
  }

  /** Differences φ(first) − φ(second) of paired raw rows (row-major, `count` pairs). */
  differences(first: Float64Array, second: Float64Array, count: number): Float64Array {
    const d = this.inputDimension;
    const p = this.outputDimension;
    const out = new Float64Array(count * p);
    const b = new Float64Array(p);
    for (let i = 0; i < count; i++) {
      this.transformInto(first, i * d, out, i * p);
      this.transformInto(second, i * d, b, 0);
      for (let k = 0; k < p; k++) out[i * p + k] -= b[k];
    }
    return out;
  }

  toJSON(): SerializedBtFeatures {
    const o = this.options;
    return {
      kind: o.kind,
      inputDimension: o.inputDimension,
      mean: Array.from(o.standardisation.mean),
      scale: Array.from(o.standardisation.scale),
      rffFeatures: o.rffFeatures,
      kernel: o.kernel,
      lengthscale: o.lengthscale,
      seed: o.seed,
    };
  }

  static load(json: SerializedBtFeatures): BtFeatures {
    if (!BT_FEATURE_MAP_KINDS.includes(json.kind)) throw new RangeError(`unknown feature map '${String(json.kind)}'`);
    return new BtFeatures({
      ...json,
      standardisation: { mean: Float64Array.from(json.mean), scale: Float64Array.from(json.scale) },
    });
  }
}

function toFloat64(data: ArrayLike<number>): Float64Array {
  return data instanceof Float64Array ? data : Float64Array.from(data);
}
