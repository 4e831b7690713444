/**
 * `borda simulate`: validate everything, load the environment, run every (strategy, seed) on the
 * worker pool with a progress bar, then write results.json, curves.csv and regret.svg and print
 * the summary table. Bad input is refused before any run starts.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import {
  ConfigError,
  type Environment,
  type ResolvedSimulationConfig,
  type SimulationConfig,
  buildSimulationTasks,
  defaultEpsilon,
  defaultWorkerCount,
  loadEnvironment,
  rewardRange,
  runSimulationTasks,
  summariseRuns,
  validateSimulationConfig,
} from '@borda/simulator';
import { summaryTable, writeReport } from './report';

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
}

export interface SimulateCommandOptions extends SimulationConfig {
  readonly out: string;
  readonly quiet?: boolean;
}

/** Thrown for input refused before work starts (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function environmentInfo(env: Environment, spec: string, epsilon: number): Record<string, unknown> {
  return {
    spec,
    name: env.name,
    description: env.description ?? null,
    prompts: env.offsets.length - 1,
    responses: env.features.rows,
    featureDimension: env.features.cols,
    rewardRange: rewardRange(env),
    lengthscale: env.lengthscale ?? null,
    epsilon,
  };
}

/** Everything that can be refused before work starts: the config, the environment, the output folder. */
export async function prepareSimulation(options: SimulateCommandOptions, io: Io) {
  let config: ResolvedSimulationConfig;
  let environment: Environment;
  try {
    config = validateSimulationConfig(options, io.cwd);
    environment = await loadEnvironment(config.environment, {
      cwd: io.cwd,
      seed: config.environmentSeed,
      ...(config.gridSize !== undefined ? { gridSize: config.gridSize } : {}),
    });
  } catch (e) {
    if (e instanceof ConfigError || e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  const out = resolve(io.cwd, options.out);
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new UsageError(
      `cannot create the output folder '${options.out}' (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  return { config, environment, out };
}

export async function simulateCommand(options: SimulateCommandOptions, io: Io): Promise<void> {
  const { config, environment, out } = await prepareSimulation(options, io);
  const epsilon = config.epsilon ?? defaultEpsilon(environment);
  const tasks = buildSimulationTasks(config, 'env');
  const workers = config.workers ?? defaultWorkerCount();
  const started = performance.now();

  const bar = options.quiet
    ? null
    : new SingleBar({
        stream: io.stderr,
        format:
          'simulate [{bar}] {percentage}% | {value}/{total} labels | {runs}/{totalRuns} runs | ETA {eta_formatted}',
        hideCursor: true,
      });
  const done = new Array<number>(tasks.length).fill(0);
  let labels = 0;
  let runsDone = 0;
  bar?.start(tasks.length * config.budget, 0, { runs: 0, totalRuns: tasks.length });
  const results = await runSimulationTasks({ env: environment }, tasks, {
    workers,
    onProgress: (index, labelsDone) => {
      labels += labelsDone - done[index];
      done[index] = labelsDone;
      if (labelsDone === config.budget) runsDone++;
      bar?.update(labels, { runs: runsDone });
    },
  }).finally(() => bar?.stop());
  const wallTimeMs = performance.now() - started;

  const summaries = summariseRuns(results, epsilon, config.budget);
  const files = await writeReport(
    out,
    {
      config: { ...config, workers },
      environment: environmentInfo(environment, config.environment, epsilon),
      epsilon,
      results,
      summaries,
      wallTimeMs,
    },
    `${environment.name}: ${config.seeds} seeds, budget ${config.budget}, batch ${config.batchSize}`,
  );
  if (!options.quiet) {
    io.stdout.write(
      `${environment.name}: ${environment.offsets.length - 1} prompts, ${environment.features.rows} responses; ` +
        `${tasks.length} runs on ${Math.min(workers, tasks.length)} worker(s) in ${(wallTimeMs / 1000).toFixed(1)} s\n`,
    );
  }
  io.stdout.write(`${summaryTable(summaries, epsilon)}\n`);
  const backends = [...new Set(results.flatMap((r) => (r.tensorflowBackend ? [r.tensorflowBackend] : [])))];
  if (backends.length > 0) io.stdout.write(`TensorFlow.js backend of the neural model: ${backends.join(', ')}\n`);
  if (!options.quiet) io.stdout.write(`wrote ${files.results}, ${files.curves}, ${files.chart}\n`);
}
