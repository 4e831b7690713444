import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  FLAG_SKIP_REASON,
  flagContentSchema,
  nextRequestSchema,
  reviseLabelSchema,
  skipSchema,
  submitLabelSchema,
  type SubmitResponse,
} from '@borda/api-contract';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { type AuthUser, CurrentUser } from '../auth/decorators';
import { ContentFlagsService } from '../content-flags/content-flags.service';
import { GuidelinesService } from '../guidelines/guidelines.service';
import { LabelingService } from './labeling.service';
import { RevisionService } from './revision.service';

class SubmitLabelDto extends createZodDto(submitLabelSchema) {}
class SkipDto extends createZodDto(skipSchema) {}
class NextDto extends createZodDto(nextRequestSchema) {}
class ReviseDto extends createZodDto(reviseLabelSchema) {}
class FlagDto extends createZodDto(flagContentSchema) {}

/** A stored label answers 201; a repeat of one already stored answers 200 with `duplicate: true`. */
function created(res: Response, result: SubmitResponse): SubmitResponse {
  res.status(result.duplicate ? 200 : 201);
  return result;
}

@ApiTags('labeling')
@ApiBearerAuth()
@Controller()
export class LabelingController {
  constructor(
    private readonly labeling: LabelingService,
    private readonly revisions: RevisionService,
    private readonly flags: ContentFlagsService,
    private readonly guidelines: GuidelinesService,
  ) {}

  /**
   * Leases the next comparison to the caller (or hands back their oldest lease at the prefetch cap).
   * A labeler who has not acknowledged changed guidelines gets `reason: guidelines_not_acknowledged`
   * (answered from memory in the common case: GuidelinesService.gate).
   */
  @Post('campaigns/:id/next')
  @HttpCode(200)
  async next(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: NextDto) {
    return (await this.guidelines.gate(user, id)) ?? this.labeling.next(user, id, body?.holding ?? []);
  }

  @Get('campaigns/:id/progress')
  progress(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.labeling.progress(user, id);
  }

  @Post('assignments/:id/heartbeat')
  @HttpCode(200)
  heartbeat(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.labeling.heartbeat(user, id);
  }

  @Post('assignments/:id/submit')
  async submit(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() body: SubmitLabelDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return created(res, await this.labeling.submit(user, id, body));
  }

  @Post('assignments/:id/skip')
  async skip(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() body: SkipDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return created(res, await this.labeling.skip(user, id, body));
  }

  /**
   * Flags the held comparison as harmful content: a skip (same key rules, same release) whose
   * flag, with the optional note, goes to the researcher's queue. A retry answers the stored skip.
   */
  @Post('assignments/:id/flag')
  async flag(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() body: FlagDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { note, ...skip } = body;
    const result = await this.labeling.skip(user, id, { ...skip, reason: FLAG_SKIP_REASON });
    const flagId = await this.flags.record(user, id, note);
    return { ...created(res, result), flagId };
  }

  /**
   * Changes the caller's own judgment within the campaign's undo window (same assignment, new choice).
   * 200 with the stored revision; a repeat with the same key answers it again with `duplicate: true`.
   */
  @Post('assignments/:id/revise')
  @HttpCode(200)
  revise(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: ReviseDto) {
    return this.revisions.revise(user, id, body);
  }
}
