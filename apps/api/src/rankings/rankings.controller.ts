import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { rankSchema, type RankingExportLine } from '@borda/api-contract';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { AuditService } from '../audit/audit.service';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { CampaignAccessService } from '../campaigns/campaign-access.service';
import { RankingsRepository } from './rankings.repository';
import { RankingsService } from './rankings.service';

class RankDto extends createZodDto(rankSchema) {}

const EXPORT_BATCH = 500;

@ApiTags('labeling')
@ApiBearerAuth()
@Controller()
export class RankingsController {
  constructor(
    private readonly rankings: RankingsService,
    private readonly repository: RankingsRepository,
    private readonly access: CampaignAccessService,
    private readonly audit: AuditService,
  ) {}

  /** Ranks the held ranking task: 201 with the stored ranking; a repeat answers 200 with `duplicate: true`. */
  @Post('assignments/:id/rank')
  async rank(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() body: RankDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.rankings.rank(user, id, body);
    res.status(result.duplicate ? 200 : 201);
    return result;
  }

  /** JSONL, one line per ranking, oldest first: the prompt and its responses best first (RankingExportLine). */
  @Get('campaigns/:id/exports/rankings')
  @Roles('researcher')
  @ApiTags('exports')
  @ApiProduces('application/x-ndjson')
  async export(@CurrentUser() user: AuthUser, @Param('id') id: string, @Res() res: Response) {
    const campaign = await this.access.manage(user, id);
    res.status(200);
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${campaign.id}-rankings.jsonl"`);
    res.setHeader('Cache-Control', 'no-store');
    let lines = 0;
    let after: { createdAt: Date; id: string } | null = null;
    for (;;) {
      const rows = await this.repository.exportRows({ campaignId: id }, after, EXPORT_BATCH);
      if (rows.length === 0 || res.destroyed) break;
      const text = rows
        .map((r) => {
          const line: RankingExportLine = {
            ranking_id: r.id,
            prompt: r.prompt_text,
            prompt_id: r.prompt_id,
            responses: r.responses,
            labeler_id: r.labeler_id,
            created_at: r.created_at.toISOString(),
          };
          return `${JSON.stringify(line)}\n`;
        })
        .join('');
      if (!res.write(text)) await new Promise<void>((resolve) => res.once('drain', resolve));
      lines += rows.length;
      const last = rows[rows.length - 1];
      after = { createdAt: last.created_at, id: last.id };
    }
    res.end();
    await this.audit.record(user.id, campaign.id, 'export', { format: 'rankings', lines });
  }
}
