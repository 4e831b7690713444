import { Module } from '@nestjs/common';
import { ContentFlagsController } from './content-flags.controller';
import { ContentFlagsRepository } from './content-flags.repository';
import { ContentFlagsService } from './content-flags.service';

/**
 * Harmful content flags. Imported by LabelingModule, whose flag route stores the skip and then the
 * flag; AuditService and CampaignAccessService come from global modules.
 */
@Module({
  controllers: [ContentFlagsController],
  providers: [ContentFlagsService, ContentFlagsRepository],
  exports: [ContentFlagsService],
})
export class ContentFlagsModule {}
