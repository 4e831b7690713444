/** Imported by the worker process only: the SimulationRun processor and what it writes to. */
import { Module } from '@nestjs/common';
import { SimulationRunProcessor } from './simulation.processor';
import { SimulationsRepository } from './simulations.repository';

@Module({ providers: [SimulationRunProcessor, SimulationsRepository] })
export class SimulationWorkerModule {}
