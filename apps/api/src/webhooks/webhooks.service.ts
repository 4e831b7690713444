/** Registering, listing, deleting and pinging a campaign's webhooks, and reading their delivery log. */
import { Injectable } from '@nestjs/common';
import type {
  CreateWebhookRequest,
  WebhookCreated,
  WebhookDeliveryList,
  WebhookDeliveryView,
  WebhookEvent,
  WebhookList,
  WebhookView,
} from '@borda/api-contract';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/decorators';
import { CampaignAccessService } from '../campaigns/campaign-access.service';
import { isUuid } from '../database';
import { AppError } from '../errors/app-error';
import { WebhookOutbox } from './webhook-outbox.service';
import { newWebhookSecret } from './webhook-sender';
import { type AttemptRow, type DeliveryRow, WebhookRepository, type WebhookRow } from './webhook.repository';

/** More than this per campaign is a misconfiguration, not a use case. */
const MAX_WEBHOOKS_PER_CAMPAIGN = 20;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function webhookView(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    url: row.url,
    events: row.events as WebhookEvent[],
    active: row.active,
    createdAt: row.created_at.toISOString(),
  };
}

function deliveryView(row: DeliveryRow, attempts: AttemptRow[]): WebhookDeliveryView {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event,
    state: row.state,
    attempts: row.attempts,
    statusCode: row.status_code,
    error: row.error,
    durationMs: row.duration_ms,
    createdAt: row.created_at.toISOString(),
    nextAttemptAt: iso(row.next_attempt_at),
    deliveredAt: iso(row.delivered_at),
    payload: row.payload,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      statusCode: a.status_code,
      error: a.error,
      durationMs: a.duration_ms,
      attemptedAt: a.attempted_at.toISOString(),
    })),
  };
}

@Injectable()
export class WebhooksService {
  constructor(
    private readonly access: CampaignAccessService,
    private readonly repository: WebhookRepository,
    private readonly outbox: WebhookOutbox,
    private readonly audit: AuditService,
  ) {}

  async create(user: AuthUser, campaignId: string, body: CreateWebhookRequest): Promise<WebhookCreated> {
    await this.access.manage(user, campaignId);
    const existing = await this.repository.list({ campaignId });
    if (existing.length >= MAX_WEBHOOKS_PER_CAMPAIGN) {
      throw new AppError('CONFLICT', `a campaign may have at most ${MAX_WEBHOOKS_PER_CAMPAIGN} webhooks`, {
        limit: MAX_WEBHOOKS_PER_CAMPAIGN,
      });
    }
    const row = await this.repository.create({
      campaignId,
      url: body.url,
      events: [...body.events],
      secret: newWebhookSecret(),
      createdBy: user.id,
    });
    await this.audit.record(user.id, campaignId, 'webhook.create', {
      webhookId: row.id,
      url: row.url,
      events: row.events,
    });
    return { ...webhookView(row), secret: row.secret };
  }

  async list(user: AuthUser, campaignId: string): Promise<WebhookList> {
    await this.access.manage(user, campaignId);
    return { items: (await this.repository.list({ campaignId })).map(webhookView) };
  }

  async remove(user: AuthUser, campaignId: string, webhookId: string): Promise<void> {
    await this.access.manage(user, campaignId);
    if (!isUuid(webhookId) || !(await this.repository.remove({ campaignId, webhookId }))) {
      throw AppError.notFound('webhook', webhookId);
    }
    await this.audit.record(user.id, campaignId, 'webhook.delete', { webhookId });
  }

  async deliveries(user: AuthUser, campaignId: string, webhookId: string, limit: number): Promise<WebhookDeliveryList> {
    await this.webhook(user, campaignId, webhookId);
    const { deliveries, attempts } = await this.repository.deliveries({ campaignId, webhookId, limit });
    const byDelivery = new Map<string, AttemptRow[]>();
    for (const a of attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
    return { items: deliveries.map((d) => deliveryView(d, byDelivery.get(d.id) ?? [])) };
  }

  /** Sends a `ping` event now (queued like any delivery); answers the pending delivery. */
  async ping(user: AuthUser, campaignId: string, webhookId: string): Promise<WebhookDeliveryView> {
    await this.webhook(user, campaignId, webhookId);
    const delivery = await this.repository.insertPing({ campaignId, webhookId, requestedBy: user.id });
    await this.outbox.flush(campaignId);
    return deliveryView(delivery, []);
  }

  private async webhook(user: AuthUser, campaignId: string, webhookId: string): Promise<WebhookRow> {
    await this.access.manage(user, campaignId);
    const row = isUuid(webhookId) ? await this.repository.find({ campaignId, webhookId }) : null;
    if (!row) throw AppError.notFound('webhook', webhookId);
    return row;
  }
}
