/**
 * The synchronous training loop of NeuralBradleyTerry: mini-batch Adam on the Bradley–Terry
 * negative log-likelihood of pairs, all ensemble members at once (packed weights), with per-member
 * early stopping on a held-out split and restoration of each member's best weights.
 *
 * Members share the mini-batch order (so one packed forward pass serves all of them) and differ by
 * initial weights and by bootstrap *counts*: member m weighs pair i by how often a resample of the
 * training pairs drew it, which is the bootstrap likelihood without materialising resamples.
 */
import { type Rng, logSigmoid } from '@borda/numeric';
import {
  type PackedTensors,
  type StackedWeights,
  cloneWeights,
  copyMember,
  disposePacked,
  dropoutMasks,
  forward,
  kernelPenalty,
  packWeights,
  unpackWeights,
} from './neural-network';
import { tf } from './tf-backend';

/** Raw (unstandardised) pairs, row-major. */
export interface PairData {
  readonly dimension: number;
  readonly count: number;
  readonly first: Float32Array;
  readonly second: Float32Array;
  readonly outcome: Float32Array;
}

export interface Standardisation {
  readonly mean: Float32Array;
  readonly scale: Float32Array;
}

export interface TrainingSchedule {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly dropout: number;
  readonly patience: number;
  /** The distinct pairs trained on. */
  readonly trainIndices: Int32Array;
  /** Weight of pair i for member m at [i·members + m] (bootstrap counts); null: all 1. */
  readonly counts: Float32Array | null;
  /** Held-out pairs for early stopping; empty: train all epochs, no restoration. */
  readonly validationIndices: Int32Array;
  /** Shuffles and dropout masks. */
  readonly rng: Rng;
}

export interface TrainingOutcome {
  readonly weights: StackedWeights;
  readonly epochsRun: number;
  readonly stoppedEarly: boolean;
  /** Per member: the epoch (1-based) whose weights were kept; 0 without validation. */
  readonly bestEpoch: number[];
  /** Per member: validation loss at bestEpoch, at the last epoch run, and of the kept weights. */
  readonly bestValidationLoss: number[];
  readonly lastValidationLoss: number[];
  readonly restoredValidationLoss: number[];
  /** Pair accuracy of the members' mean logit on validation pairs (ties left out); NaN without any. */
  readonly validationAccuracy: number;
}

/** (x − mean) / scale, as tensors, for raw rows [rows, dimension]. */
export function standardise(x: tf.Tensor2D, s: Standardisation): tf.Tensor2D {
  return tf.div(tf.sub(x, tf.tensor1d(s.mean)), tf.tensor1d(s.scale));
}

function shuffled(list: Int32Array, rng: Rng): Int32Array {
  return rng.shuffle(list.slice());
}

interface Validation {
  readonly first: tf.Tensor2D;
  readonly second: tf.Tensor2D;
  readonly outcome: Float32Array;
}

/** Per-member mean BT loss on the validation pairs, and the accuracy of the mean logit. */
function evaluate(t: PackedTensors, v: Validation, members: number): { loss: number[]; accuracy: number } {
  const logits = tf.tidy(() => tf.sub(forward(t, v.first), forward(t, v.second)));
  const values = logits.dataSync();
  logits.dispose();
  const n = v.outcome.length;
  const loss = new Array<number>(members).fill(0);
  let correct = 0;
  let decided = 0;
  for (let i = 0; i < n; i++) {
    const y = v.outcome[i];
    let meanLogit = 0;
    for (let m = 0; m < members; m++) {
      const l = values[i * members + m];
      loss[m] -= (y * logSigmoid(l) + (1 - y) * logSigmoid(-l)) / n;
      meanLogit += l / members;
    }
    if (y !== 0.5) {
      decided++;
      if (meanLogit > 0 === y > 0.5) correct++;
    }
  }
  return { loss, accuracy: decided > 0 ? correct / decided : NaN };
}

