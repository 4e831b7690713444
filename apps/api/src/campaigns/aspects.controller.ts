/** GET /campaigns/:id/aspects: the dashboard's per-aspect summary (issue 14 item 2); owner or admin. */
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AspectSummary, parseAspects } from '@borda/api-contract';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { CampaignAccessService } from './campaign-access.service';
import { AspectsRepository } from './aspects.repository';

@ApiTags('campaigns')
@ApiBearerAuth()
@Roles('researcher')
@Controller('campaigns/:id')
export class AspectsController {
  constructor(
    private readonly access: CampaignAccessService,
    private readonly repository: AspectsRepository,
  ) {}

  @Get('aspects')
  async summary(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<AspectSummary> {
    const campaign = await this.access.manage(user, id);
    const aspects = parseAspects(campaign.aspects);
    const rows = await this.repository.aggregates({ campaignId: id, keys: aspects.map((a) => a.key) });
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return {
      aspects: aspects.map((a) => {
        const r = byKey.get(a.key);
        const base = { key: a.key, label: a.label, kind: a.kind, answered: r?.answered ?? 0 };
        if (a.kind === 'pairwise') return { ...base, pairwise: { A: r?.a ?? 0, B: r?.b ?? 0, tie: r?.tie ?? 0 } };
        if (a.kind === 'rating') return { ...base, rating: { meanA: r?.mean_a ?? null, meanB: r?.mean_b ?? null } };
        return base;
      }),
    };
  }
}
