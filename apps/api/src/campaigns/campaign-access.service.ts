/**
 * Who may see and change a campaign: an admin any; a researcher the campaigns they own; a labeler
 * only the campaigns assigned to them, and only to label. A campaign the caller may not see
 * answers NOT_FOUND rather than FORBIDDEN, so ids of other people's campaigns are not confirmed.
 */
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/decorators';
import { isUuid, type Campaign } from '../database';
import { AppError } from '../errors/app-error';
import { CampaignAccessRepository } from './campaign-access.repository';

@Injectable()
export class CampaignAccessService {
  constructor(private readonly repository: CampaignAccessRepository) {}

  private async load(campaignId: string): Promise<Campaign> {
    if (!isUuid(campaignId)) throw AppError.notFound('campaign', campaignId);
    const campaign = await this.repository.find(campaignId);
    if (!campaign) throw AppError.notFound('campaign', campaignId);
    return campaign;
  }

  /** Owner or admin: configure, import, start/pause/complete, export, read models. */
  async manage(user: AuthUser, campaignId: string): Promise<Campaign> {
    const campaign = await this.load(campaignId);
    if (user.role === 'admin') return campaign;
    if (user.role === 'researcher' && campaign.ownerId === user.id) return campaign;
    if (user.role === 'labeler' && (await this.repository.isAssigned(campaignId, user.id))) {
      throw AppError.forbidden('labelers may label this campaign but not manage it');
    }
    throw AppError.notFound('campaign', campaignId);
  }

  /** Assigned labelers (and owner/admin) may read the campaign summary and label it. */
  async label(user: AuthUser, campaignId: string): Promise<Campaign> {
    const campaign = await this.load(campaignId);
    if (user.role === 'admin') return campaign;
    if (user.role === 'researcher' && campaign.ownerId === user.id) return campaign;
    if (await this.repository.isAssigned(campaignId, user.id)) return campaign;
    throw AppError.notFound('campaign', campaignId);
  }
}
