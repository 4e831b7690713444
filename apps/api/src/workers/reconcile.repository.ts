/** What start-up reconciliation asks Postgres (the source of truth) across campaigns. */
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

@Injectable()
export class ReconcileRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Non-archived campaigns with prompts or responses still lacking features. */
  async campaignsToFeaturize(): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT c.id FROM campaigns c
      WHERE c.status <> 'archived' AND (
        EXISTS (SELECT 1 FROM prompts p WHERE p.campaign_id = c.id AND p.featurized_at IS NULL) OR
        EXISTS (SELECT 1 FROM responses r WHERE r.campaign_id = c.id AND r.featurized_at IS NULL))`;
    return rows.map((r) => r.id);
  }

  /**
   * Campaigns (active, paused or completed) whose judgments newer than the latest model reach
   * retrain_every, or with judgments but no model at all, or completed with judgments the latest
   * model has not seen (the final model must cover every label). A fit that is queued, or running
   * since after the newest label, is left to do it.
   */
  async campaignsNeedingFit(): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT c.id FROM campaigns c
      LEFT JOIN LATERAL (
        SELECT m.label_count FROM model_versions m WHERE m.campaign_id = c.id ORDER BY m.version DESC LIMIT 1
      ) latest ON true
      WHERE c.status IN ('active', 'paused', 'completed') AND c.label_count > 0 AND (
        latest.label_count IS NULL OR c.label_count - latest.label_count >= c.retrain_every
        OR (c.status = 'completed' AND latest.label_count < c.label_count))
        -- A fit already queued, or running since after the newest label, covers them.
        AND NOT EXISTS (SELECT 1 FROM job_runs j WHERE j.campaign_id = c.id AND j.name = 'RewardModelFit' AND (
          j.state = 'queued' OR (j.state = 'active' AND j.started_at >
            (SELECT max(l.created_at) FROM labels l WHERE l.campaign_id = c.id))))`;
    return rows.map((r) => r.id);
  }

  /**
   * Marks leases expired longer than `graceMs` ago as expired. An expired lease's slot is already
   * available to the next lease (comparison_slots: the condition reads the slot's own expiry); the state
   * change keeps the table honest for reports, and ends the window in which a late submit whose slot
   * nobody re-took is accepted. It leaves the slots alone (trigger assignment_slot_follow), so it
   * never waits on a lease that is taking one.
   */
  async expireStaleLeases(graceMs: number): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE assignments SET state = 'expired', finished_at = now()
      WHERE state = 'leased' AND expires_at < now() - make_interval(secs => ${graceMs / 1000})`;
  }
}
