/**
 * The network g_θ of `DpoPolicy` and its DPO objective, in plain float64 JavaScript with
 * hand-written gradients and Adam (no TensorFlow.js: the models are small, and float64 loops make
 * training bit-for-bit deterministic under a seed and `load(toJSON())` exact).
 *
 * g_θ(x) = vᵀ h_L, h_0 = x, h_k = tanh(W_k h_{k−1} + b_k) for each hidden layer; with no hidden
 * layers g_θ(x) = vᵀx. There is no output bias: a constant in g cancels in the DPO margin and in the
 * per-prompt softmax, so it could never be learned. θ is one Float64Array: per hidden layer W_k
 * (out × in, row-major) then b_k, then v. v starts at 0, so g ≡ 0 before training (π_θ = π_ref) and
 * the loss of the initial θ is log 2; hidden weights start N(0, 1/fan_in) from the seeded Rng.
 */
import type { Rng } from '@borda/numeric';

export interface NetworkLayout {
  readonly dimension: number;
  readonly hiddenUnits: readonly number[];
  /** Offset of W_k and b_k in θ per hidden layer. */
  readonly layers: readonly {
    readonly inputs: number;
    readonly outputs: number;
    readonly w: number;
    readonly b: number;
  }[];
  /** Offset of v (width = last hidden width, or dimension). */
  readonly output: number;
  readonly outputInputs: number;
  readonly size: number;
}

export function networkLayout(dimension: number, hiddenUnits: readonly number[]): NetworkLayout {
  const layers: { inputs: number; outputs: number; w: number; b: number }[] = [];
  let offset = 0;
  let inputs = dimension;
  for (const outputs of hiddenUnits) {
    layers.push({ inputs, outputs, w: offset, b: offset + inputs * outputs });
    offset += inputs * outputs + outputs;
    inputs = outputs;
  }
  return {
    dimension,
    hiddenUnits: [...hiddenUnits],
    layers,
    output: offset,
    outputInputs: inputs,
    size: offset + inputs,
  };
}

/** Initial θ: hidden weights N(0, 1/fan_in), hidden biases 0, output weights 0 (so g ≡ 0). */
export function initialParameters(layout: NetworkLayout, rng: Rng): Float64Array {
  const theta = new Float64Array(layout.size);
  for (const layer of layout.layers) {
    const scale = 1 / Math.sqrt(layer.inputs);
    for (let i = 0; i < layer.inputs * layer.outputs; i++) theta[layer.w + i] = rng.normal() * scale;
  }
  return theta;
}

/**
 * Activations of every layer for `rows` rows of `x` (row-major, width = dimension). acts[0] is x
 * itself (not copied), acts[k] the tanh outputs of hidden layer k.
 */
function forwardActivations(
  layout: NetworkLayout,
  theta: Float64Array,
  x: ArrayLike<number>,
  rows: number,
): ArrayLike<number>[] {
  const acts: ArrayLike<number>[] = [x];
  let input: ArrayLike<number> = x;
  for (const { inputs, outputs, w, b } of layout.layers) {
    const out = new Float64Array(rows * outputs);
    for (let r = 0; r < rows; r++) {
      const inBase = r * inputs;
      for (let o = 0; o < outputs; o++) {
        let s = theta[b + o];
        const wBase = w + o * inputs;
        for (let i = 0; i < inputs; i++) s += theta[wBase + i] * input[inBase + i];
        out[r * outputs + o] = Math.tanh(s);
      }
    }
    acts.push(out);
    input = out;
  }
  return acts;
}

function outputOf(layout: NetworkLayout, theta: Float64Array, last: ArrayLike<number>, rows: number): Float64Array {
  const width = layout.outputInputs;
  const v = layout.output;
  const g = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const base = r * width;
    for (let i = 0; i < width; i++) s += theta[v + i] * last[base + i];
    g[r] = s;
  }
  return g;
}

/** g_θ for each of `rows` rows of x. */
export function evaluate(layout: NetworkLayout, theta: Float64Array, x: ArrayLike<number>, rows: number): Float64Array {
  const acts = forwardActivations(layout, theta, x, rows);
  return outputOf(layout, theta, acts[acts.length - 1], rows);
}

/**
 * Adds Σ_r coef[r] · ∇_θ g_θ(x_r) to `grad` (backpropagation through the tanh layers).
 */
