import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Session, User } from '../database';

@Injectable()
export class SessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: { userId: string; expiresAt: Date; client: string | null }): Promise<Session> {
    return this.prisma.session.create({ data });
  }

  /**
   * The user when the session is theirs and live (not revoked, not expired) and the user enabled; one
   * query, as this runs for every request the principal cache misses.
   */
  findUserOfActiveSession(id: string, userId: string): Promise<User | null> {
    return this.prisma.user.findFirst({
      where: {
        id: userId,
        disabledAt: null,
        sessions: { some: { id, revokedAt: null, expiresAt: { gt: new Date() } } },
      },
    });
  }

  findById(id: string): Promise<Session | null> {
    return this.prisma.session.findUnique({ where: { id } });
  }

  listActiveForUser(userId: string): Promise<Session[]> {
    return this.prisma.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: 'desc' },
    });
  }

  /** Revokes one live session; false when it was not live. */
  async revoke(id: string): Promise<boolean> {
    const { count } = await this.prisma.session.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    return count === 1;
  }

  /** Revokes every live session of the user; the number revoked. */
  async revokeAllForUser(userId: string): Promise<number> {
    const { count } = await this.prisma.session.updateMany({
      where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { revokedAt: new Date() },
    });
    return count;
  }
}
