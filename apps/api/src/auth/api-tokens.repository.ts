import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { ApiToken, User } from '../database';

@Injectable()
export class ApiTokensRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: { userId: string; name: string; tokenHash: string; prefix: string; expiresAt: Date | null }) {
    return this.prisma.apiToken.create({ data });
  }

  /** The live token with this hash and its (enabled) user, or null. */
  async findActive(tokenHash: string): Promise<(ApiToken & { user: User }) | null> {
    const token = await this.prisma.apiToken.findUnique({ where: { tokenHash }, include: { user: true } });
    if (!token || token.revokedAt || token.user.disabledAt) return null;
    if (token.expiresAt && token.expiresAt.getTime() <= Date.now()) return null;
    return token;
  }

  /** Records use at most once a minute per token, so scripts do not turn every request into a write. */
  async touch(token: ApiToken): Promise<void> {
    if (token.lastUsedAt && Date.now() - token.lastUsedAt.getTime() < 60_000) return;
    await this.prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
  }

  listForUser(userId: string): Promise<ApiToken[]> {
    return this.prisma.apiToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } });
  }

  async revoke(userId: string, id: string): Promise<boolean> {
    const { count } = await this.prisma.apiToken.updateMany({
      where: { id, userId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    return count === 1;
  }
}
