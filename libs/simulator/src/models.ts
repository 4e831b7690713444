/**
 * The model each strategy runs on in a simulation (its `strategyModelKind`), built for an
 * environment:
 * - 'borda-gp': exact BordaGP on the raw joint features, lengthscale from the environment's hint,
 *   tracking the environment's candidate matrix so each predict is O(m) after an O(n·m) update;
 * - 'linear-bt': LinearBradleyTerry on random Fourier features of the joint input (same lengthscale);
 * - 'neural-bt': a small NeuralBradleyTerry ensemble retrained, warm-started, at a cadence;
 * - 'low-rank-borda' (option `lowRank`): LowRankBorda in place of the exact GP for large environments.
 */
import { type FeatureMatrix, type Rng } from '@borda/numeric';
import {
  BordaGP,
  LinearBradleyTerry,
  LowRankBorda,
  type ModelKind,
  NeuralBradleyTerry,
  type PairObservation,
  type PreferenceModel,
  RandomFourierFeatures,
  initTensorflow,
} from '@borda/reward-model';
import type { Environment } from './types';

export interface NeuralSimulationOptions {
  /** Ensemble members (default 3). */
  readonly members?: number;
  /** Hidden layer widths (default [32, 32]). */
  readonly hiddenUnits?: readonly number[];
  /** Epochs of the first fit (default 60; early stopping usually ends it sooner). */
  readonly epochs?: number;
  /** Epochs of each warm-started retrain (default 5). */
  readonly updateEpochs?: number;
  /** Labels between retrains (default max(batchSize, 25)). */
  readonly retrainEvery?: number;
}

export interface SimulationModelOptions {
  /** RBF lengthscale (default: the environment's hint, else the median pairwise distance). */
  readonly lengthscale?: number;
  /** Random Fourier features D for 'linear-bt' and 'low-rank-borda' (default 64). */
  readonly randomFeatures?: number;
  /** L2 regularisation λ of the linear Bradley–Terry model (default 1). */
  readonly regularization?: number;
  /** Use LowRankBorda on random Fourier features instead of the exact GP for Borda strategies (default false). */
  readonly lowRank?: boolean;
  readonly neural?: NeuralSimulationOptions;
}

/** A model plus how the simulation feeds it. */
export interface SimulationModel {
  readonly model: PreferenceModel;
  absorb(observations: readonly PairObservation[]): void | Promise<void>;
  /** Called before the output policy is read at a checkpoint; `final` after the last label. */
  beforePolicy?(final: boolean): void | Promise<void>;
}

/** Median Euclidean distance between rows (on at most 256 evenly strided rows). */
export function medianDistance(features: FeatureMatrix): number {
  const stride = Math.max(1, Math.floor(features.rows / 256));
  const picks: number[] = [];
  for (let i = 0; i < features.rows; i += stride) picks.push(i);
  const ds: number[] = [];
  const d = features.cols;
  for (let a = 0; a < picks.length; a++) {
    for (let b = a + 1; b < picks.length; b++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = features.data[picks[a] * d + k] - features.data[picks[b] * d + k];
        s += t * t;
      }
      ds.push(Math.sqrt(s));
    }
  }
  ds.sort((x, y) => x - y);
  const m = ds.length === 0 ? 1 : ds[Math.floor(ds.length / 2)];
  return m > 0 ? m : 1;
}

export function modelLengthscale(env: Environment, options: SimulationModelOptions = {}): number {
  return options.lengthscale ?? env.lengthscale ?? medianDistance(env.features);
}

/**
 * The model for a strategy of model kind `kind`. The Borda models use BordaGP's default prior
 * (signal variance 0.0625 around 0.5, noise 0.25); the linear Bradley–Terry model's random Fourier
 * features get signal variance 1, so that with λ = 1 its prior reward has unit scale, the order of
 * the [−3, 3] rewards of the built-in environments.
 */
export async function createSimulationModel(
  kind: ModelKind,
  env: Environment,
  options: SimulationModelOptions = {},
  rng: Rng,
  batchSize = 1,
): Promise<SimulationModel> {
  const dimension = env.features.cols;
  const lengthscale = modelLengthscale(env, options);
  const features = options.randomFeatures ?? 64;
  const seed = rng.nextUint32();
  const borda = options.lowRank ? 'low-rank-borda' : kind === 'low-rank-borda' ? 'low-rank-borda' : kind;
  switch (borda) {
    case 'borda-gp': {
      const gp = new BordaGP({ dimension, lengthscale });
      gp.track(env.features);
      return { model: gp, absorb: (obs) => gp.update(obs) };
    }
    case 'low-rank-borda': {
      const map = new RandomFourierFeatures({ inputDimension: dimension, features, lengthscale, seed });
      const model = new LowRankBorda({ dimension, featureMap: map });
      return { model, absorb: (obs) => model.update(obs) };
    }
    case 'linear-bt': {
      const map = new RandomFourierFeatures({
        inputDimension: dimension,
        features,
        lengthscale,
        signalVariance: 1,
        seed,
      });
      const model = new LinearBradleyTerry({ dimension, featureMap: map, regularization: options.regularization ?? 1 });
      return { model, absorb: (obs) => model.update(obs) };
    }
    case 'neural-bt':
      return neuralModel(env, options.neural ?? {}, seed, batchSize);
    default:
      throw new RangeError(`model kind '${kind}' is not built by this factory`);
  }
}

/**
 * The neural model is retrained (warm start, `updateEpochs` over every pair so far) only every
 * `retrainEvery` labels — each retrain costs seconds, not microseconds — and selection in between
 * uses the last trained network. Checkpoints read the policy of the last trained network too (so
 * the curve lags by fewer than `retrainEvery` labels); after the last label everything is trained.
 */
async function neuralModel(
  env: Environment,
  o: NeuralSimulationOptions,
  seed: number,
  batchSize: number,
): Promise<SimulationModel> {
  await initTensorflow();
  const model = new NeuralBradleyTerry({
    dimension: env.features.cols,
    members: o.members ?? 3,
    hiddenUnits: o.hiddenUnits ?? [32, 32],
    epochs: o.epochs ?? 60,
    updateEpochs: o.updateEpochs ?? 5,
    seed,
  });
  const every = o.retrainEvery ?? Math.max(batchSize, 25);
  let pending: PairObservation[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    model.update(pending);
    pending = [];
  };
  return {
    model,
    absorb: (obs) => {
      pending.push(...obs);
      if (pending.length >= every) flush();
    },
    beforePolicy: (final) => {
      if (final) flush();
    },
  };
}
