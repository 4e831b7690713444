/**
 * Harmful content flags: the labeler's flag (the skip itself is LabelingService's, so the comparison
 * is released for them exactly as a skip releases it) and the researcher's queue.
 */
import { Injectable } from '@nestjs/common';
import type { ContentFlagList, FlagResolution } from '@borda/api-contract';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/decorators';
import { CampaignAccessService } from '../campaigns/campaign-access.service';
import { isUuid } from '../database';
import { AppError } from '../errors/app-error';
import { ContentFlagsRepository } from './content-flags.repository';

const QUEUE_LIMIT = 200;

@Injectable()
export class ContentFlagsService {
  constructor(
    private readonly repository: ContentFlagsRepository,
    private readonly access: CampaignAccessService,
    private readonly audit: AuditService,
  ) {}

  /** After the skip was stored: records the flag of the caller's assignment. */
  async record(user: AuthUser, assignmentId: string, note: string | undefined): Promise<string> {
    const id = await this.repository.record({ assignmentId, labelerId: user.id, note: note || null });
    if (!id) throw AppError.notFound('assignment', assignmentId);
    return id;
  }

  async list(user: AuthUser, campaignId: string, status: 'open' | 'closed' | 'all'): Promise<ContentFlagList> {
    await this.access.manage(user, campaignId);
    const [rows, openCount] = await Promise.all([
      this.repository.list({ campaignId, status, limit: QUEUE_LIMIT }),
      this.repository.openCount({ campaignId }),
    ]);
    return {
      openCount,
      flags: rows.map((r) => ({
        id: r.id,
        comparisonId: r.comparisonId,
        labeler: { id: r.labelerId, name: r.labelerName, email: r.labelerEmail },
        note: r.note,
        createdAt: r.createdAt.toISOString(),
        resolvedAt: r.resolvedAt?.toISOString() ?? null,
        resolution: r.resolution as FlagResolution | null,
        prompt: { text: r.promptText, messages: r.promptMessages },
        first: { id: r.firstId, text: r.firstText },
        second: { id: r.secondId, text: r.secondText },
      })),
    };
  }

  async resolve(user: AuthUser, campaignId: string, flagId: string, resolution: FlagResolution): Promise<void> {
    await this.access.manage(user, campaignId);
    if (!isUuid(flagId)) throw AppError.notFound('flag', flagId);
    const closed = await this.repository.resolve({ campaignId, flagId, resolvedBy: user.id, resolution });
    if (!closed) {
      if (await this.repository.exists({ campaignId, flagId })) {
        throw new AppError('CONFLICT', `flag ${flagId} is already closed`, { flagId });
      }
      throw AppError.notFound('flag', flagId);
    }
    await this.audit.record(user.id, campaignId, `content_flag.${resolution}`, {
      flagId,
      comparisonId: closed.comparisonId,
    });
  }
}
