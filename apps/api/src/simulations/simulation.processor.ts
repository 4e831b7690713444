/**
 * Runs a simulation's (strategy, seed) runs one after another on a worker thread (the simulator's
 * pool, one thread), then stores the simulator's per-strategy summaries. The thread keeps this process's
 * event loop free: a long simulation must not hold up the campaign jobs (buffer refills, fits) that
 * share the worker process. Progress = labels done over all runs.
 */
import { Processor } from '@nestjs/bullmq';
import type { CreateSimulationRequest, SimulationResultView } from '@borda/api-contract';
import {
  ConfigError,
  buildSimulationTasks,
  createEnvironment,
  defaultEpsilon,
  rewardRange,
  runSimulationTasks,
  summariseRuns,
  validateSimulationConfig,
} from '@borda/simulator';
import { type Job, UnrecoverableError } from 'bullmq';
import { JOB_CONCURRENCY, JobName, type JobPayload } from '../jobs/job-names';
import { JobRunsRepository } from '../jobs/job-runs.repository';
import { type ProgressReporter, TrackedProcessor } from '../workers/tracked-processor';
import { SimulationsRepository } from './simulations.repository';

@Processor(JobName.SimulationRun, { concurrency: JOB_CONCURRENCY[JobName.SimulationRun] })
export class SimulationRunProcessor extends TrackedProcessor<JobName.SimulationRun> {
  constructor(
    runs: JobRunsRepository,
    private readonly simulations: SimulationsRepository,
  ) {
    super(JobName.SimulationRun, runs);
  }

  protected async run(
    payload: JobPayload<JobName.SimulationRun>,
    progress: ProgressReporter,
    job: Job,
  ): Promise<object> {
    const row = await this.simulations.find(payload.simulationId);
    if (!row) throw new UnrecoverableError(`simulation ${payload.simulationId} does not exist`);
    await this.simulations.update(row.id, { state: 'running', progress: 0, error: null });
    try {
      const result = await this.simulate(row.id, row.config as unknown as CreateSimulationRequest, progress);
      await this.simulations.update(row.id, {
        state: 'completed',
        progress: 1,
        result: result as object,
        finishedAt: new Date(),
      });
      return { simulationId: row.id, runs: result.runs.length };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const bad = error instanceof ConfigError || error instanceof UnrecoverableError;
      const final = bad || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      // TrackedProcessor marks the job run; the simulation row mirrors it (queued again while a retry is pending).
      await this.simulations.update(
        row.id,
        final ? { state: 'failed', error: message, finishedAt: new Date() } : { state: 'queued', error: message },
      );
      throw bad && !(error instanceof UnrecoverableError) ? new UnrecoverableError(message) : error;
    }
  }

  private async simulate(
    id: string,
    config: CreateSimulationRequest,
    progress: ProgressReporter,
  ): Promise<SimulationResultView> {
    const started = performance.now();
    // A bad stored config fails here, as a ConfigError (never retried), not later inside the thread.
    validateSimulationConfig({ ...config, workers: 1 });
    const environment = createEnvironment(config.environment, {
      seed: config.environmentSeed,
      ...(config.gridSize !== undefined ? { gridSize: config.gridSize } : {}),
    });
    const epsilon = config.epsilon ?? defaultEpsilon(environment);
    let lastWrite = 0;
    // onProgress is synchronous, so writes are queued on one chain (awaited before returning): a
    // late progress write can never land after the final state.
    let writes = Promise.resolve();
    const report = (fraction: number) => {
      const now = Date.now();
      if (now - lastWrite < 1000 && fraction < 1) return;
      lastWrite = now;
      writes = writes
        .then(() => Promise.all([progress(fraction), this.simulations.update(id, { progress: fraction })]))
        .then(
          () => undefined,
          () => undefined,
        );
    };
    const tasks = buildSimulationTasks(config, 'env');
    const labelsDone = new Float64Array(tasks.length);
    const totalLabels = tasks.length * config.budget;
    const results = await runSimulationTasks({ env: environment }, tasks, {
      workers: 1,
      onProgress: (index, labels) => {
        labelsDone[index] = labels;
        report(labelsDone.reduce((a, b) => a + b, 0) / totalLabels);
      },
    });
    report(1);
    await writes;
    return {
      environment: {
        name: environment.name,
        prompts: environment.offsets.length - 1,
        responses: environment.features.rows,
        featureDimension: environment.features.cols,
        rewardRange: rewardRange(environment),
      },
      epsilon,
      strategies: summariseRuns(results, epsilon, config.budget),
      runs: results.map((r) => ({
        strategy: r.strategy,
        seed: r.seed,
        model: r.model,
        finalSubOptMax: r.curve.subOptMax[r.curve.subOptMax.length - 1],
        finalSubOptMean: r.curve.subOptMean[r.curve.subOptMean.length - 1],
        wallTimeMs: r.wallTimeMs,
      })),
      wallTimeMs: performance.now() - started,
    };
  }
}
