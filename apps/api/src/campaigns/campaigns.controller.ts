import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  createCampaignSchema,
  listLimitQuerySchema,
  listPromptsQuerySchema,
  setLabelersSchema,
  updateCampaignSchema,
} from '@borda/api-contract';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
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

  /** Raw JSONL body, read as a stream (the JSON body parser only handles application/json). */
  @Roles('researcher')
  @Post(':id/imports')
  @ApiConsumes('application/x-ndjson', 'application/jsonl', 'text/plain')
  async import(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query('dryRun') dryRun: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const dry = dryRun === 'true' || dryRun === '1';
    try {
      const result = await this.imports.import(user, id, req, dry);
      if (dry) res.status(200);
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
