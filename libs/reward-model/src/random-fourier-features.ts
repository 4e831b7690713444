/**
 * Random Fourier features (Rahimi & Recht): φ(x) = sqrt(2σ²/D) cos(Wx + b) with b ~ U[0, 2π) and
 * the rows of W drawn from the kernel's spectral density, so E[φ(x)ᵀφ(y)] = k(x, y) and the error
 * of one draw shrinks like 1/sqrt(D). A Bayesian linear model with unit prior on these features
 * approximates the exact GP with that kernel at O(D²) per label.
 *
 * Spectral densities (angular frequency, lengthscale ℓ):
 * - rbf: w ~ N(0, I/ℓ²);
 * - matern52: a multivariate Student-t with 2ν = 5 degrees of freedom and scale 1/ℓ, drawn as
 *   w = z/ℓ · sqrt(5/u), z ~ N(0, I), u ~ χ²₅ (the Fourier transform of the Matérn-5/2 kernel
 *   is ∝ (5/ℓ² + ‖w‖²)^−(5+d)/2, which is that density).
 *
 * W and b are regenerated from the seed, so the JSON holds the options and a checksum that load
 * verifies (a change in the generator would otherwise go unnoticed).
 */
import { Rng } from '@borda/numeric';
import type { FeatureMatrix, NumericArray } from '@borda/numeric';
import { assertFiniteFeatures, requireDimension, requirePositive, validateFeatureShape } from './gp-validation';
import { KERNEL_NAMES, KernelName } from './kernels';
import type { FeatureMap } from './model';
import { hasFastTensorBackend, tf } from './tf-backend';

export interface RandomFourierFeaturesOptions {
  readonly inputDimension: number;
  /** D, the number of features (default 256). */
  readonly features?: number;
  /** Default 'rbf'. */
  readonly kernel?: KernelName;
  /** Default 0.2·sqrt(inputDimension), as BordaGP. */
  readonly lengthscale?: number;
  /** Default 0.0625, as BordaGP. */
  readonly signalVariance?: number;
  /** Default 0. */
  readonly seed?: number;
  /**
   * 'auto' (default): tfjs matMul + cos in float32 chunks for Float32Array input when a fast
   * backend is active and the work is large; 'js' always float64 loops; 'tensor' always tfjs.
   */
  readonly path?: 'auto' | 'js' | 'tensor';
}

export interface SerializedRandomFourierFeatures {
  readonly kind: 'random-fourier-features';
  readonly version: 1;
  readonly inputDimension: number;
  readonly features: number;
  readonly kernel: KernelName;
  readonly lengthscale: number;
  readonly signalVariance: number;
  readonly seed: number;
  readonly path: 'auto' | 'js' | 'tensor';
  /** Σ W + Σ b, compared on load. */
  readonly checksum: number;
  readonly [key: string]: unknown;
}

export class RandomFourierFeatures implements FeatureMap {
  readonly inputDimension: number;
  readonly outputDimension: number;
  readonly kernel: KernelName;
  readonly lengthscale: number;
  readonly signalVariance: number;
  readonly seed: number;
  readonly path: 'auto' | 'js' | 'tensor';
  /** Frequencies, D × inputDimension row-major. */
  readonly frequencies: Float64Array;
  /** Phases, length D. */
  readonly phases: Float64Array;
  private readonly scale: number;

  constructor(options: RandomFourierFeaturesOptions) {
    const d = requireDimension(options.inputDimension, 'RandomFourierFeatures.inputDimension');
    const D = requireDimension(options.features ?? 256, 'RandomFourierFeatures.features');
    this.inputDimension = d;
    this.outputDimension = D;
    this.kernel = options.kernel ?? 'rbf';
    if (!KERNEL_NAMES.includes(this.kernel)) {
      throw new RangeError(
        `RandomFourierFeatures.kernel must be one of ${KERNEL_NAMES.join(', ')}, got ${this.kernel}`,
      );
    }
    this.lengthscale = requirePositive(options.lengthscale ?? 0.2 * Math.sqrt(d), 'RandomFourierFeatures.lengthscale');
    this.signalVariance = requirePositive(options.signalVariance ?? 0.0625, 'RandomFourierFeatures.signalVariance');
    this.seed = options.seed ?? 0;
    if (!Number.isFinite(this.seed))
      throw new RangeError(`RandomFourierFeatures.seed must be finite, got ${this.seed}`);
    this.path = options.path ?? 'auto';
    if (!['auto', 'js', 'tensor'].includes(this.path)) {
      throw new RangeError(`RandomFourierFeatures.path must be 'auto', 'js' or 'tensor', got ${String(this.path)}`);
    }
    this.scale = Math.sqrt((2 * this.signalVariance) / D);

    const rng = new Rng(this.seed);
    this.frequencies = new Float64Array(D * d);
    this.phases = new Float64Array(D);
    for (let r = 0; r < D; r++) {
      let factor = 1 / this.lengthscale;
      if (this.kernel === 'matern52') {
        let chi = 0;
        for (let k = 0; k < 5; k++) chi += rng.normal() ** 2;
        factor *= Math.sqrt(5 / chi);
      }
      for (let k = 0; k < d; k++) this.frequencies[r * d + k] = rng.normal() * factor;
      this.phases[r] = 2 * Math.PI * rng.next();
    }
  }

