/** The worker process's health and metrics port; global so every processor can count its jobs. */
import { Global, Module } from '@nestjs/common';
import { HealthRepository } from '../health/health.repository';
import { WorkerHealthServer } from './worker-health.server';
import { WorkerMetrics } from './worker-metrics';

@Global()
@Module({
  providers: [WorkerMetrics, HealthRepository, WorkerHealthServer],
  exports: [WorkerMetrics, WorkerHealthServer],
})
export class WorkerHealthModule {}
