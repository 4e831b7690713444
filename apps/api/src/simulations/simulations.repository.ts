/** Simulations are per user, not campaign data: queries are scoped by owner instead (admins see all). */
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { SimulationState } from '../database';
import type { Prisma } from '../generated/prisma/client';

const SUMMARY = {
  id: true,
  ownerId: true,
  state: true,
  config: true,
  progress: true,
  error: true,
  createdAt: true,
  finishedAt: true,
} as const;

@Injectable()
export class SimulationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(ownerId: string, config: Prisma.InputJsonValue) {
    return this.prisma.simulation.create({ data: { ownerId, config }, select: SUMMARY });
  }

  /** Newest first, without results, after the `cursor` row; `ownerId` undefined lists everyone's (admins). */
  list(where: { ownerId?: string; limit: number; cursor?: string }) {
    return this.prisma.simulation.findMany({
      where: where.ownerId ? { ownerId: where.ownerId } : {},
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: where.limit,
      ...(where.cursor ? { cursor: { id: where.cursor }, skip: 1 } : {}),
      select: SUMMARY,
    });
  }

  find(id: string) {
    return this.prisma.simulation.findUnique({ where: { id } });
  }

  async update(
    id: string,
    data: {
      state?: SimulationState;
      progress?: number;
      result?: Prisma.InputJsonValue;
      error?: string | null;
      finishedAt?: Date | null;
    },
  ): Promise<void> {
    await this.prisma.simulation.update({ where: { id }, data });
  }
}
