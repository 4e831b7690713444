import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { CampaignScoped } from '../database';
import type { Prisma } from '../generated/prisma/client';

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  record(entry: {
    actorId: string | null;
    campaignId: string | null;
    action: string;
    details?: Prisma.InputJsonValue;
  }) {
    return this.prisma.auditLog.create({ data: { ...entry, details: entry.details ?? {} } });
  }

  listForCampaign(where: CampaignScoped<{ limit: number; before?: number }>) {
    return this.prisma.auditLog.findMany({
      where: { campaignId: where.campaignId, ...(where.before ? { id: { lt: where.before } } : {}) },
      orderBy: { id: 'desc' },
      take: where.limit,
    });
  }
}
