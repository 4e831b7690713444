/**
 * The reward networks of NeuralBradleyTerry: `members` ReLU MLPs of one shape evaluated together.
 *
 * Between calls the weights rest in plain Float32Arrays (StackedWeights, one block per member), so
 * a model holds no tensor memory and survives a backend switch. Inside a call they are packed
 * into 2-D tensors that run the whole ensemble with one matMul per layer:
 * - layer 0: [input, members·units], member m's kernel in columns m·units … (the input is shared);
 * - later layers: block-diagonal [members·in, members·out], member m's kernel in block (m, m).
 * Plain 2-D matMuls are used because batched (3-D) matMul and transposed operands take a slow path
 * in the wasm backend (measured 3–8× slower); the blocks off the diagonal are zero, masked during
 * training so they never receive a gradient.
 */
import type { Rng } from '@borda/numeric';
import { tf } from './tf-backend';

/**
 * Kernel l is [members, sizes[l], sizes[l + 1]] row-major; bias l is [members, sizes[l + 1]] for
 * hidden layers only: the output layer has none because the Bradley–Terry likelihood cannot see a
 * constant shift of the reward.
 */
export interface StackedWeights {
  readonly members: number;
  /** [input, ...hidden, 1]. */
  readonly sizes: readonly number[];
  readonly kernels: Float32Array[];
  readonly biases: Float32Array[];
}

export interface PackedTensors {
  readonly kernels: tf.Tensor2D[];
  readonly biases: tf.Tensor1D[];
  /** Block-diagonal 0/1 masks of kernels 1…, applied when training (null entries: not needed). */
  readonly blockMasks: (tf.Tensor2D | null)[];
}

/** He-uniform kernels for ReLU layers, Glorot-uniform for the linear output, zero biases; member m draws from rngs[m]. */
export function initialWeights(sizes: readonly number[], rngs: readonly Rng[]): StackedWeights {
  const members = rngs.length;
  const kernels: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const fanOut = sizes[l + 1];
    const last = l + 2 === sizes.length;
    const limit = last ? Math.sqrt(6 / (fanIn + fanOut)) : Math.sqrt(6 / fanIn);
    const k = new Float32Array(members * fanIn * fanOut);
    for (let m = 0; m < members; m++) {
      const o = m * fanIn * fanOut;
      for (let i = 0; i < fanIn * fanOut; i++) k[o + i] = (2 * rngs[m].next() - 1) * limit;
    }
    kernels.push(k);
    if (!last) biases.push(new Float32Array(members * fanOut));
  }
  return { members, sizes: [...sizes], kernels, biases };
}

export function cloneWeights(w: StackedWeights): StackedWeights {
  return {
    members: w.members,
    sizes: [...w.sizes],
    kernels: w.kernels.map((k) => k.slice()),
    biases: w.biases.map((b) => b.slice()),
  };
}

/** Copies member m's slices from `from` into `to` (same shapes). */
export function copyMember(from: StackedWeights, to: StackedWeights, m: number): void {
  for (let l = 0; l < from.kernels.length; l++) {
    const size = from.sizes[l] * from.sizes[l + 1];
    to.kernels[l].set(from.kernels[l].subarray(m * size, (m + 1) * size), m * size);
  }
  for (let l = 0; l < from.biases.length; l++) {
    const size = from.sizes[l + 1];
    to.biases[l].set(from.biases[l].subarray(m * size, (m + 1) * size), m * size);
  }
}

/** Row/column offsets of member m's block in packed kernel l. */
function blockShape(w: StackedWeights, l: number): { rows: number; cols: number; rowStep: number } {
  const M = w.members;
  const fanIn = w.sizes[l];
  const fanOut = w.sizes[l + 1];
  return { rows: l === 0 ? fanIn : M * fanIn, cols: M * fanOut, rowStep: l === 0 ? 0 : fanIn };
}

function packKernel(w: StackedWeights, l: number): Float32Array {
  const fanIn = w.sizes[l];
  const fanOut = w.sizes[l + 1];
  const { rows, cols, rowStep } = blockShape(w, l);
  const out = new Float32Array(rows * cols);
  const k = w.kernels[l];
  for (let m = 0; m < w.members; m++) {
    for (let i = 0; i < fanIn; i++) {
      const src = (m * fanIn + i) * fanOut;
      out.set(k.subarray(src, src + fanOut), (m * rowStep + i) * cols + m * fanOut);
    }
  }
  return out;
}

