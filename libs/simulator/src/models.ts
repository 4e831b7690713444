/**
 * The model a simulation run uses: `createPreferenceModel` (model-factory.ts, the factory the
 * campaign service uses too) with the simulator's choices on top —
 * - the lengthscale defaults to the environment's hint, else the median pairwise distance;
 * - the exact GP tracks the environment's candidate matrix from the start (predicted every round);
 * - option `lowRank` swaps LowRankBorda in for the exact GP on large environments;
 * - the neural model retrains every max(batchSize, 25) labels.
 */
import type { Rng } from '@borda/numeric';
import type { ModelKind } from '@borda/reward-model';
import {
  type CreatedPreferenceModel,
  DEFAULT_NEURAL_RETRAIN_EVERY,
  type ModelFactoryOptions,
  createPreferenceModel,
  medianDistance,
} from './model-factory';
import type { Environment } from './types';

export interface SimulationModelOptions extends Omit<ModelFactoryOptions, 'trackCandidates' | 'trackingBudget'> {
  /** Use LowRankBorda on random Fourier features instead of the exact GP for Borda strategies (default false). */
  readonly lowRank?: boolean;
}

/** A created model plus how the simulation feeds it (the factory's result). */
export type SimulationModel = CreatedPreferenceModel;

export function modelLengthscale(env: Environment, options: SimulationModelOptions = {}): number {
  return options.lengthscale ?? env.lengthscale ?? medianDistance(env.features);
}

/** The concrete kind a run with model options `options` uses for a strategy of model kind `kind`. */
export function simulationModelKind(kind: ModelKind, options: SimulationModelOptions = {}): ModelKind {
  return options.lowRank && kind === 'borda-gp' ? 'low-rank-borda' : kind;
}

/** BordaGP's default cache size, and the most the simulator lets one run's cache grow to (1 GiB). */
const DEFAULT_TRACKING_BUDGET = 2 ** 24;
const MAX_TRACKING_BUDGET = 2 ** 27;

/**
 * The exact GP's tracked cache holds one row of m doubles per label. On LLM-sized environments
 * (10⁵ arms) the default budget covers only ~170 labels, after which every predict costs
 * O(n²·m); the simulator knows its budget, so it sizes the cache for the whole run (up to 1 GiB).
 */
function trackingBudget(env: Environment, labels: number): number | undefined {
  const needed = env.features.rows * (labels + 1);
  return needed > DEFAULT_TRACKING_BUDGET ? Math.min(needed, MAX_TRACKING_BUDGET) : undefined;
}

export interface SimulationRunShape {
  /** Queries per round (default 1). */
  readonly batchSize?: number;
  /** Labels the run will collect (default: unknown, BordaGP's default cache). */
  readonly budget?: number;
}

/** The model for a strategy of model kind `kind` on `env`; its seed is one draw of `rng`. */
export function createSimulationModel(
  kind: ModelKind,
  env: Environment,
  options: SimulationModelOptions = {},
  rng: Rng,
  run: SimulationRunShape = {},
): Promise<SimulationModel> {
  const batchSize = run.batchSize ?? 1;
  const { lowRank: _lowRank, ...factoryOptions } = options;
  return createPreferenceModel(
    simulationModelKind(kind, options),
    env.features,
    {
      ...factoryOptions,
      lengthscale: modelLengthscale(env, options),
      trackCandidates: true,
      trackingBudget: run.budget !== undefined ? trackingBudget(env, run.budget) : undefined,
      neural: {
        ...options.neural,
        retrainEvery: options.neural?.retrainEvery ?? Math.max(batchSize, DEFAULT_NEURAL_RETRAIN_EVERY),
      },
    },
    rng.nextUint32(),
  );
}
