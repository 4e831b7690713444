/**
 * The mechanism behind "ask another labeler" (issue 10 item 6c). Usable from the HTTP process and
 * from workers (import ExtraJudgmentModule): the fit decides with `extraJudgmentCandidates`
 * (extra-judgments.ts) and calls `requestExtraJudgment` for each candidate.
 */
import { Injectable } from '@nestjs/common';
import type { CampaignScoped } from '../database';
import { PrismaService } from '../database/prisma.service';

@Injectable()
export class ExtraJudgmentRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Raises the comparison's labels_required by one and puts it back in the open pool, recording why,
   * in one statement. Only for a complete, non-gold comparison of an active or paused campaign that
   * has had fewer than campaign.extra_judgment_cap such requests (so repeated fits cannot keep asking:
   * while the extra judgment is pending the comparison is open and a new request is refused).
   * Returns whether a slot was opened (the comparison_slots row comes with the raised labels_required, in
   * this statement: trigger comparison_slots_grow). The judgment costs budget like any other.
   */
  async requestExtraJudgment(where: CampaignScoped<{ comparisonId: string; reason: string }>): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      WITH c AS (
        UPDATE comparisons c SET labels_required = c.labels_required + 1, extra_requested = c.extra_requested + 1,
               state = 'open', completed_at = NULL
        FROM campaigns k
        WHERE c.id = ${where.comparisonId}::uuid AND c.campaign_id = ${where.campaignId}::uuid AND k.id = c.campaign_id
          AND k.status IN ('active', 'paused') AND c.state = 'complete' AND c.gold_response_id IS NULL
          AND c.extra_requested < k.extra_judgment_cap
          -- Only while another assigned labeler can give it: a labeler never judges a comparison twice,
          -- and a slot nobody can take would hold the buffer open for good.
          AND c.labels_required < (SELECT count(*) FROM campaign_labelers l WHERE l.campaign_id = c.campaign_id)
        RETURNING c.id)
      INSERT INTO extra_judgment_requests (id, campaign_id, comparison_id, reason)
      SELECT gen_random_uuid(), ${where.campaignId}::uuid, c.id, ${where.reason} FROM c
      RETURNING id`;
    return rows.length === 1;
  }
}
