/**
 * Turns stored events into queued deliveries. `sync(campaignId)` runs after a commit that may be an
 * event (a campaign completed, a fit published a version and flagged labelers); `syncAll()` runs in
 * every reconciliation pass. Both derive the deliveries from stored state (idempotent, see
 * WebhookRepository.deriveEvents) and queue a WebhookDelivery job per pending delivery without one,
 * so a lost insert or enqueue (crash, Redis away) only delays a delivery until the next pass.
 * Never throws: the caller's own work (a judgment, a fit) must not fail because of a webhook.
 */
import { Injectable, Logger } from '@nestjs/common';
import { JobDispatcher } from '../jobs/job-dispatcher.service';
import { JobName } from '../jobs/job-names';
import { WebhookRepository } from './webhook.repository';

@Injectable()
export class WebhookOutbox {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly repository: WebhookRepository,
    private readonly jobs: JobDispatcher,
  ) {}

  /** Returns how many deliveries were queued (0 after a failure, which is logged). */
  async sync(campaignId: string): Promise<number> {
    return this.run(campaignId);
  }

  async syncAll(): Promise<number> {
    return this.run(null);
  }

  /** Queues the pending deliveries of a campaign (e.g. a ping just inserted). */
  async flush(campaignId: string): Promise<number> {
    return this.run(campaignId, false);
  }

  private async run(campaignId: string | null, derive = true): Promise<number> {
    try {
      if (derive) await this.repository.deriveEvents(campaignId);
      let queued = 0;
      for (const d of await this.repository.unqueued(campaignId)) {
        await this.jobs.enqueue(JobName.WebhookDelivery, { deliveryId: d.id, campaignId: d.campaign_id });
        queued++;
      }
      return queued;
    } catch (error) {
      this.logger.warn({
        msg: 'webhook deliveries not queued now; reconciliation retries',
        campaignId,
        error: error instanceof Error ? error.message : String(error),
      });
      return 0;
    }
  }
}
