/**
 * The one place a reward model is built from (kind, candidate features, options, seed): the
 * regret simulator and the campaign service's learning jobs both call `createPreferenceModel`, so
 * a simulation and a campaign with the same options run the same model.
 *
 * - 'borda-gp': exact BordaGP on the raw joint features (optionally tracking the candidate matrix,
 *   so that predicting it after every label costs O(m), not O(n²·m));
 * - 'low-rank-borda': LowRankBorda on random Fourier features of the joint input;
 * - 'linear-bt': LinearBradleyTerry on random Fourier features with signal variance 1, so that with
 *   λ = 1 the prior reward has unit scale;
 * - 'neural-bt': a NeuralBradleyTerry ensemble retrained (warm start) every `retrainEvery` labels;
 * - 'bt-laplace': the Laplace Bradley–Terry model; its feature map (raw, random Fourier or both) is
 *   chosen from the labels by penalised evidence (AutoBradleyTerry) unless `featureMap` names one;
 * - 'preferential-gp': the Laplace preferential GP (campaigns of up to a few thousand labels).
 * Hyperparameters are learned from the labels (type-II maximum likelihood with weak priors) for the
 * exact GP, the Laplace Bradley–Terry model and the preferential GP; the median heuristic is only
 * their starting point (`learnHyperparameters: false` keeps it fixed).
 */
import type { FeatureMatrix } from '@borda/numeric';
import {
  type ArmScoringOptions,
  AutoBradleyTerry,
  BordaGP,
  type BtFeatureMapKind,
  LaplaceBradleyTerry,
  LinearBradleyTerry,
  LowRankBorda,
  type ModelKind,
  NeuralBradleyTerry,
  type PairObservation,
  PreferentialGP,
  type PreferenceModel,
  RandomFourierFeatures,
  activeBackend,
  initTensorflow,
} from '@borda/reward-model';

export interface NeuralModelOptions {
  /** Ensemble members (default 3). */
  readonly members?: number;
  /** Hidden layer widths (default [32, 32]). */
  readonly hiddenUnits?: readonly number[];
  /** Epochs of the first fit (default 60; early stopping usually ends it sooner). */
  readonly epochs?: number;
  /** Epochs of each warm-started retrain (default 5). */
  readonly updateEpochs?: number;
  /**
   * Labels `absorb` collects before it retrains (default 25): each retrain costs seconds, not
   * microseconds. `fit`/`update` on the model itself always train at once.
   */
  readonly retrainEvery?: number;
}

export interface ModelFactoryOptions {
  /** RBF lengthscale (default: the median pairwise distance of the features). */
  readonly lengthscale?: number;
  /** Random Fourier features D (default per kind: DEFAULT_RANDOM_FEATURES). */
  readonly randomFeatures?: number;
  /** L2 regularisation λ of the linear Bradley–Terry model (default 1). */
  readonly regularization?: number;
  /** Signal variance of the Borda models' kernel (default: BordaGP's / RFF's own, 0.0625). */
  readonly signalVariance?: number;
  /** Label noise variance of the Borda models (default: their own, 0.25). */
  readonly noiseVariance?: number;
  /** BordaGP only: track the candidate matrix from the start (default false). */
  readonly trackCandidates?: boolean;
  /** BordaGP only: most doubles its tracked cache may hold (default: BordaGP's, 2²⁴). */
  readonly trackingBudget?: number;
  readonly neural?: NeuralModelOptions;
  /** Learn hyperparameters from the labels (exact GP, bt-laplace, preferential GP; default true). */
  readonly learnHyperparameters?: boolean;
  /** bt-laplace's feature map, or 'auto' (default): chosen from the labels by penalised evidence. */
  readonly featureMap?: BtFeatureMapKind | 'auto';
  /** Per-dimension lengthscales of the exact GP and the preferential GP (ARD; overrides `lengthscale`). */
  readonly lengthscales?: readonly number[];
  /** bt-laplace's prior precision, one per block of its feature map (the linear block first). */
  readonly priorPrecision?: readonly number[];
  /**
   * How the low-rank Borda and Laplace Bradley–Terry models score many arms: 'float64' (JS loops,
   * exact) or 'float32' (TensorFlow.js chunks on the fastest backend this machine has, ~10× faster).
   * Default: float32 from LARGE_CANDIDATE_SET arms, float64 below. A setting of the model, decided by
   * the candidate set, never by what else the process ran before (see numericPrecision).
   */
  readonly precision?: NumericPrecision;
}

export type NumericPrecision = 'float64' | 'float32';

/** Arms from which the default precision is float32: a float64 scoring pass there takes seconds. */
export const LARGE_CANDIDATE_SET = 50_000;

