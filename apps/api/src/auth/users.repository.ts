import { Injectable } from '@nestjs/common';
import type { Role } from '@borda/api-contract';
import { PrismaService } from '../database/prisma.service';
import type { User } from '../database';

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { id } });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email: email.toLowerCase() } });
  }

  create(data: { email: string; name: string; role: Role; passwordHash: string }): Promise<User> {
    return this.prisma.user.create({ data: { ...data, email: data.email.toLowerCase() } });
  }

  /** Sets or clears `disabledAt`; null when there is no such user. */
  async setDisabled(id: string, disabled: boolean): Promise<User | null> {
    const { count } = await this.prisma.user.updateMany({
      where: { id },
      data: { disabledAt: disabled ? new Date() : null },
    });
    return count === 1 ? this.findById(id) : null;
  }

  /** False when there is no such user. */
  async setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({ where: { id }, data: { passwordHash } });
    return count === 1;
  }

  async existingEmails(emails: readonly string[]): Promise<Set<string>> {
    const rows = await this.prisma.user.findMany({
      where: { email: { in: emails.map((e) => e.toLowerCase()) } },
      select: { email: true },
    });
    return new Set(rows.map((r) => r.email));
  }

  /** Creates every user or none (one transaction); their ids in order. */
  async createMany(
    data: readonly { email: string; name: string; role: Role; passwordHash: string }[],
  ): Promise<string[]> {
    const users = await this.prisma.$transaction(
      data.map((d) => this.prisma.user.create({ data: { ...d, email: d.email.toLowerCase() }, select: { id: true } })),
    );
    return users.map((u) => u.id);
  }

  list(role?: Role): Promise<User[]> {
    return this.prisma.user.findMany({ where: role ? { role } : {}, orderBy: { createdAt: 'asc' } });
  }
}
