import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createSimulationSchema, simulationListQuerySchema } from '@borda/api-contract';
import { createZodDto } from 'nestjs-zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { SimulationsService } from './simulations.service';

class CreateSimulationDto extends createZodDto(createSimulationSchema) {}
class ListQueryDto extends createZodDto(simulationListQuerySchema) {}

/** Regret simulations run by the worker: researchers see their own, admins all. */
@ApiTags('simulations')
@ApiBearerAuth()
@Roles('researcher')
@Controller('simulations')
export class SimulationsController {
  constructor(private readonly simulations: SimulationsService) {}

  @Post()
  create(@CurrentUser() user: AuthUser, @Body() body: CreateSimulationDto) {
    return this.simulations.create(user, body);
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: ListQueryDto) {
    return this.simulations.list(user, query);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.simulations.get(user, id);
  }
}
