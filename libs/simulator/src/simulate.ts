/**
 * The regret simulation loop (algorithms.md §1): a strategy picks batches of queries with the
 * current model, Bradley–Terry labels are drawn from the environment's true reward, the model
 * absorbs them, and at checkpoints the greedy output policy (argmax of the posterior mean — the
 * same rule for every strategy) is scored by SubOpt_max and SubOpt_mean.
 *
 * Deterministic under `seed`: labels, selection and model randomness each draw from their own
 * fork of one Rng, so results do not depend on where (which worker thread) a run executes.
 */
import { Rng, row } from '@borda/numeric';
import type { PairObservation } from '@borda/reward-model';
import type { CandidateSet, StrategyName } from '@borda/dueling-bandit';
import { ConfigError } from './errors';
import { drawPreference } from './labels';
import { type RegretCurve, bestRewards, suboptimality } from './metrics';
import { type ModelChoice, modelChoice } from './model-factory';
import { type SimulationModelOptions, createSimulationModel } from './models';
import { type SimulationStrategyOptions, STRATEGY_NAMES, createStrategy, outputPolicy } from './strategies';
import type { Environment } from './types';
import { validateEnvironment } from './environments/validate';

export interface SimulationOptions {
  readonly environment: Environment;
  readonly strategy: string;
  /** Strategy options (β, posterior samples, pool factor…); each strategy reads the fields it uses. */
  readonly strategyOptions?: SimulationStrategyOptions;
  /** Labels to collect. */
  readonly budget: number;
  /** Queries per round (default 1); the last round may be smaller so the budget is met exactly. */
  readonly batchSize?: number;
  /** Seed of the run (default 1). */
  readonly seed?: number;
  readonly model?: SimulationModelOptions;
  /** Labels between policy evaluations (default max(batchSize, 10)); 0 labels and the budget are always recorded. */
  readonly checkpointEvery?: number;
  /** Called after each round with the labels collected so far. */
  readonly onProgress?: (labelsDone: number) => void;
}

export interface SimulationResult {
  readonly strategy: string;
  readonly seed: number;
  readonly budget: number;
  readonly batchSize: number;
  /** The model family the run used. */
  readonly modelKind: string;
  /** The model the run ended with: kind, lengthscale, random features, learned hyperparameters. */
  readonly model: ModelChoice;
  readonly curve: RegretCurve;
  /** Output policy after the whole budget: a response index per prompt. */
  readonly finalPolicy: number[];
  /** Wall time of the run in milliseconds (the only field that is not deterministic). */
  readonly wallTimeMs: number;
  /** The TensorFlow.js backend a neural model trained on (absent for the other models). */
  readonly tensorflowBackend?: string;
}

function checkOptions(options: SimulationOptions): { batchSize: number; checkpointEvery: number; seed: number } {
  const { budget, strategy } = options;
  const batchSize = options.batchSize ?? 1;
  const seed = options.seed ?? 1;
  if (!(STRATEGY_NAMES as readonly string[]).includes(strategy)) {
    throw new ConfigError(`unknown strategy '${strategy}'; valid names: ${STRATEGY_NAMES.join(', ')}`);
  }
  if (!Number.isInteger(budget) || budget < 1)
    throw new ConfigError(`budget must be a positive integer, got ${budget}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ConfigError(`batch size must be a positive integer, got ${batchSize}`);
  }
  if (budget < batchSize) throw new ConfigError(`budget (${budget}) is smaller than the batch size (${batchSize})`);
  if (!Number.isFinite(seed)) throw new ConfigError(`seed must be a finite number, got ${seed}`);
  const beta = options.strategyOptions?.beta;
  if (beta !== undefined && !(beta > 0 && Number.isFinite(beta)))
    throw new ConfigError(`beta must be a positive number, got ${beta}`);
  const checkpointEvery = options.checkpointEvery ?? Math.max(batchSize, 10);
  if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1) {
    throw new ConfigError(`checkpoint interval must be a positive integer, got ${checkpointEvery}`);
  }
  return { batchSize, checkpointEvery, seed };
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const started = performance.now();
  const { batchSize, checkpointEvery, seed } = checkOptions(options);
  const env = validateEnvironment(options.environment);
  const name = options.strategy as StrategyName;
  const root = new Rng(seed);
  const labelRng = root.fork(1);
  const strategyRng = root.fork(2);
  const candidates: CandidateSet = { features: env.features, offsets: env.offsets };
  const strategy = createStrategy(name, options.strategyOptions);
  // The strategy instance's kind honours a `modelKind` strategy option (uniform on linear-bt, say).
  const handle = await createSimulationModel(strategy.modelKind, env, options.model, root.fork(3), {
    batchSize,
    budget: options.budget,
  });
  const best = bestRewards(env);
  const curve = { labels: [] as number[], subOptMax: [] as number[], subOptMean: [] as number[] };
  let policy: number[] = [];
  const record = (labels: number) => {
    policy = Array.from(outputPolicy(handle.model, candidates));
    const s = suboptimality(env, policy, best);
    curve.labels.push(labels);
    curve.subOptMax.push(s.max);
    curve.subOptMean.push(s.mean);
  };

  record(0);
  let done = 0;
  let nextCheckpoint = checkpointEvery;
  while (done < options.budget) {
    const size = Math.min(batchSize, options.budget - done);
    const queries = strategy.select({ candidates, model: handle.model, batchSize: size, rng: strategyRng });
    if (queries.length === 0) throw new Error(`${name} selected no query at ${done} labels`);
    const observations: PairObservation[] = queries.slice(0, size).map((q) => {
      const o = env.offsets[q.prompt];
      return {
        first: row(env.features, o + q.first),
        second: row(env.features, o + q.second),
        outcome: drawPreference(env, q.prompt, q.first, q.second, labelRng),
      };
    });
    await handle.absorb(observations);
    done += observations.length;
    options.onProgress?.(done);
    if (done >= nextCheckpoint || done === options.budget) {
      await handle.beforePolicy?.(done === options.budget);
      record(done);
      while (nextCheckpoint <= done) nextCheckpoint += checkpointEvery;
    }
  }
  return {
    strategy: name,
    seed,
    budget: options.budget,
    batchSize,
    modelKind: handle.model.kind,
    model: modelChoice(handle),
    curve,
    finalPolicy: policy,
    wallTimeMs: performance.now() - started,
    ...(handle.tensorflowBackend !== undefined ? { tensorflowBackend: handle.tensorflowBackend } : {}),
  };
}
