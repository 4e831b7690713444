import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { adjudicateSchema, generateGoldSchema, labelerActionSchema, markGoldSchema } from '@borda/api-contract';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { AppError } from '../errors/app-error';
import { CrowdService } from './crowd.service';
import { GOLD_IMPORT_MAX_BYTES, GoldService } from './gold.service';

class MarkGoldDto extends createZodDto(markGoldSchema) {}
class GenerateGoldDto extends createZodDto(generateGoldSchema) {}
class LabelerActionDto extends createZodDto(labelerActionSchema) {}
class AdjudicateDto extends createZodDto(adjudicateSchema) {}

async function readText(req: Request, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new AppError('PAYLOAD_TOO_LARGE', `the gold import exceeds ${limit} bytes`, { limit });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Crowd quality for the campaign's researcher: gold, labeler standing, the review queue. */
@ApiTags('crowd')
@ApiBearerAuth()
@Roles('researcher')
@Controller('campaigns/:id')
export class CrowdController {
  constructor(
    private readonly crowd: CrowdService,
    private readonly gold: GoldService,
  ) {}

  /** Every labeler of the campaign: judgments, gold accuracy (Wilson 95 % interval), exclusion and pause. */
  @Get('crowd/labelers')
  labelers(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.crowd.labelers(user, id);
  }

  /** Their labels leave every fit and export (a refit is queued); `pause: true` also stops their work. */
  @Post('crowd/labelers/:labelerId/exclude')
  @HttpCode(200)
  exclude(
    @CurrentUser() u: AuthUser,
    @Param('id') id: string,
    @Param('labelerId') l: string,
    @Body() b: LabelerActionDto,
  ) {
    return this.crowd.act(u, id, l, 'exclude', b);
  }

  /** Their labels count again and they may work again (a refit is queued). */
  @Post('crowd/labelers/:labelerId/restore')
  @HttpCode(200)
  restore(
    @CurrentUser() u: AuthUser,
    @Param('id') id: string,
    @Param('labelerId') l: string,
    @Body() b: LabelerActionDto,
  ) {
    return this.crowd.act(u, id, l, 'restore', b);
  }

  /** No new work (next answers 409 CONFLICT, reason LABELER_PAUSED); their live leases end. */
  @Post('crowd/labelers/:labelerId/pause')
  @HttpCode(200)
  pause(
    @CurrentUser() u: AuthUser,
    @Param('id') id: string,
    @Param('labelerId') l: string,
    @Body() b: LabelerActionDto,
  ) {
    return this.crowd.act(u, id, l, 'pause', b);
  }

  @Post('crowd/labelers/:labelerId/resume')
  @HttpCode(200)
  resume(
    @CurrentUser() u: AuthUser,
    @Param('id') id: string,
    @Param('labelerId') l: string,
    @Body() b: LabelerActionDto,
  ) {
    return this.crowd.act(u, id, l, 'resume', b);
  }

  @Get('gold')
  listGold(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.gold.list(user, id);
  }

  /** Marks a complete comparison as gold with the better response's id. */
  @Post('gold')
  @HttpCode(200)
  markGold(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: MarkGoldDto) {
    return this.gold.mark(user, id, body);
  }

  /** JSONL lines {promptId, responseIds: [a, b], answer} by the import's external ids; all or nothing. */
  @Post('gold/imports')
  @ApiConsumes('application/x-ndjson', 'application/jsonl', 'text/plain')
  async importGold(@CurrentUser() user: AuthUser, @Param('id') id: string, @Req() req: Request) {
    return this.gold.import(user, id, await readText(req, GOLD_IMPORT_MAX_BYTES));
  }

  /** `count` responses each against a degraded copy of itself (truncated, sentences shuffled, words scrambled). */
  @Post('gold/generate')
  generateGold(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: GenerateGoldDto) {
    return this.gold.generate(user, id, body);
  }

  /** Comparisons whose judgments stayed split after the extra judgments the campaign allows. */
  @Get('review')
  review(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.crowd.review(user, id);
  }

  /** The researcher's answer: it becomes the comparison's gold answer. */
  @Post('review/:comparisonId')
  @HttpCode(200)
  adjudicate(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('comparisonId') comparisonId: string,
    @Body() body: AdjudicateDto,
  ) {
    return this.crowd.adjudicate(user, id, comparisonId, body.answer);
  }
}
