/**
 * The Prisma client, over node-postgres through the driver adapter (no native query engine).
 * Only repository classes (`*.repository.ts`) may inject it: ESLint enforces that.
 */
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { PrismaClient } from '../generated/prisma/client';

/** Explicit pool fields: pg lets a connection string override `database`. */
export function pgPoolConfig(url: string, max?: number) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    ...(max ? { max } : {}),
  };
}

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({ adapter: new PrismaPg(pgPoolConfig(config.databaseUrl, config.databasePoolSize)) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
