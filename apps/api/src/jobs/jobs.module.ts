import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/env';
import { CampaignJobsRepository } from './campaign-jobs.repository';
import { JobChain } from './job-chain.service';
import { JobDispatcher } from './job-dispatcher.service';
import { JOB_NAMES } from './job-names';
import { JobRunsRepository } from './job-runs.repository';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { WebhookRepository } from '../webhooks/webhook.repository';

export function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ workers block on Redis; never give up on a command while Redis restarts.
    maxRetriesPerRequest: null,
  };
}

/**
 * How each process talks to the queues' Redis. Workers block on Redis and must ride out a restart, so
 * their commands wait for it (BullMQ requires this). The HTTP process only adds jobs, and a request
 * must not hang while Redis is away: its commands fail at once (no offline queue, one retry), the
 * caller gets 503 or, for follow-up jobs after a judgment, reconciliation re-queues them later.
 */
export function queueConnection(config: AppConfig, role: 'api' | 'worker') {
  const connection = redisConnection(config.redisUrl);
  return role === 'worker' ? connection : { ...connection, maxRetriesPerRequest: 1, enableOfflineQueue: false };
}

/** The queues (both processes) and the services that put jobs on them. Processors live in WorkersModule. */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig, role: 'api' | 'worker'): DynamicModule {
    return {
      module: JobsModule,
      imports: [
        BullModule.forRoot({ connection: queueConnection(config, role), prefix: config.queuePrefix }),
        BullModule.registerQueue(...JOB_NAMES.map((name) => ({ name }))),
      ],
      providers: [JobDispatcher, JobChain, JobRunsRepository, CampaignJobsRepository, WebhookRepository, WebhookOutbox],
      exports: [
        BullModule,
        JobDispatcher,
        JobChain,
        JobRunsRepository,
        CampaignJobsRepository,
        WebhookRepository,
        WebhookOutbox,
      ],
    };
  }
}
