import { Module } from '@nestjs/common';
import { SimulationsController } from './simulations.controller';
import { SimulationsRepository } from './simulations.repository';
import { SimulationsService } from './simulations.service';

@Module({ controllers: [SimulationsController], providers: [SimulationsService, SimulationsRepository] })
export class SimulationsModule {}
