import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { flagListQuerySchema, resolveFlagSchema } from '@borda/api-contract';
import { createZodDto } from 'nestjs-zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { ContentFlagsService } from './content-flags.service';

class ResolveFlagDto extends createZodDto(resolveFlagSchema) {}
class FlagListQuery extends createZodDto(flagListQuerySchema) {}

/** The researcher's queue of harmful content flags (the labeler's flag route is LabelingController's). */
@ApiTags('content-flags')
@ApiBearerAuth()
@Roles('researcher')
@Controller('campaigns/:id/flags')
export class ContentFlagsController {
  constructor(private readonly flags: ContentFlagsService) {}

  /** Open flags by default, newest first, with the comparison's prompt and both responses. */
  @Get()
  list(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: FlagListQuery) {
    return this.flags.list(user, id, query.status);
  }

  /** Closes an open flag as resolved (acted on) or dismissed; audit-logged. 409 when already closed. */
  @Post(':flagId/resolve')
  @HttpCode(204)
  async resolve(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('flagId') flagId: string,
    @Body() body: ResolveFlagDto,
  ): Promise<void> {
    await this.flags.resolve(user, id, flagId, body.resolution);
  }
}
