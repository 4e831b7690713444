import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type SourceModelsQuery, sourceModelsQuerySchema } from '@borda/api-contract';
import { createZodDto } from 'nestjs-zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { CampaignAccessService } from '../campaigns/campaign-access.service';
import { SourceModelsService } from './source-models.service';

class SourceModelsQueryDto extends createZodDto(sourceModelsQuerySchema) {}

/**
 * The models that wrote a campaign's responses, compared: the campaign's owner (or an admin) only,
 * like the dashboard — labelers are never told which model wrote what.
 */
@ApiTags('source-models')
@ApiBearerAuth()
@Roles('researcher')
@Controller('campaigns/:id/source-models')
export class SourceModelsController {
  constructor(
    private readonly access: CampaignAccessService,
    private readonly models: SourceModelsService,
  ) {}

  @Get()
  async leaderboard(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: SourceModelsQueryDto) {
    await this.access.manage(user, id);
    // The DTO's class type is the schema's input; the zod pipe hands over its parsed output.
    return this.models.leaderboard(id, query as unknown as SourceModelsQuery);
  }
}
