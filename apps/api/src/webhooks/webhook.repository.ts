/**
 * Webhooks and their deliveries. Events are derived from stored state (a completed campaign, a
 * model_versions row, a newly flagged labeler_reliability row): `deriveEvents` inserts one delivery
 * per subscribed webhook and event, and the unique (webhook_id, event_key) makes it idempotent, so
 * the fast path after a commit and every reconciliation pass may both run it.
 */
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { CampaignScoped } from '../database';

export interface WebhookRow {
  id: string;
  campaign_id: string;
  url: string;
  events: string[];
  secret: string;
  active: boolean;
  created_at: Date;
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  campaign_id: string;
  event: string;
  payload: Record<string, unknown>;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number | null;
  created_at: Date;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: Date;
}

export interface AttemptOutcome {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  state: 'pending' | 'delivered' | 'failed';
  /** When BullMQ retries, from now; null when no retry follows. */
  nextAttemptInMs: number | null;
}

/** Events older than this are not derived any more (a webhook is not a backfill of history). */
const DERIVE_WINDOW = '7 days';

@Injectable()
export class WebhookRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(w: CampaignScoped<{ url: string; events: string[]; secret: string; createdBy: string }>) {
    const rows = await this.prisma.$queryRaw<WebhookRow[]>`
      INSERT INTO webhooks (campaign_id, url, events, secret, created_by)
      VALUES (${w.campaignId}::uuid, ${w.url}, ${w.events}::text[], ${w.secret}, ${w.createdBy}::uuid)
      RETURNING *`;
    return rows[0];
  }

  list(where: CampaignScoped<object>): Promise<WebhookRow[]> {
    return this.prisma.$queryRaw<WebhookRow[]>`
      SELECT * FROM webhooks WHERE campaign_id = ${where.campaignId}::uuid ORDER BY created_at, id`;
  }

  async find(where: CampaignScoped<{ webhookId: string }>): Promise<WebhookRow | null> {
    const rows = await this.prisma.$queryRaw<WebhookRow[]>`
      SELECT * FROM webhooks WHERE id = ${where.webhookId}::uuid AND campaign_id = ${where.campaignId}::uuid`;
    return rows[0] ?? null;
  }

  /** Deletes the webhook with its delivery log; queued jobs of its deliveries then find nothing to send. */
  async remove(where: CampaignScoped<{ webhookId: string }>): Promise<boolean> {
    const n = await this.prisma.$executeRaw`
      DELETE FROM webhooks WHERE id = ${where.webhookId}::uuid AND campaign_id = ${where.campaignId}::uuid`;
    return n > 0;
  }

  async deliveries(
    where: CampaignScoped<{ webhookId: string; limit: number }>,
  ): Promise<{ deliveries: DeliveryRow[]; attempts: AttemptRow[] }> {
    const deliveries = await this.prisma.$queryRaw<DeliveryRow[]>`
      SELECT * FROM webhook_deliveries
      WHERE webhook_id = ${where.webhookId}::uuid AND campaign_id = ${where.campaignId}::uuid
      ORDER BY created_at DESC, id LIMIT ${where.limit}`;
    const ids = deliveries.map((d) => d.id);
    const attempts =
      ids.length === 0
        ? []
        : await this.prisma.$queryRaw<AttemptRow[]>`
            SELECT * FROM webhook_delivery_attempts WHERE delivery_id = ANY (${ids}::uuid[])
            ORDER BY delivery_id, attempt`;
    return { deliveries, attempts };
  }

  /** A ping to one webhook (the test route): its own event, sent whatever the webhook subscribes to. */
  async insertPing(where: CampaignScoped<{ webhookId: string; requestedBy: string }>): Promise<DeliveryRow> {
    const rows = await this.prisma.$queryRaw<DeliveryRow[]>`
      WITH e AS (SELECT gen_random_uuid() AS id, LOCALTIMESTAMP(3) AS at)
      INSERT INTO webhook_deliveries (webhook_id, campaign_id, event, event_key, payload)
      SELECT w.id, w.campaign_id, 'ping', 'ping.' || e.id, jsonb_build_object(
        'id', e.id, 'event', 'ping', 'campaignId', w.campaign_id,
        'createdAt', to_char(e.at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'data', jsonb_build_object('webhookId', w.id, 'requestedBy', ${where.requestedBy}::uuid))
      FROM webhooks w, e WHERE w.id = ${where.webhookId}::uuid AND w.campaign_id = ${where.campaignId}::uuid
      RETURNING *`;
    return rows[0];
  }

  /**
   * Inserts the deliveries of every event that happened since each active webhook was created (within
   * DERIVE_WINDOW) and has no delivery yet; all campaigns when campaignId is null. The event id is a
   * hash of campaign and event key: the same for every webhook and on every retry.
   */
  async deriveEvents(campaignId: string | null): Promise<number> {
    return this.prisma.$executeRaw`
      WITH w AS (
        SELECT id, campaign_id, events, GREATEST(created_at, LOCALTIMESTAMP - ${DERIVE_WINDOW}::interval) AS since
        FROM webhooks WHERE active AND (${campaignId}::uuid IS NULL OR campaign_id = ${campaignId}::uuid)
      ), ev AS (
        SELECT w.id AS webhook_id, c.id AS campaign_id, 'campaign.completed' AS event,
          'campaign.completed' AS event_key, c.completed_at AS at,
          jsonb_build_object('labelCount', c.label_count, 'budget', c.budget,
            'budgetReached', c.label_count >= c.budget) AS data
        FROM w JOIN campaigns c ON c.id = w.campaign_id
        WHERE 'campaign.completed' = ANY (w.events) AND c.completed_at >= w.since
        UNION ALL
        SELECT w.id, c.id, 'campaign.budget_reached', 'campaign.budget_reached.' || c.budget, c.completed_at,
          jsonb_build_object('labelCount', c.label_count, 'budget', c.budget)
        FROM w JOIN campaigns c ON c.id = w.campaign_id
        WHERE 'campaign.budget_reached' = ANY (w.events) AND c.label_count >= c.budget AND c.completed_at >= w.since
        UNION ALL
        SELECT w.id, m.campaign_id, 'model_version.published', 'model_version.published.' || m.id, m.created_at,
          jsonb_build_object('modelVersionId', m.id, 'version', m.version, 'kind', m.kind,
            'labelCount', m.label_count, 'heldOutAccuracy', m.metrics -> 'heldOutAccuracy')
        FROM w JOIN model_versions m ON m.campaign_id = w.campaign_id AND m.created_at >= w.since
        WHERE 'model_version.published' = ANY (w.events)
        UNION ALL
        SELECT w.id, r.campaign_id, 'labeler.flagged', 'labeler.flagged.' || r.model_version_id || '.' || r.labeler_id,
          r.created_at, jsonb_build_object('labelerId', r.labeler_id, 'modelVersionId', r.model_version_id,
            'version', m.version, 'reasons', r.reasons, 'accuracy', r.accuracy, 'judgments', r.judgments)
        FROM w JOIN labeler_reliability r ON r.campaign_id = w.campaign_id AND r.flagged AND r.created_at >= w.since
        JOIN model_versions m ON m.id = r.model_version_id
        WHERE 'labeler.flagged' = ANY (w.events)
          -- newly flagged: the previous fit that assessed the labeler did not flag them
          AND NOT COALESCE((
            SELECT p.flagged FROM labeler_reliability p JOIN model_versions pm ON pm.id = p.model_version_id
            WHERE p.campaign_id = r.campaign_id AND p.labeler_id = r.labeler_id AND pm.version < m.version
            ORDER BY pm.version DESC LIMIT 1), false)
      )
      INSERT INTO webhook_deliveries (webhook_id, campaign_id, event, event_key, payload)
      SELECT webhook_id, campaign_id, event, event_key, jsonb_build_object(
        'id', md5(campaign_id::text || '/' || event_key)::uuid, 'event', event, 'campaignId', campaign_id,
        'createdAt', to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'data', data)
      FROM ev ORDER BY at
      ON CONFLICT (webhook_id, event_key) DO NOTHING`;
  }

  /** Pending deliveries without a queued or running job (never queued, or queued while Redis was away). */
  unqueued(campaignId: string | null, limit = 500): Promise<{ id: string; campaign_id: string }[]> {
    return this.prisma.$queryRaw<{ id: string; campaign_id: string }[]>`
      SELECT d.id, d.campaign_id FROM webhook_deliveries d
      WHERE d.state = 'pending' AND (${campaignId}::uuid IS NULL OR d.campaign_id = ${campaignId}::uuid)
        AND NOT EXISTS (SELECT 1 FROM job_runs j WHERE j.job_key = 'WebhookDelivery.' || d.id
                        AND j.state IN ('queued', 'active'))
      ORDER BY d.created_at LIMIT ${limit}`;
  }

  /** A delivery with what sending it needs (worker). */
  async forSending(
    deliveryId: string,
  ): Promise<(DeliveryRow & { url: string; secret: string; active: boolean }) | null> {
    const rows = await this.prisma.$queryRaw<(DeliveryRow & { url: string; secret: string; active: boolean })[]>`
      SELECT d.*, w.url, w.secret, w.active FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
      WHERE d.id = ${deliveryId}::uuid`;
    return rows[0] ?? null;
  }

  /** One attempt: its log row and the delivery's state, together. */
  async recordAttempt(deliveryId: string, o: AttemptOutcome): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.$executeRaw`
        INSERT INTO webhook_delivery_attempts (delivery_id, attempt, status_code, error, duration_ms)
        VALUES (${deliveryId}::uuid, ${o.attempt}, ${o.statusCode}, ${o.error}, ${o.durationMs})
        ON CONFLICT (delivery_id, attempt) DO UPDATE SET status_code = EXCLUDED.status_code,
          error = EXCLUDED.error, duration_ms = EXCLUDED.duration_ms, attempted_at = EXCLUDED.attempted_at`,
      this.prisma.$executeRaw`
        UPDATE webhook_deliveries SET state = ${o.state}, attempts = GREATEST(attempts, ${o.attempt}),
          status_code = ${o.statusCode}, error = ${o.error}, duration_ms = ${o.durationMs},
          next_attempt_at = LOCALTIMESTAMP(3) + ${o.nextAttemptInMs}::float8 * interval '1 millisecond',
          delivered_at = CASE WHEN ${o.state}::text = 'delivered' THEN LOCALTIMESTAMP(3) ELSE delivered_at END
        WHERE id = ${deliveryId}::uuid`,
    ]);
  }

  /** A delivery that cannot be sent any more (its webhook was disabled). */
  async fail(deliveryId: string, error: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE webhook_deliveries SET state = 'failed', error = ${error}, next_attempt_at = NULL
      WHERE id = ${deliveryId}::uuid AND state = 'pending'`;
  }
}
