/** The worker process: BullMQ processors and start-up reconciliation; HTTP only for its health and metrics port. */
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/env';
import { DatabaseModule } from './database/database.module';
import { JobsModule } from './jobs/jobs.module';
import { loggerOptions } from './logging';
import { WorkerHealthModule } from './workers/worker-health.module';
import { WorkersModule } from './workers/workers.module';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config, 'worker')),
        DatabaseModule,
        JobsModule.forRoot(config, 'worker'),
        AuditModule,
        WorkerHealthModule,
        WorkersModule.forRoot(config.workerJobs),
      ],
    };
  }
}
