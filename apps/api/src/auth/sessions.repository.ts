import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Session, User } from '../database';

@Injectable()
export class SessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: { userId: string; expiresAt: Date; client: string | null }): Promise<Session> {
    return this.prisma.session.create({ data });
  }

  /** The session and its user when the session is live (not revoked, not expired) and the user enabled. */
  async findActive(id: string): Promise<(Session & { user: User }) | null> {
    const session = await this.prisma.session.findUnique({ where: { id }, include: { user: true } });
    if (!session || session.revokedAt || session.user.disabledAt) return null;
    return session.expiresAt.getTime() > Date.now() ? session : null;
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
