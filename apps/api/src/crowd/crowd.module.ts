import { Module } from '@nestjs/common';
import { CrowdController } from './crowd.controller';
import { CrowdRepository } from './crowd.repository';
import { CrowdService } from './crowd.service';
import { ExtraJudgmentRepository } from './extra-judgment.repository';
import { GoldRepository } from './gold.repository';
import { GoldService } from './gold.service';

/**
 * Crowd quality routes (gold, labeler standing, review). Imported by LabelingModule, so the HTTP
 * process serves them; AuditService, CampaignAccessService and JobChain come from global modules.
 */
@Module({
  controllers: [CrowdController],
  providers: [CrowdService, CrowdRepository, GoldService, GoldRepository],
})
export class CrowdModule {}

/**
 * For workers: the fit asks for extra judgments through it (see extra-judgments.ts) and pauses
 * flagged labelers with the researchers' mechanism (CrowdRepository.setStanding).
 */
@Module({ providers: [ExtraJudgmentRepository, CrowdRepository], exports: [ExtraJudgmentRepository, CrowdRepository] })
export class ExtraJudgmentModule {}
