/**
 * The hot loop of a campaign: posterior mean and std of Bayesian linear regression for every arm,
 * e.g. 100,000 prompts × 8 responses = 800,000 rows at d = 128, on every selection round.
 *
 * With posterior precision A = L Lᵀ and R = L⁻¹ (lower-triangular), the mean is offset + θ̂ᵀφ and
 * the variance φᵀA⁻¹φ = ‖Rφ‖². Two paths compute the same numbers:
 * - tensor: when a fast tfjs backend is active (wasm, tfjs-node), rows go in chunks through
 *   matMul(X, Rᵀ) and a row-wise sum of squares, in float32. Rᵀ is passed pre-transposed because
 *   the wasm backend's matMul with transposeB=true takes a path about 10× slower (measured: 3.4 vs
 *   32 GFLOP/s for 32k×128 by 128×128 on this machine's class of CPU).
 * - js: float64 loops that skip R's zero upper triangle (d² flops per arm instead of 2d²), R packed
 *   in blocks of four rows interleaved column by column, two arms per pass so each loaded entry
 *   of R serves two arms.
 * Both are deterministic (fixed chunking, single-threaded kernels); they agree to float32 rounding.
 */
import type { FeatureMatrix } from '@borda/numeric';
import type { Posterior } from './model';
import { hasFastTensorBackend, tf } from './tf-backend';

export interface LinearGaussianScorer {
  /** Posterior mean weights θ̂ (length d). */
  readonly weights: Float64Array;
  /** Added to every mean (the prior mean m₀). */
  readonly offset: number;
  /** R = L⁻¹ for A = L Lᵀ, row-major d × d (only the lower triangle is read). */
  readonly inverseFactor: Float64Array;
}

export type ArmScoringPath = 'auto' | 'tensor' | 'js';

export interface ArmScoringOptions {
  /** 'auto' (default): tensor when hasFastTensorBackend() and at least 256 rows, else js. */
  readonly path?: ArmScoringPath;
  /** Rows per tensor chunk (default 32,768: ≈16 MB of float32 in and out at d = 128). */
  readonly chunkRows?: number;
}

export interface ArmScores extends Posterior {
  /** The path that produced the numbers. */
  readonly path: 'tensor' | 'js';
}

/** Blocks of four rows of R, interleaved by column, each followed by its six-entry tail triangle. */
function packInverseFactor(R: Float64Array, d: number): Float64Array {
  const blocks = Math.floor(d / 4);
  let size = 0;
  for (let b = 0; b < blocks; b++) size += 4 * (4 * b + 1) + 6;
  const out = new Float64Array(size);
  let p = 0;
  for (let b = 0; b < blocks; b++) {
    const i0 = 4 * b;
    const r0 = i0 * d;
    for (let k = 0; k <= i0; k++) {
      out[p++] = R[r0 + k];
      out[p++] = R[r0 + d + k];
      out[p++] = R[r0 + 2 * d + k];
      out[p++] = R[r0 + 3 * d + k];
    }
    out[p++] = R[r0 + d + i0 + 1];
    out[p++] = R[r0 + 2 * d + i0 + 1];
    out[p++] = R[r0 + 2 * d + i0 + 2];
    out[p++] = R[r0 + 3 * d + i0 + 1];
    out[p++] = R[r0 + 3 * d + i0 + 2];
    out[p++] = R[r0 + 3 * d + i0 + 3];
  }
  return out;
}

/** ‖Rx‖² and ‖Ry‖² for two arms at once (y may alias x for an odd last arm). */
function squaredNormsPair(
  P: Float64Array,
  R: Float64Array,
  d: number,
  x: Float64Array,
  y: Float64Array,
  out: Float64Array,
): void {
  const top = 4 * Math.floor(d / 4);
  let ax = 0;
  let ay = 0;
  let p = 0;
  for (let i0 = 0; i0 < top; i0 += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let k = 0; k <= i0; k++, p += 4) {
      const xk = x[k];
      const yk = y[k];
      const a = P[p];
      const b = P[p + 1];
      const c = P[p + 2];
      const e = P[p + 3];
      s0 += a * xk;
      s1 += b * xk;
      s2 += c * xk;
      s3 += e * xk;
      t0 += a * yk;
      t1 += b * yk;
      t2 += c * yk;
      t3 += e * yk;
    }
    const x1 = x[i0 + 1];
    const x2 = x[i0 + 2];
    const x3 = x[i0 + 3];
    const y1 = y[i0 + 1];
    const y2 = y[i0 + 2];
    const y3 = y[i0 + 3];
    s1 += P[p] * x1;
    s2 += P[p + 1] * x1 + P[p + 2] * x2;
    s3 += P[p + 3] * x1 + P[p + 4] * x2 + P[p + 5] * x3;
    t1 += P[p] * y1;
    t2 += P[p + 1] * y1 + P[p + 2] * y2;
    t3 += P[p + 3] * y1 + P[p + 4] * y2 + P[p + 5] * y3;
    p += 6;
    ax += s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3;
    ay += t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3;
  }
  // The last d mod 4 rows of R, one at a time.
  for (let i = top; i < d; i++) {
    let s = 0;
    let t = 0;
    const ri = i * d;
    for (let k = 0; k <= i; k++) {
      s += R[ri + k] * x[k];
      t += R[ri + k] * y[k];
    }
    ax += s * s;
    ay += t * t;
  }
  out[0] = ax;
  out[1] = ay;
}

