/**
 * Neural Bradley–Terry reward model (algorithms.md §3.1, "ae-neural"): an MLP r̂(x, a) over joint
 * (prompt, response) features trained on the BT log-likelihood of pairs, with uncertainty from a
 * deep ensemble (members differ in seed and bootstrap resample) and/or MC dropout.
 *
 * - fit(): standardises the features (statistics of all arms, kept until the next fit), holds out
 *   `validationFraction` of the pairs, trains every member with Adam and stops each member
 *   `patience` epochs after its best validation loss, restoring that member's best weights.
 * - update(): warm start — `updateEpochs` more epochs from the current weights on all the pairs seen
 *   so far (a fresh bootstrap per member, no hold-out, same standardisation, fresh Adam state).
 * - A BT reward is identified only up to a constant, so members could disagree by an offset that no
 *   label can correct. Each draw (member × dropout pass) is therefore centred after training:
 *   its mean r̂ over the arms of the first 1024 stored pairs is subtracted.
 * - predict(): mean and sample standard deviation (n − 1) over the fixed draws: members × `passes`
 *   (with dropout, pass p uses a fixed seeded mask shared by all rows, so each pass is one coherent
 *   sub-network, i.e. one function draw).
 * - sample(): with dropout, every draw uses a fresh mask from the Rng (members cycled), so any count
 *   of distinct draws is available; without dropout, draw k is member order[k mod members] for an
 *   Rng-shuffled order, so draws repeat once count exceeds members.
 *
 * Training is a synchronous manual loop (tf.variable weights, optimizer.minimize inside tf.tidy) so
 * the model fits the synchronous PreferenceModel interface. Every initial weight, split, bootstrap,
 * shuffle and dropout mask comes from the seeded Rng: two fits with one seed predict identically on
 * one backend. No tensor outlives a call (weights rest in Float32Arrays).
 */
import { type FeatureMatrix, Rng } from '@borda/numeric';
import type { PairObservation, Posterior, PreferenceModel } from './model';
import {
  type ResolvedNeuralOptions,
  type NeuralBradleyTerryOptions,
  type NeuralTrainingReport,
  type SerializedNeuralBradleyTerry,
  PairStore,
  decodeFloats,
  encodeFloats,
  resolveNeuralOptions,
  standardisationOf,
} from './neural-options';
import {
  type StackedWeights,
  disposePacked,
  dropoutMasks,
  forward,
  initialWeights,
  packWeights,
} from './neural-network';
import { type Standardisation, standardise, trainMembers } from './neural-training';
import { activeBackend, tf } from './tf-backend';

export type {
  NeuralBradleyTerryOptions,
  NeuralTrainingReport,
  NeuralUncertainty,
  SerializedNeuralBradleyTerry,
} from './neural-options';

const ANCHOR_PAIRS = 1024;
const PREDICT_CHUNK = 8192;
// Independent Rng streams of one seed.
const STREAM = { init: 1, split: 2, bootstrap: 3, train: 4, passes: 5, update: 6 } as const;

function mean(xs: readonly number[]): number {
  return xs.reduce((s, v) => s + v, 0) / xs.length;
}

export class NeuralBradleyTerry implements PreferenceModel {
  readonly kind = 'neural-bt' as const;
  readonly dimension: number;
  readonly options: ResolvedNeuralOptions;
  private weights: StackedWeights;
  private scaling: Standardisation;
  private readonly store: PairStore;
  private offsets: Float64Array;
  private readonly passMasks: Float32Array[][] | null;
  private updates = 0;
  private report: NeuralTrainingReport;

  constructor(options: NeuralBradleyTerryOptions) {
    this.options = resolveNeuralOptions(options);
    this.dimension = this.options.dimension;
    const { members, dropout, passes, seed } = this.options;
    this.weights = this.freshWeights();
    this.scaling = { mean: new Float32Array(this.dimension), scale: new Float32Array(this.dimension).fill(1) };
    this.store = new PairStore(this.dimension);
    this.offsets = new Float64Array(members * passes);
    const passRng = new Rng(seed).fork(STREAM.passes);
    this.passMasks =
      dropout > 0 ? Array.from({ length: passes }, () => dropoutMasks(passRng, 1, this.maskWidths(), dropout)) : null;
    this.report = this.emptyReport();
  }

