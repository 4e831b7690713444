import { Module } from '@nestjs/common';
import { AspectsController } from './aspects.controller';
import { AspectsRepository } from './aspects.repository';
import { CampaignLifecycleService } from './campaign-lifecycle.service';
import { CampaignReadsService } from './campaign-reads.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';
import { ImportRepository } from './import.repository';
import { ImportService } from './import.service';

/** Campaign configuration, lifecycle and JSONL imports (CampaignAccess, Audit and Jobs are global). */
@Module({
  controllers: [CampaignsController, AspectsController],
  providers: [
    CampaignsService,
    CampaignLifecycleService,
    CampaignReadsService,
    CampaignsRepository,
    ImportService,
    ImportRepository,
    AspectsRepository,
  ],
  exports: [CampaignsService],
})
export class CampaignsModule {}
