import { Module } from '@nestjs/common';
import { ContentFlagsModule } from '../content-flags/content-flags.module';
import { CrowdModule } from '../crowd/crowd.module';
import { GuidelinesModule } from '../guidelines/guidelines.module';
import { LabelingController } from './labeling.controller';
import { LabelingRepository } from './labeling.repository';
import { LabelingService } from './labeling.service';
import { LeaseRepository } from './lease.repository';
import { RevisionRepository } from './revision.repository';
import { RevisionService } from './revision.service';

/** The labeler-facing routes: next, heartbeat, submit, skip, revise, progress. JobChain comes from the global JobsModule. */
@Module({
  // The crowd-quality routes (gold, labeler standing, review) and the content flags ride along with labeling.
  imports: [CrowdModule, ContentFlagsModule, GuidelinesModule],
  controllers: [LabelingController],
  providers: [LabelingService, LabelingRepository, LeaseRepository, RevisionService, RevisionRepository],
})
export class LabelingModule {}
