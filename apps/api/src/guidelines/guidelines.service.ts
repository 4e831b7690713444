/**
 * Versioned guidelines for labelers. `gate` runs before every `next` of a labeler, so it answers
 * from memory in the common case: the campaign's version is cached for VERSION_TTL_MS (a change
 * reaches every API process within that time) and a labeler's acknowledgement of it for as long
 * as the version stands. Version 1 (the guidelines the campaign started with) needs no
 * acknowledgement, so most campaigns never cost a query here.
 */
import { Injectable } from '@nestjs/common';
import { GUIDELINES_NOT_ACKNOWLEDGED, type GuidelinesGate, type GuidelinesView } from '@borda/api-contract';
import type { AuthUser } from '../auth/decorators';
import { CampaignAccessService } from '../campaigns/campaign-access.service';
import { isUuid } from '../database';
import { AppError } from '../errors/app-error';
import { GuidelinesRepository } from './guidelines.repository';

export const VERSION_TTL_MS = 5_000;
/** Bounded caches: a process serving many campaigns forgets the oldest entries. */
const MAX_ENTRIES = 50_000;

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

@Injectable()
export class GuidelinesService {
  private readonly versions = new Map<string, { version: number; at: number }>();
  /** `${campaignId}:${userId}` → the version acknowledged (only ever a version that was current). */
  private readonly acks = new Map<string, number>();

  constructor(
    private readonly repository: GuidelinesRepository,
    private readonly access: CampaignAccessService,
  ) {}

  private async currentVersion(campaignId: string, now = Date.now()): Promise<number | null> {
    const cached = this.versions.get(campaignId);
    if (cached && now - cached.at < VERSION_TTL_MS) return cached.version;
    const version = await this.repository.version({ campaignId });
    if (version !== null) remember(this.versions, campaignId, { version, at: now });
    return version;
  }

  /** The answer `next` gives a labeler who has not acknowledged the current version, else null. */
  async gate(user: AuthUser, campaignId: string): Promise<GuidelinesGate | null> {
    if (user.role !== 'labeler' || !isUuid(campaignId)) return null;
    const version = await this.currentVersion(campaignId);
    if (version === null || version <= 1) return null; // unknown campaigns: next says so itself
    const key = `${campaignId}:${user.id}`;
    if ((this.acks.get(key) ?? 0) >= version) return null;
    const row = await this.repository.forLabeler({ campaignId, userId: user.id });
    if (!row || !row.assigned) return null; // not theirs: next answers 404
    if (row.ackVersion !== null) remember(this.acks, key, row.ackVersion);
    if ((row.ackVersion ?? 0) >= version) return null;
    return { assignment: null, reason: GUIDELINES_NOT_ACKNOWLEDGED, guidelinesVersion: row.version };
  }

  async view(user: AuthUser, campaignId: string): Promise<GuidelinesView> {
    await this.access.label(user, campaignId);
    const row = await this.repository.forLabeler({ campaignId, userId: user.id });
    if (!row) throw AppError.notFound('campaign', campaignId);
    const needed = user.role === 'labeler' && row.assigned && row.version > 1 && (row.ackVersion ?? 0) < row.version;
    return {
      guidelines: row.guidelines,
      version: row.version,
      acknowledgedVersion: row.ackVersion,
      mustAcknowledge: needed,
    };
  }

  async acknowledge(user: AuthUser, campaignId: string, version: number): Promise<{ version: number }> {
    await this.access.label(user, campaignId);
    const current = await this.repository.acknowledge({ campaignId, userId: user.id, version });
    if (current === null) throw AppError.notFound('campaign', campaignId);
    if (current !== version) {
      throw new AppError('CONFLICT', `the guidelines changed: version ${current} is current, not ${version}`, {
        field: 'version',
        version: current,
      });
    }
    remember(this.acks, `${campaignId}:${user.id}`, version);
    remember(this.versions, campaignId, { version, at: Date.now() });
    return { version };
  }
}
