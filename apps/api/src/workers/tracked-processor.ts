/**
 * The base of every processor: mirrors the BullMQ job in its JobRun row (active, progress,
 * completed, failed with the error once no retry is left) and validates the payload, so a
 * processor only writes `run`.
 */
import { WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, Optional } from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { JOB_PAYLOADS, type JobData, type JobName, type JobPayload } from '../jobs/job-names';
import type { JobRunsRepository } from '../jobs/job-runs.repository';
import { CampaignDataError } from '../learning/campaign-data-error';
import { WorkerMetrics } from './worker-metrics';

/** How long a job whose failure could not be recorded waits before it runs again. */
const MARK_RETRY_MS = 2_000;

/** How long a successor waits before it looks again whether the active run of its key has finished. */
const SUCCESSOR_WAIT_MS = 1_000;

/** Reports progress in [0, 1]; writes at most every 500 ms (and always the final 1). */
export type ProgressReporter = (fraction: number) => Promise<void>;

export abstract class TrackedProcessor<N extends JobName> extends WorkerHost {
  protected readonly logger: Logger;
  /** This process's job counters (served on WORKER_HEALTH_PORT); a property so subclasses need not pass it. */
  @Optional() @Inject(WorkerMetrics) private readonly workerMetrics?: WorkerMetrics;

  protected constructor(
    protected readonly name: N,
    protected readonly runs: JobRunsRepository,
  ) {
    super();
    this.logger = new Logger(name);
  }

  /** Does the work; the returned object is stored as the run's result. */
  protected abstract run(payload: JobPayload<N>, progress: ProgressReporter, job: Job): Promise<object>;

  async process(job: Job<JobData<N>>, token?: string): Promise<object> {
    const { jobRunId, ...rest } = job.data;
    const attempt = job.attemptsMade + 1;
    const parsed = JOB_PAYLOADS[this.name].safeParse(rest);
    if (!parsed.success) {
      await this.runs.fail(jobRunId, `invalid payload: ${parsed.error.message}`, attempt, true).catch(() => undefined);
      throw new UnrecoverableError(`invalid ${this.name} payload: ${parsed.error.message}`);
    }
    const finished = this.workerMetrics?.started(this.name);
    if (!(await this.runs.markActive(jobRunId, attempt))) {
      finished?.('deferred');
      // A run of the same key is still active (this one was queued behind it): wait, without
      // spending an attempt, so the two never run at once.
      await job.moveToDelayed(Date.now() + SUCCESSOR_WAIT_MS, token);
      throw new DelayedError();
    }
    let lastWrite = 0;
    const progress: ProgressReporter = async (fraction) => {
      const now = Date.now();
      if (fraction < 1 && now - lastWrite < 500) return;
      lastWrite = now;
      const clamped = Math.max(0, Math.min(1, fraction));
      await Promise.all([job.updateProgress(clamped), this.runs.progress(jobRunId, clamped)]);
    };
    const started = Date.now();
    try {
      const result = await this.run(parsed.data as JobPayload<N>, progress, job);
      await this.runs.complete(jobRunId, { ...result, durationMs: Date.now() - started });
      finished?.('completed');
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof CampaignDataError) {
        // Retrying cannot fix the data: fail for good and pause the campaign with the reason.
        this.logger.error({ jobId: job.id, attempt, final: true, halted: true, error: message });
        await this.runs.fail(jobRunId, message, attempt, true).catch(() => undefined);
        await this.runs.haltCampaign(jobRunId, message);
        finished?.('halted');
        throw new UnrecoverableError(message);
      }
      const final = error instanceof UnrecoverableError || attempt >= (job.opts.attempts ?? 1);
      this.logger.error({ jobId: job.id, attempt, final, error: message });
      let retries: boolean;
      try {
        retries = await this.runs.fail(jobRunId, message, attempt, final);
      } catch (markError) {
        // The run could not be marked (the database is away). Were BullMQ to drop the job now, its row
        // would stay active with nothing behind it and block its key for good: run the job again later
        // instead, without spending an attempt, and mark it then.
        this.logger.warn({
          jobId: job.id,
          msg: 'could not record the failure; will run again',
          error: String(markError),
        });
        finished?.('deferred');
        await job.moveToDelayed(Date.now() + MARK_RETRY_MS, token);
        throw new DelayedError();
      }
      finished?.(final ? 'failed' : 'retried');
      // Superseded by a queued successor of the same key: BullMQ must not retry this one.
      if (!final && !retries) throw new UnrecoverableError(message);
      throw error;
    }
  }
}
