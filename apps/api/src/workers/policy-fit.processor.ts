/**
 * PolicyFit: greedy, pessimistic (β) and KL-soft policies of a published reward model, plus a
 * DPO-trained policy network where the import gave reference log-probabilities; one policy version
 * with an entry per selectable prompt, published in one transaction. Then the chain refills.
 */
import { Processor } from '@nestjs/bullmq';
import { type SerializedModel, loadModel } from '@borda/reward-model';
import { JobChain } from '../jobs/job-chain.service';
import { JOB_CONCURRENCY, JobName, type JobPayload } from '../jobs/job-names';
import { JobRunsRepository } from '../jobs/job-runs.repository';
import { CandidateStore } from '../learning/candidate-store.service';
import { betaOf, isBordaKind, modelOptionsOf, prepareToLoad } from '../learning/model-factory';
import { policyChurn } from '../learning/policy-churn';
import { buildObservations } from '../learning/observations';
import { computePolicies } from '../learning/policies';
import { LearningRepository } from './learning.repository';
import { type ProgressReporter, TrackedProcessor } from './tracked-processor';

export const DEFAULT_SOFT_TEMPERATURE = 0.1;

@Processor(JobName.PolicyFit, { concurrency: JOB_CONCURRENCY[JobName.PolicyFit] })
export class PolicyFitProcessor extends TrackedProcessor<JobName.PolicyFit> {
  constructor(
    runs: JobRunsRepository,
    private readonly repo: LearningRepository,
    private readonly candidates: CandidateStore,
    private readonly chain: JobChain,
  ) {
    super(JobName.PolicyFit, runs);
  }

  protected async run(payload: JobPayload<JobName.PolicyFit>, progress: ProgressReporter): Promise<object> {
    const { campaignId, modelVersionId } = payload;
    const campaign = await this.repo.campaign({ campaignId });
    if (!campaign) return { skipped: 'campaign not found' };
    const version = await this.repo.modelVersion({ campaignId, modelVersionId });
    if (!version) return { skipped: 'model version not found' };
    // A newer version's PolicyFit is queued or done: publishing this one would replace its entries.
    const latest = await this.repo.latestModelVersionId({ campaignId });
    if (latest && latest.id !== modelVersionId) return { skipped: 'superseded by a newer model version' };
    const parameters = version.parameters as unknown as SerializedModel;
    await prepareToLoad(parameters);
    const model = loadModel(parameters);
    const candidates = await this.candidates.load(campaignId, campaign.featureDim);
    await progress(0.2);
    const judgments = buildObservations(await this.repo.judgments({ campaignId }), candidates);
    const options = modelOptionsOf(campaign);
    const result = await computePolicies(model, candidates, {
      beta: betaOf(campaign),
      softTemperature: options.softTemperature ?? DEFAULT_SOFT_TEMPERATURE,
      dpo: { seed: campaign.seed, ...options.dpo },
      judgments,
    });
    await progress(0.7);
    const previous = await this.repo.currentGreedyPicks({ campaignId });
    const churn = policyChurn(previous, result.entries, isBordaKind(model.kind) ? 'borda' : 'reward');
    const policy = await this.repo.publishPolicy({
      campaignId,
      modelVersionId,
      labelCount: version.labelCount,
      summary: { ...result.summary, churn },
      dpoParameters: result.dpoParameters,
      entries: result.entries,
    });
    await this.chain.afterPolicyFit(campaignId);
    return {
      policyVersionId: policy.id,
      version: policy.version,
      prompts: result.entries.length,
      confidentPrompts: result.summary.confidentPrompts,
      dpo: result.summary.dpo,
      churn,
    };
  }
}
