/** The learning-loop processors (worker process only: the HTTP process never imports this module). */
import { Module } from '@nestjs/common';
import { ReconcileService } from '../jobs/reconcile.service';
import { ExtraJudgmentModule } from '../crowd/crowd.module';
import { CandidateStore } from '../learning/candidate-store.service';
import { ComparisonSelectProcessor } from './comparison-select.processor';
import { FeaturizeProcessor } from './featurize.processor';
import { FeaturizeRepository } from './featurize.repository';
import { LearningRepository } from './learning.repository';
import { PolicyFitProcessor } from './policy-fit.processor';
import { ReconcileRepository } from './reconcile.repository';
import { RewardModelFitProcessor } from './reward-model-fit.processor';

@Module({
  imports: [ExtraJudgmentModule],
  providers: [
    FeaturizeRepository,
    LearningRepository,
    ReconcileRepository,
    CandidateStore,
    FeaturizeProcessor,
    ComparisonSelectProcessor,
    RewardModelFitProcessor,
    PolicyFitProcessor,
    ReconcileService,
  ],
  exports: [ReconcileService],
})
export class LearningWorkersModule {}
