import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

@Injectable()
export class MetricsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Judgments stored per campaign status, from the campaigns' counters (no scan of labels). */
  labelsByCampaignStatus(): Promise<{ status: string; labels: number }[]> {
    return this.prisma.$queryRaw`
      SELECT status::text AS status, COALESCE(SUM(label_count), 0)::float8 AS labels
      FROM campaigns GROUP BY status`;
  }

  /** Jobs finished in the last hour per name and final state, with duration statistics in seconds. */
  jobsLastHour(): Promise<{ name: string; state: string; count: number; avg: number; p95: number; max: number }[]> {
    return this.prisma.$queryRaw`
      SELECT name, state::text AS state, count(*)::float8 AS count,
             avg(EXTRACT(EPOCH FROM finished_at - started_at))::float8 AS avg,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM finished_at - started_at))::float8 AS p95,
             max(EXTRACT(EPOCH FROM finished_at - started_at))::float8 AS max
      FROM job_runs
      WHERE finished_at > now() - interval '1 hour' AND started_at IS NOT NULL
      GROUP BY name, state`;
  }
}
