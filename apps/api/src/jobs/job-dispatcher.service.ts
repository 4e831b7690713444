/**
 * The only place jobs are put on queues. Each enqueue mirrors the job in a JobRun row first (so
 * Postgres remembers it if Redis is flushed), then adds it to BullMQ under its deterministic key
 * with the retry policy of JOB_RETRY.
 */
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { JobRun } from '../database';
import {
  JOB_NAMES,
  JOB_PAYLOADS,
  JOB_RETRY,
  type JobData,
  JobName,
  type JobPayload,
  bullJobId,
  jobKey,
} from './job-names';
import { JobRunsRepository } from './job-runs.repository';

@Injectable()
export class JobDispatcher {
  private readonly queues: Record<JobName, Queue>;

  constructor(
    private readonly runs: JobRunsRepository,
    @InjectQueue(JobName.Featurize) featurize: Queue,
    @InjectQueue(JobName.ComparisonSelect) select: Queue,
    @InjectQueue(JobName.RewardModelFit) fit: Queue,
    @InjectQueue(JobName.PolicyFit) policy: Queue,
    @InjectQueue(JobName.SimulationRun) simulation: Queue,
    @InjectQueue(JobName.WebhookDelivery) webhook: Queue,
  ) {
    this.queues = {
      [JobName.Featurize]: featurize,
      [JobName.ComparisonSelect]: select,
      [JobName.RewardModelFit]: fit,
      [JobName.PolicyFit]: policy,
      [JobName.SimulationRun]: simulation,
      [JobName.WebhookDelivery]: webhook,
    };
  }

  queue(name: JobName): Queue {
    return this.queues[name];
  }

  /**
   * Queues a job unless one with the same key is already queued (one running does not count: the
   * new run is its successor); returns the queued JobRun of the key. Always (re-)adds to BullMQ: a
   * duplicate id is a no-op there, and a job lost with a Redis flush comes back.
   */
  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>): Promise<{ run: JobRun; created: boolean }> {
    const parsed = JOB_PAYLOADS[name].parse(payload) as JobPayload<N>;
    const key = jobKey(name, parsed);
    const campaignId = 'campaignId' in parsed ? (parsed as { campaignId: string }).campaignId : null;
    const claimed = await this.runs.claim({ campaignId, name, jobKey: key, payload: parsed as object });
    await this.addToQueue(name, parsed, claimed.run.id, key);
    return claimed;
  }

  /** Puts an existing JobRun (e.g. one a Redis flush forgot) back on its queue. */
  async requeue(run: JobRun): Promise<void> {
    const name = run.name as JobName;
    if (!JOB_NAMES.includes(name)) return;
    await this.addToQueue(name, JOB_PAYLOADS[name].parse(run.payload) as JobPayload<typeof name>, run.id, run.jobKey);
  }

  /** Jobs waiting, running, delayed and failed per queue (for /metrics and the dashboard). */
  async depths(): Promise<Record<JobName, Record<string, number>>> {
    const out = {} as Record<JobName, Record<string, number>>;
    for (const name of JOB_NAMES) {
      out[name] = await this.queues[name].getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
    }
    return out;
  }

  private async addToQueue<N extends JobName>(name: N, payload: JobPayload<N>, jobRunId: string, key: string) {
    const retry = JOB_RETRY[name];
    const data = { ...payload, jobRunId } as JobData<N>;
    await this.queues[name].add(name, data, {
      jobId: bullJobId(key, jobRunId),
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      // History lives in job_runs; a finished job must leave Redis so its key can be queued again.
      removeOnComplete: true,
      removeOnFail: true,
    });
  }
}
