/** Everything the worker process runs: the learning-loop processors, the simulation runner, webhook deliveries. */
import { type DynamicModule, Module } from '@nestjs/common';
import { JobName } from '../jobs/job-names';
import { SimulationWorkerModule } from '../simulations/simulation-worker.module';
import { LearningWorkersModule } from './learning-workers.module';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';

@Module({})
export class WorkersModule {
  /** Only the processors of `jobs` (WORKER_JOBS): a process registers BullMQ workers for those queues alone. */
  static forRoot(jobs: readonly JobName[]): DynamicModule {
    return {
      module: WorkersModule,
      imports: [LearningWorkersModule.forRoot(jobs), SimulationWorkerModule.forRoot(jobs)],
      providers: jobs.includes(JobName.WebhookDelivery) ? [WebhookDeliveryProcessor] : [],
    };
  }
}