export function trainMembers(
  initial: StackedWeights,
  data: PairData,
  standardisation: Standardisation,
  schedule: TrainingSchedule,
): TrainingOutcome {
  const members = initial.members;
  const widths = initial.sizes.slice(1, -1).map((u) => members * u);
  const d = data.dimension;
  const raw = (values: Float32Array) => tf.tensor2d(values, [data.count, d], 'float32');
  const first = tf.tidy(() => standardise(raw(data.first), standardisation));
  const second = tf.tidy(() => standardise(raw(data.second), standardisation));
  const outcome = tf.tensor2d(data.outcome, [data.count, 1], 'float32');
  const counts = schedule.counts ? tf.tensor2d(schedule.counts, [data.count, members], 'float32') : null;
  const nValidation = schedule.validationIndices.length;
  const validation: Validation | null =
    nValidation > 0
      ? {
          ...tf.tidy(() => {
            const idx = tf.tensor1d(schedule.validationIndices, 'int32');
            return { first: tf.gather(first, idx), second: tf.gather(second, idx) };
          }),
          outcome: Float32Array.from(schedule.validationIndices, (i) => data.outcome[i]),
        }
      : null;

  const vars = packWeights(initial, true);
  const varList = [...vars.kernels, ...vars.biases] as unknown as tf.Variable[];
  const optimizer = tf.train.adam(schedule.learningRate);
  const nTrain = schedule.trainIndices.length;
  const best = cloneWeights(initial);
  const bestEpoch = new Array<number>(members).fill(0);
  const bestLoss = new Array<number>(members).fill(Infinity);
  let lastLoss = new Array<number>(members).fill(NaN);
  let epochsRun = 0;
  let stoppedEarly = false;

  try {
    for (let epoch = 1; epoch <= schedule.epochs && nTrain > 0; epoch++) {
      const order = shuffled(schedule.trainIndices, schedule.rng);
      for (let start = 0; start < nTrain; start += schedule.batchSize) {
        const size = Math.min(schedule.batchSize, nTrain - start);
        const idx = order.subarray(start, start + size);
        // One mask per pair, repeated for its second response: both go through the same thinned network.
        const masks =
          schedule.dropout > 0
            ? dropoutMasks(schedule.rng, size, widths, schedule.dropout).map((m) => {
                const twice = new Float32Array(2 * m.length);
                twice.set(m);
                twice.set(m, m.length);
                return twice;
              })
            : null;
        tf.tidy(() => {
          const idxT = tf.tensor1d(idx, 'int32');
          // Gathered outside minimize(): inside, the tape would also differentiate the data tensors.
          const x = tf.concat([tf.gather(first, idxT), tf.gather(second, idxT)], 0);
          const y = tf.gather(outcome, idxT);
          const c = counts ? tf.gather(counts, idxT) : null;
          const maskT = masks?.map((m, l) => tf.tensor2d(m, [2 * size, widths[l]], 'float32'));
          optimizer.minimize(
            () => {
              const [r1, r2] = tf.split(forward(vars, x, maskT), 2, 0);
              const logits = tf.sub(r1, r2);
              // softplus(l) − y·l = −[y log σ(l) + (1 − y) log σ(−l)], soft labels allowed.
              let nll = tf.sub(tf.softplus(logits), tf.mul(y, logits));
              if (c) nll = tf.mul(nll, c);
              const loss = tf.div(tf.sum(nll), size);
              return (
                schedule.weightDecay > 0 ? tf.add(loss, tf.mul(schedule.weightDecay, kernelPenalty(vars))) : loss
              ) as tf.Scalar;
            },
            false,
            varList,
          );
        });
      }
      epochsRun = epoch;
      if (!validation) continue;
      const { loss } = evaluate(vars, validation, members);
      lastLoss = loss;
      let current: StackedWeights | null = null;
      for (let m = 0; m < members; m++) {
        if (loss[m] < bestLoss[m]) {
          bestLoss[m] = loss[m];
          bestEpoch[m] = epoch;
          current ??= unpackWeights(vars, initial);
          copyMember(current, best, m);
        }
      }
      if (bestEpoch.every((e) => epoch - e >= schedule.patience)) {
        stoppedEarly = epoch < schedule.epochs;
        break;
      }
    }

    const weights = validation && epochsRun > 0 ? best : unpackWeights(vars, initial);
    let restoredLoss = new Array<number>(members).fill(NaN);
    let accuracy = NaN;
    if (validation) {
      const kept = packWeights(weights);
      ({ loss: restoredLoss, accuracy } = evaluate(kept, validation, members));
      disposePacked(kept);
    }
    return {
      weights,
      epochsRun,
      stoppedEarly,
      bestEpoch,
      bestValidationLoss: validation ? bestLoss : bestLoss.map(() => NaN),
      lastValidationLoss: lastLoss,
      restoredValidationLoss: restoredLoss,
      validationAccuracy: accuracy,
    };
  } finally {
    optimizer.dispose();
    disposePacked(vars);
    first.dispose();
    second.dispose();
    outcome.dispose();
    counts?.dispose();
    if (validation) {
      validation.first.dispose();
      validation.second.dispose();
    }
  }
}
