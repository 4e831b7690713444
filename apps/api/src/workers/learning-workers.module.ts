/** The learning-loop processors (worker process only: the HTTP process never imports this module). */
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { JobName } from '../jobs/job-names';
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

const PROCESSORS: Partial<Record<JobName, Type>> = {
  [JobName.Featurize]: FeaturizeProcessor,
  [JobName.ComparisonSelect]: ComparisonSelectProcessor,
  [JobName.RewardModelFit]: RewardModelFitProcessor,
  [JobName.PolicyFit]: PolicyFitProcessor,
};

@Module({})
export class LearningWorkersModule {
  /** The processors of `jobs` (WORKER_JOBS) among the learning loop's; reconciliation runs in every worker. */
  static forRoot(jobs: readonly JobName[]): DynamicModule {
    return {
      module: LearningWorkersModule,
      imports: [ExtraJudgmentModule],
      providers: [
        FeaturizeRepository,
        LearningRepository,
        ReconcileRepository,
        CandidateStore,
        ReconcileService,
        ...processorsOf(PROCESSORS, jobs),
      ],
      exports: [ReconcileService],
    };
  }
}

/** The processor classes of `jobs` in `table` (a worker registers a BullMQ worker only for those). */
export function processorsOf(table: Partial<Record<JobName, Type>>, jobs: readonly JobName[]): Type[] {
  return jobs.flatMap((job) => (table[job] ? [table[job]] : []));
}
