import { Module } from '@nestjs/common';
import { LabelingRepository } from '../labeling/labeling.repository';
import { RankingsController } from './rankings.controller';
import { RankingsRepository } from './rankings.repository';
import { RankingsService } from './rankings.service';

/**
 * Ranking campaigns (issue 14 item 3): POST /assignments/:id/rank and the rankings export. Leases come
 * from the labeling routes (a ranking lease is a comparison lease with `ranking`); the label that
 * fills its slot is stored through LabelingRepository, so counters move exactly as for a pair.
 */
@Module({
  controllers: [RankingsController],
  providers: [RankingsService, RankingsRepository, LabelingRepository],
})
export class RankingsModule {}
