/**
 * Checks a simulation request before any work starts, so a front end can refuse bad input with
 * one message that names every problem.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './errors';
import { ENVIRONMENT_NAMES, isEnvironmentName, isEnvironmentPath } from './environments/registry';
import { STRATEGY_NAMES } from './strategies';

export interface SimulationConfig {
  /** Built-in environment name, or a path to a .js/.cjs/.mjs module, .json data file or .jsonl prompts file. */
  readonly environment: string;
  /** Strategy names (default: all of STRATEGY_NAMES). */
  readonly strategies?: readonly string[];
  /** Labels per run. */
  readonly budget: number;
  /** Queries per round (default 1). */
  readonly batchSize?: number;
  /** Number of seeds per strategy (default 10). */
  readonly seeds?: number;
  /** First seed; runs use seedStart, seedStart + 1, … (default 1). */
  readonly seedStart?: number;
  /** Confidence width β (default: each strategy's own, 2). */
  readonly beta?: number;
  /** ε of labels-to-ε (default 5% of the reward range). */
  readonly epsilon?: number;
  /** Labels between checkpoints (default max(batchSize, 10)). */
  readonly checkpointEvery?: number;
  /** Worker threads (default: CPU count). */
  readonly workers?: number;
  /** Grid points per axis for the grid environments (2–200). */
  readonly gridSize?: number;
  /** Seed of the environment's own randomness (default 1). */
  readonly environmentSeed?: number;
  /** Borda strategies run on LowRankBorda (random Fourier features) instead of the exact GP (default false). */
  readonly lowRank?: boolean;
}

export interface ResolvedSimulationConfig extends Required<
  Omit<SimulationConfig, 'beta' | 'epsilon' | 'gridSize' | 'workers'>
> {
  readonly beta?: number;
  readonly epsilon?: number;
  readonly gridSize?: number;
  readonly workers?: number;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Returns the config with defaults filled in, or throws a ConfigError naming every problem. */
export function validateSimulationConfig(config: SimulationConfig, cwd = process.cwd()): ResolvedSimulationConfig {
  const problems: string[] = [];
  const env = config.environment;
  if (typeof env !== 'string' || env.trim() === '') {
    problems.push(`environment is required; valid names: ${ENVIRONMENT_NAMES.join(', ')} (or a .js/.json/.jsonl path)`);
  } else if (isEnvironmentPath(env)) {
    if (!existsSync(resolve(cwd, env))) problems.push(`environment file '${env}' does not exist`);
  } else if (!isEnvironmentName(env)) {
    problems.push(
      `unknown environment '${env}'; valid names: ${ENVIRONMENT_NAMES.join(', ')} (or a path to a .js/.cjs/.mjs module, .json data file or .jsonl prompts file)`,
    );
  }
  const strategies = config.strategies ?? STRATEGY_NAMES;
  if (strategies.length === 0) problems.push(`no strategies given; valid names: ${STRATEGY_NAMES.join(', ')}`);
  const unknown = strategies.filter((s) => !(STRATEGY_NAMES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    problems.push(
      `unknown strategy ${unknown.map((s) => `'${s}'`).join(', ')}; valid names: ${STRATEGY_NAMES.join(', ')}`,
    );
  }
  const duplicates = strategies.filter((s, i) => strategies.indexOf(s) !== i);
  if (duplicates.length > 0) problems.push(`strategy ${duplicates.map((s) => `'${s}'`).join(', ')} is listed twice`);

  const batchSize = config.batchSize ?? 1;
  const budget = config.budget;
  if (!isInt(budget) || budget < 1) problems.push(`budget must be a positive integer, got ${budget}`);
  if (!isInt(batchSize) || batchSize < 1) problems.push(`batch size must be a positive integer, got ${batchSize}`);
  else if (isInt(budget) && budget < batchSize) {
    problems.push(`budget (${budget}) is smaller than the batch size (${batchSize})`);
  }
  const seeds = config.seeds ?? 10;
  if (!isInt(seeds) || seeds < 1) problems.push(`seeds must be a positive integer (a count), got ${seeds}`);
  const seedStart = config.seedStart ?? 1;
  if (!isInt(seedStart) || seedStart < 0) problems.push(`seed start must be a non-negative integer, got ${seedStart}`);
  if (config.beta !== undefined && !(Number.isFinite(config.beta) && config.beta > 0)) {
    problems.push(`beta must be a positive number, got ${config.beta}`);
  }
  if (config.epsilon !== undefined && !(Number.isFinite(config.epsilon) && config.epsilon > 0)) {
    problems.push(`epsilon must be a positive number, got ${config.epsilon}`);
  }
  const checkpointEvery = config.checkpointEvery ?? Math.max(isInt(batchSize) ? batchSize : 1, 10);
  if (!isInt(checkpointEvery) || checkpointEvery < 1) {
    problems.push(`checkpoint interval must be a positive integer, got ${checkpointEvery}`);
  }
  if (config.workers !== undefined && (!isInt(config.workers) || config.workers < 1)) {
    problems.push(`workers must be a positive integer, got ${config.workers}`);
  }
  if (config.gridSize !== undefined && (!isInt(config.gridSize) || config.gridSize < 2 || config.gridSize > 200)) {
    problems.push(`grid size must be an integer in [2, 200], got ${config.gridSize}`);
  }
  const environmentSeed = config.environmentSeed ?? 1;
  if (!isInt(environmentSeed)) problems.push(`environment seed must be an integer, got ${environmentSeed}`);
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return {
    ...config,
    environment: env,
    strategies: [...strategies],
    budget,
    batchSize,
    seeds,
    seedStart,
    checkpointEvery,
    environmentSeed,
    lowRank: config.lowRank ?? false,
  };
}
