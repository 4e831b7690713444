/** Everything the worker process runs: the learning-loop processors and the simulation runner. */
import { Module } from '@nestjs/common';
import { SimulationWorkerModule } from '../simulations/simulation-worker.module';
import { LearningWorkersModule } from './learning-workers.module';

@Module({ imports: [LearningWorkersModule, SimulationWorkerModule] })
export class WorkersModule {}
