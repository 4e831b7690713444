/**
 * The Prisma client, over node-postgres through the driver adapter (no native query engine).
 * Only repository classes (`*.repository.ts`) may inject it: ESLint enforces that.
 */
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { PrismaClient } from '../generated/prisma/client';
import { pgPoolConfig } from './pg-config';

export { pgPoolConfig };

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({ adapter: new PrismaPg(pgPoolConfig(config.databaseUrl, config.databasePoolSize)) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
