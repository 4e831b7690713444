import { Module } from '@nestjs/common';
import { LabelingController } from './labeling.controller';
import { LabelingRepository } from './labeling.repository';
import { LabelingService } from './labeling.service';
import { LeaseRepository } from './lease.repository';

/** The labeler-facing routes: next, heartbeat, submit, skip, progress. JobChain comes from the global JobsModule. */
@Module({
  controllers: [LabelingController],
  providers: [LabelingService, LabelingRepository, LeaseRepository],
})
export class LabelingModule {}
