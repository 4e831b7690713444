/**
 * Prometheus metrics of one app instance, in its own Registry (not prom-client's global one, so
 * several apps in one process — the tests — do not collide). Request metrics are counted as they
 * happen; queue depths, label totals and job durations are read from Redis/Postgres at scrape time,
 * so they are right in every API replica without any bookkeeping.
 */
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JobDispatcher } from '../jobs/job-dispatcher.service';
import { MetricsRepository } from './metrics.repository';

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(jobs: JobDispatcher, repository: MetricsRepository) {
    const registers = [this.registry];
    // Unprefixed process_*/nodejs_* names: what the usual Node.js dashboards query.
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'borda_http_requests_total',
      help: 'HTTP requests by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'borda_http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    new Gauge({
      name: 'borda_queue_jobs',
      help: 'BullMQ jobs per queue and state, read at scrape time',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const [queue, counts] of Object.entries(await jobs.depths())) {
          for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
        }
      },
    });
    new Gauge({
      name: 'borda_labels_stored',
      help: 'Judgments stored (A, B, tie, both_bad; not skips) summed per campaign status',
      labelNames: ['campaign_status'],
      registers,
      async collect() {
        this.reset();
        for (const row of await repository.labelsByCampaignStatus())
          this.set({ campaign_status: row.status }, row.labels);
      },
    });
    // Both job gauges come from one query: the registry collects them concurrently, so they share
    // the promise of the scrape in progress.
    let jobRows: ReturnType<MetricsRepository['jobsLastHour']> | null = null;
    const jobsLastHour = () =>
      (jobRows ??= repository.jobsLastHour().finally(() => {
        jobRows = null;
      }));
    new Gauge({
      name: 'borda_jobs_finished_last_hour',
      help: 'Jobs finished in the last hour per job name and final state (from job_runs)',
      labelNames: ['job', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const row of await jobsLastHour()) this.set({ job: row.name, state: row.state }, row.count);
      },
    });
    new Gauge({
      name: 'borda_job_duration_last_hour_seconds',
      help: 'Duration of jobs finished in the last hour (from job_runs): avg, p95 and max per job name and state',
      labelNames: ['job', 'state', 'stat'],
      registers,
      async collect() {
        this.reset();
        for (const row of await jobsLastHour()) {
          for (const stat of ['avg', 'p95', 'max'] as const)
            this.set({ job: row.name, state: row.state, stat }, row[stat]);
        }
      },
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }
}
