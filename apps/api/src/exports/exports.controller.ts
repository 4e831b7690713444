/**
 * Streamed JSONL exports. Access and preconditions are checked before the first byte (errors get
 * the normal JSON body); after that the body is written batch by batch, waiting for the socket to
 * drain, and stops when the client goes away. Every export is audit-logged with its line count.
 */
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { bestOfNExportQuerySchema, type ExportFormat, preferenceExportQuerySchema } from '@borda/api-contract';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { CampaignAccessService } from '../campaigns/campaign-access.service';
import type { Campaign } from '../database';
import { type ExportChunk, ExportsService } from './exports.service';
import type { PreferenceFormat } from './formats';

/** The contract's query plus `aggregate=reliability` (one line per comparison, the crowd model's consensus winner). */
const preferenceQuerySchema = preferenceExportQuerySchema.extend({
  aggregate: z.enum(['none', 'majority', 'reliability']).default('none'),
});
class PreferenceQueryDto extends createZodDto(preferenceQuerySchema) {}
class BestOfNQueryDto extends createZodDto(bestOfNExportQuerySchema) {}

function fileName(campaign: Campaign, format: ExportFormat): string {
  const slug = campaign.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  const day = new Date().toISOString().slice(0, 10);
  return `${slug || campaign.id}-${format}-${day}.jsonl`;
}

/** Writes the chunks with backpressure; returns the lines written and whether the client got them all. */
async function pipe(res: Response, source: AsyncGenerator<ExportChunk>): Promise<{ lines: number; complete: boolean }> {
  let lines = 0;
  for await (const part of source) {
    if (res.destroyed) return { lines, complete: false };
    if (!res.write(part.text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
    lines += part.lines;
  }
  if (res.destroyed) return { lines, complete: false };
  await new Promise<void>((resolve) => res.end(resolve));
  return { lines, complete: true };
}

@ApiTags('exports')
@ApiBearerAuth()
@ApiProduces('application/x-ndjson')
@Roles('researcher')
@Controller('campaigns/:id/exports')
export class ExportsController {
  constructor(
    private readonly access: CampaignAccessService,
    private readonly exports: ExportsService,
    private readonly audit: AuditService,
  ) {}

  @Get('raw')
  async raw(@CurrentUser() user: AuthUser, @Param('id') id: string, @Res() res: Response) {
    const campaign = await this.access.manage(user, id);
    await this.stream(res, user, campaign, 'raw', {}, this.exports.raw(id));
  }

  @Get('trl')
  trl(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() q: PreferenceQueryDto, @Res() res: Response) {
    return this.preferences(user, id, 'trl', q, res);
  }

  @Get('trl-conversational')
  trlConversational(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query() q: PreferenceQueryDto,
    @Res() res: Response,
  ) {
    return this.preferences(user, id, 'trl-conversational', q, res);
  }

  @Get('openai')
  openai(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() q: PreferenceQueryDto, @Res() res: Response) {
    return this.preferences(user, id, 'openai', q, res);
  }

  @Get('best-of-n')
  async bestOfN(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query() q: BestOfNQueryDto,
    @Res() res: Response,
  ) {
    const campaign = await this.access.manage(user, id);
    const source = await this.exports.bestOfN(id, q.policy);
    await this.stream(res, user, campaign, 'best-of-n', { policy: q.policy }, source);
  }

  private async preferences(
    user: AuthUser,
    id: string,
    format: PreferenceFormat,
    q: PreferenceQueryDto,
    res: Response,
  ): Promise<void> {
    const campaign = await this.access.manage(user, id);
    const options = { aggregate: q.aggregate, margin: format === 'trl' && q.margin };
    await this.stream(res, user, campaign, format, options, this.exports.preferences(id, format, options));
  }

  private async stream(
    res: Response,
    user: AuthUser,
    campaign: Campaign,
    format: ExportFormat,
    options: Record<string, unknown>,
    source: AsyncGenerator<ExportChunk>,
  ): Promise<void> {
    res.status(200);
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName(campaign, format)}"`);
    res.setHeader('Cache-Control', 'no-store');
    let result = { lines: 0, complete: false };
    try {
      result = await pipe(res, source);
    } finally {
      await this.audit.record(user.id, campaign.id, 'export', { format, ...options, ...result });
    }
  }
}
