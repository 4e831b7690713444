import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { type CampaignScoped, type JobRun, isUniqueViolation } from '../database';
import type { Prisma } from '../generated/prisma/client';

@Injectable()
export class JobRunsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Inserts a queued run unless a queued run with the same key exists (the partial unique index
   * job_runs_queued_key); returns the queued run of the key and whether it is new. A run of the key
   * that is already active does not block the insert: the new run is its successor and starts when
   * the active one has finished (job_runs_active_key lets one run of a key be active at a time), so a
   * trigger that arrives while a job runs is never dropped.
   */
  async claim(run: {
    campaignId: string | null;
    name: string;
    jobKey: string;
    payload: Prisma.InputJsonValue;
  }): Promise<{ run: JobRun; created: boolean }> {
    const inserted = await this.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO job_runs (id, campaign_id, name, job_key, payload)
      VALUES (gen_random_uuid(), ${run.campaignId}::uuid, ${run.name}, ${run.jobKey}, ${JSON.stringify(run.payload)}::jsonb)
      ON CONFLICT (job_key) WHERE state = 'queued' DO NOTHING
      RETURNING id`;
    if (inserted.length === 1) {
      return { run: await this.prisma.jobRun.findUniqueOrThrow({ where: { id: inserted[0].id } }), created: true };
    }
    const existing = await this.prisma.jobRun.findFirst({ where: { jobKey: run.jobKey, state: 'queued' } });
    if (existing) return { run: existing, created: false };
    // The queued run started between the insert and the read: try once more.
    return this.claim(run);
  }

  find(id: string): Promise<JobRun | null> {
    return this.prisma.jobRun.findUnique({ where: { id } });
  }

  /**
   * Marks the run active; false while another run of its key is active (job_runs_active_key): the
   * caller must wait for it rather than run the same job twice at once.
   */
  async markActive(id: string, attempts: number): Promise<boolean> {
    try {
      await this.prisma.jobRun.update({
        where: { id },
        data: { state: 'active', attempts, startedAt: new Date(), error: null },
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  progress(id: string, progress: number) {
    return this.prisma.jobRun.update({ where: { id }, data: { progress } });
  }

  complete(id: string, result: Prisma.InputJsonValue) {
    return this.prisma.jobRun.update({
      where: { id },
      data: { state: 'completed', progress: 1, result, finishedAt: new Date() },
    });
  }

  /**
   * `final`: no retry is left, so the run is failed for good; otherwise it waits for its retry, unless
   * a successor of its key is already queued (job_runs_queued_key): the successor does the same work on
   * newer data, so this run fails as superseded. Returns whether the run waits for a retry.
   */
  async fail(id: string, error: string, attempts: number, final: boolean): Promise<boolean> {
    const failed = { state: 'failed' as const, error, attempts, finishedAt: new Date() };
    if (final) {
      await this.prisma.jobRun.update({ where: { id }, data: failed });
      return false;
    }
    try {
      await this.prisma.jobRun.update({ where: { id }, data: { state: 'queued', error, attempts } });
      return true;
    } catch (cause) {
      if (!isUniqueViolation(cause)) throw cause;
      await this.prisma.jobRun.update({
        where: { id },
        data: { ...failed, error: `${error} (superseded by a queued run)` },
      });
      return false;
    }
  }

  /**
   * Pauses the run's campaign with the reason, if it is active, and records that in the audit log, in
   * one transaction: a job that met data it cannot learn from stops the campaign visibly instead of
   * failing the same way at every refill. Returns whether the campaign was paused now.
   */
  async haltCampaign(id: string, reason: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const halted = await tx.$queryRaw<{ id: string }[]>`
        UPDATE campaigns c SET status = 'paused', halted_reason = ${reason}, updated_at = now()
        FROM job_runs j WHERE j.id = ${id}::uuid AND c.id = j.campaign_id AND c.status = 'active'
        RETURNING c.id`;
      if (halted.length === 0) return false;
      await tx.auditLog.create({
        data: { actorId: null, campaignId: halted[0].id, action: 'campaign.halted', details: { reason, jobRunId: id } },
      });
      return true;
    });
  }

  /** Runs that were queued or running: what a flushed Redis has forgotten. */
  unfinished(): Promise<JobRun[]> {
    return this.prisma.jobRun.findMany({
      where: { state: { in: ['queued', 'active'] } },
      orderBy: { queuedAt: 'asc' },
    });
  }

  listForCampaign(where: CampaignScoped<{ limit: number; name?: string }>) {
    return this.prisma.jobRun.findMany({
      where: { campaignId: where.campaignId, ...(where.name ? { name: where.name } : {}) },
      orderBy: { queuedAt: 'desc' },
      take: where.limit,
    });
  }
}
