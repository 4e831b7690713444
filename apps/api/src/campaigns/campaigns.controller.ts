import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  IMPORT_FORMATS,
  createCampaignSchema,
  listLimitQuerySchema,
  listPromptsQuerySchema,
  setLabelersSchema,
  updateCampaignSchema,
} from '@borda/api-contract';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { AppError } from '../errors/app-error';
import { CampaignLifecycleService } from './campaign-lifecycle.service';
import { CampaignReadsService } from './campaign-reads.service';
import { CampaignsService } from './campaigns.service';
import { ImportService } from './import.service';

class CreateCampaignDto extends createZodDto(createCampaignSchema) {}
class UpdateCampaignDto extends createZodDto(updateCampaignSchema) {}
class SetLabelersDto extends createZodDto(setLabelersSchema) {}
class ListPromptsQuery extends createZodDto(listPromptsQuerySchema) {}
class ListLimitQuery extends createZodDto(listLimitQuerySchema) {}

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1'));

/** POST /campaigns/:id/imports query: unknown keys are tolerated (an older client's extras). */
const importQuerySchema = z.object({
  dryRun: flag(false),
  format: z.enum(['auto', ...IMPORT_FORMATS]).default('auto'),
  judgments: flag(true),
  asGold: flag(false),
});
class ImportQuery extends createZodDto(importQuerySchema) {}

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly lifecycle: CampaignLifecycleService,
    private readonly imports: ImportService,
    private readonly reads: CampaignReadsService,
  ) {}

  @Roles('researcher')
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() body: CreateCampaignDto) {
    return this.campaigns.create(user, body as never);
  }

  /** Admin: all; researcher: own; labeler: assigned ones with their remaining work. */
  @Get()
  list(@CurrentUser() user: AuthUser) {
    return this.campaigns.list(user);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.campaigns.get(user, id);
  }

  @Roles('researcher')
  @Patch(':id')
  update(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: UpdateCampaignDto) {
    return this.campaigns.update(user, id, body as never);
  }

  @Roles('researcher')
  @Post(':id/start')
  @HttpCode(200)
  start(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.lifecycle.apply(user, id, 'start');
  }

  @Roles('researcher')
  @Post(':id/pause')
  @HttpCode(200)
  pause(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.lifecycle.apply(user, id, 'pause');
  }

  @Roles('researcher')
  @Post(':id/resume')
  @HttpCode(200)
  resume(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.lifecycle.apply(user, id, 'resume');
  }

  @Roles('researcher')
  @Post(':id/complete')
  @HttpCode(200)
  complete(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.lifecycle.apply(user, id, 'complete');
  }

  @Roles('researcher')
  @Post(':id/retrain')
  @HttpCode(202)
  retrain(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.lifecycle.retrain(user, id);
  }

  @Roles('researcher')
  @Post(':id/archive')
  @HttpCode(200)
  archive(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.lifecycle.apply(user, id, 'archive');
  }

  @Roles('researcher')
  @Get(':id/labelers')
  labelers(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.campaigns.listLabelers(user, id);
  }

  @Roles('researcher')
  @Put(':id/labelers')
  setLabelers(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: SetLabelersDto) {
    return this.campaigns.setLabelers(user, id, body.labelerIds);
  }

  /**
   * Raw body read as a stream (the JSON body parser only handles application/json): JSONL, gzipped
   * JSONL or Parquet, rows in any of IMPORT_FORMATS (apps/api/README.md, Imports).
   */
  @Roles('researcher')
  @Post(':id/imports')
  @ApiConsumes(
    'application/x-ndjson',
    'application/jsonl',
    'text/plain',
    'application/gzip',
    'application/vnd.apache.parquet',
  )
  async import(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query() query: ImportQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const options = query as unknown as z.output<typeof importQuerySchema>;
    try {
      const result = await this.imports.import(user, id, req, options);
      if (options.dryRun) res.status(200);
      return result;
    } catch (error) {
      // The rest of an oversize body is not worth reading: close the connection after answering.
      if (error instanceof AppError && error.code === 'PAYLOAD_TOO_LARGE') res.setHeader('connection', 'close');
      throw error;
    }
  }

  @Roles('researcher')
  @Get(':id/prompts')
  prompts(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: ListPromptsQuery) {
    return this.reads.prompts(user, id, query.cursor ?? -1, query.limit);
  }

  @Roles('researcher')
  @Get(':id/jobs')
  jobs(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: ListLimitQuery) {
    return this.reads.jobs(user, id, query.limit);
  }

  @Roles('researcher')
  @Get(':id/audit')
  auditLog(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: ListLimitQuery) {
    return this.reads.audit(user, id, query.limit, query.before);
  }
}
