import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { CampaignScoped, JobRun } from '../database';
import type { Prisma } from '../generated/prisma/client';

@Injectable()
export class JobRunsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Inserts a queued run unless an unfinished run with the same key exists (the partial unique
   * index job_runs_unfinished_key); returns the run that owns the key and whether it is new.
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
      ON CONFLICT (job_key) WHERE state IN ('queued', 'active') DO NOTHING
      RETURNING id`;
    if (inserted.length === 1) {
      return { run: await this.prisma.jobRun.findUniqueOrThrow({ where: { id: inserted[0].id } }), created: true };
    }
    const existing = await this.prisma.jobRun.findFirst({
      where: { jobKey: run.jobKey, state: { in: ['queued', 'active'] } },
    });
    if (existing) return { run: existing, created: false };
    // The unfinished run finished between the insert and the read: try once more.
    return this.claim(run);
  }

  find(id: string): Promise<JobRun | null> {
    return this.prisma.jobRun.findUnique({ where: { id } });
  }

  markActive(id: string, attempts: number) {
    return this.prisma.jobRun.update({
      where: { id },
      data: { state: 'active', attempts, startedAt: new Date(), error: null },
    });
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

  /** `final`: no retry is left, so the run is failed for good; otherwise it waits for its retry. */
  fail(id: string, error: string, attempts: number, final: boolean) {
    return this.prisma.jobRun.update({
      where: { id },
      data: final ? { state: 'failed', error, attempts, finishedAt: new Date() } : { state: 'queued', error, attempts },
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
