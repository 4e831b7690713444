import { Global, Module } from '@nestjs/common';
import { CampaignAccessRepository } from './campaign-access.repository';
import { CampaignAccessService } from './campaign-access.service';

@Global()
@Module({ providers: [CampaignAccessService, CampaignAccessRepository], exports: [CampaignAccessService] })
export class CampaignAccessModule {}
