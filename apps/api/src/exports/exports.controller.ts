/**
 * Streamed exports, JSONL or Parquet (`?file=parquet`). Access and preconditions are checked before
 * the first byte (errors get the normal JSON body); after that the body is written batch by batch
 * (a Parquet row group per batch), waiting for the socket to drain, and stops when the client goes
 * away. Every export is audit-logged with its line count. `card` is the export's dataset card.
 */
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  bestOfNExportQuerySchema,
  exportCardQuerySchema,
  type ExportFile,
  exportFileQuerySchema,
  type ExportFormat,
  ktoExportQuerySchema,
  preferenceExportQuerySchema,
} from '@borda/api-contract';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { CampaignAccessService } from '../campaigns/campaign-access.service';
import type { Campaign } from '../database';
import { datasetCard } from './card';
import { ExportsRepository } from './exports.repository';
import { type ExportChunk, ExportsService } from './exports.service';
import type { PreferenceFormat } from './formats';
import { parquetColumns, parquetStream } from './parquet';

/** The contract's query plus `aggregate=reliability` (one line per comparison, the crowd model's consensus winner). */
const preferenceQuerySchema = preferenceExportQuerySchema.extend({
  aggregate: z.enum(['none', 'majority', 'reliability']).default('none'),
});
class PreferenceQueryDto extends createZodDto(preferenceQuerySchema) {}
class BestOfNQueryDto extends createZodDto(bestOfNExportQuerySchema) {}
class FileQueryDto extends createZodDto(exportFileQuerySchema) {}
class KtoQueryDto extends createZodDto(ktoExportQuerySchema) {}
class CardQueryDto extends createZodDto(exportCardQuerySchema) {}

const CONTENT_TYPE: Record<ExportFile, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
};

function fileName(campaign: Campaign, format: ExportFormat | 'card', extension: string): string {
  const slug = campaign.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  const day = new Date().toISOString().slice(0, 10);
  return `${slug || campaign.id}-${format}-${day}.${extension}`;
}

/** JSONL: each batch as one string of lines. */
async function* jsonl(source: AsyncGenerator<ExportChunk>): AsyncGenerator<{ bytes: string; rows: number }> {
  for await (const batch of source) {
    yield { bytes: batch.map((v) => `${JSON.stringify(v)}\n`).join(''), rows: batch.length };
  }
}

/** Writes the parts with backpressure; returns the lines written and whether the client got them all. */
async function pipe(
  res: Response,
  source: AsyncGenerator<{ bytes: string | Uint8Array; rows: number }>,
): Promise<{ lines: number; complete: boolean }> {
  let lines = 0;
  for await (const part of source) {
    if (res.destroyed) return { lines, complete: false };
    if (!res.write(part.bytes)) {
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
    lines += part.rows;
  }
  if (res.destroyed) return { lines, complete: false };
  await new Promise<void>((resolve) => res.end(resolve));
  return { lines, complete: true };
}

@ApiTags('exports')
@ApiBearerAuth()
@ApiProduces('application/x-ndjson', 'application/vnd.apache.parquet')
@Roles('researcher')
@Controller('campaigns/:id/exports')
export class ExportsController {
  constructor(
    private readonly access: CampaignAccessService,
    private readonly exports: ExportsService,
    private readonly repository: ExportsRepository,
    private readonly audit: AuditService,
  ) {}

  /** The dataset card (README.md) of the export the query describes. */
  @Get('card')
  @ApiProduces('text/markdown')
  async card(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() q: CardQueryDto, @Res() res: Response) {
    const campaign = await this.access.manage(user, id);
    const [counts, models] = await Promise.all([
      this.repository.cardCounts({ campaignId: id }),
      this.repository.cardModels({ campaignId: id }),
    ]);
    res.status(200);
    res.setHeader('Content-Type', 'text/markdown; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName(campaign, q.format, 'README.md')}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.end(datasetCard(campaign, q, counts, models, new Date()));
  }

  @Get('raw')
  async raw(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() q: FileQueryDto, @Res() res: Response) {
    const campaign = await this.access.manage(user, id);
    await this.stream(res, user, campaign, 'raw', { file: q.file }, this.exports.raw(id));
  }

  @Get('kto')
  async kto(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() q: KtoQueryDto, @Res() res: Response) {
    const campaign = await this.access.manage(user, id);
    const options = { file: q.file, models: q.models };
    await this.stream(res, user, campaign, 'kto', options, this.exports.kto(id, options));
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
    const source = await this.exports.bestOfN(id, q.policy, q.models);
    const options = { file: q.file, policy: q.policy, models: q.models };
    await this.stream(res, user, campaign, 'best-of-n', options, source);
  }

  private async preferences(
    user: AuthUser,
    id: string,
    format: PreferenceFormat,
    q: PreferenceQueryDto,
    res: Response,
  ): Promise<void> {
    const campaign = await this.access.manage(user, id);
    // openai's lines allow no extra keys: no margin or models there.
    const extras = format !== 'openai';
    const options = { file: q.file, aggregate: q.aggregate, margin: extras && q.margin, models: extras && q.models };
    await this.stream(res, user, campaign, format, options, this.exports.preferences(id, format, options));
  }

  private async stream(
    res: Response,
    user: AuthUser,
    campaign: Campaign,
    format: ExportFormat,
    options: { file: ExportFile; margin?: boolean; models?: boolean } & Record<string, unknown>,
    source: AsyncGenerator<ExportChunk>,
  ): Promise<void> {
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPE[options.file]);
    res.setHeader('Content-Disposition', `attachment; filename="${fileName(campaign, format, options.file)}"`);
    res.setHeader('Cache-Control', 'no-store');
    const parts =
      options.file === 'parquet'
        ? parquetStream(parquetColumns(format, options), source, [
            { key: 'borda.campaign', value: campaign.id },
            { key: 'borda.format', value: format },
          ])
        : jsonl(source);
    let result = { lines: 0, complete: false };
    try {
      result = await pipe(res, parts);
    } finally {
      await this.audit.record(user.id, campaign.id, 'export', { format, ...options, ...result });
    }
  }
}
