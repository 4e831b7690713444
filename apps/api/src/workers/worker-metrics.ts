/**
 * What one worker process reports about itself: the standard process metrics (CPU, memory, event
 * loop lag, GC) and the jobs it ran, by job name and outcome. Per process on purpose: campaign-wide
 * numbers (queue depths, jobs per hour) come from the API's /metrics, which reads them from Redis and
 * Postgres; these say which worker is busy, slow or leaking.
 */
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type JobOutcome = 'completed' | 'failed' | 'retried' | 'halted' | 'deferred';

@Injectable()
export class WorkerMetrics {
  /** Its own registry: several apps in one process (the tests) must not share counters. */
  readonly registry = new Registry();
  private readonly jobs: Counter<'job' | 'outcome'>;
  private readonly duration: Histogram<'job'>;
  private readonly active: Gauge<'job'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.jobs = new Counter({
      name: 'borda_worker_jobs_total',
      help: 'Jobs this worker process finished, by job name and outcome',
      labelNames: ['job', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'borda_worker_job_duration_seconds',
      help: 'Wall time of the jobs this worker process ran, by job name',
      labelNames: ['job'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.active = new Gauge({
      name: 'borda_worker_jobs_active',
      help: 'Jobs this worker process is running now, by job name',
      labelNames: ['job'],
      registers,
    });
  }

  /** Marks a job as running; the returned function records how it ended. */
  started(job: string): (outcome: JobOutcome) => void {
    const stopTimer = this.duration.startTimer({ job });
    this.active.inc({ job });
    return (outcome) => {
      this.active.dec({ job });
      if (outcome !== 'deferred') stopTimer();
      this.jobs.inc({ job, outcome });
    };
  }
}
