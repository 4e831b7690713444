import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Campaign } from '../database';

@Injectable()
export class CampaignAccessRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(campaignId: string): Promise<Campaign | null> {
    return this.prisma.campaign.findUnique({ where: { id: campaignId } });
  }

  async isAssigned(campaignId: string, userId: string): Promise<boolean> {
    const row = await this.prisma.campaignLabeler.findUnique({ where: { campaignId_userId: { campaignId, userId } } });
    return row !== null;
  }
}
