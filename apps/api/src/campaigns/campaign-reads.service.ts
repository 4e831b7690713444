/** Read-only campaign listings for the owner: prompts (paged), job runs, audit trail. */
import { Injectable } from '@nestjs/common';
import type { Page, PromptView } from '@borda/api-contract';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/decorators';
import { JobRunsRepository } from '../jobs/job-runs.repository';
import { CampaignAccessService } from './campaign-access.service';
import { jobRunView } from './campaign-views';
import { CampaignsRepository } from './campaigns.repository';

@Injectable()
export class CampaignReadsService {
  constructor(
    private readonly repository: CampaignsRepository,
    private readonly runs: JobRunsRepository,
    private readonly access: CampaignAccessService,
    private readonly audits: AuditService,
  ) {}

  /** Prompts after ordinal `cursor` (keyset pagination: stable while imports append). */
  async prompts(user: AuthUser, campaignId: string, cursor: number, limit: number): Promise<Page<PromptView>> {
    await this.access.manage(user, campaignId);
    const rows = await this.repository.listPrompts({ campaignId, afterOrdinal: cursor, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return {
      items: page.map(({ featurizedAt, ...p }) => ({ ...p, featurized: featurizedAt !== null })),
      nextCursor: rows.length > limit ? String(page[page.length - 1].ordinal) : null,
    };
  }

  async jobs(user: AuthUser, campaignId: string, limit: number) {
    await this.access.manage(user, campaignId);
    const runs = await this.runs.listForCampaign({ campaignId, limit });
    return runs.map(jobRunView);
  }

  async audit(user: AuthUser, campaignId: string, limit: number, before?: number) {
    await this.access.manage(user, campaignId);
    return this.audits.list(campaignId, limit, before);
  }
}
