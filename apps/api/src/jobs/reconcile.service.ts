/**
 * Start-up reconciliation (worker boot, or `reconcile()` on demand). Postgres is the source of
 * truth and Redis may have been flushed, so:
 * 1. every unfinished job_runs row goes back on its queue under its own key;
 * 2. every active campaign gets a buffer refill;
 * 3. a fit is queued where judgments newer than the latest model reach retrain_every (or judgments
 *    exist but no model does);
 * 4. Featurize is queued where rows still lack features.
 * Idempotent: the job keys deduplicate everything already queued or running.
 */
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ReconcileRepository } from '../workers/reconcile.repository';
import { CampaignJobsRepository } from './campaign-jobs.repository';
import { JobChain } from './job-chain.service';
import { JobDispatcher } from './job-dispatcher.service';
import { JobRunsRepository } from './job-runs.repository';

export interface ReconcileReport {
  requeued: number;
  refilled: number;
  fits: number;
  featurize: number;
}

@Injectable()
export class ReconcileService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReconcileService.name);

  constructor(
    private readonly runs: JobRunsRepository,
    private readonly dispatcher: JobDispatcher,
    private readonly chain: JobChain,
    private readonly campaigns: CampaignJobsRepository,
    private readonly repo: ReconcileRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const report = await this.reconcile();
      this.logger.log({ msg: 'reconciled queues with Postgres', ...report });
    } catch (error) {
      this.logger.error({ msg: 'reconciliation failed', error: error instanceof Error ? error.message : error });
    }
  }

  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { requeued: 0, refilled: 0, fits: 0, featurize: 0 };
    for (const run of await this.runs.unfinished()) {
      await this.dispatcher.requeue(run);
      report.requeued++;
    }
    for (const campaignId of await this.campaigns.activeCampaignIds()) {
      await this.chain.refillIfLow(campaignId, true);
      report.refilled++;
    }
    for (const campaignId of await this.repo.campaignsNeedingFit()) {
      await this.chain.fitNow(campaignId);
      report.fits++;
    }
    for (const campaignId of await this.repo.campaignsToFeaturize()) {
      await this.chain.afterImport(campaignId);
      report.featurize++;
    }
    return report;
  }
}
