/**
 * RewardModelFit: fits the campaign's reward model on every judgment and publishes a version.
 * 1. the held-out set is half of the yardstick's uniformly drawn labels once there are 20 of them
 *    (else a label-id hash split, ~15% held out, none below 20 judgments); fit on the rest, ModelMetrics
 *    on the held-out set (Platt scale fitted on the training split), and the uniform-only baseline
 *    against the active model at the same budget on the same held-out labels;
 * 2. refit on ALL judgments: the published model;
 * 3. the worst-case-gap certificate of its pessimistic policy;
 * 4. one INSERT of model_versions (version max+1), then the chain queues PolicyFit.
 */
import { Processor } from '@nestjs/bullmq';
import type { CertificateView } from '@borda/api-contract';
import { worstCaseGapCertificate } from '@borda/dueling-bandit';
import { modelHyperparameters } from '@borda/simulator';
import type { Job } from 'bullmq';
import { JobChain } from '../jobs/job-chain.service';
import { JOB_CONCURRENCY, JobName, type JobPayload } from '../jobs/job-names';
import { JobRunsRepository } from '../jobs/job-runs.repository';
import { CandidateStore } from '../learning/candidate-store.service';
import { evaluateModel } from '../learning/evaluation';
import { betaOf, createModel, isBordaKind, resolveModelKind } from '../learning/model-factory';
import { buildObservations, splitObservations } from '../learning/observations';
import { compareWithUniform, evaluationSplit } from '../learning/yardstick';
import { LearningRepository } from './learning.repository';
import { type ProgressReporter, TrackedProcessor } from './tracked-processor';

@Processor(JobName.RewardModelFit, { concurrency: JOB_CONCURRENCY[JobName.RewardModelFit] })
export class RewardModelFitProcessor extends TrackedProcessor<JobName.RewardModelFit> {
  constructor(
    runs: JobRunsRepository,
    private readonly repo: LearningRepository,
    private readonly candidates: CandidateStore,
    private readonly chain: JobChain,
  ) {
    super(JobName.RewardModelFit, runs);
  }

  protected async run(
    payload: JobPayload<JobName.RewardModelFit>,
    progress: ProgressReporter,
    job: Job,
  ): Promise<object> {
    const { campaignId } = payload;
    const campaign = await this.repo.campaign({ campaignId });
    if (!campaign) return { skipped: 'campaign not found' };
    const candidates = await this.candidates.load(campaignId, campaign.featureDim);
    const observations = buildObservations(await this.repo.judgments({ campaignId }), candidates);
    await progress(0.1);
    if (candidates.promptIds.length === 0) return { skipped: 'no selectable prompts' };

    const kind = resolveModelKind(campaign, candidates.features.rows, observations.length);
    const split = evaluationSplit(observations, splitObservations);
    const { train, test } = split;
    let started = Date.now();
    const trial = await createModel(kind, campaign, candidates.features);
    trial.model.fit(train);
    const trainFitMs = Date.now() - started;
    await progress(0.35);
    const evaluated = evaluateModel(trial.model, train, test, {
      fitMs: trainFitMs,
      tensorflowBackend: trial.tensorflowBackend,
    });
    const yardstick = await compareWithUniform(split, async (fitOn, scoreOn) => {
      const baseline = await createModel(kind, campaign, candidates.features);
      baseline.model.fit(fitOn);
      const m = evaluateModel(baseline.model, fitOn, scoreOn, { fitMs: 0 });
      return { accuracy: m.heldOutAccuracy, logLoss: m.logLoss };
    });
    const metrics = { ...evaluated, heldOutSource: split.source, yardstick };
    await progress(0.45);

    started = Date.now();
    const published = await createModel(kind, campaign, candidates.features);
    published.model.fit(observations);
    const fitMs = Date.now() - started;
    const hyperparameters = (modelHyperparameters(published.model) as Record<string, unknown> | undefined) ?? null;
    await progress(0.75);

    const beta = betaOf(campaign);
    const gap = worstCaseGapCertificate(published.model, candidates, { beta, top: 1 });
    const certificate: CertificateView = {
      gap: gap.worstCaseGap,
      promptId: gap.prompts.length > 0 ? candidates.promptIds[gap.prompts[0].prompt] : null,
      meanGap: gap.meanGap,
      units: isBordaKind(kind) ? 'borda' : 'reward',
      beta,
      prompts: gap.certifiedPrompts,
      labelCount: observations.length,
    };
    await progress(0.85);

    const version = await this.repo.publishModelVersion({
      campaignId,
      kind,
      labelCount: campaign.labelCount,
      metrics: { ...metrics, fitMs, hyperparameters },
      certificate,
      parameters: published.model.toJSON(),
      jobRunId: (job.data as { jobRunId?: string }).jobRunId ?? null,
    });
    await this.chain.afterRewardModelFit(campaignId, version.id);
    return {
      modelVersionId: version.id,
      version: version.version,
      kind,
      judgments: observations.length,
      heldOutAccuracy: metrics.heldOutAccuracy,
      gap: certificate.gap,
    };
  }
}
