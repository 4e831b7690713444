import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { statsQuerySchema } from '@borda/api-contract';
import { createZodDto } from 'nestjs-zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { CampaignAccessService } from '../campaigns/campaign-access.service';
import { StatsService } from './stats.service';

class StatsQueryDto extends createZodDto(statsQuerySchema) {}

/**
 * The researcher dashboard of a campaign: its owner (or an admin) only. Labelers never see it
 * (the guard refuses their role): other labelers' agreement and bias are not theirs to read.
 */
@ApiTags('stats')
@ApiBearerAuth()
@Roles('researcher')
@Controller('campaigns/:id')
export class StatsController {
  constructor(
    private readonly access: CampaignAccessService,
    private readonly stats: StatsService,
  ) {}

  @Get('stats')
  async campaignStats(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: StatsQueryDto) {
    await this.access.manage(user, id);
    return this.stats.campaignStats(id, query);
  }
}
