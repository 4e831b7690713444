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

  list(role?: Role): Promise<User[]> {
    return this.prisma.user.findMany({ where: role ? { role } : {}, orderBy: { createdAt: 'asc' } });
  }
}