function unpackKernel(packed: ArrayLike<number>, w: StackedWeights, l: number): Float32Array {
  const fanIn = w.sizes[l];
  const fanOut = w.sizes[l + 1];
  const { cols, rowStep } = blockShape(w, l);
  const out = new Float32Array(w.members * fanIn * fanOut);
  for (let m = 0; m < w.members; m++) {
    for (let i = 0; i < fanIn; i++) {
      const dst = (m * fanIn + i) * fanOut;
      const src = (m * rowStep + i) * cols + m * fanOut;
      for (let j = 0; j < fanOut; j++) out[dst + j] = packed[src + j];
    }
  }
  return out;
}

function blockMask(w: StackedWeights, l: number): Float32Array {
  const { rows, cols, rowStep } = blockShape(w, l);
  const fanIn = w.sizes[l];
  const fanOut = w.sizes[l + 1];
  const out = new Float32Array(rows * cols);
  for (let m = 0; m < w.members; m++) {
    for (let i = 0; i < fanIn; i++)
      out.fill(1, (m * rowStep + i) * cols + m * fanOut, (m * rowStep + i) * cols + (m + 1) * fanOut);
  }
  return out;
}

/** Packed tensors (trainable variables, with block masks, when `trainable`); the caller disposes them. */
export function packWeights(w: StackedWeights, trainable = false): PackedTensors {
  const wrap = <T extends tf.Tensor>(t: T): T => {
    if (!trainable) return t;
    const v = tf.variable(t, true);
    t.dispose();
    return v as unknown as T;
  };
  const kernels = w.kernels.map((_, l) => {
    const { rows, cols } = blockShape(w, l);
    return wrap(tf.tensor2d(packKernel(w, l), [rows, cols], 'float32'));
  });
  const biases = w.biases.map((b) => wrap(tf.tensor1d(b, 'float32')));
  const blockMasks = w.kernels.map((_, l) => {
    if (!trainable || l === 0 || w.members === 1) return null;
    const { rows, cols } = blockShape(w, l);
    return tf.tensor2d(blockMask(w, l), [rows, cols], 'float32');
  });
  return { kernels, biases, blockMasks };
}

export function disposePacked(t: PackedTensors): void {
  for (const k of t.kernels) k.dispose();
  for (const b of t.biases) b.dispose();
  for (const m of t.blockMasks) m?.dispose();
}

export function unpackWeights(t: PackedTensors, like: StackedWeights): StackedWeights {
  return {
    members: like.members,
    sizes: [...like.sizes],
    kernels: t.kernels.map((k, l) => unpackKernel(k.dataSync(), like, l)),
    biases: t.biases.map((b) => Float32Array.from(b.dataSync())),
  };
}

/**
 * a·b whose gradient uses explicit transposes: tfjs's matMul gradient passes transpose flags,
 * which the wasm backend runs about 8× slower than a transpose followed by a plain matMul.
 */
const matMul = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => [
      tf.matMul(dy, tf.transpose(saved[1] as tf.Tensor2D)),
      tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy),
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * r̂ of every member at every row of x [rows, input]: [rows, members]. masks[l] (optional)
 * multiplies hidden layer l's activations, shape [rows or 1, members·units].
 */
export function forward(t: PackedTensors, x: tf.Tensor2D, masks?: readonly (tf.Tensor | null)[]): tf.Tensor2D {
  let h = x;
  const layers = t.kernels.length;
  for (let l = 0; l < layers; l++) {
    const mask = t.blockMasks[l];
    h = matMul(h, mask ? (tf.mul(t.kernels[l], mask) as tf.Tensor2D) : t.kernels[l]);
    if (l + 1 < layers) {
      h = tf.relu(tf.add(h, t.biases[l])) as tf.Tensor2D;
      const dropout = masks?.[l];
      if (dropout) h = tf.mul(h, dropout) as tf.Tensor2D;
    }
  }
  return h;
}

/**
 * Inverted-dropout masks (kept units scaled by 1/(1 − rate)), one [rows, width] array per width,
 * drawn from the Rng so that training is reproducible on every backend.
 */
export function dropoutMasks(rng: Rng, rows: number, widths: readonly number[], rate: number): Float32Array[] {
  const threshold = rate * 4294967296;
  const keep = 1 / (1 - rate);
  return widths.map((width) => {
    const mask = new Float32Array(rows * width);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.nextUint32() >= threshold ? keep : 0;
    return mask;
  });
}

/** Σ ‖kernel‖² over all layers and members (the L2 weight-decay term; biases are not decayed). */
export function kernelPenalty(t: PackedTensors): tf.Scalar {
  // Off-block entries are zero and never trained, so they add nothing.
  return tf.addN(t.kernels.map((k) => tf.sum(tf.square(k)))) as tf.Scalar;
}