function checkScorer(scorer: LinearGaussianScorer, d: number): void {
  if (scorer.weights.length !== d) {
    throw new RangeError(`scoreArms: weights have ${scorer.weights.length} values, expected ${d}`);
  }
  if (scorer.inverseFactor.length !== d * d) {
    throw new RangeError(`scoreArms: inverseFactor has ${scorer.inverseFactor.length} values, expected ${d}×${d}`);
  }
}

/** Float64 path (see the file comment). */
export function scoreArmsJs(features: FeatureMatrix, scorer: LinearGaussianScorer): ArmScores {
  const { rows: m, cols: d, data } = features;
  checkScorer(scorer, d);
  const R = scorer.inverseFactor;
  const P = packInverseFactor(R, d);
  const theta = scorer.weights;
  const mean = new Float64Array(m);
  const std = new Float64Array(m);
  const x = new Float64Array(d);
  const y = new Float64Array(d);
  const pair = new Float64Array(2);
  for (let j = 0; j < m; j += 2) {
    const second = j + 1 < m;
    const ox = j * d;
    let mx = 0;
    let my = 0;
    for (let k = 0; k < d; k++) {
      const v = data[ox + k];
      x[k] = v;
      mx += theta[k] * v;
    }
    if (second) {
      for (let k = 0; k < d; k++) {
        const v = data[ox + d + k];
        y[k] = v;
        my += theta[k] * v;
      }
    }
    squaredNormsPair(P, R, d, x, second ? y : x, pair);
    mean[j] = scorer.offset + mx;
    std[j] = Math.sqrt(pair[0]);
    if (second) {
      mean[j + 1] = scorer.offset + my;
      std[j + 1] = Math.sqrt(pair[1]);
    }
  }
  return { mean, std, path: 'js' };
}

/** tfjs path (see the file comment); synchronous (dataSync), every intermediate tensor disposed. */
export function scoreArmsTensor(features: FeatureMatrix, scorer: LinearGaussianScorer, chunkRows = 32768): ArmScores {
  const { rows: m, cols: d, data } = features;
  checkScorer(scorer, d);
  if (!(Number.isInteger(chunkRows) && chunkRows >= 1)) {
    throw new RangeError(`scoreArms: chunkRows must be a positive integer, got ${chunkRows}`);
  }
  const R = scorer.inverseFactor;
  const transposed = new Float32Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k <= i; k++) transposed[k * d + i] = R[i * d + k];
  const mean = new Float64Array(m);
  const std = new Float64Array(m);
  const rt = tf.tensor2d(transposed, [d, d], 'float32');
  const theta = tf.tensor2d(Float32Array.from(scorer.weights), [d, 1], 'float32');
  const scratch = data instanceof Float32Array ? null : new Float32Array(Math.min(chunkRows, m) * d);
  try {
    for (let start = 0; start < m; start += chunkRows) {
      const rows = Math.min(chunkRows, m - start);
      let chunk: Float32Array;
      if (scratch) {
        chunk = scratch.subarray(0, rows * d);
        const base = start * d;
        for (let k = 0; k < rows * d; k++) chunk[k] = data[base + k];
      } else {
        chunk = (data as Float32Array).subarray(start * d, (start + rows) * d);
      }
      const [squares, dots] = tf.tidy(() => {
        const x = tf.tensor2d(chunk, [rows, d], 'float32');
        return [tf.sum(tf.square(tf.matMul(x, rt)), 1), tf.matMul(x, theta)];
      });
      const s = squares.dataSync();
      const mu = dots.dataSync();
      squares.dispose();
      dots.dispose();
      for (let r = 0; r < rows; r++) {
        mean[start + r] = scorer.offset + mu[r];
        std[start + r] = Math.sqrt(s[r]);
      }
    }
  } finally {
    rt.dispose();
    theta.dispose();
  }
  return { mean, std, path: 'tensor' };
}

/** Throws naming the first non-finite entry of the first arm whose score came out non-finite. */
function checkFinite(features: FeatureMatrix, scores: ArmScores): void {
  const { mean, std } = scores;
  for (let j = 0; j < mean.length; j++) {
    if (Number.isFinite(mean[j]) && Number.isFinite(std[j])) continue;
    const d = features.cols;
    for (let k = 0; k < d; k++) {
      const v = features.data[j * d + k];
      if (!Number.isFinite(v) || (scores.path === 'tensor' && !Number.isFinite(Math.fround(v)))) {
        throw new RangeError(`scoreArms: features row ${j}, column ${k} is ${v}, not a finite number`);
      }
    }
    throw new RangeError(`scoreArms: row ${j} overflowed (mean ${mean[j]}, std ${std[j]}); rescale the features`);
  }
}

/**
 * Mean and std of offset + θ̂ᵀφ for every row. Non-finite input is reported by row and column
 * (checked on the O(m) outputs, which a NaN or infinity in a row always reaches).
 */
export function scoreArms(
  features: FeatureMatrix,
  scorer: LinearGaussianScorer,
  options: ArmScoringOptions = {},
): ArmScores {
  const path = options.path ?? 'auto';
  if (path !== 'auto' && path !== 'tensor' && path !== 'js') {
    throw new RangeError(`scoreArms: path must be 'auto', 'tensor' or 'js', got ${String(path)}`);
  }
  const useTensor = path === 'tensor' || (path === 'auto' && features.rows >= 256 && hasFastTensorBackend());
  const scores = useTensor ? scoreArmsTensor(features, scorer, options.chunkRows) : scoreArmsJs(features, scorer);
  checkFinite(features, scores);
  return scores;
}