  get observationCount(): number {
    return this.store.count;
  }

  get trainingReport(): NeuralTrainingReport {
    return this.report;
  }

  /** Posterior draws predict() averages over: members × passes. */
  get drawCount(): number {
    return this.options.members * this.options.passes;
  }

  fit(observations: readonly PairObservation[]): void {
    const started = Date.now();
    this.store.validate(observations); // before clear(): a bad batch must not wipe the model's data
    this.store.clear();
    this.store.append(observations);
    this.updates = 0;
    const { members, bootstrap, validationFraction, epochs, seed } = this.options;
    this.scaling = this.options.standardize
      ? standardisationOf(this.store)
      : { mean: new Float32Array(this.dimension), scale: new Float32Array(this.dimension).fill(1) };
    this.weights = this.freshWeights();
    const n = this.store.count;
    const root = new Rng(seed);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const splitRng = root.fork(STREAM.split);
    for (let i = n - 1; i > 0; i--) {
      const j = splitRng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const nValidation = Math.floor(n * validationFraction);
    const validation = order.slice(0, nValidation);
    const train = order.slice(nValidation);
    const counts = bootstrap && members > 1 ? this.bootstrapCounts(train, root.fork(STREAM.bootstrap)) : null;
    this.train('fit', train, counts, validation, epochs, root.fork(STREAM.train), started);
  }

  update(observations: readonly PairObservation[]): void {
    if (this.store.count === 0) {
      this.fit(observations);
      return;
    }
    const started = Date.now();
    this.store.append(observations);
    this.updates++;
    const rng = new Rng(this.options.seed).fork(STREAM.update).fork(this.updates);
    const all = Int32Array.from({ length: this.store.count }, (_, i) => i);
    const { members, bootstrap } = this.options;
    const counts = bootstrap && members > 1 ? this.bootstrapCounts(all, rng.fork(0)) : null;
    this.train('update', all, counts, new Int32Array(0), this.options.updateEpochs, rng.fork(1), started);
  }

  predict(features: FeatureMatrix): Posterior {
    const draws = this.evaluate(features, this.passMasks, this.offsets);
    const rows = features.rows;
    const k = draws.length;
    const meanOut = new Float64Array(rows);
    const std = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (const d of draws) s += d[i];
      const mu = s / k;
      let ss = 0;
      for (const d of draws) ss += (d[i] - mu) ** 2;
      meanOut[i] = mu;
      std[i] = k > 1 ? Math.sqrt(ss / (k - 1)) : 0;
    }
    return { mean: meanOut, std };
  }