/** The precision a model over `features` computes in: the option, else by the size of the set. */
export function numericPrecision(
  features: FeatureMatrix,
  options: Pick<ModelFactoryOptions, 'precision'> = {},
): NumericPrecision {
  return options.precision ?? (features.rows >= LARGE_CANDIDATE_SET ? 'float32' : 'float64');
}

/**
 * The scoring path of a precision. float32 needs the tensor backend initialised first: without it,
 * whether scoring ran in float32 would depend on whether an earlier job in the process had loaded it.
 */
async function scoringFor(precision: NumericPrecision): Promise<ArmScoringOptions> {
  if (precision === 'float32') {
    await initTensorflow();
    return { path: 'tensor' };
  }
  return { path: 'js' };
}

const numbers = (value: unknown): number[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v)) ? value : undefined;
const number = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * Options that rebuild `model`'s family with the hyperparameters it learned held fixed (and its
 * feature map, for bt-laplace). A fit job learns them once, on its training split, and reuses them
 * for the other models it fits (the published one, the yardstick's baselines): every fit of the job
 * then costs one Newton or Cholesky solve instead of another evidence search, and the models it
 * compares share their hyperparameters. Empty for a model that learned nothing.
 */
export function frozenOptions(model: PreferenceModel): Partial<ModelFactoryOptions> {
  const hp = modelHyperparameters(model) as Record<string, unknown> | undefined;
  if (!hp) return {};
  switch (model.kind) {
    case 'borda-gp':
      return {
        lengthscales: numbers(hp.lengthscales),
        signalVariance: number(hp.signalVariance),
        noiseVariance: number(hp.noiseVariance),
        learnHyperparameters: false,
      };
    case 'preferential-gp':
      return {
        lengthscales: numbers(hp.lengthscales),
        signalVariance: number(hp.signalVariance),
        learnHyperparameters: false,
      };
    case 'bt-laplace': {
      const precisions = [number(hp.linearPrecision), number(hp.rffPrecision)].filter((v) => v !== undefined);
      return {
        featureMap: hp.featureMap as BtFeatureMapKind,
        lengthscale: number(hp.lengthscale),
        priorPrecision: precisions,
        learnHyperparameters: false,
      };
    }
    default:
      return {};
  }
}

/**
 * Random Fourier features per kind. The low-rank Borda model stands in for the exact GP on large
 * campaigns and gets the richer map; the linear Bradley–Terry model refits its Newton system on
 * every update (O(D³)), so it gets the cheaper one.
 */
export const DEFAULT_RANDOM_FEATURES = { 'low-rank-borda': 128, 'linear-bt': 64 } as const;
export const DEFAULT_NEURAL_RETRAIN_EVERY = 25;
/** Labels the exact GP's hyperparameter search evaluates the evidence on (an evenly spaced subset). */
export const GP_EVIDENCE_POINTS = 128;

/** What the factory resolved: reported with every simulation run and model version. */
export interface ModelChoice {
  readonly kind: ModelKind;
  readonly lengthscale: number;
  /** D of the random Fourier feature map (absent for kinds without one). */
  readonly randomFeatures?: number;
  /** The model's own `hyperparameters` getter, when it has one (learned hyperparameters). */
  readonly hyperparameters?: unknown;
}

/** A model plus how a learner feeds it. */
export interface CreatedPreferenceModel {
  readonly model: PreferenceModel;
  readonly kind: ModelKind;
  readonly lengthscale: number;
  readonly randomFeatures?: number;
  /** Absorbs new labels (`model.update`, or buffered retrains for the neural model). */
  absorb(observations: readonly PairObservation[]): void | Promise<void>;
  /** Called before the posterior mean is read for a policy; `final` after the last label. */
  beforePolicy?(final: boolean): void | Promise<void>;
  /** The TensorFlow.js backend a neural model trains on. */
  readonly tensorflowBackend?: string;
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

/** The model's learned hyperparameters, when it exposes a `hyperparameters` getter. */
export function modelHyperparameters(model: PreferenceModel): unknown {
  const value = (model as { readonly hyperparameters?: unknown }).hyperparameters;
  return value === undefined || typeof value === 'function' ? undefined : value;
}

/** The kind, lengthscale, feature count and learned hyperparameters of a created model. */
export function modelChoice(created: CreatedPreferenceModel): ModelChoice {
  const hyperparameters = modelHyperparameters(created.model);
  return {
    kind: created.model.kind,
    lengthscale: created.lengthscale,
    ...(created.randomFeatures !== undefined ? { randomFeatures: created.randomFeatures } : {}),
    ...(hyperparameters !== undefined ? { hyperparameters } : {}),
  };
}

const plain = (model: PreferenceModel) => ({
  absorb: (observations: readonly PairObservation[]) => model.update(observations),
});

/** A fresh (prior) model of `kind` for rows of `features`' width; `seed` drives its random maps. */
export async function createPreferenceModel(
  kind: ModelKind,
  features: FeatureMatrix,
  options: ModelFactoryOptions = {},
  seed = 0,
): Promise<CreatedPreferenceModel> {
  const dimension = features.cols;
  const lengthscale = options.lengthscale ?? medianDistance(features);
  const unsignedSeed = seed >>> 0;
  const scoring =
    kind === 'low-rank-borda' || kind === 'bt-laplace'
      ? await scoringFor(numericPrecision(features, options))
      : undefined;
  switch (kind) {
    case 'borda-gp': {
      const model = new BordaGP({
        dimension,
        lengthscale,
        lengthscales: options.lengthscales,
        signalVariance: options.signalVariance,
        noiseVariance: options.noiseVariance,
        trackingBudget: options.trackingBudget,
        // Evidence on an evenly spaced subset of at most 128 labels: each evaluation is O(n³), and at
        // 300 labels of 300-dimensional joint features the full 256-point search took ~10 s per fit.
        learnHyperparameters: (options.learnHyperparameters ?? true) && { maxPoints: GP_EVIDENCE_POINTS },
      });
      if (options.trackCandidates) model.track(features);
      return { model, kind, lengthscale, ...plain(model) };
    }
    case 'low-rank-borda': {
      const randomFeatures = options.randomFeatures ?? DEFAULT_RANDOM_FEATURES[kind];
      const featureMap = new RandomFourierFeatures({
        inputDimension: dimension,
        features: randomFeatures,
        lengthscale,
        signalVariance: options.signalVariance,
        seed: unsignedSeed,
      });
      const model = new LowRankBorda({ dimension, featureMap, noiseVariance: options.noiseVariance, scoring });
      return { model, kind, lengthscale, randomFeatures, ...plain(model) };
    }
    case 'linear-bt': {
      const randomFeatures = options.randomFeatures ?? DEFAULT_RANDOM_FEATURES[kind];
      const featureMap = new RandomFourierFeatures({
        inputDimension: dimension,
        features: randomFeatures,
        lengthscale,
        signalVariance: 1,
        seed: unsignedSeed,
      });
      const model = new LinearBradleyTerry({ dimension, featureMap, regularization: options.regularization ?? 1 });
      return { model, kind, lengthscale, randomFeatures, ...plain(model) };
    }
    case 'neural-bt':
      return neuralModel(dimension, lengthscale, options.neural ?? {}, unsignedSeed);
    case 'bt-laplace': {
      const common = {
        dimension,
        seed: unsignedSeed,
        lengthscale: options.lengthscale,
        rffFeatures: options.randomFeatures,
        priorPrecision: options.priorPrecision,
        learnHyperparameters: options.learnHyperparameters ?? true,
        // The candidate rows fix the standardisation and the median heuristic for every map.
        reference: features,
        scoring,
      };
      const featureMap = options.featureMap ?? 'auto';
      const model =
        featureMap === 'auto' ? new AutoBradleyTerry(common) : new LaplaceBradleyTerry({ ...common, featureMap });
      return { model, kind, lengthscale, ...plain(model) };
    }
    case 'preferential-gp': {
      const model = new PreferentialGP({
        dimension,
        lengthscale,
        lengthscales: options.lengthscales,
        signalVariance: options.signalVariance,
        learnHyperparameters: options.learnHyperparameters ?? true,
      });
      return { model, kind, lengthscale, ...plain(model) };
    }
    default:
      throw new RangeError(`model kind '${String(kind)}' is not built by this factory`);
  }
}

/**
 * The neural model is retrained (warm start, `updateEpochs` over every pair so far) only every
 * `retrainEvery` absorbed labels, and selection in between uses the last trained network; a policy
 * read after the last label sees everything trained.
 */
async function neuralModel(
  dimension: number,
  lengthscale: number,
  o: NeuralModelOptions,
  seed: number,
): Promise<CreatedPreferenceModel> {
  await initTensorflow();
  const model = new NeuralBradleyTerry({
    dimension,
    members: o.members ?? 3,
    hiddenUnits: o.hiddenUnits ?? [32, 32],
    epochs: o.epochs ?? 60,
    updateEpochs: o.updateEpochs ?? 5,
    seed,
  });
  const every = o.retrainEvery ?? DEFAULT_NEURAL_RETRAIN_EVERY;
  let pending: PairObservation[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    model.update(pending);
    pending = [];
  };
  return {
    model,
    kind: 'neural-bt',
    lengthscale,
    tensorflowBackend: activeBackend(),
    absorb: (observations) => {
      pending.push(...observations);
      if (pending.length >= every) flush();
    },
    beforePolicy: (final) => {
      if (final) flush();
    },
  };
}
