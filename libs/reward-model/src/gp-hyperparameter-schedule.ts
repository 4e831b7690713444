/**
 * When and how BordaGP re-learns its hyperparameters on its own (option `learnHyperparameters`).
 *
 * MAP-II costs O(n³) per evaluation, so it cannot run at every label; between re-learnings the model
 * keeps its O(n²)-per-label appends at fixed hyperparameters. Re-learning whenever the label count has
 * grown by a constant factor (default ×1.25) costs O(log n) learnings over a campaign, and the
 * hyperparameters still follow the data while it is scarce, which is when they move most.
 *
 * Learning always starts from the initial values (and centres the hyperpriors on them), never from the
 * previous result, so what is learned depends only on the observations: a model that absorbed labels
 * one batch at a time and one fitted on all of them agree whenever they re-learned at the same count.
 */
import {
  HyperparameterFitOptions,
  HyperparameterFitResult,
  Hyperparameters,
  GpData,
  fitGpHyperparameters,
} from './gp-hyperparameters';
import { KernelName, KernelParams, ardKernel } from './kernels';

export interface LearnHyperparametersOptions extends HyperparameterFitOptions {
  /** Re-learn in `update()` once the observation count has grown by this factor since the last time (default 1.25). */
  readonly growth?: number;
  /** Re-learn after this many new observations instead (overrides `growth`). */
  readonly every?: number;
  /** Fewest observations to learn from (default 3); below it the initial values are used. */
  readonly minObservations?: number;
}

/** The learning schedule and search options, checked and with `true` turned into `{}`. */
export function resolveLearnOptions(
  value: boolean | LearnHyperparametersOptions | undefined,
  where: string,
): LearnHyperparametersOptions | false {
  if (value === undefined || value === false) return false;
  if (value === true) return {};
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`${where}.learnHyperparameters must be a boolean or an options object`);
  }
  if (value.growth !== undefined && !(Number.isFinite(value.growth) && value.growth > 1)) {
    throw new RangeError(`${where}.learnHyperparameters.growth must be a finite number > 1, got ${value.growth}`);
  }
  if (value.every !== undefined && !(Number.isInteger(value.every) && value.every >= 1)) {
    throw new RangeError(`${where}.learnHyperparameters.every must be a positive integer, got ${value.every}`);
  }
  const min = value.minObservations;
  if (min !== undefined && !(Number.isInteger(min) && min >= 2)) {
    throw new RangeError(`${where}.learnHyperparameters.minObservations must be an integer ≥ 2, got ${min}`);
  }
  return { ...value };
}

/** Whether a model that last learned at `learnedAt` observations (null: never) should learn at `count`. */
export function isRelearnDue(options: LearnHyperparametersOptions, learnedAt: number | null, count: number): boolean {
  if (count < (options.minObservations ?? 3)) return false;
  if (learnedAt === null) return true;
  if (options.every !== undefined) return count - learnedAt >= options.every;
  return count >= learnedAt * (options.growth ?? 1.25);
}

/** Rows and outcomes packed as the evidence wants them. */
export function packGpData(
  firsts: readonly ArrayLike<number>[],
  outcomes: ArrayLike<number>,
  dimension: number,
  priorMean: number,
): GpData {
  const inputs = new Float64Array(firsts.length * dimension);
  for (let i = 0; i < firsts.length; i++) {
    for (let k = 0; k < dimension; k++) inputs[i * dimension + k] = firsts[i][k];
  }
  return { inputs, outcomes: Float64Array.from(outcomes), count: firsts.length, dimension, priorMean };
}

export interface LearnedHyperparameters {
  readonly kernel: KernelParams;
  readonly noiseVariance: number;
  readonly result: HyperparameterFitResult;
}

/** MAP-II from `start`, with the hyperpriors centred on `initial` unless the options say otherwise. */
export function learnGpHyperparameters(
  data: GpData,
  kernelName: KernelName,
  start: Hyperparameters,
  initial: Hyperparameters,
  options: HyperparameterFitOptions,
): LearnedHyperparameters {
  const priors =
    options.priors === false
      ? false
      : {
          lengthscale: initial.lengthscale,
          signalVariance: initial.signalVariance,
          noiseVariance: initial.noiseVariance,
          ...options.priors,
        };
  const result = fitGpHyperparameters(data, kernelName, start, { ...options, priors });
  const kernel = result.lengthscales
    ? ardKernel(kernelName, result.lengthscales, result.signalVariance)
    : { name: kernelName, lengthscale: result.lengthscale, signalVariance: result.signalVariance };
  return { kernel, noiseVariance: result.noiseVariance, result };
}
