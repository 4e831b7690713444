/**
 * Campaign configuration: create, list, read, patch, labeler assignment. Status changes live in
 * CampaignLifecycleService; imports in ImportService.
 */
import { Injectable } from '@nestjs/common';
import {
  type CampaignView,
  type LabelerCampaignView,
  STRUCTURAL_FIELDS,
  parseAspects,
  trainingAspectProblem,
  type createCampaignSchema,
  type updateCampaignSchema,
} from '@borda/api-contract';
import type { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/decorators';
import type { Campaign } from '../database';
import { AppError } from '../errors/app-error';
import { CampaignAccessService } from './campaign-access.service';
import { checkBudget, checkBuffer, checkLabelers, checkStrategy } from './campaign-rules';
import { campaignView, labelerCampaignView } from './campaign-views';
import { type CampaignUpdateData, CampaignsRepository } from './campaigns.repository';

type CreateBody = z.output<typeof createCampaignSchema>;
type UpdateBody = z.output<typeof updateCampaignSchema>;

@Injectable()
export class CampaignsService {
  constructor(
    private readonly repository: CampaignsRepository,
    private readonly access: CampaignAccessService,
    private readonly audit: AuditService,
  ) {}

  async create(user: AuthUser, body: CreateBody): Promise<CampaignView> {
    checkStrategy({ strategy: body.strategy, model: body.model });
    checkBuffer(body.batchSize, body.bufferSize);
    const labelerIds = [...new Set(body.labelerIds)];
    checkLabelers('labelerIds', labelerIds, await this.repository.labelerIds(labelerIds));
    const { model, labelerIds: _ignored, ...rest } = body;
    const campaign = await this.repository.create(
      {
        ...rest,
        modelKind: model,
        ownerId: user.id,
        strategyOptions: rest.strategyOptions,
        modelOptions: rest.modelOptions as object,
        aspects: rest.aspects as object[],
      },
      labelerIds,
    );
    await this.audit.record(user.id, campaign.id, 'campaign.created', {
      name: campaign.name,
      strategy: campaign.strategy,
      labelerIds,
    });
    return campaignView(campaign, { labelerIds });
  }

  async list(user: AuthUser): Promise<(CampaignView | LabelerCampaignView)[]> {
    const campaigns = await this.repository.list(user);
    if (user.role !== 'labeler') return campaigns.map((c) => campaignView(c));
    return Promise.all(
      campaigns.map(async (c) =>
        labelerCampaignView(c, await this.repository.labelerProgress({ campaignId: c.id, labelerId: user.id })),
      ),
    );
  }

  /** Owner/admin: everything with counts; an assigned labeler: the reduced view with their progress. */
  async get(user: AuthUser, campaignId: string): Promise<CampaignView | LabelerCampaignView> {
    const campaign = await this.access.label(user, campaignId);
    if (user.role === 'labeler') {
      return labelerCampaignView(campaign, await this.repository.labelerProgress({ campaignId, labelerId: user.id }));
    }
    const [counts, labelers] = await Promise.all([
      this.repository.counts({ campaignId }),
      this.repository.listLabelers({ campaignId }),
    ]);
    return campaignView(campaign, {
      counts: {
        prompts: campaign.promptCount,
        responses: campaign.responseCount,
        comparisons: counts.comparisons,
        labels: campaign.labelCount,
        skips: counts.skips,
      },
      labelerIds: labelers.map((l) => l.id),
    });
  }

  async update(user: AuthUser, campaignId: string, body: UpdateBody): Promise<CampaignView> {
    const campaign = await this.access.manage(user, campaignId);
    const changed = Object.keys(body).filter((k) => body[k as keyof UpdateBody] !== undefined);
    if (changed.length === 0) return campaignView(campaign);
    this.checkStructural(campaign, body);
    checkStrategy({ strategy: body.strategy ?? campaign.strategy, model: body.model ?? campaign.modelKind });
    checkBuffer(body.batchSize ?? campaign.batchSize, body.bufferSize ?? campaign.bufferSize);
    if (body.budget !== undefined) checkBudget(body.budget, campaign.labelCount);
    const aspectProblem = trainingAspectProblem(
      body.aspects ?? parseAspects(campaign.aspects),
      body.trainingAspect !== undefined ? body.trainingAspect : campaign.trainingAspect,
    );
    if (aspectProblem) throw new AppError('VALIDATION_FAILED', aspectProblem, { field: 'trainingAspect' });
    const { model, modelOptions, strategyOptions, aspects, ...rest } = body;
    const data: CampaignUpdateData = {
      ...rest,
      ...(model !== undefined ? { modelKind: model } : {}),
      ...(modelOptions !== undefined ? { modelOptions: modelOptions as object } : {}),
      ...(strategyOptions !== undefined ? { strategyOptions } : {}),
      ...(aspects !== undefined ? { aspects: aspects as object[] } : {}),
    };
    const updated = await this.repository.update({ campaignId }, data);
    await this.audit.record(user.id, campaignId, 'campaign.updated', { changes: body });
    return campaignView(updated);
  }

  /** Strategy, model, features, seed and redundancy shape the data already collected: draft only. */
  private checkStructural(campaign: Campaign, body: UpdateBody): void {
    if (campaign.status === 'draft') return;
    const field = STRUCTURAL_FIELDS.find((f) => body[f] !== undefined);
    if (field) {
      throw new AppError('INVALID_TRANSITION', `${field} can only be changed while the campaign is a draft`, {
        field,
        status: campaign.status,
      });
    }
  }

  async listLabelers(user: AuthUser, campaignId: string) {
    await this.access.manage(user, campaignId);
    const rows = await this.repository.listLabelers({ campaignId });
    return rows.map((r) => ({ ...r, assignedAt: r.assignedAt.toISOString() }));
  }

  async setLabelers(user: AuthUser, campaignId: string, requested: readonly string[]) {
    await this.access.manage(user, campaignId);
    const labelerIds = [...new Set(requested)];
    checkLabelers('labelerIds', labelerIds, await this.repository.labelerIds(labelerIds));
    const changes = await this.repository.setLabelers({ campaignId, userIds: labelerIds });
    await this.audit.record(user.id, campaignId, 'campaign.labelers_set', { labelerIds, ...changes });
    return this.listLabelers(user, campaignId);
  }
}