  transformRow(row: ArrayLike<number>): Float64Array {
    if (row.length !== this.inputDimension) {
      throw new RangeError(`RandomFourierFeatures: row has ${row.length} values, expected ${this.inputDimension}`);
    }
    for (let k = 0; k < row.length; k++) {
      if (!Number.isFinite(row[k])) throw new RangeError(`RandomFourierFeatures: row[${k}] is ${row[k]}, not finite`);
    }
    const out = new Float64Array(this.outputDimension);
    this.transformInto(row, 0, out, 0);
    return out;
  }

  /**
   * Maps every row. Float64 in → Float64Array out (float64 loops). Float32Array in → Float32Array
   * out, through tfjs when the path allows it (see the `path` option).
   */
  transform(features: FeatureMatrix): FeatureMatrix {
    validateFeatureShape(features, this.inputDimension, 'RandomFourierFeatures.transform');
    assertFiniteFeatures(features, 'RandomFourierFeatures.transform');
    const m = features.rows;
    const D = this.outputDimension;
    const float32 = features.data instanceof Float32Array;
    const useTensor =
      this.path === 'tensor' ||
      (this.path === 'auto' && float32 && m * D * this.inputDimension >= 1 << 22 && hasFastTensorBackend());
    if (useTensor) return this.transformTensor(features);
    const data: NumericArray = float32 ? new Float32Array(m * D) : new Float64Array(m * D);
    const row = new Float64Array(D);
    for (let j = 0; j < m; j++) {
      this.transformInto(features.data, j * this.inputDimension, row, 0);
      data.set(row, j * D);
    }
    return { rows: m, cols: D, data };
  }

  toJSON(): SerializedRandomFourierFeatures {
    return {
      kind: 'random-fourier-features',
      version: 1,
      inputDimension: this.inputDimension,
      features: this.outputDimension,
      kernel: this.kernel,
      lengthscale: this.lengthscale,
      signalVariance: this.signalVariance,
      seed: this.seed,
      path: this.path,
      checksum: this.checksum(),
    };
  }

  static load(json: SerializedRandomFourierFeatures): RandomFourierFeatures {
    if (json?.kind !== 'random-fourier-features') {
      throw new RangeError(
        `RandomFourierFeatures.load: kind is ${String(json?.kind)}, expected random-fourier-features`,
      );
    }
    if (json.version !== 1) throw new RangeError(`RandomFourierFeatures.load: unsupported version ${json.version}`);
    const map = new RandomFourierFeatures(json);
    if (map.checksum() !== json.checksum) {
      throw new RangeError(
        `RandomFourierFeatures.load: regenerated frequencies do not match the checksum (${map.checksum()} ≠ ${json.checksum}); the generator changed`,
      );
    }
    return map;
  }

  private checksum(): number {
    let s = 0;
    for (let i = 0; i < this.frequencies.length; i++) s += this.frequencies[i];
    for (let i = 0; i < this.phases.length; i++) s += this.phases[i];
    return s;
  }

  private transformInto(x: ArrayLike<number>, xOffset: number, out: Float64Array, outOffset: number): void {
    const d = this.inputDimension;
    const W = this.frequencies;
    for (let r = 0; r < this.outputDimension; r++) {
      const o = r * d;
      let s0 = this.phases[r];
      let s1 = 0;
      let k = 0;
      for (; k + 1 < d; k += 2) {
        s0 += W[o + k] * x[xOffset + k];
        s1 += W[o + k + 1] * x[xOffset + k + 1];
      }
      if (k < d) s0 += W[o + k] * x[xOffset + k];
      out[outOffset + r] = this.scale * Math.cos(s0 + s1);
    }
  }

  private transformTensor(features: FeatureMatrix): FeatureMatrix {
    const m = features.rows;
    const d = this.inputDimension;
    const D = this.outputDimension;
    const out = new Float32Array(m * D);
    const transposed = new Float32Array(d * D);
    for (let r = 0; r < D; r++) for (let k = 0; k < d; k++) transposed[k * D + r] = this.frequencies[r * d + k];
    const wt = tf.tensor2d(transposed, [d, D], 'float32');
    const b = tf.tensor1d(Float32Array.from(this.phases), 'float32');
    const chunkRows = Math.max(1, Math.floor((1 << 22) / Math.max(d, D)));
    try {
      for (let start = 0; start < m; start += chunkRows) {
        const rows = Math.min(chunkRows, m - start);
        const chunk = Float32Array.from(features.data.subarray(start * d, (start + rows) * d));
        const result = tf.tidy(() =>
          tf.mul(tf.cos(tf.add(tf.matMul(tf.tensor2d(chunk, [rows, d], 'float32'), wt), b)), this.scale),
        );
        out.set(result.dataSync() as Float32Array, start * D);
        result.dispose();
      }
    } finally {
      wt.dispose();
      b.dispose();
    }
    return { rows: m, cols: D, data: out };
  }
}
