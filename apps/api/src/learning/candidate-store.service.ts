/** The worker process's candidate sets: one read from Postgres per campaign and featurization revision. */
import { Injectable } from '@nestjs/common';
import { LearningRepository } from '../workers/learning.repository';
import { type CampaignCandidates, CandidateCache, buildCandidates } from './candidates';

@Injectable()
export class CandidateStore {
  private readonly cache = new CandidateCache();

  constructor(private readonly repo: LearningRepository) {}

  async load(campaignId: string, featureDim: number): Promise<CampaignCandidates> {
    const revision = `${featureDim}|${await this.repo.candidateRevision({ campaignId })}`;
    return this.cache.get(campaignId, revision, async () => {
      const { prompts, responses } = await this.repo.candidateRows({ campaignId });
      return buildCandidates(prompts, responses, featureDim, revision);
    });
  }
}
