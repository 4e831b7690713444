/**
 * RewardModelFit: fits the campaign's reward model on every judgment and publishes a version.
 * 1. the held-out set is half of the yardstick's uniformly drawn labels once there are 20 of them
 *    (else a label-id hash split, ~15% held out, none below 20 judgments); fit on the rest, ModelMetrics
 *    on the held-out set (Platt scale fitted on the training split), and the uniform-only baseline
 *    against the active model at the same budget on the same held-out labels;
 * 2. refit on ALL judgments: the published model.
 *    The published model trains on the crowd reliability model's posteriors (learning/crowd-fit.ts):
 *    labels weighed by who gave them, position bias corrected; flagged labelers optionally paused and
 *    comparisons from low-trust labelers or against a confident model get one more judgment;
 * 3. the worst-case-gap certificate of its pessimistic policy;
 * 4. one INSERT of model_versions (version max+1) and the crowd fit's rows, then the chain queues PolicyFit.
 */
import { Processor } from '@nestjs/bullmq';
import type { CertificateView } from '@borda/api-contract';
import { worstCaseGapCertificate } from '@borda/dueling-bandit';
import { LinearBradleyTerry, type SerializedCrowdReliability } from '@borda/reward-model';
import { frozenOptions, modelHyperparameters } from '@borda/simulator';
import type { Job } from 'bullmq';
import { JobChain } from '../jobs/job-chain.service';
import { JOB_CONCURRENCY, JobName, type JobPayload } from '../jobs/job-names';
import { JobRunsRepository } from '../jobs/job-runs.repository';
import { AuditService } from '../audit/audit.service';
import { CrowdRepository } from '../crowd/crowd.repository';
import { ExtraJudgmentRepository } from '../crowd/extra-judgment.repository';
import {
  comparisonProbabilities,
  crowdFitMetrics,
  crowdRecords,
  extraJudgmentRequests,
  runCrowdStep,
} from '../learning/crowd-fit';
import { CandidateStore } from '../learning/candidate-store.service';
import { evaluateModel } from '../learning/evaluation';
import { betaOf, createModel, isBordaKind, resolveModelKind } from '../learning/model-factory';
import { buildObservations, splitObservations } from '../learning/observations';
import { compareWithUniform, evaluationSplit } from '../learning/yardstick';
import { LearningRepository } from './learning.repository';
import { type ProgressReporter, TrackedProcessor } from './tracked-processor';

/** Joint-row widths up to which the crowd EM's learner works on the raw rows (see run()). */
const CROWD_RAW_MAX_WIDTH = 96;

