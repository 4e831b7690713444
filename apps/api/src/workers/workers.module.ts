/** Everything the worker process runs: the learning-loop processors, the simulation runner, webhook deliveries. */
import { Module } from '@nestjs/common';
import { SimulationWorkerModule } from '../simulations/simulation-worker.module';
import { LearningWorkersModule } from './learning-workers.module';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';

@Module({ imports: [LearningWorkersModule, SimulationWorkerModule], providers: [WebhookDeliveryProcessor] })
export class WorkersModule {}
