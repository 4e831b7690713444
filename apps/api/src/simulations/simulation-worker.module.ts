/** Imported by the worker process only: the SimulationRun processor and what it writes to. */
import { type DynamicModule, Module } from '@nestjs/common';
import { JobName } from '../jobs/job-names';
import { SimulationRunProcessor } from './simulation.processor';
import { SimulationsRepository } from './simulations.repository';

@Module({})
export class SimulationWorkerModule {
  /** Registers the SimulationRun processor when `jobs` (WORKER_JOBS) holds it. */
  static forRoot(jobs: readonly JobName[]): DynamicModule {
    const processors = jobs.includes(JobName.SimulationRun) ? [SimulationRunProcessor] : [];
    return { module: SimulationWorkerModule, providers: [SimulationsRepository, ...processors] };
  }
}
