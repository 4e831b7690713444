import { Injectable, Logger } from '@nestjs/common';
import { AuditRepository } from './audit.repository';

/** Who did what to which campaign: creation, imports, status changes, assignments, exports, tokens. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(private readonly repository: AuditRepository) {}

  async record(
    actorId: string | null,
    campaignId: string | null,
    action: string,
    details: Record<string, unknown> = {},
  ) {
    this.logger.log({ actorId, campaignId, action, ...details });
    await this.repository.record({ actorId, campaignId, action, details: details as object });
  }

  async list(campaignId: string, limit = 100, before?: number) {
    const rows = await this.repository.listForCampaign({ campaignId, limit, before });
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  }
}
