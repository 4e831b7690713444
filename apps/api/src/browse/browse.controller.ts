import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  type BrowseDetailQuery,
  type BrowseQuery,
  browseDetailQuerySchema,
  browseQuerySchema,
} from '@borda/api-contract';
import { createZodDto } from 'nestjs-zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { CampaignAccessService } from '../campaigns/campaign-access.service';
import { BrowseService } from './browse.service';

class BrowseQueryDto extends createZodDto(browseQuerySchema) {}
class BrowseDetailQueryDto extends createZodDto(browseDetailQuerySchema) {}

/**
 * The data browser of a campaign: its owner (or an admin) only. Labelers are refused (403) like on
 * the dashboard: other labelers' judgments and the source models are not theirs to read.
 */
@ApiTags('browse')
@ApiBearerAuth()
@Roles('researcher')
@Controller('campaigns/:id/browse')
export class BrowseController {
  constructor(
    private readonly access: CampaignAccessService,
    private readonly browse: BrowseService,
  ) {}

  /** One row per comparison with its labels; filters AND-ed; `nextCursor` for the next page. */
  @Get('comparisons')
  async comparisons(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: BrowseQueryDto) {
    await this.access.manage(user, id);
    // The DTO's class type is the schema's input; the zod pipe hands over its parsed output.
    return this.browse.comparisons(id, query as unknown as BrowseQuery);
  }

  /** Labelers, source models and prompt metadata values for the filter controls. */
  @Get('facets')
  async facets(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    await this.access.manage(user, id);
    return this.browse.facets(id);
  }

  /** The comparison as the labeler of `?label=` saw it (sides in their order), with every label. */
  @Get('comparisons/:comparisonId')
  async comparison(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('comparisonId') comparisonId: string,
    @Query() query: BrowseDetailQueryDto,
  ) {
    await this.access.manage(user, id);
    return this.browse.comparison(id, comparisonId, (query as unknown as BrowseDetailQuery).label);
  }
}
