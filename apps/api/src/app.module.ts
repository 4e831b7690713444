/** The HTTP process: routes only. It queues jobs but never runs them (see worker.module.ts). */
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BrowseModule } from './browse/browse.module';
import { CampaignAccessModule } from './campaigns/campaign-access.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { CatalogModule } from './catalog/catalog.module';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/env';
import { DatabaseModule } from './database/database.module';
import { ExportsModule } from './exports/exports.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LabelingModule } from './labeling/labeling.module';
import { loggerOptions } from './logging';
import { MetricsModule } from './metrics/metrics.module';
import { ModelsModule } from './models/models.module';
import { RankingsModule } from './rankings/rankings.module';
import { SimulationsModule } from './simulations/simulations.module';
import { SourceModelsModule } from './source-models/source-models.module';
import { StatsModule } from './stats/stats.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config, 'api')),
        DatabaseModule,
        JobsModule.forRoot(config, 'api'),
        AuditModule,
        AuthModule,
        CampaignAccessModule,
        CampaignsModule,
        LabelingModule,
        RankingsModule,
        ModelsModule,
        ExportsModule,
        StatsModule,
        WebhooksModule,
        SourceModelsModule,
        BrowseModule,
        SimulationsModule,
        CatalogModule,
        HealthModule,
        MetricsModule,
      ],
    };
  }
}
