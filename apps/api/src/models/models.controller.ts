import { Controller, Get, Param, ParseIntPipe, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { modelListQuerySchema, policyQuerySchema } from '@borda/api-contract';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { CampaignAccessService } from '../campaigns/campaign-access.service';
import { ModelsService } from './models.service';

class PolicyQueryDto extends createZodDto(policyQuerySchema) {}
class ModelListQueryDto extends createZodDto(modelListQuerySchema) {}
class ModelQueryDto extends createZodDto(z.object({ includeParameters: z.stringbool().default(false) })) {}

/** Reward models, certificates and policies of a campaign: its owner (or an admin) only. */
@ApiTags('models')
@ApiBearerAuth()
@Roles('researcher')
@Controller('campaigns/:id')
export class ModelsController {
  constructor(
    private readonly access: CampaignAccessService,
    private readonly models: ModelsService,
  ) {}

  @Get('models')
  async list(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: ModelListQueryDto) {
    await this.access.manage(user, id);
    return this.models.list(id, query);
  }

  @Get('models/:version')
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('version', ParseIntPipe) version: number,
    @Query() query: ModelQueryDto,
  ) {
    await this.access.manage(user, id);
    return this.models.get(id, version, query.includeParameters);
  }

  @Get('certificate')
  async certificate(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    await this.access.manage(user, id);
    return this.models.certificate(id);
  }

  @Get('policy')
  async policy(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: PolicyQueryDto) {
    await this.access.manage(user, id);
    return this.models.policy(id, query);
  }

  @Get('policy/versions')
  async policyVersions(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: ModelListQueryDto) {
    await this.access.manage(user, id);
    return this.models.policyVersions(id, query.limit);
  }

  @Get('policy/prompts/:promptId')
  async prompt(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('promptId', ParseUUIDPipe) promptId: string,
  ) {
    await this.access.manage(user, id);
    return this.models.promptDetail(id, promptId);
  }
}
