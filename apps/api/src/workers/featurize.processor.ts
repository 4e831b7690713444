/**
 * Featurize: embeds new prompts and responses. 'text' campaigns run the built-in TextFeaturiser
 * (dimension = campaign.featureDim, seed = campaign.seed) over prompt text (or the messages) and
 * response text, writing float32 LE vectors in chunks; 'embedding' campaigns only verify the vectors
 * supplied at import. Then the chain refills the buffer.
 */
import { Processor } from '@nestjs/bullmq';
import { type ChatTurn, TextFeaturiser } from '@borda/reward-model';
import { JobChain } from '../jobs/job-chain.service';
import { JOB_CONCURRENCY, JobName, type JobPayload } from '../jobs/job-names';
import { JobRunsRepository } from '../jobs/job-runs.repository';
import { CampaignDataError } from '../learning/campaign-data-error';
import { encodeEmbedding } from '../learning/embeddings';
import { FeaturizeRepository } from './featurize.repository';
import { type ProgressReporter, TrackedProcessor } from './tracked-processor';

/** Prompts per write transaction (their responses go with them). */
const CHUNK_PROMPTS = 500;
const CHUNK_RESPONSES = 4000;

@Processor(JobName.Featurize, { concurrency: JOB_CONCURRENCY[JobName.Featurize] })
export class FeaturizeProcessor extends TrackedProcessor<JobName.Featurize> {
  constructor(
    runs: JobRunsRepository,
    private readonly repo: FeaturizeRepository,
    private readonly chain: JobChain,
  ) {
    super(JobName.Featurize, runs);
  }

  protected async run(payload: JobPayload<JobName.Featurize>, progress: ProgressReporter): Promise<object> {
    const { campaignId } = payload;
    const campaign = await this.repo.campaign({ campaignId });
    if (!campaign) return { skipped: 'campaign not found' };
    let result: object;
    if (campaign.featureSource === 'embedding') {
      const bad = await this.repo.invalidSuppliedEmbedding({ campaignId, bytes: campaign.featureDim * 4 });
      if (bad) {
        throw new CampaignDataError(
          `${bad.kind} ${bad.externalId ?? `#${bad.ordinal}`} has no embedding of ${campaign.featureDim} values`,
        );
      }
      result = await this.repo.markSuppliedFeaturized({ campaignId });
    } else {
      result = await this.embedText(campaignId, campaign.featureDim, campaign.seed, progress);
    }
    await this.chain.afterFeaturize(campaignId);
    return result;
  }

  private async embedText(campaignId: string, dimension: number, seed: number, progress: ProgressReporter) {
    const featuriser = new TextFeaturiser({ dimension, seed });
    const pending = await this.repo.pendingCounts({ campaignId });
    const total = Math.max(1, pending.prompts + pending.responses);
    let prompts = 0;
    let responses = 0;
    for (;;) {
      const batch = await this.repo.unfeaturizedPrompts({ campaignId, limit: CHUNK_PROMPTS });
      if (batch.length === 0) break;
      const rows = await this.repo.unfeaturizedResponses({ campaignId, promptIds: batch.map((p) => p.id) });
      await this.repo.saveEmbeddings({
        campaignId,
        prompts: batch.map((p) => ({
          id: p.id,
          bytes: encodeEmbedding(featuriser.embed(p.text ?? ((p.messages ?? []) as ChatTurn[]))),
        })),
        responses: rows.map((r) => ({ id: r.id, bytes: encodeEmbedding(featuriser.embed(r.text)) })),
      });
      prompts += batch.length;
      responses += rows.length;
      await progress((prompts + responses) / total);
    }
    // Responses added to prompts featurized earlier.
    for (;;) {
      const rows = await this.repo.unfeaturizedResponses({ campaignId, limit: CHUNK_RESPONSES });
      if (rows.length === 0) break;
      await this.repo.saveEmbeddings({
        campaignId,
        prompts: [],
        responses: rows.map((r) => ({ id: r.id, bytes: encodeEmbedding(featuriser.embed(r.text)) })),
        touchPromptIds: [...new Set(rows.map((r) => r.promptId))],
      });
      responses += rows.length;
      await progress((prompts + responses) / total);
    }
    return { prompts, responses, dimension };
  }
}