@Processor(JobName.RewardModelFit, { concurrency: JOB_CONCURRENCY[JobName.RewardModelFit] })
export class RewardModelFitProcessor extends TrackedProcessor<JobName.RewardModelFit> {
  constructor(
    runs: JobRunsRepository,
    private readonly repo: LearningRepository,
    private readonly candidates: CandidateStore,
    private readonly chain: JobChain,
    private readonly crowd: CrowdRepository,
    private readonly extraJudgments: ExtraJudgmentRepository,
    private readonly audit: AuditService,
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
    const crowdRows = await this.repo.crowdJudgments({ campaignId });
    await progress(0.1);
    if (candidates.promptIds.length === 0) return { skipped: 'no selectable prompts' };

    const kind = resolveModelKind(campaign, candidates.features.rows, observations.length);
    const split = evaluationSplit(observations, splitObservations);
    const { train, test } = split;
    let started = Date.now();
    const trial = await createModel(kind, campaign, candidates.features);
    trial.model.fit(train);
    const trainFitMs = Date.now() - started;
    // Hyperparameters (and bt-laplace's feature map) are learned once, here on the training split, and
    // held fixed for every other model of this job: the yardstick baselines, the crowd EM's learner
    // (refitted at each iteration) and the published model.
    const frozen = frozenOptions(trial.model);
    const learned = (modelHyperparameters(trial.model) as Record<string, unknown> | undefined) ?? null;
    await progress(0.35);
    const evaluated = evaluateModel(trial.model, train, test, {
      fitMs: trainFitMs,
      tensorflowBackend: trial.tensorflowBackend,
    });
    const yardstick = await compareWithUniform(split, async (fitOn, scoreOn) => {
      const baseline = await createModel(kind, campaign, candidates.features, frozen);
      baseline.model.fit(fitOn);
      const m = evaluateModel(baseline.model, fitOn, scoreOn, { fitMs: 0 });
      return { accuracy: m.heldOutAccuracy, logLoss: m.logLoss };
    });
    const metrics = { ...evaluated, heldOutSource: split.source, yardstick };
    await progress(0.45);

    // The EM refits its Bradley–Terry learner at every iteration. On narrow joint rows that is the
    // campaign's own model where it is a BT one (hyperparameters frozen), else a linear BT on the raw rows;
    // on wide rows (embeddings of hundreds of dimensions) a linear BT on 64 random Fourier features of them
    // (the factory's 'linear-bt'), O(64³) per Newton step: a raw 300-d model cost ~0.4 s per refit.
    const narrow = candidates.features.cols <= CROWD_RAW_MAX_WIDTH;
    const btKind = kind === 'linear-bt' || kind === 'bt-laplace';
    const previousState = (await this.repo.latestReliabilityState({ campaignId })) as SerializedCrowdReliability | null;
    const crowdStep = await runCrowdStep({
      judgments: crowdRows,
      candidates,
      previousState,
      createLearner: async () =>
        !narrow
          ? (await createModel('linear-bt', campaign, candidates.features)).model
          : btKind
            ? (await createModel(kind, campaign, candidates.features, frozen)).model
            : new LinearBradleyTerry({ dimension: candidates.features.cols }),
      // Warm-started from the previous fit's confusions a few EM iterations suffice; each refits the learner.
      settings: { minLabelerAccuracy: campaign.minLabelerAccuracy, maxIterations: previousState ? 8 : 30 },
    });
    await progress(0.6);

    started = Date.now();
    const training = crowdStep.observations ?? observations;
    const published = await createModel(kind, campaign, candidates.features, frozen);
    published.model.fit(training);
    const fitMs = Date.now() - started;
    const probabilities = comparisonProbabilities(published.model, !isBordaKind(kind), candidates, crowdRows, training);
    const acted = await this.actOnCrowd(campaignId, campaign.autoPauseFlagged, crowdStep, crowdRows, probabilities);
    const crowd = crowdFitMetrics(crowdStep, probabilities, acted);
    const hyperparameters = learned;
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
      metrics: { ...metrics, fitMs, hyperparameters, crowd },
      certificate,
      parameters: published.model.toJSON(),
      jobRunId: (job.data as { jobRunId?: string }).jobRunId ?? null,
    });
    const records = crowdRecords(crowdStep);
    if (records) {
      await this.repo.storeCrowdFit({ campaignId, modelVersionId: version.id, state: crowdStep.state, ...records });
    }
    await this.chain.afterRewardModelFit(campaignId, version.id);
    return {
      modelVersionId: version.id,
      version: version.version,
      kind,
      judgments: observations.length,
      heldOutAccuracy: metrics.heldOutAccuracy,
      gap: certificate.gap,
      crowd: { status: crowd.status, reason: crowd.reason, flagged: crowd.flagged, ...acted },
    };
  }

  /**
   * Acting on the crowd fit: flagged labelers are paused when the campaign asks for it (through the
   * researcher's pause mechanism, audit-logged, actor null = the fit), and comparisons the reliability
   * model doubts get one more judgment (bounded per comparison by campaign.extraJudgmentCap).
   */
  private async actOnCrowd(
    campaignId: string,
    autoPause: boolean,
    step: Awaited<ReturnType<typeof runCrowdStep>>,
    rows: Parameters<typeof extraJudgmentRequests>[1],
    probabilities: ReadonlyMap<string, number>,
  ): Promise<{ extraJudgmentsRequested: number; paused: number }> {
    let paused = 0;
    const flagged = step.flags.filter((f) => f.flagged);
    if (autoPause && flagged.length > 0) {
      const already = await this.repo.pausedLabelers({ campaignId });
      for (const flag of flagged) {
        if (already.has(flag.labeler)) continue;
        const reason = `flagged by the reliability model: ${flag.reasons.map((r) => r.kind).join(', ')}`;
        const standing = await this.crowd.setStanding(
          { campaignId, labelerId: flag.labeler, actorId: null },
          { paused: true, reason },
        );
        await this.audit.record(null, campaignId, 'crowd.labeler_auto_pause', {
          labelerId: flag.labeler,
          reason,
          reasons: flag.reasons,
          evidence: flag.evidence,
          ...standing,
        });
        paused++;
      }
    }
    let extraJudgmentsRequested = 0;
    for (const request of extraJudgmentRequests(step, rows, probabilities)) {
      const opened = await this.extraJudgments.requestExtraJudgment({
        campaignId,
        comparisonId: request.comparisonId,
        reason: request.reason,
      });
      if (opened) extraJudgmentsRequested++;
    }
    return { extraJudgmentsRequested, paused };
  }
}