function accumulateGradient(
  layout: NetworkLayout,
  theta: Float64Array,
  acts: ArrayLike<number>[],
  coef: Float64Array,
  rows: number,
  grad: Float64Array,
): void {
  const v = layout.output;
  const width = layout.outputInputs;
  const last = acts[acts.length - 1];
  for (let r = 0; r < rows; r++) {
    const c = coef[r];
    if (c === 0) continue;
    const base = r * width;
    for (let i = 0; i < width; i++) grad[v + i] += c * last[base + i];
  }
  if (layout.layers.length === 0) return;
  // delta = ∂(Σ coef·g)/∂(pre-activation) of the current layer, per row.
  let upstream = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const c = coef[r];
    for (let i = 0; i < width; i++) upstream[r * width + i] = c * theta[v + i];
  }
  for (let k = layout.layers.length - 1; k >= 0; k--) {
    const { inputs, outputs, w, b } = layout.layers[k];
    const out = acts[k + 1];
    const input = acts[k];
    const delta = upstream;
    for (let j = 0; j < rows * outputs; j++) delta[j] *= 1 - out[j] * out[j];
    for (let r = 0; r < rows; r++) {
      const inBase = r * inputs;
      for (let o = 0; o < outputs; o++) {
        const d = delta[r * outputs + o];
        if (d === 0) continue;
        grad[b + o] += d;
        const wBase = w + o * inputs;
        for (let i = 0; i < inputs; i++) grad[wBase + i] += d * input[inBase + i];
      }
    }
    if (k === 0) break;
    const next = new Float64Array(rows * inputs);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < outputs; o++) {
        const d = delta[r * outputs + o];
        if (d === 0) continue;
        const wBase = w + o * inputs;
        for (let i = 0; i < inputs; i++) next[r * inputs + i] += d * theta[wBase + i];
      }
    }
    upstream = next;
  }
}

/** −log σ(z), stable for any z. */
export function softplusNeg(z: number): number {
  return Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** Training data: chosen rows and rejected rows, each n × dimension row-major. */
export interface PairData {
  readonly count: number;
  readonly chosen: Float64Array;
  readonly rejected: Float64Array;
}

export interface ObjectiveTerms {
  /** −mean log σ(β(g(chosen) − g(rejected))) over the pairs (0 for no pairs). */
  readonly loss: number;
  /** l2·‖θ‖². */
  readonly penalty: number;
}

function squaredNorm(theta: Float64Array): number {
  let s = 0;
  for (let i = 0; i < theta.length; i++) s += theta[i] * theta[i];
  return s;
}

/** The DPO loss over all pairs of `data` and the L2 penalty at θ. */
export function objective(
  layout: NetworkLayout,
  theta: Float64Array,
  data: PairData,
  beta: number,
  l2: number,
): ObjectiveTerms {
  const n = data.count;
  let loss = 0;
  if (n > 0) {
    const gw = evaluate(layout, theta, data.chosen, n);
    const gl = evaluate(layout, theta, data.rejected, n);
    for (let i = 0; i < n; i++) loss += softplusNeg(beta * (gw[i] - gl[i]));
    loss /= n;
  }
  return { loss, penalty: l2 * squaredNorm(theta) };
}

/** Copies the rows `indices` of a pair set into a new contiguous batch. */
export function gatherPairs(data: PairData, indices: Int32Array, dimension: number): PairData {
  const chosen = new Float64Array(indices.length * dimension);
  const rejected = new Float64Array(indices.length * dimension);
  for (let k = 0; k < indices.length; k++) {
    const src = indices[k] * dimension;
    chosen.set(data.chosen.subarray(src, src + dimension), k * dimension);
    rejected.set(data.rejected.subarray(src, src + dimension), k * dimension);
  }
  return { count: indices.length, chosen, rejected };
}

/** ∇_θ of (DPO loss on the batch + l2‖θ‖²), written into `grad`; returns the objective terms at θ. */
export function gradient(
  layout: NetworkLayout,
  theta: Float64Array,
  batch: PairData,
  beta: number,
  l2: number,
  grad: Float64Array,
): ObjectiveTerms {
  const n = batch.count;
  for (let i = 0; i < theta.length; i++) grad[i] = 2 * l2 * theta[i];
  const penalty = l2 * squaredNorm(theta);
  if (n === 0) return { loss: 0, penalty };
  const actsW = forwardActivations(layout, theta, batch.chosen, n);
  const actsL = forwardActivations(layout, theta, batch.rejected, n);
  const gw = outputOf(layout, theta, actsW[actsW.length - 1], n);
  const gl = outputOf(layout, theta, actsL[actsL.length - 1], n);
  // d/dz of −log σ(z) is −σ(−z) = −1/(1 + e^z); z = β(g_w − g_l).
  const coefW = new Float64Array(n);
  const coefL = new Float64Array(n);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const z = beta * (gw[i] - gl[i]);
    loss += softplusNeg(z);
    const c = -beta / (1 + Math.exp(z)) / n;
    coefW[i] = c;
    coefL[i] = -c;
  }
  accumulateGradient(layout, theta, actsW, coefW, n, grad);
  accumulateGradient(layout, theta, actsL, coefL, n, grad);
  return { loss: loss / n, penalty };
}

