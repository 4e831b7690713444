/**
 * Start-up reconciliation (worker boot, or `reconcile()` on demand). Postgres is the source of
 * truth and Redis may have been flushed, so:
 * 1. every unfinished job_runs row goes back on its queue under its own key;
 * 2. every active campaign gets a buffer refill;
 * 3. a fit is queued where judgments newer than the latest model reach retrain_every (or judgments
 *    exist but no model does);
 * 4. Featurize is queued where rows still lack features.
 * 5. webhook events are derived and pending deliveries without a job queued (WebhookOutbox.syncAll).
 * Idempotent: the job keys deduplicate everything already queued or running.
 *
 * Redis can also be flushed under running workers, so every RECONCILE_INTERVAL_MS a lighter pass
 * repeats 1–3 with a refill only where a buffer is low (a forced refill would re-select every minute).
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { ReconcileRepository } from '../workers/reconcile.repository';
import { CampaignJobsRepository } from './campaign-jobs.repository';
import { JobChain } from './job-chain.service';
import { JobDispatcher } from './job-dispatcher.service';
import { JobRunsRepository } from './job-runs.repository';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';

/** How long after its expiry a lease may still take a late submit (when its slot is still free). */
export const LATE_SUBMIT_GRACE_MS = 60 * 60_000;

export interface ReconcileReport {
  expiredLeases: number;
  requeued: number;
  refilled: number;
  fits: number;
  featurize: number;
  webhooks: number;
}

@Injectable()
export class ReconcileService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconcileService.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly runs: JobRunsRepository,
    private readonly dispatcher: JobDispatcher,
    private readonly chain: JobChain,
    private readonly campaigns: CampaignJobsRepository,
    private readonly repo: ReconcileRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhookOutbox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const report = await this.reconcile();
      this.logger.log({ msg: 'reconciled queues with Postgres', ...report });
    } catch (error) {
      this.logger.error({ msg: 'reconciliation failed', error: error instanceof Error ? error.message : error });
    }
    if (this.config.reconcileIntervalMs > 0) {
      this.timer = setInterval(() => void this.periodic(), this.config.reconcileIntervalMs);
      this.timer.unref();
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async periodic(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const report = await this.reconcile({ forceRefill: false, featurize: false });
      if (report.requeued + report.fits + report.expiredLeases + report.webhooks > 0)
        this.logger.log({ msg: 'periodic reconciliation', ...report });
    } catch (error) {
      this.logger.warn({
        msg: 'periodic reconciliation failed',
        error: error instanceof Error ? error.message : error,
      });
    } finally {
      this.running = false;
    }
  }

  async reconcile(options: { forceRefill?: boolean; featurize?: boolean } = {}): Promise<ReconcileReport> {
    const { forceRefill = true, featurize = true } = options;
    const report: ReconcileReport = {
      expiredLeases: 0,
      requeued: 0,
      refilled: 0,
      fits: 0,
      featurize: 0,
      webhooks: 0,
    };
    report.expiredLeases = await this.repo.expireStaleLeases(LATE_SUBMIT_GRACE_MS);
    for (const run of await this.runs.unfinished()) {
      await this.dispatcher.requeue(run);
      report.requeued++;
    }
    for (const campaignId of await this.campaigns.activeCampaignIds()) {
      await this.chain.refillIfLow(campaignId, forceRefill);
      report.refilled++;
    }
    for (const campaignId of await this.repo.campaignsNeedingFit()) {
      await this.chain.fitNow(campaignId);
      report.fits++;
    }
    for (const campaignId of featurize ? await this.repo.campaignsToFeaturize() : []) {
      await this.chain.afterImport(campaignId);
      report.featurize++;
    }
    report.webhooks = await this.webhooks.syncAll();
    return report;
  }
}