  sample(features: FeatureMatrix, count: number, rng: Rng): Float64Array[] {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`count must be a non-negative integer, got ${count}`);
    const { members, dropout } = this.options;
    const out: Float64Array[] = [];
    if (count === 0) return out;
    if (dropout === 0) {
      const draws = this.evaluate(features, null, this.offsets.subarray(0, members));
      const order = Array.from({ length: members }, (_, m) => m);
      rng.shuffle(order);
      for (let k = 0; k < count; k++) out.push(draws[order[k % members]].slice());
      return out;
    }
    const anchors = this.store.anchors(ANCHOR_PAIRS);
    while (out.length < count) {
      const masks = [dropoutMasks(rng, 1, this.maskWidths(), dropout)];
      const offsets = this.centres(anchors, masks);
      for (const d of this.evaluate(features, masks, offsets)) if (out.length < count) out.push(d);
    }
    return out;
  }

  toJSON(): SerializedNeuralBradleyTerry {
    return {
      kind: 'neural-bt',
      version: 1,
      options: { ...this.options, hiddenUnits: [...this.options.hiddenUnits] },
      weights: {
        sizes: [...this.weights.sizes],
        kernels: this.weights.kernels.map((k) => Array.from(k)),
        biases: this.weights.biases.map((b) => Array.from(b)),
      },
      standardisation: { mean: Array.from(this.scaling.mean), scale: Array.from(this.scaling.scale) },
      offsets: Array.from(this.offsets),
      updates: this.updates,
      data: {
        count: this.store.count,
        first: encodeFloats(this.store.firstRows()),
        second: encodeFloats(this.store.secondRows()),
        outcome: Array.from(this.store.outcomes()),
      },
    };
  }

  /** Restores weights, standardisation, centring and data as saved: predictions match exactly. */
  static load(json: SerializedNeuralBradleyTerry): NeuralBradleyTerry {
    if (json.kind !== 'neural-bt') throw new RangeError(`kind must be 'neural-bt', got ${String(json.kind)}`);
    if (json.version !== 1) throw new RangeError(`unsupported neural-bt version ${String(json.version)}`);
    const model = new NeuralBradleyTerry(json.options);
    const w = model.weights;
    if (JSON.stringify(json.weights.sizes) !== JSON.stringify(w.sizes)) {
      throw new RangeError(`weights.sizes ${JSON.stringify(json.weights.sizes)} do not match the options (${w.sizes})`);
    }
    json.weights.kernels.forEach((k, l) => {
      if (k.length !== w.kernels[l].length)
        throw new RangeError(`weights.kernels[${l}] has ${k.length} values, expected ${w.kernels[l].length}`);
      w.kernels[l].set(k);
    });
    json.weights.biases.forEach((b, l) => {
      if (b.length !== w.biases[l].length)
        throw new RangeError(`weights.biases[${l}] has ${b.length} values, expected ${w.biases[l].length}`);
      w.biases[l].set(b);
    });
    model.scaling = {
      mean: Float32Array.from(json.standardisation.mean),
      scale: Float32Array.from(json.standardisation.scale),
    };
    if (json.offsets.length !== model.offsets.length)
      throw new RangeError(`offsets has ${json.offsets.length} values, expected ${model.offsets.length}`);
    model.offsets = Float64Array.from(json.offsets);
    model.updates = json.updates;
    model.store.restore(
      json.data.count,
      decodeFloats(json.data.first),
      decodeFloats(json.data.second),
      Float32Array.from(json.data.outcome),
    );
    return model;
  }

  private freshWeights(): StackedWeights {
    const { members, hiddenUnits, seed } = this.options;
    const initRng = new Rng(seed).fork(STREAM.init);
    return initialWeights(
      [this.dimension, ...hiddenUnits, 1],
      Array.from({ length: members }, (_, m) => initRng.fork(m)),
    );
  }

  /** members·units per hidden layer: the width of the packed activations a dropout mask covers. */
  private maskWidths(): number[] {
    return this.options.hiddenUnits.map((u) => this.options.members * u);
  }

  /**
   * Bootstrap weights [pair·members + m]: how often a resample of `train` (same size, with
   * replacement, member m's own stream) drew each pair.
   */
  private bootstrapCounts(train: Int32Array, rng: Rng): Float32Array {
    const M = this.options.members;
    const counts = new Float32Array(this.store.count * M);
    for (let m = 0; m < M; m++) {
      const r = rng.fork(m);
      for (let k = 0; k < train.length; k++) counts[train[r.int(train.length)] * M + m] += 1;
    }
    return counts;
  }

  private train(
    mode: 'fit' | 'update',
    trainIndices: Int32Array,
    counts: Float32Array | null,
    validation: Int32Array,
    epochs: number,
    rng: Rng,
    started: number,
  ): void {
    const { batchSize, learningRate, weightDecay, dropout, patience } = this.options;
    const outcome = trainMembers(this.weights, this.store.data(), this.scaling, {
      epochs,
      batchSize,
      learningRate,
      weightDecay,
      dropout,
      patience,
      trainIndices,
      counts,
      validationIndices: validation,
      rng,
    });
    this.weights = outcome.weights;
    this.offsets = this.centres(this.store.anchors(ANCHOR_PAIRS), this.passMasks);
    this.report = {
      mode,
      backend: activeBackend(),
      epochsRun: outcome.epochsRun,
      maxEpochs: epochs,
      stoppedEarly: outcome.stoppedEarly,
      bestEpoch: outcome.bestEpoch,
      bestValidationLoss: validation.length > 0 ? mean(outcome.bestValidationLoss) : NaN,
      bestValidationAccuracy: outcome.validationAccuracy,
      memberBestValidationLoss: outcome.bestValidationLoss,
      memberLastValidationLoss: outcome.lastValidationLoss,
      memberRestoredValidationLoss: outcome.restoredValidationLoss,
      trainingPairs: trainIndices.length,
      validationPairs: validation.length,
      seconds: (Date.now() - started) / 1000,
    };
  }

  /** Per draw, the mean r̂ over the anchor arms (0 with no data). */
  private centres(anchors: FeatureMatrix, masks: Float32Array[][] | null): Float64Array {
    const draws = this.evaluate(anchors, masks, null);
    return Float64Array.from(draws, (d) => (d.length > 0 ? d.reduce((s, v) => s + v, 0) / d.length : 0));
  }

  /**
   * r̂ of every draw (member-major: draw m·passes + p) at every row, minus `offsets`. `masks[p][l]` is
   * hidden layer l's [1, members·units] mask of pass p; null evaluates without dropout.
   */
  private evaluate(
    features: FeatureMatrix,
    masks: Float32Array[][] | null,
    offsets: Float64Array | null,
  ): Float64Array[] {
    const d = this.dimension;
    if (features.cols !== d) throw new RangeError(`features have ${features.cols} columns, expected dimension ${d}`);
    const { members } = this.options;
    const widths = this.maskWidths();
    const passes = masks ? masks.length : 1;
    const rows = features.rows;
    const out = Array.from({ length: members * passes }, () => new Float64Array(rows));
    if (rows === 0) return out;
    const w = packWeights(this.weights);
    const maskT = masks?.map((pass) => pass.map((m, l) => tf.tensor2d(m, [1, widths[l]], 'float32')));
    try {
      for (let start = 0; start < rows; start += PREDICT_CHUNK) {
        const r = Math.min(PREDICT_CHUNK, rows - start);
        const slice = features.data.subarray(start * d, (start + r) * d);
        const x = tf.tidy(() =>
          standardise(
            tf.tensor2d(slice instanceof Float32Array ? slice : Float32Array.from(slice), [r, d]),
            this.scaling,
          ),
        );
        for (let p = 0; p < passes; p++) {
          const y = tf.tidy(() => forward(w, x, maskT?.[p]));
          const values = y.dataSync();
          y.dispose();
          for (let m = 0; m < members; m++) {
            const target = out[m * passes + p];
            const shift = offsets ? offsets[m * passes + p] : 0;
            for (let i = 0; i < r; i++) target[start + i] = values[i * members + m] - shift;
          }
        }
        x.dispose();
      }
    } finally {
      disposePacked(w);
      maskT?.forEach((pass) => pass.forEach((t) => t.dispose()));
    }
    return out;
  }

  private emptyReport(): NeuralTrainingReport {
    const none = new Array<number>(this.options.members).fill(NaN);
    return {
      mode: 'none',
      backend: activeBackend(),
      epochsRun: 0,
      maxEpochs: this.options.epochs,
      stoppedEarly: false,
      bestEpoch: new Array<number>(this.options.members).fill(0),
      bestValidationLoss: NaN,
      bestValidationAccuracy: NaN,
      memberBestValidationLoss: none,
      memberLastValidationLoss: none,
      memberRestoredValidationLoss: none,
      trainingPairs: 0,
      validationPairs: 0,
      seconds: 0,
    };
  }
}