export interface AdamSettings {
  readonly learningRate: number;
  readonly epochs: number;
  /** Pairs per step; ≥ count means full batch. */
  readonly batchSize: number;
  /**
   * Plateau: the objective has not improved by more than tolerance·max(1, |best|) for `patience`
   * epochs. Each plateau restarts from the best θ with the step × LR_FACTOR; the LR_REDUCTIONS + 1-th stops.
   */
  readonly tolerance: number;
  readonly patience: number;
}

export interface AdamResult {
  readonly theta: Float64Array;
  readonly epochs: number;
  /** Objective (loss + penalty) after each epoch. */
  readonly history: number[];
  readonly best: ObjectiveTerms;
}

const ADAM_B1 = 0.9;
const ADAM_B2 = 0.999;
const ADAM_EPS = 1e-8;
/** On a plateau the step shrinks by LR_FACTOR, at most LR_REDUCTIONS times, before training stops. */
const LR_FACTOR = 0.25;
const LR_REDUCTIONS = 4;

/**
 * Adam on the DPO objective from `start` (not modified). Mini-batch order comes from `rng` (one
 * Fisher–Yates shuffle per epoch; none with a full batch). Returns the θ with the lowest full-data
 * objective seen after any epoch (or `start` when no epoch improved on it). Constant-step Adam
 * hovers around the optimum at a distance set by the step, so each plateau restarts from the best
 * θ with a 4× smaller step and fresh moments; the fifth plateau ends training. With a full batch the
 * gradient pass of epoch e also yields the objective after epoch e − 1, so each epoch costs one
 * forward/backward pass.
 */
export function trainAdam(
  layout: NetworkLayout,
  start: Float64Array,
  data: PairData,
  beta: number,
  l2: number,
  settings: AdamSettings,
  rng: Rng,
): AdamResult {
  const theta = Float64Array.from(start);
  const size = theta.length;
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const grad = new Float64Array(size);
  const n = data.count;
  const fullBatch = settings.batchSize >= n;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const history: number[] = [];
  // The objective at the start counts as the best so far without entering the history.
  let bestTerms = objective(layout, theta, data, beta, l2);
  let best = bestTerms.loss + bestTerms.penalty;
  let bestTheta = Float64Array.from(theta);
  let sinceImprovement = 0;
  let learningRate = settings.learningRate;
  let reductions = 0;
  let step = 0;

  /** Records the objective reached after an epoch and decides what comes next. */
  const consider = (terms: ObjectiveTerms): 'continue' | 'restart' | 'stop' => {
    const value = terms.loss + terms.penalty;
    history.push(value);
    if (!Number.isFinite(value)) return 'stop';
    if (value < best - settings.tolerance * Math.max(1, Math.abs(best))) sinceImprovement = 0;
    else sinceImprovement++;
    if (value < best) {
      best = value;
      bestTerms = terms;
      bestTheta = Float64Array.from(theta);
    }
    if (sinceImprovement < settings.patience) return 'continue';
    if (reductions >= LR_REDUCTIONS) return 'stop';
    // Plateau: restart from the best θ with a smaller step and fresh moments.
    reductions++;
    learningRate *= LR_FACTOR;
    theta.set(bestTheta);
    m.fill(0);
    v.fill(0);
    step = 0;
    sinceImprovement = 0;
    return 'restart';
  };

  const adamStep = (): void => {
    step++;
    const c1 = 1 - ADAM_B1 ** step;
    const c2 = 1 - ADAM_B2 ** step;
    for (let i = 0; i < size; i++) {
      m[i] = ADAM_B1 * m[i] + (1 - ADAM_B1) * grad[i];
      v[i] = ADAM_B2 * v[i] + (1 - ADAM_B2) * grad[i] * grad[i];
      theta[i] -= (learningRate * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + ADAM_EPS);
    }
  };

  let epoch = 0;
  // Full batch: the gradient pass at θ also yields the objective after the previous epoch, which
  // is considered before stepping (none is pending at the start or right after a restart).
  let pending = false;
  while (epoch < settings.epochs) {
    if (fullBatch) {
      const terms = gradient(layout, theta, data, beta, l2, grad);
      if (pending) {
        pending = false;
        const next = consider(terms);
        if (next === 'stop') break;
        if (next === 'restart') continue;
      }
      adamStep();
      epoch++;
      pending = true;
    } else {
      rng.shuffle(order);
      for (let s = 0; s < n; s += settings.batchSize) {
        const batch = gatherPairs(data, order.subarray(s, Math.min(n, s + settings.batchSize)), layout.dimension);
        gradient(layout, theta, batch, beta, l2, grad);
        adamStep();
      }
      epoch++;
      if (consider(objective(layout, theta, data, beta, l2)) === 'stop') break;
    }
  }
  if (pending) consider(objective(layout, theta, data, beta, l2));
  return { theta: bestTheta, epochs: epoch, history, best: bestTerms };
}
